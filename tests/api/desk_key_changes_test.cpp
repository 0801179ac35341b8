// Key uploads and grants against a real database, without a server: the rules'
// order, what a refusal leaves (nothing), and the desk directory serving an
// uploaded key on request rather than on its timer.
#include "crypto/base64url.hpp"
#include "crypto/box.hpp"
#include "crypto/grant.hpp"
#include "crypto/key_id.hpp"
#include "crypto/sign.hpp"
#include "server/api/desk_directory.hpp"
#include "server/api/desk_key_changes.hpp"
#include "server/api/desk_key_refresher.hpp"
#include "server/common/clock.hpp"
#include "server/config/settings.hpp"
#include "server/store/data_dir.hpp"
#include "server/store/desk_registry.hpp"
#include "server/store/staff_records.hpp"
#include "server/store/statement.hpp"
#include "server/store/transaction.hpp"

#include <boost/test/unit_test.hpp>

#include <future>

using namespace signaal;

namespace {

constexpr std::int64_t now = 1'795'000'000; // 2026-11-18 09:46:40 UTC

struct person {
    std::string id;
    crypto::sign_keypair sign = crypto::sign_keygen();
    crypto::box_keypair box = crypto::box_keygen();
};

struct fixture {
    std::filesystem::path dir;
    store::database db;
    person ann{"ann"}, ben{"ben"}, cas{"cas"};

    fixture() : dir(make_dir()), db(open(dir)) {
        store::staff_records staff(db);
        for (auto* p : {&ann, &ben, &cas}) {
            store::staff_record r{p->id,
                                  "caseworker",
                                  {p == &cas ? "police" : "care"},
                                  p->sign.public_key,
                                  p->box.public_key,
                                  false,
                                  "2026-11-01"};
            BOOST_REQUIRE(staff.add(r));
        }
        BOOST_REQUIRE(store::desk_registry(db).register_desk("care", {"ann"}));
    }
    ~fixture() { std::filesystem::remove_all(dir); }

    static std::filesystem::path make_dir() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "signaal-desk-keys-XXXXXX").string();
        BOOST_REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        return pattern;
    }
    static store::database open(const std::filesystem::path& dir) {
        auto d = store::database::open(store::migrated_database(dir),
                                       store::open_mode::read_write_create);
        BOOST_REQUIRE(d);
        return std::move(*d);
    }

    std::int64_t count(const char* table) {
        auto st = store::statement::prepare(db, std::string("SELECT count(*) FROM ") + table);
        BOOST_REQUIRE(st);
        BOOST_REQUIRE(*st->step());
        return st->column_int64(0);
    }

    /// As the writer runs a job: in a transaction that a refusal rolls back.
    api::answer_or<void> upload(const api::key_upload& u, const std::string& caller) {
        auto tx = store::transaction::begin(db, store::transaction::kind::immediate);
        BOOST_REQUIRE(tx);
        auto r = api::apply_key_upload(db, u, {caller, now, 30});
        if (r) {
            BOOST_REQUIRE(tx->commit());
        }
        return r;
    }
    api::answer_or<void> grant(const store::key_grant& g, const std::string& caller) {
        auto tx = store::transaction::begin(db, store::transaction::kind::immediate);
        BOOST_REQUIRE(tx);
        auto r = api::apply_grant(db, g, {caller, now, 30});
        if (r) {
            BOOST_REQUIRE(tx->commit());
        }
        return r;
    }
};

struct desk_key {
    crypto::box_keypair pair = crypto::box_keygen();
    std::vector<std::uint8_t> id() const {
        const auto k = crypto::key_id_of(pair.public_key);
        return {k.begin(), k.end()};
    }
};

store::key_grant make_grant(const desk_key& key, const person& to, const person& by) {
    store::key_grant g{"care", key.id(),
                       to.id,  crypto::grant_wrap(key.pair.secret_key, to.box.public_key),
                       by.id,  {}};
    g.signature = crypto::sign_detached(
        crypto::grant_signed_bytes("care", crypto::base64url_encode(g.key_id), to.id, g.wrapped),
        by.sign.secret_key);
    return g;
}

api::key_upload make_upload(const desk_key& key, std::vector<store::key_grant> grants) {
    return {"care", key.pair.public_key, key.id(), std::move(grants)};
}

std::string code_of(const api::answer_or<void>& r) {
    BOOST_REQUIRE(!r);
    return std::to_string(r.error().status) + " " +
           (r.error().body.find("consent_violation") != std::string::npos ? "consent_violation"
            : r.error().body.find("bad_signature") != std::string::npos   ? "bad_signature"
            : r.error().body.find("forbidden") != std::string::npos       ? "forbidden"
                                                                          : "other");
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(desk_key_changes, fixture)

BOOST_AUTO_TEST_CASE(an_upload_is_checked_in_protocol_order_and_a_refusal_keeps_nothing) {
    const desk_key key;
    auto forged = make_grant(key, ann, ann);
    forged.signature[5] ^= 1;
    // Every refusal at once: the first rule that fails answers.
    BOOST_TEST(code_of(upload(make_upload(key, {forged}), "ben")) == "403 forbidden");
    BOOST_TEST(code_of(upload(make_upload(key, {forged, make_grant(key, cas, ann)}), "ann")) ==
               "422 consent_violation");
    BOOST_TEST(code_of(upload(make_upload(key, {make_grant(key, ben, ann)}), "ann")) ==
               "422 consent_violation"); // no grant for the uploader
    BOOST_TEST(code_of(upload(make_upload(key, {forged}), "ann")) == "422 bad_signature");
    BOOST_TEST(code_of(upload(make_upload(key, {make_grant(key, ann, ben)}), "ann")) ==
               "403 forbidden"); // made by someone else
    BOOST_TEST(count("desk_keys") == 0);
    BOOST_TEST(count("desk_key_grants") == 0);
    BOOST_TEST(count("audit") == 0);

    BOOST_TEST(upload(make_upload(key, {make_grant(key, ann, ann)}), "ann").has_value());
    BOOST_TEST(count("desk_keys") == 1);
    BOOST_TEST(count("desk_key_grants") == 1);
    BOOST_TEST(count("audit") == 1);

    // A grant: 403 (not a holder) before 422 consent_violation before 422 bad_signature.
    auto bad = make_grant(key, cas, ben);
    bad.signature[0] ^= 1;
    BOOST_TEST(code_of(grant(bad, "ben")) == "403 forbidden");
    bad.by = "ann";
    BOOST_TEST(code_of(grant(bad, "ann")) == "422 consent_violation");
    auto unsigned_well = make_grant(key, ben, ann);
    unsigned_well.signature[0] ^= 1;
    BOOST_TEST(code_of(grant(unsigned_well, "ann")) == "422 bad_signature");
    BOOST_TEST(count("desk_key_grants") == 1);
    BOOST_TEST(grant(make_grant(key, ben, ann), "ann").has_value());
    BOOST_TEST(count("desk_key_grants") == 2);
    BOOST_TEST(count("audit") == 2);
}

BOOST_AUTO_TEST_CASE(a_rotated_out_key_is_accepted_for_whole_days) {
    const std::int64_t day = 86400;
    const std::int64_t today_start = now - now % day;
    BOOST_TEST(api::accept_rotated_until(now, 0) == today_start); // refused at once
    BOOST_TEST(api::accept_rotated_until(now, 1) == today_start + 2 * day);
    BOOST_TEST(api::accept_rotated_until(now, 30) == today_start + 31 * day);
    // The same whatever the second of the day: no time of day is stored.
    BOOST_TEST(api::accept_rotated_until(today_start, 30) ==
               api::accept_rotated_until(today_start + day - 1, 30));
}

BOOST_AUTO_TEST_CASE(the_directory_serves_an_upload_when_asked_not_when_its_timer_says) {
    const auto settings = *config::load_defaults(dir);
    api::desk_directory directory(settings);
    // Nothing attached: the waiter is told at once.
    bool told = false;
    directory.refresh_now([&] { told = true; });
    BOOST_TEST(told);

    manual_clock clock(now);
    auto reader = store::database::open(store::database_file(dir), store::open_mode::read_only);
    BOOST_REQUIRE(reader);
    api::desk_key_refresher refresher(std::move(*reader), settings, clock, directory,
                                      std::chrono::hours(1));
    BOOST_REQUIRE(refresher.reload());
    refresher.start();
    BOOST_TEST(!directory.current()->keys.has_desk("care"));

    const desk_key key;
    BOOST_REQUIRE(upload(make_upload(key, {make_grant(key, ann, ann)}), "ann"));
    std::promise<void> published;
    directory.refresh_now([&] { published.set_value(); });
    BOOST_REQUIRE(published.get_future().wait_for(std::chrono::seconds(30)) ==
                  std::future_status::ready);
    BOOST_TEST(directory.current()->keys.has_desk("care"));
    BOOST_TEST(directory.current()->keys.accepts("care", key.id(), now));
    BOOST_TEST(directory.current()->config_json.find(
                   crypto::base64url_encode(key.pair.public_key)) != std::string::npos);
    refresher.stop();
    // Stopped: a later request is answered at once, never left waiting.
    told = false;
    directory.refresh_now([&] { told = true; });
    BOOST_TEST(told);
}

BOOST_AUTO_TEST_SUITE_END()
