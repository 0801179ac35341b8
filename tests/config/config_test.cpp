#define BOOST_TEST_MODULE config_test
#include <boost/test/unit_test.hpp>

#include "server/config/embedded_defaults.hpp"
#include "server/config/origin.hpp"
#include "server/config/settings.hpp"

#include <chrono>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace cfg = signaal::config;
namespace fs = std::filesystem;

namespace {

const fs::path base = "/srv/signaal";

cfg::settings must_load(std::string_view toml) {
    auto r = cfg::load_string(toml, base, "signaal.toml");
    BOOST_TEST_REQUIRE(r.has_value(), "unexpected error: " << r.error().message);
    BOOST_TEST(r.error().message.empty());
    return *r;
}

/// Loading must fail with an error starting with `prefix` (source and key).
void must_fail(std::string_view toml, std::string_view prefix) {
    BOOST_TEST_CONTEXT("toml: " << toml) {
        auto r = cfg::load_string(toml, base, "signaal.toml");
        BOOST_TEST(!r.has_value());
        BOOST_TEST(r.error().message.substr(0, prefix.size()) == prefix,
                   "error was: " << r.error().message);
        BOOST_TEST(r.error().message.find(": ") != std::string::npos);
    }
}

// A small complete replacement for the four lists.
const std::string small_lists = R"(
[[desks]]
id = "care"
name = { en = "Care" }
about = { en = "Helps." }

[[desks]]
id = "peers"
name = { en = "Peers", nl = "Collega's" }
about = { nl = "Steun.", en = "Support." }

[[categories]]
id = "violence"
name = { en = "Violence" }

[routing]
violence = ["peers", "care"]
)";

const std::vector<std::string> default_category_ids = {"physical_violence",
                                                       "sexual_violence",
                                                       "stealthing",
                                                       "robbery",
                                                       "non_payment",
                                                       "threats",
                                                       "stalking",
                                                       "blackmail",
                                                       "filming",
                                                       "confinement",
                                                       "exploitation",
                                                       "police_conduct",
                                                       "workplace_housing",
                                                       "discrimination",
                                                       "health",
                                                       "policy",
                                                       "other"};

void check_same(const cfg::settings& a, const cfg::settings& b) {
    BOOST_TEST(a.instance_name == b.instance_name);
    BOOST_TEST(a.languages == b.languages);
    BOOST_TEST(a.quick_exit_url == b.quick_exit_url);
    BOOST_TEST(a.listen_host == b.listen_host);
    BOOST_TEST(a.listen_port == b.listen_port);
    BOOST_TEST(a.threads == b.threads);
    BOOST_TEST(a.data_dir == b.data_dir);
    BOOST_TEST(a.web_root == b.web_root);
    BOOST_TEST(a.tls_certificate.has_value() == b.tls_certificate.has_value());
    BOOST_TEST(a.tls_private_key.has_value() == b.tls_private_key.has_value());
    BOOST_TEST(a.limit.body_max_bytes == b.limit.body_max_bytes);
    BOOST_TEST(a.limit.header_max_bytes == b.limit.header_max_bytes);
    BOOST_TEST(a.limit.read_timeout_seconds == b.limit.read_timeout_seconds);
    BOOST_TEST(a.limit.idle_timeout_seconds == b.limit.idle_timeout_seconds);
    BOOST_TEST(a.limit.handshake_timeout_seconds == b.limit.handshake_timeout_seconds);
    BOOST_TEST(a.limit.max_connections == b.limit.max_connections);
    BOOST_TEST(a.limit.max_pending_writes == b.limit.max_pending_writes);
    BOOST_TEST(a.limit.drain_timeout_seconds == b.limit.drain_timeout_seconds);
    BOOST_TEST(a.roles == b.roles);
    BOOST_TEST(a.padding_buckets == b.padding_buckets);
    BOOST_TEST(a.pow_difficulty == b.pow_difficulty);
    BOOST_TEST(a.pow_token_lifetime_seconds == b.pow_token_lifetime_seconds);
    BOOST_TEST(a.desk_key_grace_days == b.desk_key_grace_days);
    BOOST_TEST(a.write_batch_max == b.write_batch_max);
    BOOST_TEST(a.retention_days == b.retention_days);
    BOOST_TEST(a.origins == b.origins);
    BOOST_TEST(a.token_lifetime_seconds == b.token_lifetime_seconds);
    BOOST_TEST(a.challenge_lifetime_seconds == b.challenge_lifetime_seconds);
    BOOST_TEST(a.stream_ping_interval_seconds == b.stream_ping_interval_seconds);
    BOOST_TEST(a.stream_send_queue_max == b.stream_send_queue_max);
    BOOST_TEST(a.stats_k == b.stats_k);
    BOOST_TEST_REQUIRE(a.desks.size() == b.desks.size());
    for (std::size_t i = 0; i < a.desks.size(); ++i) {
        BOOST_TEST(a.desks[i].id == b.desks[i].id);
        BOOST_TEST((a.desks[i].name == b.desks[i].name));
        BOOST_TEST((a.desks[i].about == b.desks[i].about));
    }
    BOOST_TEST_REQUIRE(a.categories.size() == b.categories.size());
    for (std::size_t i = 0; i < a.categories.size(); ++i) {
        BOOST_TEST(a.categories[i].id == b.categories[i].id);
        BOOST_TEST((a.categories[i].name == b.categories[i].name));
    }
    BOOST_TEST((a.routing == b.routing));
    BOOST_TEST_REQUIRE(a.help.size() == b.help.size());
    for (std::size_t i = 0; i < a.help.size(); ++i) {
        BOOST_TEST(a.help[i].name == b.help[i].name);
        BOOST_TEST(a.help[i].phone == b.help[i].phone);
        BOOST_TEST(a.help[i].url == b.help[i].url);
        BOOST_TEST((a.help[i].about == b.help[i].about));
    }
}

/// A fresh folder under the system temp dir, removed at the end of the test.
struct temp_dir {
    fs::path path;
    temp_dir() {
        const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
        path = fs::temp_directory_path() / ("signaal-config-test-" + std::to_string(stamp));
        fs::create_directories(path);
    }
    ~temp_dir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    fs::path write(const std::string& name, std::string_view text) const {
        const fs::path p = path / name;
        fs::create_directories(p.parent_path());
        std::ofstream(p, std::ios::binary) << text;
        return p;
    }
};

} // namespace

BOOST_AUTO_TEST_CASE(valid_ids) {
    BOOST_TEST(cfg::valid_id("care"));
    BOOST_TEST(cfg::valid_id("a"));
    BOOST_TEST(cfg::valid_id("peer_support-2"));
    BOOST_TEST(cfg::valid_id(std::string(32, 'x')));
    BOOST_TEST(!cfg::valid_id(std::string(33, 'x')));
    BOOST_TEST(!cfg::valid_id(""));
    BOOST_TEST(!cfg::valid_id("Care"));
    BOOST_TEST(!cfg::valid_id("care desk"));
    BOOST_TEST(!cfg::valid_id("care.desk"));
    BOOST_TEST(!cfg::valid_id("zorg\xC3\xA9"));
    BOOST_TEST(!cfg::valid_id(std::string_view("ca\0re", 5)));
}

BOOST_AUTO_TEST_CASE(defaults_match_domain) {
    auto r = cfg::load_defaults(base);
    BOOST_TEST_REQUIRE(r.has_value(), r.error().message);
    const auto& s = *r;

    BOOST_TEST(s.instance_name == "Signaal");
    BOOST_TEST(s.languages == (std::vector<std::string>{"nl", "en", "ro", "bg", "pl", "hu", "es",
                                                        "pt-BR", "ru", "th"}),
               boost::test_tools::per_element());
    BOOST_TEST(s.quick_exit_url.rfind("https://", 0) == 0u);

    BOOST_TEST(s.listen_host == "127.0.0.1");
    BOOST_TEST(s.listen_port == 8443);
    BOOST_TEST(s.threads == 0u);
    BOOST_TEST(s.data_dir == base / "data");
    BOOST_TEST(s.web_root == base / "web/dist");
    BOOST_TEST(!s.tls_certificate.has_value());
    BOOST_TEST(!s.tls_private_key.has_value());

    BOOST_TEST(s.limit.body_max_bytes == 262144u);
    BOOST_TEST(s.limit.header_max_bytes == 8192u);
    BOOST_TEST(s.limit.read_timeout_seconds == 15u);
    BOOST_TEST(s.limit.idle_timeout_seconds == 30u);
    BOOST_TEST(s.limit.handshake_timeout_seconds == 10u);
    BOOST_TEST(s.limit.max_connections == 1024u);
    BOOST_TEST(s.limit.max_pending_writes == 2048u);
    BOOST_TEST(s.limit.drain_timeout_seconds == 10u);

    BOOST_TEST(s.roles == (std::vector<std::string>{"sex_worker", "peer_expert"}),
               boost::test_tools::per_element());
    BOOST_TEST(s.padding_buckets == (std::vector<std::size_t>{1024, 4096, 16384, 65536}),
               boost::test_tools::per_element());
    BOOST_TEST(s.pow_difficulty == 16u);
    BOOST_TEST(s.pow_token_lifetime_seconds == 600u);
    BOOST_TEST(s.desk_key_grace_days == 30u);
    BOOST_TEST(s.write_batch_max == 512u);
    BOOST_TEST(s.origins.empty());
    BOOST_TEST(s.token_lifetime_seconds == 28800u);
    BOOST_TEST(s.challenge_lifetime_seconds == 60u);
    BOOST_TEST(s.stream_ping_interval_seconds == 30u);
    BOOST_TEST(s.stream_send_queue_max == 256u);
    BOOST_TEST(s.stats_k == 5u);

    // Desks: care, municipality, police, each with en + nl name and about, English first.
    BOOST_TEST_REQUIRE(s.desks.size() == 3u);
    const char* desk_ids[] = {"care", "municipality", "police"};
    for (std::size_t i = 0; i < 3; ++i) {
        const auto& d = s.desks[i];
        BOOST_TEST(d.id == desk_ids[i]);
        BOOST_TEST_REQUIRE(d.name.size() == 2u);
        BOOST_TEST(d.name[0].first == "en");
        BOOST_TEST(d.name[1].first == "nl");
        BOOST_TEST_REQUIRE(d.about.size() == 2u);
        BOOST_TEST(d.about[0].first == "en");
        BOOST_TEST(d.about[1].first == "nl");
        BOOST_TEST(d.about[0].second.size() > 80u);
        BOOST_TEST(s.find_desk(desk_ids[i]) == &d);
    }
    BOOST_TEST(s.desks[2].name[0].second == "Police");
    BOOST_TEST(s.desks[2].about[0].second.find("112") != std::string::npos);
    BOOST_TEST(s.find_desk("reporter") == nullptr);
    BOOST_TEST(s.find_desk("peers") == nullptr);

    // Categories: the 17 of DOMAIN.md, in order.
    BOOST_TEST_REQUIRE(s.categories.size() == 17u);
    for (std::size_t i = 0; i < 17; ++i) {
        BOOST_TEST(s.categories[i].id == default_category_ids[i]);
        BOOST_TEST_REQUIRE(!s.categories[i].name.empty());
        BOOST_TEST(s.categories[i].name[0].first == "en");
        BOOST_TEST(s.categories[i].name.size() == 2u);
    }
    BOOST_TEST(s.find_category("stealthing")->name[0].second.find("stealthing") !=
               std::string::npos);
    BOOST_TEST(s.find_category("violence") == nullptr);

    // Routing.
    const std::vector<std::string> all = {"care", "municipality", "police"};
    const std::vector<std::string> care_muni = {"care", "municipality"};
    const std::map<std::string, std::vector<std::string>> expected = {
        {"physical_violence", all},
        {"sexual_violence", all},
        {"stealthing", all},
        {"robbery", all},
        {"non_payment", all},
        {"threats", all},
        {"stalking", all},
        {"blackmail", all},
        {"filming", all},
        {"confinement", all},
        {"exploitation", all},
        {"other", all},
        {"police_conduct", care_muni},
        {"workplace_housing", care_muni},
        {"discrimination", care_muni},
        {"policy", care_muni},
        {"health", {"care"}}};
    BOOST_TEST((s.routing == expected));

    BOOST_TEST(s.has_role("sex_worker"));
    BOOST_TEST(s.has_role("peer_expert"));
    BOOST_TEST(!s.has_role("client"));

    BOOST_TEST_REQUIRE(s.help.size() >= 3u);
    BOOST_TEST(s.help[0].phone == "112");
    for (const auto& h : s.help) {
        BOOST_TEST(!h.name.empty());
        BOOST_TEST((!h.phone.empty() || !h.url.empty()));
    }
}

BOOST_AUTO_TEST_CASE(embedded_text_is_the_file) {
    std::ifstream in(std::string(SIGNAAL_SOURCE_DIR) + "/config/defaults.toml", std::ios::binary);
    BOOST_TEST_REQUIRE(in.good());
    const std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    BOOST_TEST(cfg::embedded_defaults() == file);
}

BOOST_AUTO_TEST_CASE(empty_file_is_the_defaults) {
    check_same(must_load(""), *cfg::load_defaults(base));
    check_same(must_load("# only a comment\n"), *cfg::load_defaults(base));
}

BOOST_AUTO_TEST_CASE(example_file_loads_and_shows_the_defaults) {
    const fs::path example = fs::path(SIGNAAL_SOURCE_DIR) / "config" / "signaal.example.toml";
    auto r = cfg::load_file(example);
    BOOST_TEST_REQUIRE(r.has_value(), r.error().message);
    // The example spells out every default, so the two must not drift apart.
    auto d = cfg::load_defaults(fs::absolute(example).parent_path());
    BOOST_TEST_REQUIRE(d.has_value());
    check_same(*r, *d);
    BOOST_TEST(r->data_dir == (fs::absolute(example).parent_path() / "data").lexically_normal());
}

BOOST_AUTO_TEST_CASE(overrides_keep_other_defaults) {
    auto s = must_load(R"(
[instance]
name = "Signaal Den Bosch"
languages = ["en", "nl"]

[server]
listen = "[::1]:9443"
threads = 4

[limits]
read_timeout_seconds = 20

[reports]
pow_difficulty = 0
padding_buckets = [512, 2048]
)");
    BOOST_TEST(s.instance_name == "Signaal Den Bosch");
    BOOST_TEST(s.languages == (std::vector<std::string>{"en", "nl"}),
               boost::test_tools::per_element());
    BOOST_TEST(s.quick_exit_url == "https://www.weeronline.nl/"); // kept
    BOOST_TEST(s.listen_host == "::1");
    BOOST_TEST(s.listen_port == 9443);
    BOOST_TEST(s.threads == 4u);
    BOOST_TEST(s.data_dir == base / "data"); // kept
    BOOST_TEST(s.limit.read_timeout_seconds == 20u);
    BOOST_TEST(s.limit.idle_timeout_seconds == 30u); // kept
    BOOST_TEST(s.pow_difficulty == 0u);
    BOOST_TEST(s.pow_token_lifetime_seconds == 600u); // kept
    BOOST_TEST(s.padding_buckets == (std::vector<std::size_t>{512, 2048}),
               boost::test_tools::per_element());
    BOOST_TEST(s.desks.size() == 3u);
    BOOST_TEST(s.categories.size() == 17u);

    auto h = must_load("[server]\nlisten = \"127.0.0.1:443\"\n[reports]\npow_difficulty = 32\n");
    BOOST_TEST(h.listen_host == "127.0.0.1");
    BOOST_TEST(h.listen_port == 443);
    // Port 0: any free port (the tests' servers).
    BOOST_TEST(must_load("[server]\nlisten = \"127.0.0.1:0\"").listen_port == 0);
    BOOST_TEST(h.pow_difficulty == 32u);
    BOOST_TEST(must_load("[server]\nlisten = \"0.0.0.0:65535\"").listen_port == 65535);
}

BOOST_AUTO_TEST_CASE(lists_replace_the_defaults) {
    auto s = must_load(small_lists + R"(
[[help]]
name = "Local peer line"
phone = "+31 6 0000 0000"
about = { nl = "Ma-vr 10-16 uur", en = "Mon-Fri 10:00-16:00" }

[[help]]
name = "Website only"
url = "https://example.org/"
)");
    BOOST_TEST_REQUIRE(s.desks.size() == 2u);
    BOOST_TEST(s.desks[1].id == "peers");
    // English is moved first, the rest keep code order.
    BOOST_TEST(s.desks[1].name[0].first == "en");
    BOOST_TEST(s.desks[1].name[1].second == "Collega's");
    BOOST_TEST(s.desks[1].about[0].second == "Support.");
    BOOST_TEST_REQUIRE(s.categories.size() == 1u);
    BOOST_TEST(s.categories[0].id == "violence");
    BOOST_TEST_REQUIRE(s.routing.size() == 1u);
    // Routing lists are stored sorted bytewise.
    BOOST_TEST(s.routing.at("violence") == (std::vector<std::string>{"care", "peers"}),
               boost::test_tools::per_element());
    BOOST_TEST_REQUIRE(s.help.size() == 2u);
    BOOST_TEST(s.help[0].name == "Local peer line");
    BOOST_TEST(s.help[0].url.empty());
    BOOST_TEST_REQUIRE(s.help[0].about.size() == 2u);
    BOOST_TEST(s.help[0].about[0].first == "en");
    BOOST_TEST(s.help[1].phone.empty());
    BOOST_TEST(s.help[1].about.empty());

    // Lists not given keep the default; a count-only category has an empty list.
    auto c = must_load(R"(
[[desks]]
id = "care"
name = { en = "Care" }
about = { en = "Helps." }
[[categories]]
id = "health"
name = { en = "Health" }
[routing]
health = []
)");
    BOOST_TEST(c.routing.at("health").empty());
    BOOST_TEST(c.help.size() == cfg::load_defaults(base)->help.size());
}

BOOST_AUTO_TEST_CASE(relative_paths_resolve_against_the_file) {
    temp_dir dir;
    const fs::path file = dir.write("etc/signaal.toml", R"(
[server]
web_root = "../www"
tls_certificate = "tls/cert.pem"
tls_private_key = "/abs/key.pem"
)");
    auto r = cfg::load_file(file);
    BOOST_TEST_REQUIRE(r.has_value(), r.error().message);
    const fs::path etc = dir.path / "etc";
    BOOST_TEST(r->data_dir ==
               (etc / "data").lexically_normal()); // the default, also relative to the file
    BOOST_TEST(r->web_root == (dir.path / "www").lexically_normal());
    BOOST_TEST(*r->tls_certificate == (etc / "tls/cert.pem").lexically_normal());
    BOOST_TEST(*r->tls_private_key == fs::path("/abs/key.pem"));

    // load_string resolves against the base_dir it is given.
    auto s = must_load("[server]\ndata_dir = \"var/lib\"\n");
    BOOST_TEST(s.data_dir == base / "var/lib");
}

BOOST_AUTO_TEST_CASE(file_errors) {
    temp_dir dir;
    auto missing = cfg::load_file(dir.path / "nope.toml");
    BOOST_TEST(!missing.has_value());
    BOOST_TEST(missing.error().message ==
               (dir.path / "nope.toml").string() + ": cannot be opened for reading");
    BOOST_TEST(!cfg::load_file(dir.path).has_value());

    const fs::path file = dir.write("bad.toml", "[reports]\npow_difficulty = 40\n");
    auto r = cfg::load_file(file);
    BOOST_TEST(!r.has_value());
    BOOST_TEST(r.error().message ==
               file.string() + ": reports.pow_difficulty: must be between 0 and 32");
}

BOOST_AUTO_TEST_CASE(syntax_errors_name_line_and_column) {
    auto r = cfg::load_string("[instance]\nname = \"x\"\nlanguages = [\"nl\",\n  oops]\n", base,
                              "signaal.toml");
    BOOST_TEST(!r.has_value());
    BOOST_TEST(r.error().message.rfind("signaal.toml: line 4, column ", 0) == 0u,
               r.error().message);

    must_fail("[server]\nlisten = 127.0.0.1:8443\n", "signaal.toml: line 2, column ");
    must_fail("[instance]\nname = \"a\"\nname = \"b\"\n", "signaal.toml: line 3, column ");
    must_fail("[instance\n", "signaal.toml: line 1, column ");
    must_fail("[instance]\nname = \"\xC0\xAF\"\n", "signaal.toml: line 2, column ");
}

BOOST_AUTO_TEST_CASE(the_documented_message) {
    auto r = cfg::load_string("[reports]\npow_difficulty = 33\n", base, "signaal.toml");
    BOOST_TEST(r.error().message ==
               "signaal.toml: reports.pow_difficulty: must be between 0 and 32");
    BOOST_TEST(!r.has_value());
}

BOOST_AUTO_TEST_CASE(unknown_keys_and_types) {
    must_fail("[instanse]\nname = \"x\"\n", "signaal.toml: instanse: unknown key");
    must_fail("title = \"x\"\n", "signaal.toml: title: unknown key");
    must_fail("[instance]\nnmae = \"x\"\n", "signaal.toml: instance.nmae: unknown key");
    must_fail("[server]\nport = 8443\n", "signaal.toml: server.port: unknown key");
    must_fail("[limits]\nbody_max_byte = 300000\n",
              "signaal.toml: limits.body_max_byte: unknown key");
    must_fail("[reports]\npow_dificulty = 10\n",
              "signaal.toml: reports.pow_dificulty: unknown key");
    must_fail("instance = 3\n", "signaal.toml: instance: must be a table");
    must_fail("[instance]\nname = 3\n", "signaal.toml: instance.name: must be a string");
    must_fail("[instance]\nname = \"\"\n", "signaal.toml: instance.name: must not be empty");
    must_fail("[server]\nthreads = \"4\"\n",
              "signaal.toml: server.threads: must be a whole number");
    must_fail("[server]\nthreads = 4.0\n", "signaal.toml: server.threads: must be a whole number");
    must_fail("[limits]\nbody_max_bytes = true\n",
              "signaal.toml: limits.body_max_bytes: must be a whole number");
    must_fail("[reports]\nroles = \"sex_worker\"\n",
              "signaal.toml: reports.roles: must be an array");
    must_fail("[reports]\nroles = [\"sex_worker\", 1]\n",
              "signaal.toml: reports.roles: must be an array");
    must_fail("[server]\ndata_dir = \"\"\n", "signaal.toml: server.data_dir: must not be empty");
    must_fail("[server]\nweb_root = 1\n", "signaal.toml: server.web_root: must be a string");
}

BOOST_AUTO_TEST_CASE(instance_rules) {
    must_fail("[instance]\nlanguages = []\n", "signaal.toml: instance.languages: ");
    must_fail("[instance]\nlanguages = [\"nl\", \"EN\"]\n", "signaal.toml: instance.languages: ");
    must_fail("[instance]\nlanguages = [\"nl\", \"pt-br\"]\n",
              "signaal.toml: instance.languages: ");
    must_fail("[instance]\nlanguages = [\"nl\", \"pt_BR\"]\n",
              "signaal.toml: instance.languages: ");
    must_fail("[instance]\nlanguages = [\"dutch\"]\n", "signaal.toml: instance.languages: ");
    must_fail("[instance]\nlanguages = [\"nl\", \"nl\"]\n", "signaal.toml: instance.languages: ");
    must_fail("[instance]\nquick_exit_url = \"javascript:alert(1)\"\n",
              "signaal.toml: instance.quick_exit_url: ");
    must_fail("[instance]\nquick_exit_url = \"https://\"\n",
              "signaal.toml: instance.quick_exit_url: ");
    must_fail("[instance]\nquick_exit_url = \"https://a b\"\n",
              "signaal.toml: instance.quick_exit_url: ");
}

// PROTOCOL.md §6: an origin is signed in one canonical form, so only that form is accepted.
BOOST_AUTO_TEST_CASE(origins_are_canonical) {
    const auto s = must_load("[instance]\norigins = [\"https://signaal.example.org\", "
                             "\"http://abc234xyz.onion\", \"https://10.0.0.5:8443\", "
                             "\"https://[fd00::1]:8443\", \"http://intranet:8080\"]\n");
    BOOST_TEST(s.origins ==
                   (std::vector<std::string>{"https://signaal.example.org",
                                             "http://abc234xyz.onion", "https://10.0.0.5:8443",
                                             "https://[fd00::1]:8443", "http://intranet:8080"}),
               boost::test_tools::per_element());
    BOOST_TEST(must_load("[instance]\norigins = []\n").origins.empty());
    for (const char* bad : {"signaal.example.org",
                            "https://Signaal.example.org",
                            "HTTPS://signaal.example.org",
                            "https://signaal.example.org/",
                            "https://signaal.example.org/desk",
                            "https://signaal.example.org:443",
                            "http://abc.onion:80",
                            "https://x:0",
                            "https://x:65536",
                            "https://x:08443",
                            "https://x:",
                            "https://",
                            "ftp://x",
                            "https://x y",
                            "https://a..b",
                            "https://.a",
                            "https://user@x",
                            "https://[::1",
                            "https://[FD00::1]:8443",
                            "wss://x"}) {
        BOOST_TEST_CONTEXT(bad) {
            must_fail("[instance]\norigins = [\"" + std::string(bad) + "\"]\n",
                      "signaal.toml: instance.origins: \"" + std::string(bad) +
                          "\" is not an origin");
        }
    }
    must_fail("[instance]\norigins = [\"https://x\", \"https://x\"]\n",
              "signaal.toml: instance.origins: lists \"https://x\" twice");
    must_fail("[instance]\norigins = \"https://x\"\n", "signaal.toml: instance.origins: ");
}

// The onion listener serves plain HTTP: a loopback address or nothing.
BOOST_AUTO_TEST_CASE(onion_listen_is_loopback_only) {
    BOOST_TEST(!must_load("").onion_listen.has_value());
    for (const auto& [text, host] :
         std::vector<std::pair<std::string, std::string>>{{"127.0.0.1:8080", "127.0.0.1"},
                                                          {"127.1.2.3:0", "127.1.2.3"},
                                                          {"[::1]:8080", "::1"}}) {
        BOOST_TEST_CONTEXT(text) {
            const auto s = must_load("[server]\nonion_listen = \"" + text + "\"\n");
            BOOST_TEST_REQUIRE(s.onion_listen.has_value());
            BOOST_TEST(s.onion_listen->host == host);
        }
    }
    for (const char* bad : {"0.0.0.0:8080", "[::]:8080", "10.0.0.5:8080", "192.0.2.1:80",
                            "[::ffff:127.0.0.1]:8080", "[fd00::1]:8080", "128.0.0.1:80"}) {
        BOOST_TEST_CONTEXT(bad) {
            must_fail("[server]\nonion_listen = \"" + std::string(bad) + "\"\n",
                      "signaal.toml: server.onion_listen: must be a loopback address");
        }
    }
    must_fail("[server]\nonion_listen = \"localhost:8080\"\n",
              "signaal.toml: server.onion_listen: the host must be");
}

BOOST_AUTO_TEST_CASE(https_origins_of_a_listener) {
    BOOST_TEST(cfg::https_origin("127.0.0.1", 8443) == "https://127.0.0.1:8443");
    BOOST_TEST(cfg::https_origin("::1", 8443) == "https://[::1]:8443");
    BOOST_TEST(cfg::https_origin("localhost", 443) == "https://localhost");
    BOOST_TEST(cfg::valid_origin(cfg::https_origin("::1", 1)));
}

BOOST_AUTO_TEST_CASE(staff_rules) {
    const auto s =
        must_load("[staff]\ntoken_lifetime_seconds = 3600\nchallenge_lifetime_seconds = 30\n");
    BOOST_TEST(s.token_lifetime_seconds == 3600u);
    BOOST_TEST(s.challenge_lifetime_seconds == 30u);
    BOOST_TEST(must_load("[staff]\ntoken_lifetime_seconds = 28800\n").token_lifetime_seconds ==
               28800u);
    must_fail("[staff]\ntoken_lifetime_seconds = 28801\n",
              "signaal.toml: staff.token_lifetime_seconds: must be between 1 and 28800");
    must_fail("[staff]\ntoken_lifetime_seconds = 0\n",
              "signaal.toml: staff.token_lifetime_seconds: must be between 1 and 28800");
    must_fail("[staff]\nchallenge_lifetime_seconds = 0\n",
              "signaal.toml: staff.challenge_lifetime_seconds: must be between 1 and 600");
    must_fail("[staff]\nchallenge_lifetime_seconds = 601\n",
              "signaal.toml: staff.challenge_lifetime_seconds: ");
    must_fail("[staff]\nsession_seconds = 1\n", "signaal.toml: staff.session_seconds: unknown key");
}

BOOST_AUTO_TEST_CASE(server_rules) {
    for (const char* listen :
         {"127.0.0.1", "127.0.0.1:", ":8443", "localhost:443", "127.0.0.1:65536", "127.0.0.1:99999",
          "127.0.0.1:-1", "127.0.0.1:84a3", "::1:8443", "[]:8443", "[::1]", "[zz::1]:8443",
          "host name:80", "127.0.0.1:008443"}) {
        must_fail("[server]\nlisten = \"" + std::string(listen) + "\"\n",
                  "signaal.toml: server.listen: ");
    }
    must_fail("[server]\nthreads = -1\n",
              "signaal.toml: server.threads: must be between 0 and 1024");
    must_fail("[server]\ntls_certificate = \"cert.pem\"\n",
              "signaal.toml: server.tls_private_key: ");
    must_fail("[server]\ntls_private_key = \"key.pem\"\n",
              "signaal.toml: server.tls_certificate: ");
    auto s = must_load("[server]\ntls_certificate = \"c.pem\"\ntls_private_key = \"k.pem\"\n");
    BOOST_TEST(*s.tls_certificate == base / "c.pem");
    BOOST_TEST(*s.tls_private_key == base / "k.pem");
}

BOOST_AUTO_TEST_CASE(limits_rules) {
    for (const char* key :
         {"read_timeout_seconds", "idle_timeout_seconds", "handshake_timeout_seconds",
          "drain_timeout_seconds", "max_connections", "max_pending_writes"}) {
        must_fail("[limits]\n" + std::string(key) + " = 0\n",
                  "signaal.toml: limits." + std::string(key) + ": ");
        must_fail("[limits]\n" + std::string(key) + " = -5\n",
                  "signaal.toml: limits." + std::string(key) + ": ");
    }
    must_fail("[limits]\nheader_max_bytes = 10\n", "signaal.toml: limits.header_max_bytes: ");
    // The largest bucket (65536) needs 65536 * 4 / 3 + 4096 = 91477 bytes.
    must_fail("[limits]\nbody_max_bytes = 91476\n",
              "signaal.toml: limits.body_max_bytes: must be at least 91477");
    BOOST_TEST(must_load("[limits]\nbody_max_bytes = 91477\n").limit.body_max_bytes == 91477u);
    // A bigger bucket without a bigger body limit.
    must_fail("[reports]\npadding_buckets = [1024, 4096, 16384, 65536, 262144]\n",
              "signaal.toml: limits.body_max_bytes: must be at least 353621");
    BOOST_TEST(
        must_load("[limits]\nbody_max_bytes = 400000\n[reports]\npadding_buckets = [262144]\n")
            .padding_buckets.back() == 262144u);
}

BOOST_AUTO_TEST_CASE(stream_rules) {
    for (const char* key : {"ping_interval_seconds", "send_queue_max"}) {
        must_fail("[stream]\n" + std::string(key) + " = 0\n",
                  "signaal.toml: stream." + std::string(key) + ": ");
    }
    must_fail("[stream]\nping_interval_seconds = 3601\n",
              "signaal.toml: stream.ping_interval_seconds: ");
    must_fail("[stream]\nqueue = 5\n", "signaal.toml: stream.queue: unknown key");
    const auto s = must_load("[stream]\nping_interval_seconds = 5\nsend_queue_max = 2\n");
    BOOST_TEST(s.stream_ping_interval_seconds == 5u);
    BOOST_TEST(s.stream_send_queue_max == 2u);
}

BOOST_AUTO_TEST_CASE(stats_k_rules) {
    must_fail("[stats]\nk = 2\n", "signaal.toml: stats.k: must be between 3 and 1000");
    must_fail("[stats]\nk = 0\n", "signaal.toml: stats.k: must be between 3 and 1000");
    must_fail("[stats]\nk = \"5\"\n", "signaal.toml: stats.k: ");
    BOOST_TEST(must_load("[stats]\nk = 3\n").stats_k == 3u);
    BOOST_TEST(must_load("[stats]\nk = 11\n").stats_k == 11u);
}

BOOST_AUTO_TEST_CASE(log_level_rules) {
    BOOST_TEST((must_load("").logging == signaal::log_level::info));
    BOOST_TEST((must_load("[log]\nlevel = \"error\"\n").logging == signaal::log_level::error));
    BOOST_TEST((must_load("[log]\nlevel = \"warn\"\n").logging == signaal::log_level::warn));
    BOOST_TEST((must_load("[log]\nlevel = \"debug\"\n").logging == signaal::log_level::debug));
    must_fail("[log]\nlevel = \"loud\"\n",
              "signaal.toml: log.level: must be \"error\", \"warn\", \"info\" or \"debug\", not "
              "\"loud\"");
    must_fail("[log]\nlevel = \"INFO\"\n", "signaal.toml: log.level: must be ");
    must_fail("[log]\nlevel = 3\n", "signaal.toml: log.level: ");
    must_fail("[log]\nfile = \"/tmp/x\"\n", "signaal.toml: log.file: ");
}

BOOST_AUTO_TEST_CASE(reports_rules) {
    must_fail("[reports]\npow_difficulty = -1\n",
              "signaal.toml: reports.pow_difficulty: must be between 0 and 32");
    must_fail("[reports]\npow_token_lifetime_seconds = 0\n",
              "signaal.toml: reports.pow_token_lifetime_seconds: must be between 1 and 600");
    must_fail("[reports]\npow_token_lifetime_seconds = 601\n",
              "signaal.toml: reports.pow_token_lifetime_seconds: must be between 1 and 600");
    must_fail("[reports]\nwrite_batch_max = 0\n", "signaal.toml: reports.write_batch_max: ");
    must_fail("[reports]\ndesk_key_grace_days = -1\n",
              "signaal.toml: reports.desk_key_grace_days: ");
    // Retention: whole days, at least one, at most ten years; the default is 180.
    BOOST_TEST(must_load("").retention_days == 180u);
    BOOST_TEST(must_load("[reports]\nretention_days = 30\n").retention_days == 30u);
    for (const char* bad : {"0", "-1", "3651", "1e9", "1.5", "\"180\"", "99999999999999"}) {
        must_fail("[reports]\nretention_days = " + std::string(bad) + "\n",
                  "signaal.toml: reports.retention_days: must be ");
    }
    for (const char* buckets : {"[]", "[1024, 1024]", "[4096, 1024]", "[32, 1024]", "[63]",
                                "[1024, 2000000]", "[\"1024\"]", "1024", "[1024, 1.5]"}) {
        must_fail("[reports]\npadding_buckets = " + std::string(buckets) + "\n",
                  "signaal.toml: reports.padding_buckets: ");
    }
    BOOST_TEST(
        must_load(
            "[reports]\npadding_buckets = [64, 1048576]\n[limits]\nbody_max_bytes = 2000000\n")
            .padding_buckets.size() == 2u);
    must_fail("[reports]\nroles = []\n", "signaal.toml: reports.roles: ");
    must_fail("[reports]\nroles = [\"client\"]\n", "signaal.toml: reports.roles: ");
    must_fail("[reports]\nroles = [\"sex_worker\", \"sex_worker\"]\n",
              "signaal.toml: reports.roles: ");
    auto s = must_load("[reports]\nroles = [\"peer_expert\"]\n");
    BOOST_TEST(!s.has_role("sex_worker"));
    BOOST_TEST(s.has_role("peer_expert"));
}

BOOST_AUTO_TEST_CASE(desk_rules) {
    const std::string rest = R"(
[[categories]]
id = "violence"
name = { en = "Violence" }
[routing]
violence = ["care"]
)";
    auto desk = [&](std::string_view body) {
        return "[[desks]]\n" + std::string(body) + "\n" + rest;
    };
    const std::string name_about = "name = { en = \"Care\" }\nabout = { en = \"Helps.\" }\n";
    BOOST_TEST(must_load(desk("id = \"care\"\n" + name_about)).desks.size() == 1u);
    must_fail(desk("id = \"Care\"\n" + name_about), "signaal.toml: desks[0].id: ");
    must_fail(desk("id = \"\"\n" + name_about), "signaal.toml: desks[0].id: ");
    must_fail(desk("id = \"" + std::string(33, 'a') + "\"\n" + name_about),
              "signaal.toml: desks[0].id: ");
    must_fail(desk("id = 7\n" + name_about), "signaal.toml: desks[0].id: must be a string");
    must_fail(desk(name_about), "signaal.toml: desks[0].id: missing");
    must_fail(desk("id = \"reporter\"\n" + name_about),
              "signaal.toml: desks[0].id: \"reporter\" is reserved");
    must_fail(desk("id = \"care\"\nabout = { en = \"Helps.\" }\n"),
              "signaal.toml: desks[0].name: missing");
    must_fail(desk("id = \"care\"\nname = { en = \"Care\" }\n"),
              "signaal.toml: desks[0].about: missing");
    must_fail(desk("id = \"care\"\nname = { nl = \"Zorg\" }\nabout = { en = \"Helps.\" }\n"),
              "signaal.toml: desks[0].name: needs an English text");
    must_fail(desk("id = \"care\"\nname = { en = \"Care\" }\nabout = { nl = \"Helpt.\" }\n"),
              "signaal.toml: desks[0].about: needs an English text");
    must_fail(desk("id = \"care\"\nname = \"Care\"\nabout = { en = \"Helps.\" }\n"),
              "signaal.toml: desks[0].name: must be a table");
    must_fail(desk("id = \"care\"\nname = { en = \"Care\", EN-us = \"x\" }\nabout = { en = "
                   "\"Helps.\" }\n"),
              "signaal.toml: desks[0].name.EN-us: ");
    must_fail(desk("id = \"care\"\nname = { en = \"\" }\nabout = { en = \"Helps.\" }\n"),
              "signaal.toml: desks[0].name.en: must not be empty");
    must_fail(desk("id = \"care\"\n" + name_about + "colour = \"red\"\n"),
              "signaal.toml: desks[0].colour: unknown key");
    must_fail(desk("id = \"care\"\n" + name_about + "\n[[desks]]\nid = \"care\"\n" + name_about),
              "signaal.toml: desks[1].id: another desk already has the id");
    must_fail("desks = 5\n", "signaal.toml: desks: must be an array of tables");
    must_fail("desks = [1]\n", "signaal.toml: desks[0]: must be a table");
    must_fail("desks = []\n", "signaal.toml: desks: at least one desk");
}

BOOST_AUTO_TEST_CASE(category_rules) {
    const std::string desks = R"(
[[desks]]
id = "care"
name = { en = "Care" }
about = { en = "Helps." }
)";
    auto cat = [&](std::string_view body, std::string_view routing = "violence = [\"care\"]") {
        return desks + "[[categories]]\n" + std::string(body) + "\n[routing]\n" +
               std::string(routing) + "\n";
    };
    BOOST_TEST(must_load(cat("id = \"violence\"\nname = { en = \"V\" }")).categories.size() == 1u);
    must_fail(cat("id = \"Violence!\"\nname = { en = \"V\" }"), "signaal.toml: categories[0].id: ");
    must_fail(cat("name = { en = \"V\" }"), "signaal.toml: categories[0].id: missing");
    must_fail(cat("id = \"violence\""), "signaal.toml: categories[0].name: missing");
    must_fail(cat("id = \"violence\"\nname = { nl = \"Geweld\" }"),
              "signaal.toml: categories[0].name: needs an English text");
    must_fail(cat("id = \"violence\"\nname = { en = \"V\" }\nabout = { en = \"x\" }"),
              "signaal.toml: categories[0].about: unknown key");
    must_fail(cat("id = \"violence\"\nname = { en = \"V\" }\n[[categories]]\nid = "
                  "\"violence\"\nname = { en = \"W\" }"),
              "signaal.toml: categories[1].id: another category already has the id");
    must_fail("categories = []\n", "signaal.toml: categories: at least one category");
}

BOOST_AUTO_TEST_CASE(routing_rules) {
    const std::string base_lists = R"(
[[desks]]
id = "care"
name = { en = "Care" }
about = { en = "Helps." }
[[categories]]
id = "violence"
name = { en = "Violence" }
[[categories]]
id = "health"
name = { en = "Health" }
)";
    auto with = [&](std::string_view routing) {
        return base_lists + "[routing]\n" + std::string(routing);
    };
    BOOST_TEST(must_load(with("violence = [\"care\"]\nhealth = [\"care\"]\n")).routing.size() ==
               2u);
    // A category without an entry.
    must_fail(with("violence = [\"care\"]\n"), "signaal.toml: routing.health: missing");
    // An entry for a category that does not exist.
    must_fail(with("violence = [\"care\"]\nhealth = [\"care\"]\nnope = [\"care\"]\n"),
              "signaal.toml: routing.nope: there is no category with this id");
    // A desk that does not exist.
    must_fail(with("violence = [\"care\", \"police\"]\nhealth = [\"care\"]\n"),
              "signaal.toml: routing.violence: there is no desk with the id \"police\"");
    must_fail(with("violence = [\"care\", \"care\"]\nhealth = [\"care\"]\n"),
              "signaal.toml: routing.violence: names a desk twice");
    must_fail(with("violence = \"care\"\nhealth = [\"care\"]\n"),
              "signaal.toml: routing.violence: must be an array");
    must_fail("routing = 1\n" + base_lists, "signaal.toml: routing: must be a table");
    // Replacing the desks while keeping the default routing (which names police).
    must_fail("[[desks]]\nid = \"care\"\nname = { en = \"Care\" }\nabout = { en = \"Helps.\" }\n",
              "signaal.toml: routing.");
    auto r = cfg::load_string(
        "[[desks]]\nid = \"care\"\nname = { en = \"C\" }\nabout = { en = \"A\" }\n", base);
    BOOST_TEST(r.error().message.find("give a [routing] table too") != std::string::npos,
               r.error().message);
    // Replacing the categories while keeping the default routing.
    must_fail("[[categories]]\nid = \"violence\"\nname = { en = \"V\" }\n",
              "signaal.toml: routing.");
}

BOOST_AUTO_TEST_CASE(help_rules) {
    must_fail("[[help]]\nphone = \"112\"\n", "signaal.toml: help[0].name: missing");
    must_fail("[[help]]\nname = \"\"\n", "signaal.toml: help[0].name: must not be empty");
    must_fail("[[help]]\nname = \"A\"\nurl = \"ftp://x\"\n", "signaal.toml: help[0].url: ");
    must_fail("[[help]]\nname = \"A\"\nphone = 112\n",
              "signaal.toml: help[0].phone: must be a string");
    must_fail("[[help]]\nname = \"A\"\nhours = \"9-5\"\n",
              "signaal.toml: help[0].hours: unknown key");
    must_fail("[[help]]\nname = \"A\"\n[[help]]\nname = \"B\"\nabout = { xx-yy = \"?\" }\n",
              "signaal.toml: help[1].about.xx-yy: ");
    auto s = must_load("[[help]]\nname = \"A\"\nabout = { nl = \"Alleen Nederlands\" }\n");
    BOOST_TEST_REQUIRE(s.help.size() == 1u);
    BOOST_TEST(s.help[0].about.size() == 1u); // English is optional here
}

BOOST_AUTO_TEST_CASE(source_name_is_used) {
    auto r = cfg::load_string("[instance]\nname = 1\n", base, "/etc/signaal/site.toml");
    BOOST_TEST(r.error().message == "/etc/signaal/site.toml: instance.name: must be a string");
    auto d = cfg::load_string("[instance]\nname = 1\n", base);
    BOOST_TEST(d.error().message == "config: instance.name: must be a string");
}
