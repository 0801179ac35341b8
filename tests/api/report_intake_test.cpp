// POST /api/v1/reports through route() without sockets or a database: a fake
// report sink stands in for the store's writer, a manual clock for the time.
#include "crypto/base64url.hpp"
#include "crypto/key_id.hpp"
#include "crypto/random.hpp"
#include "server/api/desk_directory.hpp"
#include "server/api/desk_key_refresher.hpp"
#include "server/api/report_submission.hpp"
#include "server/api/router.hpp"
#include "server/store/data_dir.hpp"
#include "server/store/desk_keys.hpp"
#include "tests/api/demo_desks.hpp"
#include "tests/store/temp_dir.hpp"
#include "tests/support/report_builder.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

#include <deque>
#include <stdlib.h>

using namespace signaal;
namespace net = boost::asio;

namespace {

constexpr std::int64_t start_time = 1'795'910'399; // the last second of 2026-11-28 (UTC)

class fake_sink final : public api::report_sink {
  public:
    [[nodiscard]] api::intake_load load() const override { return load_; }
    void submit(store::write_request request, store::write_completion done) override {
        received.push_back(std::move(request));
        pending.push_back(std::move(done));
    }
    void submit_job(store::write_job job) override {
        job.done(fail("the intake's tests run no other change"));
    }
    api::intake_load load_ = api::intake_load::open;
    std::vector<store::write_request> received;
    std::deque<store::write_completion> pending; // answered by the test
};

struct intake_fixture {
    intake_fixture() { desks.publish(testing::demo_desks(keys)); }

    json::object report(std::vector<std::string> consent) const {
        testing::report_input in;
        in.consent = consent;
        std::sort(consent.begin(), consent.end());
        in.desks = consent;
        in.plaintext = R"({"v":1,"lang":"en","text":"unit"})";
        for (const auto& d : in.desks) {
            in.keys[d] = &keys.at(d);
        }
        return testing::build_report(in);
    }

    // Runs the handler until it answers or waits on the sink; nullopt while it waits.
    std::optional<api::response> start(api::request req) {
        answer.reset();
        net::co_spawn(ioc, api::route(services, std::move(req)),
                      [this](const std::exception_ptr& e, api::response r) {
                          if (e) {
                              std::rethrow_exception(e);
                          }
                          answer = std::move(r);
                      });
        ioc.restart();
        ioc.poll();
        return answer;
    }
    // Answers the oldest write the sink holds, then runs the handler to its end.
    api::response finish(store::write_outcome outcome) {
        BOOST_REQUIRE(!sink.pending.empty());
        auto done = std::move(sink.pending.front());
        sink.pending.pop_front();
        done(outcome);
        ioc.restart();
        ioc.run();
        BOOST_REQUIRE(answer);
        return *answer;
    }

    std::string token() {
        const auto issued = start({"GET", "/api/v1/pow", {}, {}, {}, {}, {}});
        BOOST_REQUIRE(issued);
        return std::string(json::parse(issued->body)->at("token").as_string());
    }

    api::request post(json::object body, const std::string& content_type = "application/json") {
        return {"POST", "/api/v1/reports", {}, content_type, {}, json::serialize(body), {}};
    }
    api::request post_with_pow(json::object body) {
        testing::add_pow(body, token(), 0);
        return post(std::move(body));
    }

    static std::string code_of(const api::response& r) {
        return std::string(json::parse(r.body)->at("error").at("code").as_string());
    }

    config::settings settings = *config::load_defaults(".");
    manual_clock clock{start_time};
    api::pow_service pow{crypto::pow_tokens(crypto::random_secret(32)), clock, 0, 600};
    api::desk_directory desks{settings};
    fake_sink sink;
    api::static_files files{"/nonexistent"};
    store::test::temp_dir dir;
    std::unique_ptr<store::read_pool> reads =
        store::read_pool::open(store::migrated_database(dir.path()), 1).value();
    auth::token_registry tokens{clock, 16};
    api::accepted_origins origins{{}};
    api::challenge_store challenges{clock, 60};
    api::staff_watcher watcher{
        store::database::open(store::database_file(dir.path()), store::open_mode::read_only)
            .value(),
        [](const std::string&) {}};
    api::sign_in_services sign_in{origins, challenges, watcher};
    api::services services{settings, clock, pow, desks, sink, files, tokens, *reads, sign_in};
    std::map<std::string, testing::desk_keypair> keys;
    net::io_context ioc;
    std::optional<api::response> answer;
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(report_intake, intake_fixture)

BOOST_AUTO_TEST_CASE(the_answer_comes_only_after_the_sink_commits) {
    BOOST_TEST(!start(post_with_pow(report({"care"}))).has_value()); // waiting on the commit
    BOOST_REQUIRE_EQUAL(sink.received.size(), 1u);
    const auto& stored = sink.received.front().report;
    BOOST_TEST(stored.received_day == "2026-11-28");
    BOOST_TEST((stored.desks == std::vector<std::string>{"care"}));
    const auto reply = finish(store::write_outcome::committed);
    BOOST_TEST(reply.status == 201u);
    const auto doc = json::parse(reply.body);
    BOOST_TEST(doc->at("received_day").as_string() == "2026-11-28");
    BOOST_TEST(crypto::base64url_decode(doc->at("id").as_string()).value() == stored.id);
}

BOOST_AUTO_TEST_CASE(each_store_outcome_has_its_answer) {
    const std::vector<std::pair<store::write_outcome, unsigned>> outcomes{
        {store::write_outcome::pow_reused, 403u},
        {store::write_outcome::busy, 429u},
        {store::write_outcome::failed, 500u}};
    for (const auto& [outcome, status] : outcomes) {
        BOOST_TEST_CONTEXT("answered " << status) {
            BOOST_TEST(!start(post_with_pow(report({"care"}))).has_value());
            BOOST_TEST(finish(outcome).status == status);
        }
    }
}

BOOST_AUTO_TEST_CASE(load_is_checked_before_anything_is_read) {
    // Not JSON and the wrong type: the load answers first all the same.
    api::request junk{"POST", "/api/v1/reports", {}, "text/plain", {}, "{", {}};
    sink.load_ = api::intake_load::busy;
    const auto busy = start(junk);
    BOOST_REQUIRE(busy);
    BOOST_TEST(busy->status == 429u);
    BOOST_TEST(code_of(*busy) == "busy");
    sink.load_ = api::intake_load::paused;
    const auto paused = start(junk);
    BOOST_REQUIRE(paused);
    BOOST_TEST(paused->status == 503u);
    BOOST_TEST(code_of(*paused) == "unavailable");
    BOOST_TEST(paused->headers.size() == 1u);
    BOOST_TEST(paused->headers.front().first == "Retry-After");
    BOOST_TEST(sink.received.empty());
}

BOOST_AUTO_TEST_CASE(media_type_before_json_before_shape) {
    const auto wrong_type = start(post(report({"care"}), "text/plain"));
    BOOST_REQUIRE(wrong_type);
    BOOST_TEST(wrong_type->status == 415u);
    api::request not_json{"POST", "/api/v1/reports", {}, "text/plain", {}, "{", {}};
    BOOST_TEST(start(not_json)->status == 415u);
    not_json.content_type = "application/json";
    BOOST_TEST(start(not_json)->status == 400u);
    // Parameters such as charset are ignored (PROTOCOL.md §1).
    auto body = report({"care"});
    testing::add_pow(body, token(), 0);
    BOOST_TEST(!start(post(std::move(body), "Application/JSON; charset=utf-8")).has_value());
    BOOST_TEST(finish(store::write_outcome::committed).status == 201u);
}

BOOST_AUTO_TEST_CASE(a_count_only_report_with_reply_keys_is_refused) {
    const auto reply =
        json::object{{"box_pk", crypto::base64url_encode(crypto::random_bytes(32))},
                     {"mailbox_pk", crypto::base64url_encode(crypto::random_bytes(32))}};
    auto count_only = report({});
    testing::member(count_only, "reply") = reply;
    const auto refused = start(post_with_pow(std::move(count_only)));
    BOOST_REQUIRE(refused);
    BOOST_TEST(refused->status == 400u);
    BOOST_TEST(code_of(*refused) == "bad_request");
    // The same keys on a report for a desk are the follow-up channel (section 7).
    auto sealed = report({"care"});
    testing::member(sealed, "reply") = reply;
    BOOST_TEST(!start(post_with_pow(std::move(sealed))).has_value());
    BOOST_TEST(finish(store::write_outcome::committed).status == 201u);
    BOOST_REQUIRE_EQUAL(sink.received.size(), 1u);
    BOOST_TEST(sink.received.front().report.reply_box_pk.size() == 32u);
}

BOOST_AUTO_TEST_CASE(an_expired_proof_of_work_is_refused) {
    auto body = report({"care"});
    testing::add_pow(body, token(), 0);
    clock.advance(600); // the token's lifetime: expired at exactly its expiry
    const auto refused = start(post(std::move(body)));
    BOOST_REQUIRE(refused);
    BOOST_TEST(refused->status == 403u);
    BOOST_TEST(code_of(*refused) == "pow_invalid");
    BOOST_TEST(sink.received.empty());
}

BOOST_AUTO_TEST_CASE(a_rotated_out_key_is_accepted_until_its_grace_ends_exactly) {
    auto view = desks.current()->keys;
    const auto old_key = keys.at("care").key_id;
    view.accepted["care"].front().accept_until = start_time + 10;
    view.accepted["care"].push_back(
        {crypto::random_bytes(8), std::nullopt, crypto::random_bytes(32)});
    desks.publish(std::move(view));
    clock.set(start_time + 9);
    BOOST_TEST(!start(post_with_pow(report({"care"}))).has_value());
    BOOST_TEST(finish(store::write_outcome::committed).status == 201u);
    clock.set(start_time + 10);
    const auto stale = start(post_with_pow(report({"care"})));
    BOOST_REQUIRE(stale);
    BOOST_TEST(stale->status == 409u);
    BOOST_TEST(code_of(*stale) == "stale_key");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(the_refresher_publishes_keys_rotated_in_the_database) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "signaal-refresh-XXXXXX").string();
    BOOST_REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    const std::filesystem::path dir = pattern;
    const auto settings = *config::load_defaults(dir);
    const auto path = store::migrated_database(dir);
    auto writer_db = store::database::open(path, store::open_mode::read_write_create);
    BOOST_REQUIRE(writer_db);
    store::desk_keys table(*writer_db);
    const auto key_of = [] {
        auto pair = crypto::box_keygen();
        const auto id = crypto::key_id_of(pair.public_key);
        return std::pair{std::vector<std::uint8_t>(id.begin(), id.end()), pair.public_key};
    };
    const auto [first_id, first_pk] = key_of();
    BOOST_REQUIRE(table.add_current("care", first_id, first_pk, "2026-11-28"));

    manual_clock clock(start_time);
    api::desk_directory directory(settings);
    auto reader_db = store::database::open(path, store::open_mode::read_only);
    BOOST_REQUIRE(reader_db);
    api::desk_key_refresher refresher(std::move(*reader_db), settings, clock, directory,
                                      std::chrono::milliseconds(5));
    BOOST_REQUIRE(refresher.reload());
    BOOST_TEST(directory.current()->keys.current.at("care").key_id == first_id);
    BOOST_TEST(directory.current()->config_json.find(crypto::base64url_encode(first_pk)) !=
               std::string::npos);

    refresher.start();
    const auto [second_id, second_pk] = key_of();
    BOOST_REQUIRE(table.rotate("care", second_id, second_pk, "2026-11-28", start_time + 60));
    // Wait on publications, not on the clock: each one is a fresh read of the table.
    bool seen = false;
    for (int i = 0; i < 1000 && !seen; ++i) {
        BOOST_REQUIRE(
            directory.wait_published_after(directory.published(), std::chrono::seconds(10)));
        seen = directory.current()->keys.current.at("care").key_id == second_id;
    }
    BOOST_TEST(seen);
    const auto& view = directory.current()->keys;
    BOOST_TEST(view.accepts("care", first_id, start_time + 59));
    BOOST_TEST(!view.accepts("care", first_id, start_time + 60));
    BOOST_TEST(view.accepts("care", second_id, start_time + 1'000'000));
    refresher.stop();
    std::filesystem::remove_all(dir);
}
