// Staff records and the audit trail against a real database file.
#include "server/store/audit_log.hpp"
#include "server/store/migrations.hpp"
#include "server/store/staff_records.hpp"
#include "server/store/transaction.hpp"
#include "tests/store/sql_helpers.hpp"
#include "tests/store/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

using namespace signaal::store;
using signaal::store::test::scalar;
using signaal::store::test::temp_dir;
using signaal::store::test::texts;

namespace {

std::vector<std::uint8_t> filled(std::size_t n, std::uint8_t v) {
    return std::vector<std::uint8_t>(n, v);
}

staff_record caseworker(const std::string& id, std::vector<std::string> desks, std::uint8_t key) {
    return {id,    "caseworker", std::move(desks), filled(32, key), filled(32, key + 100),
            false, "2026-11-29"};
}

struct fixture {
    temp_dir dir;
    database db = test::open_migrated(dir.db_path());
    staff_records staff{db};
    audit_log audit{db};

    std::vector<staff_record> list() {
        auto l = staff.list();
        BOOST_REQUIRE_MESSAGE(l.has_value(), l.error().message);
        return *l;
    }
    std::vector<std::string> caseworkers_of(const std::string& desk) {
        auto l = staff.caseworkers_of(desk);
        BOOST_REQUIRE_MESSAGE(l.has_value(), l.error().message);
        return *l;
    }
    std::vector<audit_entry> audit_from(std::optional<std::string_view> day) {
        auto l = audit.list(day);
        BOOST_REQUIRE_MESSAGE(l.has_value(), l.error().message);
        return *l;
    }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(staff_records_table, fixture)

BOOST_AUTO_TEST_CASE(added_records_read_back_with_sorted_desks) {
    BOOST_REQUIRE(staff.add(caseworker("ann", {"police", "care"}, 1)));
    BOOST_REQUIRE(
        staff.add({"cora", "coordinator", {}, filled(32, 2), filled(32, 3), false, "2026-11-30"}));
    const auto all = list();
    BOOST_REQUIRE_EQUAL(all.size(), 2u);
    BOOST_TEST((all[0] == staff_record{"ann",
                                       "caseworker",
                                       {"care", "police"},
                                       filled(32, 1),
                                       filled(32, 101),
                                       false,
                                       "2026-11-29"}));
    BOOST_TEST(all[1].id == "cora");
    BOOST_TEST(all[1].desks.empty());
    BOOST_TEST(all[1].added_day == "2026-11-30");
    const auto ann = staff.get("ann");
    BOOST_REQUIRE(ann);
    BOOST_REQUIRE(ann->has_value());
    BOOST_TEST((**ann == all[0]));
    const auto nobody = staff.get("nobody");
    BOOST_REQUIRE(nobody);
    BOOST_TEST(!nobody->has_value());
    // Days are integers in SQL.
    BOOST_TEST(scalar(db, "SELECT added_day FROM staff WHERE id = 'ann'") == 20'786);
}

BOOST_AUTO_TEST_CASE(bad_records_are_refused_and_store_nothing) {
    BOOST_REQUIRE(staff.add(caseworker("ann", {"care"}, 1)));
    const auto before = list();
    const auto refused = [&](staff_record r, const std::string& message) {
        auto s = staff.add(r);
        BOOST_TEST_CONTEXT(message) {
            BOOST_REQUIRE(!s);
            BOOST_TEST(s.error().message == message);
        }
    };
    refused(caseworker("Ann", {"care"}, 9), "staff id must match [a-z0-9_-]{1,32}");
    refused(caseworker(std::string(33, 'a'), {"care"}, 9), "staff id must match [a-z0-9_-]{1,32}");
    refused(caseworker("", {"care"}, 9), "staff id must match [a-z0-9_-]{1,32}");
    auto admin = caseworker("bob", {"care"}, 9);
    admin.role = "admin";
    refused(admin, "role must be caseworker or coordinator");
    auto short_key = caseworker("bob", {"care"}, 9);
    short_key.sign_pk.pop_back();
    refused(short_key, "sign_pk must be 32 bytes");
    auto long_box = caseworker("bob", {"care"}, 9);
    long_box.box_pk.push_back(0);
    refused(long_box, "box_pk must be 32 bytes");
    auto coordinator = caseworker("bob", {"care"}, 9);
    coordinator.role = "coordinator";
    refused(coordinator, "a coordinator has no desks");
    refused(caseworker("bob", {}, 9), "a caseworker needs at least one desk");
    refused(caseworker("bob", {"care", "care"}, 9), "a desk is named twice");
    refused(caseworker("bob", {"reporter"}, 9),
            "desk id must match [a-z0-9_-]{1,32} and not be \"reporter\"");
    auto bad_day = caseworker("bob", {"care"}, 9);
    bad_day.added_day = "2026-02-30";
    refused(bad_day, "day must be YYYY-MM-DD");
    refused(caseworker("ann", {"police"}, 9), "staff id ann is already taken");
    refused(caseworker("bob", {"police"}, 1),
            "this signing key already belongs to another staff member");
    BOOST_TEST((list() == before));
    BOOST_TEST(scalar(db, "SELECT count(*) FROM staff_desks") == 1);
}

BOOST_AUTO_TEST_CASE(a_failed_add_inside_a_transaction_leaves_the_transaction_usable) {
    auto tx = transaction::begin(db, transaction::kind::immediate);
    BOOST_REQUIRE(tx);
    BOOST_REQUIRE(staff.add(caseworker("ann", {"care"}, 1)));
    BOOST_TEST(!staff.add(caseworker("bob", {"care"}, 1))); // the key is ann's
    BOOST_REQUIRE(staff.add(caseworker("bob", {"care"}, 2)));
    BOOST_REQUIRE(tx->commit());
    BOOST_TEST(list().size() == 2u);
    BOOST_TEST(scalar(db, "SELECT count(*) FROM staff_desks") == 2);
}

BOOST_AUTO_TEST_CASE(disabled_staff_are_no_caseworkers_of_their_desks) {
    BOOST_REQUIRE(staff.add(caseworker("bea", {"care", "police"}, 2)));
    BOOST_REQUIRE(staff.add(caseworker("ann", {"care"}, 1)));
    BOOST_REQUIRE(staff.add(caseworker("cas", {"police"}, 3)));
    BOOST_TEST(caseworkers_of("care") == (std::vector<std::string>{"ann", "bea"}));
    BOOST_TEST(caseworkers_of("police") == (std::vector<std::string>{"bea", "cas"}));
    BOOST_TEST(caseworkers_of("municipality").empty());

    BOOST_REQUIRE(staff.disable("bea"));
    BOOST_TEST(caseworkers_of("care") == (std::vector<std::string>{"ann"}));
    BOOST_TEST(caseworkers_of("police") == (std::vector<std::string>{"cas"}));
    BOOST_TEST((**staff.get("bea")).disabled);
    BOOST_TEST(*staff.disabled_ids() == (std::vector<std::string>{"bea"}));

    const auto again = staff.disable("bea");
    BOOST_REQUIRE(!again);
    BOOST_TEST(again.error().message == "staff member bea is already disabled");
    const auto unknown = staff.disable("zed");
    BOOST_REQUIRE(!unknown);
    BOOST_TEST(unknown.error().message == "there is no staff member zed");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(audit_trail, fixture)

BOOST_AUTO_TEST_CASE(rows_read_back_by_day_in_the_order_appended) {
    const auto report = filled(16, 7);
    BOOST_REQUIRE(audit.append({"2026-11-30", "ann", audit_action::report_opened, report}));
    BOOST_REQUIRE(audit.append({"2026-11-29", "bea", audit_action::sign_in, {}}));
    BOOST_REQUIRE(audit.append({"2026-11-30", "ann", audit_action::status_change, report}));
    BOOST_REQUIRE(audit.append({"2026-12-01", "root", audit_action::disable, {}}));
    const auto all = audit_from(std::nullopt);
    BOOST_REQUIRE_EQUAL(all.size(), 4u);
    BOOST_TEST((all[0] == audit_entry{"2026-11-29", "bea", audit_action::sign_in, {}}));
    BOOST_TEST((all[1] == audit_entry{"2026-11-30", "ann", audit_action::report_opened, report}));
    BOOST_TEST((all[2].action == audit_action::status_change));
    BOOST_TEST((all[3].action == audit_action::disable));
    const auto from = audit_from("2026-11-30");
    BOOST_REQUIRE_EQUAL(from.size(), 3u);
    BOOST_TEST(from[0].staff == "ann");
    BOOST_TEST(audit_from("2026-12-02").empty());
    BOOST_TEST(!audit.list("yesterday"));
}

BOOST_AUTO_TEST_CASE(every_action_has_its_stored_word) {
    const std::vector<std::string> words = {"sign_in",       "grant",         "key_upload",
                                            "report_opened", "status_change", "message_sent",
                                            "forward",       "disable"};
    for (const auto& w : words) {
        const auto action = audit_action_named(w);
        BOOST_REQUIRE(action);
        BOOST_TEST(to_string(*action) == w);
        BOOST_REQUIRE(audit.append({"2026-11-29", "ann", *action, {}}));
    }
    BOOST_TEST(!audit_action_named("login"));
    BOOST_TEST(texts(db, "SELECT action FROM audit ORDER BY rowid") == words);
}

BOOST_AUTO_TEST_CASE(bad_rows_are_refused) {
    BOOST_TEST(!audit.append({"29-11-2026", "ann", audit_action::sign_in, {}}));
    BOOST_TEST(!audit.append({"2026-11-29", "Ann!", audit_action::sign_in, {}}));
    BOOST_TEST(!audit.append({"2026-11-29", "ann", audit_action::grant, filled(15, 1)}));
    BOOST_TEST(scalar(db, "SELECT count(*) FROM audit") == 0);
}

BOOST_AUTO_TEST_CASE(a_forgotten_report_leaves_its_rows_without_an_id) {
    const auto withdrawn = filled(16, 7);
    const auto other = filled(16, 8);
    BOOST_REQUIRE(audit.append({"2026-11-29", "ann", audit_action::report_opened, withdrawn}));
    BOOST_REQUIRE(audit.append({"2026-11-29", "ann", audit_action::report_opened, other}));
    BOOST_REQUIRE(audit.forget_report(withdrawn));
    const auto all = audit_from(std::nullopt);
    BOOST_REQUIRE_EQUAL(all.size(), 2u);
    BOOST_TEST(all[0].report_id.empty());
    BOOST_TEST(all[1].report_id == other);
}

BOOST_AUTO_TEST_SUITE_END()

// Schema 3 on a database of schema 2 with rows in it: the rows stay, the staff
// tables are new and empty.
BOOST_AUTO_TEST_CASE(schema_2_database_with_rows_migrates_to_3) {
    temp_dir dir;
    auto db = database::open(dir.db_path(), open_mode::read_write_create);
    BOOST_REQUIRE(db.has_value());
    for (std::size_t i = 0; i < 2; ++i) {
        const std::string sql(embedded_migrations()[i].sql);
        BOOST_REQUIRE(db->exec(sql.c_str()));
    }
    BOOST_REQUIRE(db->exec("PRAGMA user_version=2"));
    BOOST_REQUIRE(db->exec(
        "INSERT INTO desk_keys VALUES (zeroblob(8), 'care', zeroblob(32), '2026-11-01', NULL);"
        "INSERT INTO reports VALUES (1, x'BB000000000000000000000000000000', 20400, "
        "'sex_worker', 'robbery', 'care', 'care', x'01', x'02', NULL, NULL);"
        "INSERT INTO envelopes VALUES (1, 'care', zeroblob(8), zeroblob(80));"
        "INSERT INTO report_desks VALUES (1, 'care', 'new', 20400, NULL, NULL);"
        "INSERT INTO events VALUES ('care', 1, 1, 'report');"));

    auto migrated = migrate(*db);
    BOOST_REQUIRE_MESSAGE(migrated.has_value(), migrated.error().message);
    BOOST_TEST(*migrated == latest_schema_version());
    BOOST_TEST(*migrated >= 3);
    BOOST_TEST(scalar(*db, "SELECT count(*) FROM reports") == 1);
    BOOST_TEST(scalar(*db, "SELECT count(*) FROM envelopes") == 1);
    BOOST_TEST(scalar(*db, "SELECT count(*) FROM events") == 1);
    BOOST_TEST(scalar(*db, "SELECT count(*) FROM desk_keys") == 1);
    BOOST_TEST(scalar(*db, "SELECT count(*) FROM staff") == 0);
    BOOST_TEST(scalar(*db, "SELECT count(*) FROM staff_desks") == 0);
    BOOST_TEST(scalar(*db, "SELECT count(*) FROM audit") == 0);
    staff_records staff(*db);
    BOOST_REQUIRE(staff.add(caseworker("ann", {"care"}, 1)));
    BOOST_TEST(scalar(*db, "SELECT count(*) FROM pragma_foreign_key_check") == 0);
}
