#include "tests/store/temp_dir.hpp"

#include "server/store/migrations.hpp"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <string>
#include <unistd.h>

namespace signaal::store::test {

temp_dir::temp_dir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("signaal-store-test-" + std::to_string(::getpid()) + "-" +
             std::to_string(counter.fetch_add(1)));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
}

temp_dir::~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

database open_migrated(const std::filesystem::path& path) {
    auto db = database::open(path, open_mode::read_write_create);
    BOOST_REQUIRE_MESSAGE(db.has_value(), db.error().message);
    auto version = migrate(*db);
    BOOST_REQUIRE_MESSAGE(version.has_value(), version.error().message);
    BOOST_REQUIRE_EQUAL(*version, latest_schema_version());
    return std::move(*db);
}

} // namespace signaal::store::test
