// signaal-admin staff add | disable | list and audit against a config in a temp dir.
#include "admin_support.hpp"

#include "crypto/base64url.hpp"
#include "crypto/random.hpp"
#include "server/common/clock.hpp"
#include "server/store/audit_log.hpp"
#include "server/store/database.hpp"
#include "server/store/staff_records.hpp"

#include <boost/test/unit_test.hpp>

namespace fs = std::filesystem;
using namespace signaal;
using namespace signaal::admin::test;

namespace {

/// An instance with the default desks (care, municipality, police), data in ./data.
struct instance {
    temp_dir tmp;
    fs::path config = tmp.path() / "signaal.toml";
    fs::path db = tmp.path() / "data" / "signaal.db";

    instance() { write_file(config, "[server]\ndata_dir = \"data\"\n"); }

    [[nodiscard]] run_result admin(std::vector<std::string> args) const {
        args.insert(args.begin(), {"--config", config.string()});
        return run_admin(args);
    }

    [[nodiscard]] std::vector<store::staff_record> staff() const {
        auto open = store::database::open(db, store::open_mode::read_only);
        BOOST_REQUIRE_MESSAGE(open, open.error().message);
        store::staff_records records(*open);
        auto all = records.list();
        BOOST_REQUIRE_MESSAGE(all, all.error().message);
        return *all;
    }
    [[nodiscard]] std::vector<store::audit_entry> audit() const {
        auto open = store::database::open(db, store::open_mode::read_only);
        BOOST_REQUIRE_MESSAGE(open, open.error().message);
        store::audit_log log(*open);
        auto all = log.list(std::nullopt);
        BOOST_REQUIRE_MESSAGE(all, all.error().message);
        return *all;
    }
};

std::string random_key() {
    return crypto::base64url_encode(crypto::random_bytes(32));
}

std::string today() {
    return utc_day(now_unix());
}

} // namespace

BOOST_AUTO_TEST_SUITE(staff_commands)

BOOST_AUTO_TEST_CASE(add_list_disable_and_audit) {
    instance in;
    const auto sign = random_key();
    const auto box = random_key();
    const auto added = in.admin({"staff", "add", "ann", "--role", "caseworker", "--desk", "police",
                                 "--desk", "care", "--sign-pk", sign, "--box-pk", box});
    BOOST_TEST_INFO(added.err);
    BOOST_REQUIRE_EQUAL(added.exit_code, 0);
    BOOST_CHECK_EQUAL(added.out, "staff ann: caseworker of care,police\n");
    const auto cora = in.admin({"staff", "add", "coordinator-1", "--role", "coordinator",
                                "--sign-pk", random_key(), "--box-pk", random_key()});
    BOOST_REQUIRE_EQUAL(cora.exit_code, 0);
    BOOST_CHECK_EQUAL(cora.out, "staff coordinator-1: coordinator\n");

    const auto records = in.staff();
    BOOST_REQUIRE_EQUAL(records.size(), 2u);
    BOOST_CHECK(records[0].id == "ann");
    BOOST_CHECK(records[0].desks == (std::vector<std::string>{"care", "police"}));
    BOOST_CHECK(records[0].sign_pk == *crypto::base64url_decode(sign));
    BOOST_CHECK(records[0].box_pk == *crypto::base64url_decode(box));
    BOOST_CHECK(!records[0].disabled);
    BOOST_CHECK_EQUAL(records[0].added_day, today());

    auto list = in.admin({"staff", "list"});
    BOOST_CHECK_EQUAL(list.exit_code, 0);
    BOOST_CHECK_EQUAL(list.out, "ann            caseworker   care,police\n"
                                "coordinator-1  coordinator  -\n");
    BOOST_CHECK(in.audit().empty());

    const auto disabled = in.admin({"staff", "disable", "ann"});
    BOOST_TEST_INFO(disabled.err);
    BOOST_REQUIRE_EQUAL(disabled.exit_code, 0);
    BOOST_CHECK(disabled.out.find("ann: disabled") != std::string::npos);
    BOOST_CHECK(disabled.out.find("care,police should rotate") != std::string::npos);
    BOOST_CHECK(in.staff()[0].disabled);
    list = in.admin({"staff", "list"});
    BOOST_CHECK_EQUAL(list.out, "ann            caseworker   care,police  disabled\n"
                                "coordinator-1  coordinator  -\n");

    // The disable is in the audit trail, and `audit` prints it.
    const auto rows = in.audit();
    BOOST_REQUIRE_EQUAL(rows.size(), 1u);
    BOOST_CHECK((rows[0] == store::audit_entry{today(), "ann", store::audit_action::disable, {}}));
    const auto audit = in.admin({"audit"});
    BOOST_CHECK_EQUAL(audit.exit_code, 0);
    BOOST_CHECK_EQUAL(audit.out, today() + "  ann  disable\n");
    BOOST_CHECK_EQUAL(in.admin({"audit", "--from", today()}).out, today() + "  ann  disable\n");
    BOOST_CHECK_EQUAL(in.admin({"audit", "--from", utc_day(now_unix() + 86400)}).out, "");
}

BOOST_AUTO_TEST_CASE(audit_prints_report_ids_in_base64url) {
    instance in;
    BOOST_REQUIRE_EQUAL(in.admin({"staff", "list"}).exit_code, 0);
    BOOST_REQUIRE_EQUAL(in.admin({"staff", "add", "ann", "--role", "caseworker", "--desk", "care",
                                  "--sign-pk", random_key(), "--box-pk", random_key()})
                            .exit_code,
                        0);
    const auto report = crypto::random_bytes(16);
    {
        auto db = store::database::open(in.db, store::open_mode::read_write_create);
        BOOST_REQUIRE(db);
        store::audit_log log(*db);
        BOOST_REQUIRE(log.append({"2026-11-02",
                                  "ann",
                                  store::audit_action::status_change,
                                  {report.begin(), report.end()}}));
        BOOST_REQUIRE(log.append({"2026-11-01", "ann", store::audit_action::sign_in, {}}));
    }
    const auto all = in.admin({"audit"});
    BOOST_CHECK_EQUAL(all.exit_code, 0);
    BOOST_CHECK_EQUAL(all.out, "2026-11-01  ann  sign_in\n2026-11-02  ann  status_change  " +
                                   crypto::base64url_encode(report) + "\n");
    BOOST_CHECK_EQUAL(in.admin({"audit", "--from", "2026-11-02"}).out,
                      "2026-11-02  ann  status_change  " + crypto::base64url_encode(report) + "\n");
}

BOOST_AUTO_TEST_CASE(bad_input_changes_nothing) {
    instance in;
    const auto sign = random_key();
    BOOST_REQUIRE_EQUAL(in.admin({"staff", "add", "ann", "--role", "caseworker", "--desk", "care",
                                  "--sign-pk", sign, "--box-pk", random_key()})
                            .exit_code,
                        0);
    BOOST_REQUIRE_EQUAL(in.admin({"staff", "add", "gone", "--role", "caseworker", "--desk", "care",
                                  "--sign-pk", random_key(), "--box-pk", random_key()})
                            .exit_code,
                        0);
    BOOST_REQUIRE_EQUAL(in.admin({"staff", "disable", "gone"}).exit_code, 0);
    const auto records = in.staff();
    const auto audit = in.audit();
    const auto files = snapshot(in.tmp.path());
    const auto box = random_key();

    struct bad_case {
        std::vector<std::string> args;
        std::string named; // the error names this
    };
    const auto add = [&](std::vector<std::string> more) {
        std::vector<std::string> args{"staff", "add"};
        args.insert(args.end(), more.begin(), more.end());
        return args;
    };
    const std::vector<bad_case> cases{
        {add({"Bad!", "--role", "caseworker", "--desk", "care", "--sign-pk", random_key(),
              "--box-pk", box}),
         "Bad!"},
        {add({std::string(33, 'a'), "--role", "caseworker", "--desk", "care", "--sign-pk",
              random_key(), "--box-pk", box}),
         "at most 32"},
        {add({"bob", "--role", "admin", "--sign-pk", random_key(), "--box-pk", box}), "admin"},
        {add({"bob", "--role", "caseworker", "--sign-pk", random_key(), "--box-pk", box}),
         "--desk"},
        {add({"bob", "--role", "coordinator", "--desk", "care", "--sign-pk", random_key(),
              "--box-pk", box}),
         "coordinator has no desks"},
        {add({"bob", "--role", "caseworker", "--desk", "nowhere", "--sign-pk", random_key(),
              "--box-pk", box}),
         "nowhere"},
        {add({"bob", "--role", "caseworker", "--desk", "care", "--desk", "care", "--sign-pk",
              random_key(), "--box-pk", box}),
         "twice"},
        {add({"bob", "--role", "caseworker", "--desk", "care", "--sign-pk", "c2hvcnQ", "--box-pk",
              box}),
         "--sign-pk"},
        {add({"bob", "--role", "caseworker", "--desk", "care", "--sign-pk", random_key() + "=",
              "--box-pk", box}),
         "--sign-pk"},
        {add({"bob", "--role", "caseworker", "--desk", "care", "--sign-pk", random_key(),
              "--box-pk", box.substr(1)}),
         "--box-pk"},
        {add({"bob", "--role", "caseworker", "--desk", "care", "--box-pk", box}), "--sign-pk"},
        {add({"bob", "--desk", "care", "--sign-pk", random_key(), "--box-pk", box}), "--role"},
        {add({"ann", "--role", "caseworker", "--desk", "care", "--sign-pk", random_key(),
              "--box-pk", box}),
         "ann is already taken"},
        {add({"bob", "--role", "caseworker", "--desk", "care", "--sign-pk", sign, "--box-pk", box}),
         "signing key"},
        {add({"--role", "caseworker", "--desk", "care", "--sign-pk", random_key(), "--box-pk",
              box}),
         "one staff id"},
        {add({"bob", "--role", "caseworker", "--desk", "care", "--sign-pk", random_key(),
              "--box-pk", box, "--out", "x"}),
         "--out"},
        {add({"bob", "--role", "caseworker", "--role", "coordinator", "--desk", "care", "--sign-pk",
              random_key(), "--box-pk", box}),
         "twice"},
        {{"staff", "disable", "nobody"}, "no staff member nobody"},
        {{"staff", "disable", "gone"}, "already disabled"},
        {{"staff", "disable", "Ann"}, "Ann"},
        {{"staff", "disable"}, "one staff id"},
        {{"staff", "list", "extra"}, "staff list"},
        {{"staff"}, "subcommand"},
        {{"staff", "remove", "ann"}, "remove"},
        {{"audit", "--from", "2026-13-01"}, "2026-13-01"},
        {{"audit", "--from", "yesterday"}, "YYYY-MM-DD"},
        {{"audit", "extra"}, "no operands"},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.named) {
            const auto r = in.admin(c.args);
            BOOST_CHECK_EQUAL(r.exit_code, 2);
            BOOST_CHECK_MESSAGE(one_line_error(r.err), r.err);
            BOOST_CHECK_MESSAGE(r.err.find(c.named) != std::string::npos, r.err);
            BOOST_CHECK(r.out.empty());
            BOOST_CHECK(in.staff() == records);
            BOOST_CHECK(in.audit() == audit);
            BOOST_CHECK(snapshot(in.tmp.path()) == files);
        }
    }
}

BOOST_AUTO_TEST_CASE(disable_without_a_database_creates_nothing) {
    instance in;
    const auto r = in.admin({"staff", "disable", "ann"});
    BOOST_CHECK_EQUAL(r.exit_code, 2);
    BOOST_CHECK_MESSAGE(one_line_error(r.err), r.err);
    BOOST_CHECK(!fs::exists(in.db));
    const auto list = in.admin({"staff", "list"});
    BOOST_CHECK_EQUAL(list.exit_code, 0);
    BOOST_CHECK(list.out.empty());
    const auto audit = in.admin({"audit"});
    BOOST_CHECK_EQUAL(audit.exit_code, 0);
    BOOST_CHECK(audit.out.empty());
    BOOST_CHECK(!fs::exists(in.db));
}

BOOST_AUTO_TEST_SUITE_END()
