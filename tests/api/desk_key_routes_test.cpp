// The desk-keys routes in process, with the real parts behind them: the single
// writer, the read pool and the desk key refresher on a real SQLite file, and
// tokens from the real registry (sign-in itself is another area's). The same
// story over TLS against the server binary is e2e_test/desk_keys.
#include "crypto/base64url.hpp"
#include "crypto/box.hpp"
#include "crypto/grant.hpp"
#include "crypto/key_id.hpp"
#include "crypto/random.hpp"
#include "crypto/sign.hpp"
#include "server/api/desk_directory.hpp"
#include "server/api/desk_key_refresher.hpp"
#include "server/api/pow_service.hpp"
#include "server/api/report_sink.hpp"
#include "server/api/router.hpp"
#include "server/api/static_files.hpp"
#include "server/auth/token_registry.hpp"
#include "server/common/clock.hpp"
#include "server/json/json.hpp"
#include "server/store/data_dir.hpp"
#include "server/store/desk_registry.hpp"
#include "server/store/read_pool.hpp"
#include "server/store/report_writer.hpp"
#include "server/store/staff_records.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

using namespace signaal;
namespace net = boost::asio;

namespace {

struct person {
    std::string id;
    crypto::sign_keypair sign = crypto::sign_keygen();
    crypto::box_keypair box = crypto::box_keygen();
    std::string token = {};
};

std::filesystem::path make_dir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "signaal-desk-routes-XXXXXX").string();
    BOOST_REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    return pattern;
}

// Staff and a registered desk, written before the server parts open the file.
std::filesystem::path prepared(const std::filesystem::path& dir,
                               std::initializer_list<person*> staff) {
    const auto path = store::migrated_database(dir);
    auto db = store::database::open(path, store::open_mode::read_write_create);
    BOOST_REQUIRE(db);
    for (auto* p : staff) {
        BOOST_REQUIRE(store::staff_records(*db).add({p->id,
                                                     "caseworker",
                                                     {"care"},
                                                     p->sign.public_key,
                                                     p->box.public_key,
                                                     false,
                                                     "2026-11-01"}));
    }
    BOOST_REQUIRE(store::desk_registry(*db).register_desk("care", {"ann"}));
    return path;
}

struct fixture {
    person ann{"ann"}, ben{"ben"};
    std::filesystem::path dir = make_dir();
    std::filesystem::path path = prepared(dir, {&ann, &ben});
    config::settings settings = *config::load_defaults(dir);
    manual_clock clock{1'795'000'000};
    store::report_writer writer{path, {}, clock};
    api::writer_sink sink{writer, 64};
    api::desk_directory desks{settings};
    api::desk_key_refresher refresher{
        store::database::open(path, store::open_mode::read_only).value(), settings, clock, desks,
        std::chrono::hours(1)};
    api::pow_service pow{crypto::pow_tokens(crypto::random_secret(32)), clock, 0, 600};
    api::static_files files{"/nonexistent"};
    std::unique_ptr<store::read_pool> reads = store::read_pool::open(path, 1).value();
    auth::token_registry tokens{clock, 16};
    api::accepted_origins origins{{}};
    api::challenge_store challenges{clock, 60};
    api::staff_watcher watcher{store::database::open(path, store::open_mode::read_only).value(),
                               [](const std::string&) {}};
    api::sign_in_services sign_in{origins, challenges, watcher};
    api::services services{settings, clock, pow, desks, sink, files, tokens, *reads, sign_in};

    fixture() {
        BOOST_REQUIRE(writer.start());
        BOOST_REQUIRE(refresher.reload());
        refresher.start();
        for (auto* p : {&ann, &ben}) {
            p->token =
                tokens
                    .issue({auth::scope::staff, p->id, auth::role::caseworker, {"care"}, {}}, 3600)
                    ->token;
        }
    }
    ~fixture() {
        refresher.stop();
        writer.stop();
        std::filesystem::remove_all(dir);
    }

    // Runs one request to its answer: the writer and the pool post back to this context.
    api::response call(const std::string& method, const std::string& target,
                       const person* who = nullptr, const json::object* body = nullptr) {
        api::request req{method,
                         target,
                         {},
                         body ? "application/json" : "",
                         {},
                         body ? json::serialize(*body) : "",
                         who ? "Bearer " + who->token : ""};
        net::io_context ioc;
        std::optional<api::response> answer;
        net::co_spawn(ioc, api::route(services, std::move(req)),
                      [&](const std::exception_ptr& e, api::response r) {
                          if (e) {
                              std::rethrow_exception(e);
                          }
                          answer = std::move(r);
                      });
        ioc.run();
        BOOST_REQUIRE(answer);
        return *answer;
    }
    static json::value body_of(const api::response& r) { return *json::parse(r.body); }
};

struct desk_key {
    crypto::box_keypair pair = crypto::box_keygen();
    std::string id_b64() const {
        return crypto::base64url_encode(crypto::key_id_of(pair.public_key));
    }
};

json::object grant(const desk_key& key, const person& to, const person& by) {
    const auto wrapped = crypto::grant_wrap(key.pair.secret_key, to.box.public_key);
    const auto signature = crypto::sign_detached(
        crypto::grant_signed_bytes("care", key.id_b64(), to.id, wrapped), by.sign.secret_key);
    return {{"desk", "care"}, {"key_id", key.id_b64()},
            {"to", to.id},    {"wrapped", crypto::base64url_encode(wrapped)},
            {"by", by.id},    {"signature", crypto::base64url_encode(signature)}};
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(desk_key_routes, fixture)

BOOST_AUTO_TEST_CASE(init_grant_and_list_through_the_routes) {
    BOOST_TEST(call("GET", "/api/v1/desks/care").status == 401u);
    BOOST_TEST(call("POST", "/api/v1/desks/care", &ann).status == 405u);
    BOOST_TEST(call("GET", "/api/v1/desks/care/keys", &ann).status == 405u);
    BOOST_TEST(call("GET", "/api/v1/desks/care/other", &ann).status == 404u);
    BOOST_TEST(call("GET", "/api/v1/desks/police", &ann).status == 403u);
    auto view = body_of(call("GET", "/api/v1/desks/care", &ben));
    BOOST_TEST(json::serialize(view) ==
               R"({"desk":"care","caseworkers":["ann","ben"],"holders":["ann"],"key_id":null,)"
               R"("rotate":false})");
    BOOST_TEST(!desks.current()->keys.has_desk("care"));

    const desk_key key;
    json::object upload{{"public_key", crypto::base64url_encode(key.pair.public_key)},
                        {"grants", json::array{grant(key, ann, ann)}}};
    BOOST_TEST(call("POST", "/api/v1/desks/care/keys", nullptr, &upload).status == 401u);
    BOOST_TEST(call("POST", "/api/v1/desks/care/keys", &ben, &upload).status == 403u);
    const auto made = call("POST", "/api/v1/desks/care/keys", &ann, &upload);
    BOOST_REQUIRE_MESSAGE(made.status == 201u, made.body);
    BOOST_TEST(body_of(made).at("key_id").as_string() == key.id_b64());
    // Served by the time of the answer, though the refresher's timer is an hour.
    BOOST_TEST(desks.current()->keys.has_desk("care"));
    BOOST_TEST(desks.current()->config_json.find(key.id_b64()) != std::string::npos);

    auto g = grant(key, ben, ann);
    auto tampered = g;
    tampered["to"] = "ann"; // signed for ben
    auto refused = call("POST", "/api/v1/desk-keys/grants", &ann, &tampered);
    BOOST_TEST(refused.status == 422u);
    BOOST_TEST(body_of(refused).at("error").at("code").as_string() == "bad_signature");
    BOOST_TEST(body_of(call("GET", "/api/v1/desk-keys", &ben)).at("keys").as_array().empty());
    BOOST_TEST(call("POST", "/api/v1/desk-keys/grants", &ann, &g).status == 201u);

    const auto listed = body_of(call("GET", "/api/v1/desk-keys", &ben)).at("keys").as_array();
    BOOST_REQUIRE_EQUAL(listed.size(), 1u);
    const auto& k = listed[0];
    BOOST_TEST(k.at("by").as_string() == "ann");
    BOOST_TEST(k.at("public_key").as_string() == crypto::base64url_encode(key.pair.public_key));
    const auto opened = crypto::grant_unwrap(
        crypto::base64url_decode(k.at("wrapped").as_string()).value(),
        crypto::base64url_decode(k.at("public_key").as_string()).value(),
        crypto::base64url_decode(k.at("key_id").as_string()).value(), ben.box.secret_key);
    BOOST_REQUIRE(opened);
    BOOST_TEST(crypto::equal_constant_time(opened->view(), key.pair.secret_key.view()));
    view = body_of(call("GET", "/api/v1/desks/care", &ann));
    BOOST_TEST(json::serialize(view.at("holders")) == R"(["ann","ben"])");
    BOOST_TEST(view.at("key_id").as_string() == key.id_b64());
}

BOOST_AUTO_TEST_CASE(a_rotation_regrants_to_every_holder_and_keeps_the_old_key) {
    const desk_key first, second;
    json::object upload{{"public_key", crypto::base64url_encode(first.pair.public_key)},
                        {"grants", json::array{grant(first, ann, ann), grant(first, ben, ann)}}};
    BOOST_REQUIRE_EQUAL(call("POST", "/api/v1/desks/care/keys", &ann, &upload).status, 201u);

    json::object partial{{"public_key", crypto::base64url_encode(second.pair.public_key)},
                         {"grants", json::array{grant(second, ben, ben)}}};
    const auto refused = call("POST", "/api/v1/desks/care/keys", &ben, &partial);
    BOOST_TEST(refused.status == 422u);
    BOOST_TEST(body_of(refused).at("error").at("code").as_string() == "consent_violation");
    BOOST_TEST(desks.current()->config_json.find(first.id_b64()) != std::string::npos);

    json::object rotation{
        {"public_key", crypto::base64url_encode(second.pair.public_key)},
        {"grants", json::array{grant(second, ben, ben), grant(second, ann, ben)}}};
    BOOST_REQUIRE_EQUAL(call("POST", "/api/v1/desks/care/keys", &ben, &rotation).status, 201u);
    BOOST_TEST(desks.current()->config_json.find(second.id_b64()) != std::string::npos);
    // The old key: still accepted (30 grace days by default) and still listed.
    const auto old_id = crypto::key_id_of(first.pair.public_key);
    BOOST_TEST(desks.current()->keys.accepts("care", {old_id.begin(), old_id.end()},
                                             clock.now_unix() + 29 * 86400));
    const auto listed = body_of(call("GET", "/api/v1/desk-keys", &ann)).at("keys").as_array();
    BOOST_REQUIRE_EQUAL(listed.size(), 2u);
    BOOST_TEST(listed[0].at("key_id").as_string() == first.id_b64());
    BOOST_TEST(listed[1].at("key_id").as_string() == second.id_b64());

    // ben disabled (as signaal-admin staff disable does in the database): rotate.
    {
        auto db = store::database::open(path, store::open_mode::read_write_create);
        BOOST_REQUIRE(db);
        BOOST_REQUIRE(store::staff_records(*db).disable("ben"));
    }
    const auto view = body_of(call("GET", "/api/v1/desks/care", &ann));
    BOOST_TEST(view.at("rotate").as_bool());
    BOOST_TEST(json::serialize(view.at("holders")) == R"(["ann"])");
}

BOOST_AUTO_TEST_SUITE_END()
