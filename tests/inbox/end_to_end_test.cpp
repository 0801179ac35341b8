// signaal-inbox against the real server over TLS on loopback, on a demo
// instance: sign-in bound to the origin, desk keys checked and pinned, desk
// init and grants, reports decrypted exactly, and the live stream resumed
// after a reconnect with nothing missed or doubled.
#include "crypto/base64url.hpp"
#include "crypto/desk_fingerprint.hpp"
#include "server/json/json.hpp"
#include "tests/inbox/demo_instance.hpp"
#include "tests/inbox/loopback_relay.hpp"
#include "tests/support/https_client.hpp"
#include "tools/common/key_files.hpp"

#include <boost/test/unit_test.hpp>

#include <csignal>
#include <sys/stat.h>

namespace signaal::inbox_test {
namespace {

using namespace std::chrono_literals;

/// The fingerprint of a desk's current key as /api/v1/config serves it.
std::string fingerprint_of(const demo_instance& demo, const std::string& desk) {
    testing::https_client client("127.0.0.1", demo.port(), demo.certificate());
    const auto config = json::parse(client.get("/api/v1/config").body).value();
    for (const auto& d : config.at("desks").as_array()) {
        if (d.at("id").as_string() == desk) {
            return crypto::desk_fingerprint(
                crypto::base64url_decode(std::string(d.at("public_key").as_string())).value());
        }
    }
    BOOST_FAIL("desk " + desk + " is not in the config");
    return {};
}

std::string report_text_block(const std::string& text) {
    return "text:\n" + text + "\n";
}

/// Trusts the caller's desk key once, on a terminal, as a person would.
void pin_once(const demo_instance& demo, const std::string& staff, std::size_t keys = 1) {
    const auto r = demo.as_trusting(staff, {"login"}, keys);
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.out);
}

const std::string typed =
    "Hij nam mijn telefoon af.\nTweede regel: caf\xc3\xa9, "
    "\xe0\xb8\xaa\xe0\xb8\xa7\xe0\xb8\xb1\xe0\xb8\xaa\xe0\xb8\x94\xe0\xb8\xb5 "
    "and \"quotes\" \\ backslash.";

} // namespace

BOOST_AUTO_TEST_SUITE(inbox_end_to_end)

BOOST_AUTO_TEST_CASE(login_shows_role_desks_and_fingerprint_and_pins_only_what_a_person_accepts) {
    demo_instance demo;
    demo.start();
    const auto refused = demo.as("care-demo", {"login"});
    BOOST_TEST(refused.exit_code == 3, refused.err);
    BOOST_TEST(refused.err.find("New key for desk care") != std::string::npos, refused.err);
    BOOST_TEST(refused.err.find("no terminal") != std::string::npos, refused.err);

    const auto fingerprint = fingerprint_of(demo, "care");
    const auto trusted = demo.as_trusting("care-demo", {"login"});
    BOOST_TEST(trusted.exit_code == 0, trusted.out);
    BOOST_TEST(trusted.out.find(fingerprint) != std::string::npos, trusted.out);
    BOOST_TEST(trusted.out.find("as care-demo (caseworker)") != std::string::npos);
    BOOST_TEST(trusted.out.find("desks: care") != std::string::npos);

    const auto again = demo.as("care-demo", {"login"});
    BOOST_TEST(again.exit_code == 0, again.err);
    BOOST_TEST(again.out.find("fingerprint " + fingerprint + ", granted by care-demo") !=
               std::string::npos);
    struct stat st {};
    const auto pins = demo.staff_key("care-demo").string() + ".pins.json";
    BOOST_REQUIRE(::stat(pins.c_str(), &st) == 0);
    BOOST_TEST((st.st_mode & 0777) == 0600u);

    const auto coordinator = demo.as("coordinator-demo", {"login"});
    BOOST_TEST(coordinator.exit_code == 0, coordinator.err);
    BOOST_TEST(coordinator.out.find("(coordinator)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_sign_in_through_a_look_alike_origin_is_refused) {
    demo_instance demo;
    demo.start();
    const loopback_relay relay(demo.port());
    // The relay's certificate checks out (it is the real server's), but the
    // client signs for https://127.0.0.1:<relay>, which the server does not accept.
    auto args =
        std::vector<std::string>{"--server", "https://127.0.0.1:" + std::to_string(relay.port()),
                                 "--ca",     demo.certificate().string(),
                                 "--key",    demo.staff_key("coordinator-demo").string(),
                                 "login"};
    const auto relayed = inbox(args);
    BOOST_TEST(relayed.exit_code == 1, relayed.err);
    BOOST_TEST(relayed.err.find("HTTP 401") != std::string::npos, relayed.err);
    BOOST_TEST(relayed.out.empty());
    // The same key through an origin the server accepts signs in.
    args[1] = "https://localhost:" + std::to_string(demo.port());
    const auto direct = inbox(args);
    BOOST_TEST(direct.exit_code == 0, direct.err);
    // Without --ca the system's trust store decides, and it does not know the
    // demo's self-signed certificate: no sign-in.
    args.erase(args.begin() + 2, args.begin() + 4);
    const auto untrusted = inbox(args);
    BOOST_TEST(untrusted.exit_code == 1);
    BOOST_TEST(untrusted.err.find("not trusted") != std::string::npos, untrusted.err);
}

BOOST_AUTO_TEST_CASE(show_decrypts_exactly_the_typed_text_for_each_desk_and_no_other) {
    demo_instance demo;
    demo.start();
    pin_once(demo, "care-demo");
    pin_once(demo, "police-demo");
    pin_once(demo, "municipality-demo");
    const auto id = demo.submit({"care", "police"}, typed);

    for (const std::string& staff : std::vector<std::string>{"care-demo", "police-demo"}) {
        const auto shown = demo.as(staff, {"show", id});
        BOOST_TEST(shown.exit_code == 0, shown.err);
        BOOST_TEST(shown.out.ends_with(report_text_block(typed)), shown.out);
        BOOST_TEST(shown.out.find("report:   " + id) != std::string::npos);
    }
    const auto other_desk = demo.as("municipality-demo", {"show", id});
    BOOST_TEST(other_desk.exit_code == 1);
    BOOST_TEST(other_desk.err.find("HTTP 404") != std::string::npos, other_desk.err);
    BOOST_TEST(other_desk.out.find(typed) == std::string::npos);
    const auto coordinator = demo.as("coordinator-demo", {"show", id});
    BOOST_TEST(coordinator.exit_code == 1);
    BOOST_TEST(coordinator.err.find("HTTP 403") != std::string::npos, coordinator.err);
}

BOOST_AUTO_TEST_CASE(list_is_newest_first_and_status_changes_show_in_it) {
    demo_instance demo;
    demo.start();
    const auto older = demo.submit({"care"}, "first");
    const auto newer = demo.submit({"care"}, "second");
    const auto set = demo.as("care-demo", {"status", older, "acknowledged"});
    BOOST_TEST(set.exit_code == 0, set.err);
    BOOST_TEST(set.out.find("care: acknowledged") != std::string::npos, set.out);
    const auto listed = demo.as("care-demo", {"list"});
    BOOST_TEST(listed.exit_code == 0, listed.err);
    const auto at_newer = listed.out.find(newer);
    const auto at_older = listed.out.find(older);
    BOOST_REQUIRE(at_newer != std::string::npos);
    BOOST_REQUIRE(at_older != std::string::npos);
    BOOST_TEST(at_newer < at_older);
    const auto older_line = listed.out.substr(at_older, listed.out.find('\n', at_older) - at_older);
    BOOST_TEST(older_line.find("physical_violence") != std::string::npos, older_line);
    BOOST_TEST(older_line.find("acknowledged") != std::string::npos, older_line);
    const auto police = demo.as("police-demo", {"list"});
    BOOST_TEST(police.out.find(older) == std::string::npos);
    const auto bad = demo.as("care-demo", {"status", older, "closed", "--desk", "police"});
    BOOST_TEST(bad.exit_code == 2);
}

BOOST_AUTO_TEST_CASE(desk_init_then_a_grant_lets_a_new_colleague_read_an_older_report) {
    demo_instance demo;
    const std::string ann_pass = "ann's long passphrase";
    const environment ann_env{"SIGNAAL_PASSPHRASE=" + ann_pass,
                              "SIGNAAL_BACKUP_PASSPHRASE=backup of the shelter"};
    demo.add_caseworker("shelter-ann", "shelter", ann_pass);
    BOOST_REQUIRE(
        demo.operator_runs({"desk", "add", "shelter", "--holder", "shelter-ann"}).exit_code == 0);
    demo.start();

    const auto backup = demo.staff_key("shelter-ann").parent_path() / "shelter-backup.json";
    const auto init = demo.as(
        "shelter-ann", {"desk", "init", "--desk", "shelter", "--backup", backup.string()}, ann_env);
    BOOST_REQUIRE_MESSAGE(init.exit_code == 0, init.err);
    const auto fingerprint = fingerprint_of(demo, "shelter");
    BOOST_TEST(init.out.find("fingerprint " + fingerprint) != std::string::npos, init.out);
    const auto opened = key_files::read_desk_key(backup, std::string_view("backup of the shelter"));
    BOOST_REQUIRE(opened.has_value());
    BOOST_TEST(!opened->unlocked_file);
    BOOST_TEST(crypto::desk_fingerprint(opened->key.public_key) == fingerprint);
    BOOST_TEST(!key_files::read_desk_key(backup, std::string_view(ann_pass)).has_value());
    // Desk init again is refused: the desk has its key.
    BOOST_TEST(demo.as("shelter-ann", {"desk", "init", "--desk", "shelter"}, ann_env).exit_code ==
               2);

    const auto older = demo.submit({"shelter"}, typed);
    const auto by_ann = demo.as("shelter-ann", {"show", older}, ann_env); // her own key: pinned
    BOOST_TEST(by_ann.exit_code == 0, by_ann.err);
    BOOST_TEST(by_ann.out.ends_with(report_text_block(typed)));

    demo.add_caseworker("shelter-ben", "shelter");
    const auto before = demo.as("shelter-ben", {"show", older});
    BOOST_TEST(before.exit_code == 3, before.err);
    BOOST_TEST(before.err.find("not a desk key you trust") != std::string::npos, before.err);

    const auto granted =
        demo.as("shelter-ann", {"grant", "--desk", "shelter", "--to", "shelter-ben"}, ann_env);
    BOOST_TEST(granted.exit_code == 0, granted.err);
    const auto by_ben = demo.as_trusting("shelter-ben", {"show", older});
    BOOST_TEST(by_ben.exit_code == 0, by_ben.out);
    BOOST_TEST(by_ben.out.find("granted by shelter-ann") != std::string::npos, by_ben.out);
    BOOST_TEST(by_ben.out.find(typed.substr(0, 20)) != std::string::npos, by_ben.out);

    // A rotation re-grants to both holders; the old report stays readable.
    const auto rotated = demo.as("shelter-ann", {"desk", "rotate", "--desk", "shelter"}, ann_env);
    BOOST_TEST(rotated.exit_code == 0, rotated.err);
    const bool both =
        rotated.out.find("granted to: shelter-ann, shelter-ben") != std::string::npos ||
        rotated.out.find("granted to: shelter-ben, shelter-ann") != std::string::npos;
    BOOST_TEST(both, rotated.out);
    BOOST_TEST(demo.as_trusting("shelter-ben", {"login"}).exit_code == 0);
    const auto still = demo.as("shelter-ben", {"show", older});
    BOOST_TEST(still.exit_code == 0, still.err);
    BOOST_TEST(still.out.ends_with(report_text_block(typed)));
    const auto newer = demo.submit({"shelter"}, "under the new key");
    BOOST_TEST(demo.as("shelter-ben", {"show", newer})
                   .out.ends_with(report_text_block("under the new key")));
}

BOOST_AUTO_TEST_CASE(a_grant_with_a_bad_signature_is_refused_by_the_client) {
    demo_instance demo;
    demo.add_caseworker("care-new", "care");
    demo.start();
    pin_once(demo, "care-demo");
    const auto granted = demo.as("care-demo", {"grant", "--desk", "care", "--to", "care-new"});
    BOOST_REQUIRE_MESSAGE(granted.exit_code == 0, granted.err);
    const auto id = demo.submit({"care"}, "for the desk");
    // Someone with the database's ear replaces the signature of care-new's grant.
    demo.sql("UPDATE desk_key_grants SET signature = zeroblob(64) WHERE to_staff = 'care-new'");
    const auto login = demo.as_trusting("care-new", {"login"}, 0);
    BOOST_TEST(login.exit_code == 3, login.out);
    BOOST_TEST(login.out.find("signature does not verify with care-demo's key") !=
                   std::string::npos,
               login.out);
    BOOST_TEST(login.out.find("Trust this key") == std::string::npos); // never even asked
    const auto show = demo.as("care-new", {"show", id});
    BOOST_TEST(show.exit_code == 3);
    BOOST_TEST(show.out.find("for the desk") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_desk_public_key_replaced_in_the_database_is_refused) {
    demo_instance demo;
    demo.start();
    pin_once(demo, "care-demo");
    const auto id = demo.submit({"care"}, "sealed to the real key");
    demo.sql("UPDATE desk_keys SET public_key = x'" + std::string(64, '9') +
             "' WHERE desk = 'care'");
    const auto pinned = demo.as("care-demo", {"login"});
    BOOST_TEST(pinned.exit_code == 3, pinned.err);
    BOOST_TEST(pinned.err.find("REFUSED desk key") != std::string::npos, pinned.err);
    BOOST_TEST(pinned.err.find("replaced") != std::string::npos, pinned.err);
    const auto show = demo.as("care-demo", {"show", id});
    BOOST_TEST(show.exit_code == 3, show.err);
    // Without a pin (a fresh machine), the key check itself refuses it.
    std::filesystem::remove(demo.staff_key("care-demo").string() + ".pins.json");
    const auto fresh = demo.as_trusting("care-demo", {"login"}, 0);
    BOOST_TEST(fresh.exit_code == 3, fresh.out);
    BOOST_TEST(fresh.out.find("not the served public key") != std::string::npos, fresh.out);
}

BOOST_AUTO_TEST_CASE(follow_prints_live_reports_and_resumes_with_nothing_missed_or_doubled) {
    demo_instance demo;
    demo.start();
    pin_once(demo, "care-demo");
    auto args = demo.connection("care-demo");
    args.emplace_back("follow");
    background follow(SIGNAAL_INBOX_BIN, args);
    BOOST_REQUIRE_MESSAGE(follow.wait_for("Following care", 30s), follow.output());

    demo.submit({"care", "police"}, "live one");
    BOOST_REQUIRE_MESSAGE(follow.wait_for(report_text_block("live one"), 30s), follow.output());

    // Frozen while the server restarts and two reports (and one for police
    // only) arrive: they can only reach it by the replay after its reconnect.
    follow.signal(SIGSTOP);
    demo.stop();
    demo.start();
    demo.submit({"care"}, "while away one");
    demo.submit({"police"}, "police only");
    demo.submit({"care", "municipality"}, "while away two");
    follow.signal(SIGCONT);
    BOOST_REQUIRE_MESSAGE(follow.wait_for(report_text_block("while away two"), 60s),
                          follow.output());
    demo.submit({"care"}, "live again");
    BOOST_REQUIRE_MESSAGE(follow.wait_for(report_text_block("live again"), 30s), follow.output());

    const auto out = follow.output();
    for (const std::string& text :
         std::vector<std::string>{"live one", "while away one", "while away two", "live again"}) {
        BOOST_TEST(count_of(out, report_text_block(text)) == 1u, text + " in:\n" + out);
    }
    BOOST_TEST(out.find("police only") == std::string::npos);
    BOOST_TEST(out.find("never arrived") == std::string::npos, out);
    const auto first = out.find("=== new signal for desk care #");
    BOOST_TEST(out.find("while away one") < out.find("while away two"));
    BOOST_TEST(first != std::string::npos);
    BOOST_TEST(count_of(out, "=== new signal for desk care #") == 4u, out);

    follow.signal(SIGINT);
    BOOST_TEST(follow.wait() == 0);
    BOOST_TEST(follow.output().find("Stopped.") != std::string::npos);
}

// signaal-inbox stats for a coordinator prints what signaal-admin stats prints
// on the server host: the server freezes the quarter on the coordinator's
// request, and the operator's command reads the same frozen rows.
BOOST_AUTO_TEST_CASE(stats_for_a_coordinator_prints_what_the_operator_sees) {
    demo_instance demo;
    demo.start();
    for (int i = 0; i < 6; ++i) {
        demo.submit({"care"}, "report " + std::to_string(i));
    }
    demo.submit({"care", "police"}, "one for two desks");
    demo.sql("UPDATE reports SET received_day = 20103"); // 2025-01-15: 2025-Q1 is due

    const std::vector<std::string> range{"stats", "--from", "2025-Q1", "--to", "2025-Q2"};
    const auto json = demo.as("coordinator-demo", range);
    BOOST_TEST_REQUIRE(json.exit_code == 0, json.err);
    auto csv_args = range;
    csv_args.push_back("--csv");
    const auto csv = demo.as("coordinator-demo", csv_args);
    BOOST_TEST_REQUIRE(csv.exit_code == 0, csv.err);

    const auto admin_json = demo.operator_runs(range);
    BOOST_TEST_REQUIRE(admin_json.exit_code == 0, admin_json.err);
    const auto admin_csv = demo.operator_runs(csv_args);
    BOOST_TEST_REQUIRE(admin_csv.exit_code == 0, admin_csv.err);
    BOOST_TEST(json.out == admin_json.out);
    BOOST_TEST(csv.out == admin_csv.out);

    const auto answer = json::parse(json.out).value();
    const auto& quarters = answer.at("quarters").as_array();
    BOOST_REQUIRE(quarters.size() == 2u);
    BOOST_TEST(quarters[0].at("quarter").as_string() == "2025-Q1");
    BOOST_TEST(quarters[0].at("tables").at("kind").as_object().size() == 2u);
    BOOST_TEST(csv.out.starts_with("quarter,table,desk,cell,count\n2025-Q1,n,,all,"), csv.out);
    // A caseworker gets no numbers.
    pin_once(demo, "care-demo");
    const auto caseworker = demo.as("care-demo", range);
    BOOST_TEST(caseworker.exit_code == 1);
    BOOST_TEST(caseworker.err.find("HTTP 403") != std::string::npos, caseworker.err);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace signaal::inbox_test
