#include "admin_support.hpp"

#include "server/store/database.hpp"
#include "server/store/desk_keys.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <fcntl.h>
#include <fstream>
#include <spawn.h>
#include <sstream>
#include <sys/stat.h>
#include <sys/wait.h>

extern char** environ;

namespace signaal::admin::test {

namespace fs = std::filesystem;

temp_dir::temp_dir() {
    std::string pattern = (fs::temp_directory_path() / "signaal-admin-test-XXXXXX").string();
    BOOST_REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
}

temp_dir::~temp_dir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

run_result run_admin(const std::vector<std::string>& args) {
    temp_dir capture;
    const auto out_file = capture.path() / "stdout";
    const auto err_file = capture.path() / "stderr";
    std::vector<std::string> all{SIGNAAL_ADMIN_BIN};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    posix_spawn_file_actions_addopen(&actions, 2, err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    pid_t pid = 0;
    const int spawned = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    BOOST_REQUIRE_EQUAL(spawned, 0);
    int status = 0;
    BOOST_REQUIRE_EQUAL(::waitpid(pid, &status, 0), pid);
    BOOST_REQUIRE(WIFEXITED(status));
    run_result r;
    r.exit_code = WEXITSTATUS(status);
    r.out = read_file(out_file);
    r.err = read_file(err_file);
    return r;
}

std::string read_file(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    BOOST_REQUIRE_MESSAGE(in, "cannot read " << file);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void write_file(const fs::path& file, const std::string& text) {
    std::ofstream out(file, std::ios::binary);
    out << text;
    BOOST_REQUIRE(out);
}

unsigned mode_of(const fs::path& file) {
    struct stat st {};
    BOOST_REQUIRE_EQUAL(::stat(file.c_str(), &st), 0);
    return st.st_mode & 0777;
}

std::vector<std::string> names_in(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) {
        names.push_back(e.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

std::vector<std::pair<std::string, std::string>> snapshot(const fs::path& dir) {
    std::vector<std::pair<std::string, std::string>> files;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        const auto rel = fs::relative(e.path(), dir).string();
        files.emplace_back(rel, e.is_regular_file() ? read_file(e.path()) : std::string("<dir>"));
    }
    std::sort(files.begin(), files.end());
    return files;
}

json::value read_json(const fs::path& file) {
    auto parsed = json::parse(read_file(file));
    BOOST_REQUIRE_MESSAGE(parsed, file << ": " << (parsed ? "" : parsed.error().message));
    return std::move(*parsed);
}

std::vector<store::desk_key> desk_keys_in(const fs::path& db_path) {
    auto db = store::database::open(db_path, store::open_mode::read_only);
    BOOST_REQUIRE_MESSAGE(db, db.error().message);
    store::desk_keys keys(*db);
    auto all = keys.list();
    BOOST_REQUIRE_MESSAGE(all, all.error().message);
    return *all;
}

std::vector<store::desk_key> accepted_keys_in(const fs::path& db_path, std::int64_t now) {
    auto db = store::database::open(db_path, store::open_mode::read_only);
    BOOST_REQUIRE_MESSAGE(db, db.error().message);
    store::desk_keys keys(*db);
    auto all = keys.accepted(now);
    BOOST_REQUIRE_MESSAGE(all, all.error().message);
    return *all;
}

bool one_line_error(const std::string& err) {
    return err.rfind("signaal-admin: ", 0) == 0 && err.size() > 16 && err.back() == '\n' &&
           std::count(err.begin(), err.end(), '\n') == 1;
}

std::int64_t now_unix() {
    return static_cast<std::int64_t>(std::time(nullptr));
}

} // namespace signaal::admin::test
