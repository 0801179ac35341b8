// The staff side of reports over TLS on loopback (PROTOCOL.md §6 "Inbox and
// reports"): each desk's inbox and report view hold exactly what was routed to
// it, a status change reaches that desk only, and every other caller is told
// no more than that a report does not exist.
#include "crypto/base64url.hpp"
#include "crypto/random.hpp"
#include "server/store/database.hpp"
#include "server/store/statement.hpp"
#include "tests/e2e/helpers.hpp"
#include "tests/e2e/staff_instance.hpp"

using namespace signaal;
using namespace signaal::testing;

namespace {

using texts = std::vector<std::string>;

struct staff_fixture {
    staff_instance instance;
    https_client client = instance.client();
    std::string care = instance.caseworker("care-1", {"care"});
    std::string police = instance.caseworker("police-1", {"police"});

    // Submits a report with this consent (routed: physical_violence); its id.
    std::string report(std::vector<std::string> consent, const std::string& text) {
        const auto reply =
            instance.submit(client, sealed_report(instance.on_disk(), consent, text));
        BOOST_REQUIRE_EQUAL(reply.status, 201u);
        return std::string(parse_body(reply).at("id").as_string());
    }

    http_reply get(const std::string& target, const std::string& token) {
        return client.request("GET", target, {}, {}, {{"Authorization", "Bearer " + token}});
    }
    http_reply post(const std::string& target, const std::string& body, const std::string& token) {
        return client.request("POST", target, body, "application/json",
                              {{"Authorization", "Bearer " + token}});
    }
    http_reply set_status(const std::string& id, const std::string& desk, const std::string& status,
                          const std::string& token) {
        return post("/api/v1/reports/" + id + "/status",
                    json::serialize(json::object{{"desk", desk}, {"status", status}}), token);
    }

    // The inbox as "seq report_id kind" lines, and its last_seq.
    texts inbox(const std::string& desk, const std::string& token, const std::string& query = {}) {
        const auto reply = get("/api/v1/inbox?desk=" + desk + query, token);
        BOOST_REQUIRE_EQUAL(reply.status, 200u);
        const auto doc = parse_body(reply);
        texts lines;
        std::int64_t last = -1;
        for (const auto& e : doc.at("events").as_array()) {
            BOOST_TEST(e.at("desk").as_string() == desk);
            last = e.at("seq").as_int64();
            lines.push_back(std::to_string(last) + " " +
                            std::string(e.at("report_id").as_string()) + " " +
                            std::string(e.at("kind").as_string()));
        }
        if (last >= 0) {
            BOOST_TEST(doc.at("last_seq").as_int64() == last);
        }
        return lines;
    }

    // Opens a served report with one desk's key, the way a desk client does:
    // AD from sealed_consent and sealed_desks.
    std::optional<std::string> decrypt(const json::value& doc, const std::string& desk) {
        store::report_record r;
        r.role = doc.at("role").as_string();
        r.category = doc.at("category").as_string();
        for (const auto& d : doc.at("sealed_consent").as_array()) {
            r.consent.emplace_back(d.as_string());
        }
        for (const auto& d : doc.at("sealed_desks").as_array()) {
            r.desks.emplace_back(d.as_string());
        }
        r.nonce = crypto::base64url_decode(doc.at("nonce").as_string()).value();
        r.ciphertext = crypto::base64url_decode(doc.at("ciphertext").as_string()).value();
        for (const auto& [name, e] : doc.at("envelopes").as_object()) {
            r.envelopes.push_back({std::string(name),
                                   crypto::base64url_decode(e.at("key_id").as_string()).value(),
                                   crypto::base64url_decode(e.at("sealed").as_string()).value()});
        }
        return open_report(r, desk, instance.key(desk));
    }

    // A change made behind the server's back (a second writer; WAL lets both in).
    void execute(const std::string& sql) {
        auto db = store::database::open(instance.database(), store::open_mode::read_write_create);
        BOOST_REQUIRE(db.has_value());
        BOOST_REQUIRE(db->exec(sql.c_str()).has_value());
    }

    std::int64_t scalar(const std::string& sql, const std::string& id_b64 = {}) {
        auto db = store::database::open(instance.database(), store::open_mode::read_only);
        BOOST_REQUIRE(db.has_value());
        auto st = store::statement::prepare(*db, sql);
        BOOST_REQUIRE_MESSAGE(st.has_value(), st.error().message);
        if (!id_b64.empty()) {
            st->bind(1, crypto::base64url_decode(id_b64).value());
        }
        auto row = st->step();
        BOOST_REQUIRE(row.has_value() && *row);
        return st->column_is_null(0) ? -1 : st->column_int64(0);
    }
};

std::string random_id() {
    return crypto::base64url_encode(crypto::random_bytes(16));
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(staff_reports, staff_fixture)

BOOST_AUTO_TEST_CASE(a_report_for_care_and_police_reaches_and_opens_for_both) {
    const auto id = report({"police", "care"}, "seen at the station");

    BOOST_TEST(inbox("care", care) == (texts{"1 " + id + " report"}));
    BOOST_TEST(inbox("police", police) == (texts{"1 " + id + " report"}));

    for (const auto& [desk, token] :
         {std::pair{std::string("care"), care}, std::pair{std::string("police"), police}}) {
        const auto reply = get("/api/v1/reports/" + id, token);
        BOOST_REQUIRE_EQUAL(reply.status, 200u);
        const auto doc = parse_body(reply);
        BOOST_TEST(doc.at("id").as_string() == id);
        BOOST_TEST(doc.at("received_day").as_string() == today());
        BOOST_TEST(doc.at("desks").as_array().size() == 2u);
        BOOST_TEST(doc.at("sealed_desks") == doc.at("desks"));
        BOOST_TEST(doc.at("sealed_consent") == doc.at("consent"));
        BOOST_TEST(doc.at("pending").as_array().empty());
        BOOST_TEST(doc.at("consent_changes").as_array().empty());
        BOOST_TEST(doc.at("messages").as_array().empty());
        BOOST_TEST(doc.at("mailbox").as_bool() == false);
        BOOST_TEST(json::find(doc, "reply_box_pk") == nullptr);
        // Envelopes and status cut down to the caller's desk.
        BOOST_TEST(doc.at("envelopes").as_object().size() == 1u);
        BOOST_TEST(doc.at("envelopes").as_object().contains(desk));
        BOOST_TEST(doc.at("status") == (json::value(json::object{{desk, "new"}})));
        const auto plain = decrypt(doc, desk);
        BOOST_REQUIRE(plain.has_value());
        BOOST_TEST(*plain == plaintext("seen at the station"));
    }
    // Each opening is in the audit trail, with who opened it.
    BOOST_TEST(
        scalar("SELECT count(*) FROM audit WHERE action = 'report_opened' AND report_id = ?1",
               id) == 2);
    BOOST_TEST(scalar("SELECT count(*) FROM audit WHERE staff = 'police-1'") == 1);
}

BOOST_AUTO_TEST_CASE(a_report_for_care_only_never_reaches_police) {
    // Interleaved, so a shared numbering would show gaps in each desk's seq.
    const auto care_1 = report({"care"}, "one");
    const auto police_1 = report({"police"}, "two");
    const auto both = report({"care", "police"}, "three");
    const auto care_2 = report({"care"}, "four");
    const auto count_only = instance.submit(client, sealed_report(instance.on_disk(), {}, ""));
    BOOST_REQUIRE_EQUAL(count_only.status, 201u);
    const auto care_3 = report({"care", "municipality"}, "five");

    BOOST_TEST(inbox("care", care) ==
               (texts{"1 " + care_1 + " report", "2 " + both + " report", "3 " + care_2 + " report",
                      "4 " + care_3 + " report"}));
    BOOST_TEST(inbox("police", police) ==
               (texts{"1 " + police_1 + " report", "2 " + both + " report"}));

    // A report of care's is, for police, exactly a report that does not exist.
    const auto missing = get("/api/v1/reports/" + random_id(), police);
    BOOST_TEST(missing.status == 404u);
    for (const auto& id : {care_1, care_2, care_3}) {
        const auto view = get("/api/v1/reports/" + id, police);
        BOOST_TEST(view.status == 404u);
        BOOST_TEST(view.body == missing.body);
        const auto status = set_status(id, "police", "closed", police);
        BOOST_TEST(status.status == 404u);
        BOOST_TEST(status.body == missing.body);
        BOOST_TEST(get("/api/v1/reports/" + id + "/messages", police).body == missing.body);
    }
    BOOST_TEST(set_status(random_id(), "police", "closed", police).body == missing.body);
    BOOST_TEST(get("/api/v1/reports/not-an-id", police).body == missing.body);

    // The shared report shows police no envelope of care's.
    const auto doc = parse_body(get("/api/v1/reports/" + both, police));
    BOOST_TEST(doc.at("envelopes").as_object().size() == 1u);
    BOOST_TEST(!doc.at("envelopes").as_object().contains("care"));
    // Nothing was changed by the refused requests.
    BOOST_TEST(scalar("SELECT count(*) FROM report_desks WHERE status <> 'new'") == 0);
    BOOST_TEST(scalar("SELECT count(*) FROM events WHERE kind = 'status'") == 0);
}

BOOST_AUTO_TEST_CASE(a_status_change_is_an_event_of_that_desk_only) {
    const auto id = report({"care", "police"}, "status");

    const auto first = set_status(id, "care", "acknowledged", care);
    BOOST_REQUIRE_EQUAL(first.status, 200u);
    BOOST_TEST(parse_body(first) ==
               (json::value(json::object{{"status", json::object{{"care", "acknowledged"}}}})));
    BOOST_TEST(inbox("care", care) == (texts{"1 " + id + " report", "2 " + id + " status"}));
    BOOST_TEST(inbox("police", police) == (texts{"1 " + id + " report"}));
    BOOST_TEST(inbox("care", care, "&after=1") == (texts{"2 " + id + " status"}));

    // The same status again writes nothing.
    BOOST_REQUIRE_EQUAL(set_status(id, "care", "acknowledged", care).status, 200u);
    BOOST_TEST(inbox("care", care).size() == 2u);

    const auto today = scalar("SELECT status_day FROM report_desks WHERE desk = 'care' AND "
                              "report_no = (SELECT no FROM reports WHERE id = ?1)",
                              id);
    const auto day_of = [&](const std::string& column, const std::string& desk) {
        return scalar("SELECT " + column + " FROM report_desks WHERE desk = '" + desk +
                          "' AND report_no = (SELECT no FROM reports WHERE id = ?1)",
                      id);
    };
    BOOST_TEST(day_of("ack_day", "care") == today);
    BOOST_TEST(day_of("closed_day", "care") == -1);

    // The first acknowledgement and close days are never moved: put them days
    // back (as if set then), and later changes leave them there.
    execute("UPDATE report_desks SET ack_day = ack_day - 5 WHERE desk = 'care'");
    BOOST_REQUIRE_EQUAL(set_status(id, "care", "closed", care).status, 200u);
    BOOST_TEST(day_of("ack_day", "care") == today - 5);
    BOOST_TEST(day_of("closed_day", "care") == today);
    execute("UPDATE report_desks SET closed_day = closed_day - 3 WHERE desk = 'care'");
    BOOST_REQUIRE_EQUAL(set_status(id, "care", "in_progress", care).status, 200u);
    BOOST_REQUIRE_EQUAL(set_status(id, "care", "closed", care).status, 200u);
    BOOST_TEST(day_of("ack_day", "care") == today - 5);
    BOOST_TEST(day_of("closed_day", "care") == today - 3);
    BOOST_TEST(day_of("status_day", "care") == today);
    BOOST_TEST(day_of("ack_day", "police") == -1);
    const auto both = instance.caseworker("both-1", {"care", "police"});

    // A caseworker of both desks is answered for both.
    const auto answer = set_status(id, "police", "in_progress", both);
    BOOST_REQUIRE_EQUAL(answer.status, 200u);
    BOOST_TEST(parse_body(answer) ==
               (json::value(json::object{
                   {"status", json::object{{"care", "closed"}, {"police", "in_progress"}}}})));
    BOOST_TEST(inbox("police", police) == (texts{"1 " + id + " report", "2 " + id + " status"}));
    BOOST_TEST(inbox("care", care).size() == 5u);
    BOOST_TEST(scalar("SELECT count(*) FROM audit WHERE action = 'status_change' AND "
                      "report_id = ?1",
                      id) == 5);
}

BOOST_AUTO_TEST_CASE(bad_status_requests_are_refused_and_change_nothing) {
    const auto id = report({"care"}, "refusals");
    const auto care_and_municipality = instance.caseworker("cm-1", {"care", "municipality"});
    const auto code = [&](const http_reply& r) {
        return std::to_string(r.status) + " " + error_code_of(r);
    };

    BOOST_TEST(code(set_status(id, "care", "done", care)) == "400 bad_request");
    BOOST_TEST(code(set_status(id, "police", "closed", care)) == "400 bad_request");
    BOOST_TEST(code(set_status(id, "municipality", "closed", care_and_municipality)) ==
               "400 bad_request");
    BOOST_TEST(code(post("/api/v1/reports/" + id + "/status", "{\"desk\": \"care\"}", care)) ==
               "400 bad_request");
    BOOST_TEST(code(post("/api/v1/reports/" + id + "/status", "not json", care)) ==
               "400 bad_request");
    BOOST_TEST(code(client.request("POST", "/api/v1/reports/" + id + "/status",
                                   R"({"desk":"care","status":"closed"})", "text/plain",
                                   {{"Authorization", "Bearer " + care}})) ==
               "415 unsupported_media_type");
    BOOST_TEST(code(get("/api/v1/reports/" + id + "/status", care)) == "405 method_not_allowed");
    BOOST_TEST(scalar("SELECT count(*) FROM report_desks WHERE status <> 'new'") == 0);
    BOOST_TEST(scalar("SELECT count(*) FROM events WHERE kind = 'status'") == 0);
    BOOST_TEST(scalar("SELECT count(*) FROM audit") == 0);
}

BOOST_AUTO_TEST_CASE(the_inbox_checks_its_query_and_pages_by_seq) {
    std::vector<std::string> ids;
    for (int i = 0; i < 5; ++i) {
        ids.push_back(report({"care"}, "page " + std::to_string(i)));
    }
    const auto code = [&](const std::string& query) {
        const auto r = get("/api/v1/inbox" + query, care);
        return std::to_string(r.status) + (r.status == 200 ? "" : " " + error_code_of(r));
    };
    BOOST_TEST(code("") == "400 bad_request");
    BOOST_TEST(code("?desk=") == "400 bad_request");
    BOOST_TEST(code("?desk=police") == "403 forbidden");
    BOOST_TEST(code("?desk=care&after=-1") == "400 bad_request");
    BOOST_TEST(code("?desk=care&after=x") == "400 bad_request");
    BOOST_TEST(code("?desk=care&after=") == "400 bad_request");
    BOOST_TEST(code("?desk=care&limit=0") == "400 bad_request");
    BOOST_TEST(code("?desk=care&limit=1001") == "400 bad_request");
    BOOST_TEST(code("?desk=care&limit=1000") == "200");

    BOOST_TEST(inbox("care", care, "&after=1&limit=2") ==
               (texts{"2 " + ids[1] + " report", "3 " + ids[2] + " report"}));
    // None after the last: last_seq is `after`.
    const auto empty = parse_body(get("/api/v1/inbox?desk=care&after=9", care));
    BOOST_TEST(empty.at("events").as_array().empty());
    BOOST_TEST(empty.at("last_seq").as_int64() == 9);
}

BOOST_AUTO_TEST_CASE(a_coordinator_gets_403_and_no_token_401) {
    const auto id = report({"care"}, "coordinator");
    const auto coordinator = instance.coordinator("coord-1");
    const auto code = [&](const http_reply& r) {
        return std::to_string(r.status) + " " + error_code_of(r);
    };

    BOOST_TEST(code(get("/api/v1/reports/" + id, coordinator)) == "403 forbidden");
    BOOST_TEST(code(get("/api/v1/reports/" + random_id(), coordinator)) == "403 forbidden");
    BOOST_TEST(code(set_status(id, "care", "closed", coordinator)) == "403 forbidden");
    BOOST_TEST(code(get("/api/v1/inbox?desk=care", coordinator)) == "403 forbidden");

    const auto forged = crypto::base64url_encode(crypto::random_bytes(32));
    BOOST_TEST(code(get("/api/v1/reports/" + id, forged)) == "401 unauthorized");
    BOOST_TEST(code(set_status(id, "care", "closed", forged)) == "401 unauthorized");
    BOOST_TEST(code(get("/api/v1/inbox?desk=care", forged)) == "401 unauthorized");
    BOOST_TEST(code(client.get("/api/v1/reports/" + id)) == "401 unauthorized");
    BOOST_TEST(code(client.get("/api/v1/inbox?desk=care")) == "401 unauthorized");
    // A token ended by logout opens nothing.
    instance.end_token(care);
    BOOST_TEST(code(get("/api/v1/reports/" + id, care)) == "401 unauthorized");
    BOOST_TEST(scalar("SELECT count(*) FROM audit") == 0);
}

BOOST_AUTO_TEST_SUITE_END()
