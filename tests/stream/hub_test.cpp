// The parts of the live stream that need no socket: the bounded send queue,
// the hub's fan-out by desk and by staff member, and the message texts.
#include "server/stream/event_hub.hpp"
#include "server/stream/messages.hpp"
#include "server/stream/send_queue.hpp"

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include <array>
#include <utility>

using namespace signaal;
using namespace signaal::stream;

namespace {

const std::array<std::uint8_t, 16> some_id{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

shared_event event(std::string desk, std::int64_t seq) {
    return make_event(std::move(desk), seq, some_id, "report");
}

// Records what the hub hands one stream.
struct recording_sink : stream_sink {
    void deliver(std::span<const shared_event> events) override {
        batches.emplace_back(events.begin(), events.end());
    }
    void end(close_code code, std::string_view reason) override {
        ended.emplace_back(code, std::string(reason));
    }
    std::vector<std::vector<shared_event>> batches;
    std::vector<std::pair<close_code, std::string>> ended;
};

std::vector<std::pair<std::string, std::int64_t>> seqs(const std::vector<shared_event>& batch) {
    std::vector<std::pair<std::string, std::int64_t>> out;
    for (const auto& e : batch) {
        out.emplace_back(e->desk, e->seq);
    }
    return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(queue)

BOOST_AUTO_TEST_CASE(the_first_push_wakes_the_sender_and_take_returns_all_in_order) {
    send_queue q(4);
    const std::array one{event("care", 1)};
    const std::array two{event("care", 2), event("care", 3)};
    BOOST_TEST((q.push(one) == send_queue::push_result::woke));
    BOOST_TEST((q.push(two) == send_queue::push_result::queued));
    const auto taken = q.take();
    BOOST_TEST_REQUIRE(taken.size() == 3u);
    BOOST_TEST(taken[0]->seq == 1);
    BOOST_TEST(taken[2]->seq == 3);
    BOOST_TEST(q.take().empty());
    BOOST_TEST((q.push(one) == send_queue::push_result::woke));
}

BOOST_AUTO_TEST_CASE(a_full_backlog_overflows_closes_and_drops_everything_after) {
    send_queue q(2);
    const std::array two{event("care", 1), event("care", 2)};
    const std::array one{event("care", 3)};
    BOOST_TEST((q.push(two) == send_queue::push_result::woke));
    BOOST_TEST((q.push(one) == send_queue::push_result::overflow));
    BOOST_TEST(q.closed());
    BOOST_TEST(q.take().empty());
    BOOST_TEST((q.push(one) == send_queue::push_result::closed));
    BOOST_TEST(q.take().empty());
}

BOOST_AUTO_TEST_CASE(one_commit_larger_than_the_bound_fits_into_an_empty_queue) {
    // A large commit group must not cut off a client that keeps up.
    send_queue q(2);
    std::vector<shared_event> burst;
    for (int i = 1; i <= 10; ++i) {
        burst.push_back(event("care", i));
    }
    BOOST_TEST((q.push(burst) == send_queue::push_result::woke));
    BOOST_TEST(q.take().size() == 10u);
    BOOST_TEST((q.push(burst) == send_queue::push_result::woke));
    BOOST_TEST((q.push(burst) == send_queue::push_result::overflow));
}

BOOST_AUTO_TEST_CASE(a_closed_queue_takes_nothing) {
    send_queue q(8);
    const std::array one{event("care", 1)};
    q.close();
    BOOST_TEST((q.push(one) == send_queue::push_result::closed));
    BOOST_TEST(q.take().empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(hub)

BOOST_AUTO_TEST_CASE(each_stream_gets_one_batch_per_commit_of_its_own_desks_only) {
    event_hub hub;
    auto care = std::make_shared<recording_sink>();
    auto police = std::make_shared<recording_sink>();
    auto both = std::make_shared<recording_sink>();
    auto s1 = hub.subscribe("anna", {"care"}, care);
    auto s2 = hub.subscribe("piet", {"police"}, police);
    auto s3 = hub.subscribe("sam", {"police", "care"}, both);
    BOOST_TEST(hub.size() == 3u);

    const std::array commit{event("care", 7), event("police", 3), event("care", 8)};
    hub.publish(commit);
    const std::array only_municipality{event("municipality", 1)};
    hub.publish(only_municipality);

    using list = std::vector<std::pair<std::string, std::int64_t>>;
    BOOST_TEST_REQUIRE(care->batches.size() == 1u);
    BOOST_TEST((seqs(care->batches[0]) == list{{"care", 7}, {"care", 8}}));
    BOOST_TEST_REQUIRE(police->batches.size() == 1u);
    BOOST_TEST((seqs(police->batches[0]) == list{{"police", 3}}));
    BOOST_TEST_REQUIRE(both->batches.size() == 1u);
    BOOST_TEST((seqs(both->batches[0]) == list{{"care", 7}, {"police", 3}, {"care", 8}}));
    // One serialisation shared by every stream.
    BOOST_TEST(care->batches[0][0].get() == both->batches[0][0].get());
}

BOOST_AUTO_TEST_CASE(an_ended_subscription_receives_nothing_more) {
    event_hub hub;
    auto sink = std::make_shared<recording_sink>();
    {
        auto sub = hub.subscribe("anna", {"care"}, sink);
        const std::array first{event("care", 1)};
        hub.publish(first);
    }
    BOOST_TEST(hub.size() == 0u);
    const std::array second{event("care", 2)};
    hub.publish(second);
    BOOST_TEST(sink->batches.size() == 1u);
    BOOST_TEST(sink.use_count() == 1); // the hub let go of it
}

BOOST_AUTO_TEST_CASE(a_moved_subscription_unsubscribes_once) {
    event_hub hub;
    auto sink = std::make_shared<recording_sink>();
    auto a = hub.subscribe("anna", {"care"}, sink);
    auto b = std::move(a);
    a.reset();
    BOOST_TEST(hub.size() == 1u);
    b = event_hub::subscription{};
    BOOST_TEST(hub.size() == 0u);
}

BOOST_AUTO_TEST_CASE(ending_a_staff_member_closes_only_their_streams_with_1008) {
    event_hub hub;
    auto anna_laptop = std::make_shared<recording_sink>();
    auto anna_tablet = std::make_shared<recording_sink>();
    auto piet = std::make_shared<recording_sink>();
    auto s1 = hub.subscribe("anna", {"care"}, anna_laptop);
    auto s2 = hub.subscribe("anna", {"care"}, anna_tablet);
    auto s3 = hub.subscribe("piet", {"care"}, piet);
    hub.end_staff("anna");
    BOOST_TEST_REQUIRE(anna_laptop->ended.size() == 1u);
    BOOST_TEST((anna_laptop->ended[0].first == close_code::policy));
    BOOST_TEST(anna_tablet->ended.size() == 1u);
    BOOST_TEST(piet->ended.empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(messages)

BOOST_AUTO_TEST_CASE(an_event_is_the_protocol_object_with_a_base64url_report_id) {
    const auto e = event("care", 42);
    BOOST_TEST(e->text == R"({"type":"event","seq":42,"desk":"care",)"
                          R"("report_id":"AQIDBAUGBwgJCgsMDQ4PEA","kind":"report"})");
    BOOST_TEST(ready_text({{"care", 3}, {"police", 0}}) ==
               R"({"type":"ready","seq":{"care":3,"police":0}})");
}

BOOST_AUTO_TEST_CASE(an_auth_message_is_read_with_after_optional) {
    auto full = parse_auth(R"({"type":"auth","token":"abc","after":{"care":5,"police":0}})");
    BOOST_TEST_REQUIRE(full.has_value());
    BOOST_TEST(full->token == "abc");
    BOOST_TEST(full->after.at("care") == 5);
    BOOST_TEST(full->after.at("police") == 0);
    auto bare = parse_auth(R"({"type":"auth","token":"abc"})");
    BOOST_TEST_REQUIRE(bare.has_value());
    BOOST_TEST(bare->after.empty());
}

BOOST_AUTO_TEST_CASE(a_bad_auth_message_is_refused_without_quoting_it) {
    for (const std::string& bad : std::vector<std::string>{
             "",
             "not json",
             "[]",
             R"({"token":"abc"})",
             R"({"type":"hello","token":"abc"})",
             R"({"type":"auth"})",
             R"({"type":"auth","token":""})",
             R"({"type":"auth","token":5})",
             R"({"type":"auth","token":"abc","after":[]})",
             R"({"type":"auth","token":"abc","after":{"care":-1}})",
             R"({"type":"auth","token":"abc","after":{"care":1.5}})",
             R"({"type":"auth","token":"abc","after":{"care":"1"}})",
             R"({"type":"auth","token":"abc","after":{"Not A Desk":1}})",
             R"({"type":"auth","token":")" + std::string(200, 'x') + R"("})",
             R"({"type":"auth","token":"abc","pad":")" + std::string(5000, 'x') + R"("})",
         }) {
        BOOST_TEST_CONTEXT(bad) {
            const auto r = parse_auth(bad);
            BOOST_TEST_REQUIRE(!r.has_value());
            BOOST_TEST(r.error().message.find("xxx") == std::string::npos);
            BOOST_TEST(r.error().message.size() <= 123u); // fits a close frame
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
