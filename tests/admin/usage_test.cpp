// signaal-admin's command line: --help everywhere, plain errors for bad usage.
#include "admin_support.hpp"

#include <boost/test/unit_test.hpp>

using namespace signaal::admin::test;

BOOST_AUTO_TEST_SUITE(usage)

BOOST_AUTO_TEST_CASE(help_works_for_every_command) {
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
        {{"--help"}, "desk add ID --holder STAFF"},
        {{"-h"}, "config check"},
        {{"demo", "--help"}, "--web-root"},
        {{"desk", "--help"}, "desk list"},
        {{"desk", "add", "--help"}, "desk add ID --holder STAFF"},
        {{"--config", "x.toml", "desk", "add", "care", "--help"}, "desk add ID"},
        {{"desk", "list", "--help"}, "retired"},
        {{"config", "check", "--help"}, "config check"},
        {{"staff", "--help"}, "staff disable ID"},
        {{"staff", "add", "--help"}, "--sign-pk"},
        {{"staff", "disable", "--help"}, "ends every sign-in"},
        {{"staff", "list", "--help"}, "disabled"},
        {{"audit", "--help"}, "--from YYYY-MM-DD"},
        {{"purge", "--help"}, "--before YYYY-MM-DD"},
    };
    for (const auto& [args, mentions] : cases) {
        BOOST_TEST_CONTEXT(args.front() << " ... " << args.back()) {
            const auto r = run_admin(args);
            BOOST_CHECK_EQUAL(r.exit_code, 0);
            BOOST_CHECK(r.err.empty());
            BOOST_CHECK(r.out.rfind("Usage", 0) == 0);
            BOOST_CHECK_MESSAGE(r.out.find(mentions) != std::string::npos, r.out);
        }
    }
}

BOOST_AUTO_TEST_CASE(bad_usage_is_a_one_line_error_with_status_2) {
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
        {{}, "no command"},
        {{"frobnicate"}, "frobnicate"},
        {{"--frob"}, "--frob"},
        {{"-x"}, "-x"},
        {{"desk"}, "subcommand"},
        {{"--config", "x.toml", "desk", "rotate", "care"}, "rotate"},
        {{"config"}, "subcommand"},
        {{"staff"}, "subcommand"},
        {{"staff", "list"}, "--config"},
        {{"audit"}, "--config"},
        {{"purge"}, "--config"},
        {{"purge", "now"}, "no operands"},
        {{"config", "lint"}, "lint"},
        {{"desk", "list"}, "--config"},
        {{"config", "check"}, "--config"},
        {{"--config"}, "needs a value"},
        {{"--config", "a.toml", "--config", "b.toml", "desk", "list"}, "twice"},
    };
    for (const auto& [args, mentions] : cases) {
        BOOST_TEST_CONTEXT(mentions) {
            const auto r = run_admin(args);
            BOOST_CHECK_EQUAL(r.exit_code, 2);
            BOOST_CHECK_MESSAGE(one_line_error(r.err), r.err);
            BOOST_CHECK_MESSAGE(r.err.find(mentions) != std::string::npos, r.err);
            BOOST_CHECK(r.out.empty());
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
