#include "tests/inbox/demo_instance.hpp"

#include "crypto/base64url.hpp"
#include "server/json/json.hpp"
#include "tests/support/https_client.hpp"
#include "tests/support/report_builder.hpp"

#include <boost/test/unit_test.hpp>

#include <csignal>
#include <regex>
#include <sqlite3.h>
#include <stdexcept>

namespace signaal::inbox_test {
namespace {

// The demo's three desks as in the defaults, and "shelter", registered later
// with a holder but no key, so that a test can make its first key.
constexpr const char* extra_config = R"(
[[desks]]
id = "care"
name = { en = "Care services", nl = "Zorg en hulpverlening" }
about = { en = "Care.", nl = "Zorg." }

[[desks]]
id = "municipality"
name = { en = "Municipality", nl = "Gemeente" }
about = { en = "Municipality.", nl = "Gemeente." }

[[desks]]
id = "police"
name = { en = "Police", nl = "Politie" }
about = { en = "Police.", nl = "Politie." }

[[desks]]
id = "shelter"
name = { en = "Shelter", nl = "Opvang" }
about = { en = "Shelter.", nl = "Opvang." }

[routing]
physical_violence = ["care", "municipality", "police", "shelter"]
sexual_violence = ["care", "municipality", "police"]
stealthing = ["care", "municipality", "police"]
robbery = ["care", "municipality", "police"]
non_payment = ["care", "municipality", "police"]
threats = ["care", "municipality", "police"]
stalking = ["care", "municipality", "police"]
blackmail = ["care", "municipality", "police"]
filming = ["care", "municipality", "police"]
confinement = ["care", "municipality", "police"]
exploitation = ["care", "municipality", "police"]
police_conduct = ["care", "municipality"]
workplace_housing = ["care", "municipality"]
discrimination = ["care", "municipality"]
health = ["care"]
policy = ["care", "municipality"]
other = ["care", "municipality", "police"]
)";

void require_ok(const run_result& r, const std::string& what) {
    if (r.exit_code != 0) {
        throw std::runtime_error(what + " failed (" + std::to_string(r.exit_code) + "): " + r.err +
                                 r.out);
    }
}

} // namespace

demo_instance::demo_instance() {
    const auto home = dir_.path();
    const auto made = admin({"demo", (home / "d").string(), "--listen", "127.0.0.1:0", "--web-root",
                             (home / "no-web").string()});
    require_ok(made, "signaal-admin demo");
    const auto config_file = home / "d" / "signaal.toml";
    auto text = read_file(config_file);
    text = std::regex_replace(text, std::regex("pow_difficulty = [0-9]+"), "pow_difficulty = 4");
    write_file(config_file, text + extra_config);
}

run_result demo_instance::operator_runs(const std::vector<std::string>& args) const {
    std::vector<std::string> all{"--config", config().string()};
    all.insert(all.end(), args.begin(), args.end());
    return run(SIGNAAL_ADMIN_BIN, all);
}

demo_instance::~demo_instance() {
    if (server_) {
        stop();
    }
}

std::filesystem::path demo_instance::certificate() const {
    return dir_.path() / "d" / "tls" / "cert.pem";
}

std::filesystem::path demo_instance::staff_key(const std::string& staff) const {
    if (const auto found = extra_keys_.find(staff); found != extra_keys_.end()) {
        return found->second;
    }
    return dir_.path() / "d" / "keys" / ("staff-" + staff + ".json");
}

void demo_instance::start() {
    std::vector<std::string> args{"--config", (dir_.path() / "d" / "signaal.toml").string()};
    if (port_ != 0) {
        args.insert(args.end(), {"--listen", "127.0.0.1:" + std::to_string(port_)});
    }
    server_ = std::make_unique<background>(SIGNAAL_SERVER_BIN, args);
    if (!server_->wait_for("event=listening listen=https://127.0.0.1:", std::chrono::seconds(30))) {
        throw std::runtime_error("signaal-server did not start:\n" + server_->output());
    }
    std::smatch m;
    const auto out = server_->output();
    if (!std::regex_search(out, m,
                           std::regex("event=listening listen=https://127\\.0\\.0\\.1:([0-9]+)"))) {
        throw std::runtime_error("no port in: " + out);
    }
    port_ = static_cast<std::uint16_t>(std::stoi(m[1].str()));
}

void demo_instance::stop() {
    server_->signal(SIGTERM);
    (void)server_->wait();
    server_.reset();
}

std::string demo_instance::url() const {
    return "https://127.0.0.1:" + std::to_string(port_);
}

std::vector<std::string> demo_instance::connection(const std::string& staff) const {
    return {"--server", url(), "--ca", certificate().string(), "--key", staff_key(staff).string()};
}

run_result demo_instance::as(const std::string& staff, const std::vector<std::string>& args,
                             const environment& env) const {
    auto all = connection(staff);
    all.insert(all.end(), args.begin(), args.end());
    return inbox(all, env);
}

run_result demo_instance::as_trusting(const std::string& staff,
                                      const std::vector<std::string>& args,
                                      std::size_t keys_to_trust, const environment& env) const {
    auto all = connection(staff);
    all.insert(all.end(), args.begin(), args.end());
    std::vector<std::pair<std::string, std::string>> dialogue(keys_to_trust,
                                                              {"Trust this key", "y"});
    return inbox_on_terminal(all, dialogue, env);
}

std::filesystem::path demo_instance::add_caseworker(const std::string& staff,
                                                    const std::string& desk,
                                                    const std::string& passphrase) {
    const auto file = dir_.path() / ("staff-" + staff + ".json");
    std::vector<std::string> args{"keygen", "--out", file.string(), "--staff", staff};
    if (passphrase.empty()) {
        args.emplace_back("--no-passphrase");
    }
    require_ok(inbox(args, {"SIGNAAL_PASSPHRASE=" + passphrase}), "keygen " + staff);
    const auto doc = json::parse(read_file(file)).value();
    require_ok(
        run(SIGNAAL_ADMIN_BIN, {"--config", (dir_.path() / "d" / "signaal.toml").string(), "staff",
                                "add", staff, "--role", "caseworker", "--desk", desk, "--sign-pk",
                                std::string(doc.at("sign_pk").as_string()), "--box-pk",
                                std::string(doc.at("box_pk").as_string())}),
        "staff add " + staff);
    extra_keys_[staff] = file;
    return file;
}

std::map<std::string, testing::desk_keypair> demo_instance::desk_keys() const {
    testing::https_client client("127.0.0.1", port_, certificate());
    const auto config = json::parse(client.get("/api/v1/config").body).value();
    std::map<std::string, testing::desk_keypair> keys;
    for (const auto& d : config.at("desks").as_array()) {
        testing::desk_keypair k;
        k.public_key =
            crypto::base64url_decode(std::string(d.at("public_key").as_string())).value();
        k.key_id = crypto::base64url_decode(std::string(d.at("key_id").as_string())).value();
        keys.emplace(std::string(d.at("id").as_string()), std::move(k));
    }
    return keys;
}

std::string demo_instance::submit(const std::vector<std::string>& consent, const std::string& text,
                                  const testing::reporter_mailbox* reporter) {
    testing::https_client client("127.0.0.1", port_, certificate());
    const auto keys = desk_keys();
    testing::report_input in;
    in.category = "physical_violence";
    in.consent = consent;
    in.desks = consent;
    std::sort(in.desks.begin(), in.desks.end());
    in.plaintext = json::serialize(json::object{{"v", 1}, {"lang", "nl"}, {"text", text}});
    for (const auto& desk : in.desks) {
        in.keys[desk] = &keys.at(desk);
    }
    if (reporter != nullptr) {
        in.reply_box_pk = reporter->keys().box.public_key;
        in.reply_mailbox_pk = reporter->keys().mailbox.public_key;
    }
    auto body = testing::build_report(in);
    const auto pow = json::parse(client.get("/api/v1/pow").body).value();
    testing::add_pow(body, std::string(pow.at("token").as_string()),
                     static_cast<unsigned>(pow.at("difficulty").as_int64()));
    const auto reply = client.post_json("/api/v1/reports", json::serialize(body));
    if (reply.status != 201) {
        throw std::runtime_error("submit: " + std::to_string(reply.status) + " " + reply.body);
    }
    return std::string(json::parse(reply.body).value().at("id").as_string());
}

void demo_instance::sql(const std::string& statement) const {
    sqlite3* db = nullptr;
    const auto path = (dir_.path() / "d" / "signaal.db").string();
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
        sqlite3_close(db);
        throw std::runtime_error("cannot open " + path);
    }
    sqlite3_busy_timeout(db, 10000);
    char* error = nullptr;
    const int rc = sqlite3_exec(db, statement.c_str(), nullptr, nullptr, &error);
    const std::string message = error != nullptr ? error : "";
    sqlite3_free(error);
    const int changed = sqlite3_changes(db);
    sqlite3_close(db);
    if (rc != SQLITE_OK || changed == 0) {
        throw std::runtime_error("sql: " + statement + ": " +
                                 (rc != SQLITE_OK ? message : "no row changed"));
    }
}

} // namespace signaal::inbox_test
