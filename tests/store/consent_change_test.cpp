// Stepped consent in the store (PROTOCOL.md §7): the current consent replayed
// from the sealed one, a consent change and a forward as writer jobs checked
// against the report as it is in the writer, their events, and refusals that
// write nothing.
#include "server/store/consent_change.hpp"
#include "server/store/forward.hpp"
#include "server/store/report_readers.hpp"
#include "server/store/report_view.hpp"
#include "server/store/report_writer.hpp"
#include "server/store/status_change.hpp"
#include "tests/store/sql_helpers.hpp"
#include "tests/store/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <functional>
#include <future>

using namespace signaal::store;
using signaal::store::test::scalar;
using signaal::store::test::temp_dir;
using signaal::store::test::texts;

namespace {

using ids = std::vector<std::string>;
constexpr std::int64_t may_17 = 19'860;
const std::vector<std::uint8_t> mailbox(32, 7);
const std::vector<std::uint8_t> report_id(16, 1);

report_record report_to(std::vector<std::string> desks) {
    report_record r;
    r.id = report_id;
    r.received_day = "2024-05-17";
    r.role = "sex_worker";
    r.category = "violence";
    r.consent = desks;
    r.desks = desks;
    r.nonce = std::vector<std::uint8_t>(24, 1);
    r.ciphertext = std::vector<std::uint8_t>(1040, 1);
    for (const auto& d : desks) {
        r.envelopes.push_back(
            {d, std::vector<std::uint8_t>(8, 1), std::vector<std::uint8_t>(80, 0xe0)});
    }
    r.reply_box_pk = std::vector<std::uint8_t>(32, 6);
    r.reply_mailbox_pk = mailbox;
    return r;
}

struct fixture {
    temp_dir dir;
    database db = test::open_migrated(dir.db_path());
    signaal::manual_clock clock{1'715'947'200};
    report_writer writer{dir.db_path(), {}, clock};

    fixture() {
        BOOST_REQUIRE(writer.start());
        std::promise<write_outcome> p;
        auto f = p.get_future();
        (void)writer.submit({report_to({"care"}), std::vector<std::uint8_t>(32, 1)},
                            [&p](write_outcome o) { p.set_value(o); });
        BOOST_REQUIRE(f.get() == write_outcome::committed);
    }

    void run(const std::function<signaal::status(job_context&)>& apply) {
        std::promise<signaal::status> p;
        auto f = p.get_future();
        (void)writer.submit_job({apply, [&p](signaal::status s) { p.set_value(s); }});
        const auto done = f.get();
        BOOST_REQUIRE_MESSAGE(done.has_value(), done.error().message);
    }

    consent_change_outcome change(std::int64_t n, ids add, ids remove) {
        consent_change_request r{
            report_id,
            mailbox,
            {n, may_17, std::move(add), std::move(remove), std::vector<std::uint8_t>(64, 9)},
            {"care", "municipality", "police"},
            {"care", "police"}};
        consent_change_outcome out;
        run([&](job_context& job) -> signaal::status {
            auto applied = apply_consent_change(job, r);
            if (!applied) {
                return applied.error();
            }
            out = std::move(*applied);
            return {};
        });
        return out;
    }

    forward_outcome forward(ids caller, ids to) {
        forward_request r{report_id, std::move(caller), {}, may_17 + 1, "care-1"};
        for (const auto& d : to) {
            r.envelopes.push_back(
                {d, std::vector<std::uint8_t>(8, 2), std::vector<std::uint8_t>(80, 0xf0)});
        }
        forward_outcome out;
        run([&](job_context& job) -> signaal::status {
            auto applied = apply_forward(job, r);
            if (!applied) {
                return applied.error();
            }
            out = std::move(*applied);
            return {};
        });
        return out;
    }

    ids events() {
        return texts(db, "SELECT desk || ' ' || seq || ' ' || kind FROM events ORDER BY desk, seq");
    }
};

using change_kind = consent_change_outcome::kind;
using forward_kind = forward_outcome::kind;

} // namespace

BOOST_AUTO_TEST_CASE(current_consent_is_the_sealed_one_with_each_change_in_order) {
    const std::vector<consent_change_record> changes{
        {1, may_17, {"police"}, {}, {}},
        {2, may_17, {"municipality"}, {"care"}, {}},
        {3, may_17, {"care"}, {"police"}, {}},
    };
    BOOST_TEST(current_consent({"care", "zorg"}, {}) == (ids{"care", "zorg"}));
    BOOST_TEST(current_consent({"care", "zorg"}, changes) == (ids{"care", "municipality", "zorg"}));
}

BOOST_FIXTURE_TEST_SUITE(consent_changes, fixture)

BOOST_AUTO_TEST_CASE(refusals_write_nothing_and_a_change_then_a_forward_move_the_readers) {
    BOOST_TEST((change(2, {"police"}, {}).what == change_kind::stale_change));
    BOOST_TEST((change(1, {"municipality"}, {}).what == change_kind::consent_violation));
    BOOST_TEST((change(1, {"bakery"}, {}).what == change_kind::unknown_desk));
    BOOST_TEST((change(1, {}, {"bakery"}).what == change_kind::consent_violation));
    BOOST_TEST((change(1, {}, {"care"}).what == change_kind::consent_violation));
    BOOST_TEST((change(1, {}, {"police"}).what == change_kind::consent_violation));
    BOOST_TEST((change(1, {"care"}, {}).what == change_kind::consent_violation));
    BOOST_TEST(scalar(db, "SELECT count(*) FROM consent_changes") == 0);
    BOOST_TEST(scalar(db, "SELECT count(*) FROM pending_desks") == 0);
    BOOST_TEST(events() == ids{"care 1 report"});

    const auto added = change(1, {"police"}, {});
    BOOST_TEST((added.what == change_kind::applied));
    BOOST_TEST(added.desks == ids{"care"});
    BOOST_TEST(added.pending == ids{"police"});
    BOOST_TEST((change(1, {"police"}, {}).what == change_kind::stale_change));
    BOOST_TEST(events() == (ids{"care 1 report", "care 2 consent"}));

    // Police is pending: it finds the report, but may not change its status.
    auto routed = find_routed_report(db, report_id, {"police"});
    BOOST_REQUIRE(routed.has_value() && routed->has_value());
    BOOST_TEST((*routed)->reader_desks.empty());
    BOOST_TEST((*routed)->pending_reader_desks == ids{"police"});
    BOOST_TEST((forward({"police"}, {"police"}).what == forward_kind::forbidden));
    BOOST_TEST((forward({"municipality"}, {"police"}).what == forward_kind::not_found));
    BOOST_TEST((forward({"care"}, {"municipality"}).what == forward_kind::not_pending));
    BOOST_TEST((forward({"care"}, {"care"}).what == forward_kind::not_pending));
    BOOST_TEST(scalar(db, "SELECT count(*) FROM audit") == 0);

    const auto sealed = forward({"care"}, {"police"});
    BOOST_TEST((sealed.what == forward_kind::forwarded));
    BOOST_TEST(sealed.desks == (ids{"care", "police"}));
    BOOST_TEST(sealed.pending.empty());
    BOOST_TEST(events() ==
               (ids{"care 1 report", "care 2 consent", "care 3 consent", "police 1 report"}));
    BOOST_TEST(texts(db, "SELECT desk || ' ' || status || ' ' || status_day FROM report_desks "
                         "ORDER BY desk") == (ids{"care new 19860", "police new 19861"}));
    BOOST_TEST(texts(db, "SELECT staff || ' ' || action || ' ' || day FROM audit") ==
               ids{"care-1 forward 19861"});
    // The sealed consent and desks stay what the AD was built from.
    BOOST_TEST(texts(db, "SELECT consent || ' ' || desks FROM reports") == ids{"care care"});
    auto readers = read_report_readers(db, 1);
    BOOST_REQUIRE(readers.has_value());
    BOOST_TEST(readers->consent == (ids{"care", "police"}));
    BOOST_TEST(readers->sealed_desks == ids{"care"});

    // Removing care: its envelope and status go, police stays and hears of it.
    const auto removed = change(2, {}, {"care"});
    BOOST_TEST((removed.what == change_kind::applied));
    BOOST_TEST(removed.desks == ids{"police"});
    BOOST_TEST(texts(db, "SELECT desk FROM envelopes") == ids{"police"});
    BOOST_TEST(texts(db, "SELECT desk FROM report_desks") == ids{"police"});
    BOOST_TEST(events() == (ids{"care 1 report", "care 2 consent", "care 3 consent",
                                "care 4 withdrawn", "police 1 report", "police 2 consent"}));
    BOOST_TEST(texts(db, "SELECT change_no || ' ' || added || '/' || removed FROM "
                         "consent_changes ORDER BY change_no") == (ids{"1 police/", "2 /care"}));
}

BOOST_AUTO_TEST_CASE(a_change_for_another_mailbox_or_report_finds_nothing) {
    consent_change_request r{std::vector<std::uint8_t>(16, 2),
                             mailbox,
                             {1, may_17, {"police"}, {}, std::vector<std::uint8_t>(64, 9)},
                             {"care", "police"},
                             {"care", "police"}};
    consent_change_outcome out;
    out.what = change_kind::applied;
    run([&](job_context& job) -> signaal::status {
        auto applied = apply_consent_change(job, r);
        if (!applied) {
            return applied.error();
        }
        out = std::move(*applied);
        return {};
    });
    BOOST_TEST((out.what == change_kind::not_found));
    BOOST_TEST(scalar(db, "SELECT count(*) FROM consent_changes") == 0);
}

BOOST_AUTO_TEST_SUITE_END()
