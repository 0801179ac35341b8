// The staff reads: one desk's events, and a report as a reader with some desks
// sees it. Reports go in through the real writer into a real database file.
#include "server/store/desk_events.hpp"
#include "server/store/report_view.hpp"
#include "server/store/report_writer.hpp"
#include "tests/store/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <future>

using namespace signaal::store;
using signaal::store::test::temp_dir;

namespace {

std::vector<std::uint8_t> filled(std::size_t n, std::uint8_t value) {
    return std::vector<std::uint8_t>(n, value);
}

// A report sealed to `desks` (consent: those plus municipality), with reply keys.
report_record report_to(std::uint8_t n, std::vector<std::string> desks) {
    report_record r;
    r.id = filled(16, n);
    r.received_day = "2024-05-17";
    r.role = "sex_worker";
    r.category = "violence";
    r.consent = desks;
    r.consent.push_back("municipality");
    std::sort(r.consent.begin(), r.consent.end());
    r.desks = std::move(desks);
    if (!r.desks.empty()) {
        r.nonce = filled(24, n);
        r.ciphertext = filled(1024 + 16, n);
        for (const auto& desk : r.desks) {
            r.envelopes.push_back({desk, filled(8, static_cast<std::uint8_t>(desk[0])),
                                   filled(80, static_cast<std::uint8_t>(n + desk[0]))});
        }
        r.reply_box_pk = filled(32, n);
        r.reply_mailbox_pk = filled(32, static_cast<std::uint8_t>(n + 1));
    }
    return r;
}

struct fixture {
    temp_dir dir;
    database db = test::open_migrated(dir.db_path());
    signaal::manual_clock clock{1'715'947'200}; // 2024-05-17 12:00 UTC
    report_writer writer{dir.db_path(), {}, clock};
    std::uint8_t tokens = 0;

    fixture() { BOOST_REQUIRE(writer.start()); }

    // Stores one report (one commit each, so seq follows the call order).
    void store(const report_record& r) {
        std::promise<write_outcome> p;
        auto f = p.get_future();
        (void)writer.submit({r, filled(32, ++tokens)}, [&p](write_outcome o) { p.set_value(o); });
        BOOST_REQUIRE(f.get() == write_outcome::committed);
    }

    std::vector<std::string> events(const std::string& desk, std::int64_t after,
                                    std::int64_t limit) {
        auto read = read_desk_events(db, desk, after, limit);
        BOOST_REQUIRE_MESSAGE(read.has_value(), read.error().message);
        std::vector<std::string> out;
        for (const auto& e : *read) {
            BOOST_TEST(e.desk == desk);
            out.push_back(std::to_string(e.seq) + " " + std::to_string(e.report_id.at(0)) + " " +
                          e.kind);
        }
        return out;
    }

    std::optional<report_view> view(std::uint8_t n, std::vector<std::string> reader_desks) {
        auto read = read_report_view(db, filled(16, n), reader_desks);
        BOOST_REQUIRE_MESSAGE(read.has_value(), read.error().message);
        return *read;
    }
};

using texts = std::vector<std::string>;

} // namespace

BOOST_FIXTURE_TEST_SUITE(staff_reads, fixture)

BOOST_AUTO_TEST_CASE(each_desk_reads_only_its_own_numbered_events) {
    store(report_to(1, {"care", "police"}));
    store(report_to(2, {"care"}));
    store(report_to(3, {"police"}));
    store(report_to(4, {})); // count only: no event anywhere
    store(report_to(5, {"care"}));

    BOOST_TEST(events("care", 0, 100) == (texts{"1 1 report", "2 2 report", "3 5 report"}));
    BOOST_TEST(events("police", 0, 100) == (texts{"1 1 report", "2 3 report"}));
    BOOST_TEST(events("municipality", 0, 100).empty());
    // after and limit.
    BOOST_TEST(events("care", 1, 100) == (texts{"2 2 report", "3 5 report"}));
    BOOST_TEST(events("care", 0, 2) == (texts{"1 1 report", "2 2 report"}));
    BOOST_TEST(events("care", 3, 100).empty());
}

BOOST_AUTO_TEST_CASE(a_report_shows_the_readers_envelopes_and_statuses_only) {
    const auto both = report_to(1, {"care", "police"});
    store(both);

    const auto care = view(1, {"care", "municipality"});
    BOOST_REQUIRE(care.has_value());
    BOOST_TEST(care->id == both.id);
    BOOST_TEST(care->received_day == "2024-05-17");
    BOOST_TEST(care->role == "sex_worker");
    BOOST_TEST(care->category == "violence");
    BOOST_TEST(care->consent == (texts{"care", "municipality", "police"}));
    BOOST_TEST(care->desks == (texts{"care", "police"}));
    // Never changed consent: as sealed, nothing pending.
    BOOST_TEST(care->sealed_consent == care->consent);
    BOOST_TEST(care->sealed_desks == care->desks);
    BOOST_TEST(care->pending.empty());
    BOOST_TEST(care->nonce == both.nonce);
    BOOST_TEST(care->ciphertext == both.ciphertext);
    BOOST_REQUIRE_EQUAL(care->envelopes.size(), 1u);
    BOOST_TEST((care->envelopes[0] == both.envelopes[0])); // care's
    BOOST_TEST(care->reply_box_pk == both.reply_box_pk);
    BOOST_TEST(care->reply_mailbox_pk == both.reply_mailbox_pk);
    BOOST_TEST((care->status == std::map<std::string, std::string>{{"care", "new"}}));

    const auto all = view(1, {"care", "police"});
    BOOST_REQUIRE(all.has_value());
    BOOST_TEST((all->envelopes == both.envelopes));
    BOOST_TEST(
        (all->status == std::map<std::string, std::string>{{"care", "new"}, {"police", "new"}}));
}

BOOST_AUTO_TEST_CASE(a_report_routed_elsewhere_is_not_found_like_a_missing_one) {
    store(report_to(1, {"care"}));
    store(report_to(2, {}));

    BOOST_TEST(!view(1, {"police"}).has_value());
    BOOST_TEST(!view(1, {}).has_value());
    BOOST_TEST(!view(2, {"care", "municipality", "police"}).has_value()); // count only
    BOOST_TEST(!view(9, {"care"}).has_value());                           // none such

    auto routed = find_routed_report(db, filled(16, 1), {"municipality", "care"});
    BOOST_REQUIRE(routed.has_value());
    BOOST_REQUIRE(routed->has_value());
    BOOST_TEST((*routed)->reader_desks == (texts{"care"}));
    auto elsewhere = find_routed_report(db, filled(16, 1), {"municipality", "police"});
    BOOST_REQUIRE(elsewhere.has_value());
    BOOST_TEST(!elsewhere->has_value());
}

BOOST_AUTO_TEST_SUITE_END()
