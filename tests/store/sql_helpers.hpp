#pragma once
// Small direct-SQL helpers for assertions (constant SQL, binds only).
#include "server/store/database.hpp"
#include "server/store/statement.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace signaal::store::test {

/// The first column of the first row as an integer (the query must return a row).
inline std::int64_t scalar(database& db, std::string_view sql) {
    auto st = statement::prepare(db, sql);
    BOOST_REQUIRE_MESSAGE(st.has_value(), st.error().message);
    auto row = st->step();
    BOOST_REQUIRE_MESSAGE(row.has_value(), row.error().message);
    BOOST_REQUIRE(*row);
    return st->column_int64(0);
}

/// The first column of every row, as text.
inline std::vector<std::string> texts(database& db, std::string_view sql) {
    auto st = statement::prepare(db, sql);
    BOOST_REQUIRE_MESSAGE(st.has_value(), st.error().message);
    std::vector<std::string> out;
    for (;;) {
        auto row = st->step();
        BOOST_REQUIRE_MESSAGE(row.has_value(), row.error().message);
        if (!*row) {
            break;
        }
        out.push_back(st->column_text(0));
    }
    return out;
}

} // namespace signaal::store::test
