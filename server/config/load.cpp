// Loads the instance configuration: the embedded defaults first, then the
// operator's file over them. Each scalar key has one spec in `key_specs`
// (name, field, kind, bounds) and is checked while applying (type, range,
// unknown names); the [[desks]], [[categories]], [routing] and [[help]]
// lists have their own readers. Rules that tie keys together are checked
// once at the end on the merged result. The only file that includes toml++.
// A new key: a line in key_specs, config/defaults.toml, the example, a test.
// Debian's toml++ is a compiled library built with exceptions, so parse()
// throws; the throw never leaves parse() below.
#include <toml++/toml.h>

#include "server/config/embedded_defaults.hpp"
#include "server/config/listen_address.hpp"
#include "server/config/mail_address.hpp"
#include "server/config/origin.hpp"
#include "server/config/settings.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>
#include <variant>

namespace signaal::config {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view defaults_source = "defaults.toml (embedded)";
constexpr std::int64_t max_body = 64 * 1024 * 1024;
constexpr std::int64_t max_seconds = 24 * 3600;

bool valid_language(std::string_view s) {
    // "nl", "fil", "pt-BR": ISO 639 letters with an optional region.
    auto lower = [](char c) { return c >= 'a' && c <= 'z'; };
    auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
    std::size_t n = 0;
    while (n < s.size() && lower(s[n])) {
        ++n;
    }
    if (n < 2 || n > 3) {
        return false;
    }
    if (n == s.size()) {
        return true;
    }
    return s.size() == n + 3 && s[n] == '-' && upper(s[n + 1]) && upper(s[n + 2]);
}

bool valid_url(std::string_view s) {
    auto has_prefix = [&](std::string_view p) {
        return s.size() > p.size() && s.substr(0, p.size()) == p;
    };
    if (!has_prefix("https://") && !has_prefix("http://")) {
        return false;
    }
    return std::none_of(s.begin(), s.end(),
                        [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7F; });
}

bool valid_transport(std::string_view s) {
    return s == "off" || s == "smtp" || s == "sendmail";
}

bool valid_role(std::string_view s) {
    // The phone page has texts for these roles only.
    return s == "sex_worker" || s == "peer_expert";
}

// ---- one spec per key of [instance], [server], [limits] and [reports] ----
// A kind says how a key is read and checked; `at` names the field it sets.
// Defaults live in config/defaults.toml only: loading fails if that file
// leaves out a key that is not optional.

struct whole_number {
    std::variant<unsigned settings::*, unsigned limits::*, std::size_t limits::*> at;
    std::int64_t min;
    std::int64_t max;
};
struct text {
    std::string settings::*at;
    bool url = false; // an https:// (or http://) address
};
struct path {
    fs::path settings::*at; // relative to the file's folder
};
struct optional_path {
    std::optional<fs::path> settings::*at;
};
struct word_list {
    std::vector<std::string> settings::*at;
    bool (*valid)(std::string_view);
    const char* when_invalid; // follows the quoted word
    const char* when_empty;   // nullptr: an empty list is fine
};
struct listen {
    std::string settings::*host;
    std::uint16_t settings::*port;
};
struct checked_text {
    std::string settings::*at;
    bool (*valid)(std::string_view);
    const char* when_invalid;
};
struct flag {
    bool settings::*at;
};
// A listener without TLS: refused unless on a loopback address; `why` says
// what it serves, in the error.
struct loopback_listen {
    std::optional<listen_address> settings::*at;
    const char* why;
};
struct level {
    log_level settings::*at; // error, warn, info or debug
};
struct byte_sizes {
    std::vector<std::size_t> settings::*at; // strictly ascending
    std::int64_t min;
    std::int64_t max;
};

struct key_spec {
    std::string_view name; // "section.key"
    std::variant<whole_number, text, path, optional_path, word_list, listen, loopback_listen,
                 byte_sizes, checked_text, flag, level>
        kind;
    bool optional = false; // may be absent from the defaults
};

// clang-format off
const std::array key_specs{
    key_spec{"instance.name", text{&settings::instance_name}},
    key_spec{"instance.languages", word_list{&settings::languages, valid_language,
             "is not a language code like \"nl\" or \"pt-BR\"", "must name at least one language"}},
    key_spec{"instance.quick_exit_url", text{&settings::quick_exit_url, true}},
    key_spec{"instance.origins", word_list{&settings::origins, valid_origin,
             "is not an origin like \"https://signaal.example.org\" (lower case, no path, no "
             "default port)", nullptr}},

    key_spec{"server.listen", listen{&settings::listen_host, &settings::listen_port}},
    key_spec{"server.onion_listen",
             loopback_listen{&settings::onion_listen,
                             "127.0.0.1:PORT or [::1]:PORT): it serves plain HTTP, for a Tor "
                             "onion service on this host only"},
             true},
    key_spec{"server.threads", whole_number{&settings::threads, 0, 1024}},
    key_spec{"server.data_dir", path{&settings::data_dir}},
    key_spec{"server.web_root", path{&settings::web_root}},
    key_spec{"server.tls_certificate", optional_path{&settings::tls_certificate}, true},
    key_spec{"server.tls_private_key", optional_path{&settings::tls_private_key}, true},

    key_spec{"limits.body_max_bytes", whole_number{&limits::body_max_bytes, 1, max_body}},
    key_spec{"limits.header_max_bytes", whole_number{&limits::header_max_bytes, 1024, 1048576}},
    key_spec{"limits.read_timeout_seconds",
             whole_number{&limits::read_timeout_seconds, 1, max_seconds}},
    key_spec{"limits.idle_timeout_seconds",
             whole_number{&limits::idle_timeout_seconds, 1, max_seconds}},
    key_spec{"limits.handshake_timeout_seconds",
             whole_number{&limits::handshake_timeout_seconds, 1, max_seconds}},
    key_spec{"limits.drain_timeout_seconds",
             whole_number{&limits::drain_timeout_seconds, 1, max_seconds}},
    key_spec{"limits.max_connections", whole_number{&limits::max_connections, 1, 1'000'000}},
    key_spec{"limits.max_pending_writes", whole_number{&limits::max_pending_writes, 1, 1'000'000}},

    key_spec{"reports.roles", word_list{&settings::roles, valid_role,
             "is not a role; roles are sex_worker and peer_expert", "must name at least one role"}},
    key_spec{"reports.padding_buckets", byte_sizes{&settings::padding_buckets, 64, 1048576}},
    key_spec{"reports.pow_difficulty", whole_number{&settings::pow_difficulty, 0, 32}},
    key_spec{"reports.pow_token_lifetime_seconds",
             whole_number{&settings::pow_token_lifetime_seconds, 1, 600}},
    key_spec{"reports.desk_key_grace_days", whole_number{&settings::desk_key_grace_days, 0, 3650}},
    key_spec{"reports.write_batch_max", whole_number{&settings::write_batch_max, 1, 100'000}},
    key_spec{"reports.retention_days", whole_number{&settings::retention_days, 1, 3650}},

    key_spec{"staff.token_lifetime_seconds",
             whole_number{&settings::token_lifetime_seconds, 1, 8 * 3600}},
    key_spec{"staff.challenge_lifetime_seconds",
             whole_number{&settings::challenge_lifetime_seconds, 1, 600}},
    key_spec{"stream.ping_interval_seconds",
             whole_number{&settings::stream_ping_interval_seconds, 1, 3600}},
    key_spec{"stream.send_queue_max", whole_number{&settings::stream_send_queue_max, 1, 1'000'000}},
    key_spec{"stats.k", whole_number{&settings::stats_k, 3, 1000}},

    key_spec{"notifications.transport", checked_text{&settings::notify_transport, valid_transport,
             "must be \"off\", \"smtp\" or \"sendmail\""}},
    key_spec{"notifications.interval_minutes",
             whole_number{&settings::notify_interval_minutes, 1, 24 * 60}},
    key_spec{"notifications.smtp_url", checked_text{&settings::notify_smtp_url, valid_smtp_url,
             "must be smtp://HOST:PORT or smtps://HOST:PORT, without user, password or path"},
             true},
    key_spec{"notifications.require_starttls", flag{&settings::notify_require_starttls}},
    key_spec{"notifications.ca_file", optional_path{&settings::notify_ca_file}, true},
    key_spec{"notifications.sendmail", path{&settings::notify_sendmail}},
    key_spec{"notifications.from", checked_text{&settings::notify_from, valid_mail_address,
             "must be a plain address like signaal@example.org"}, true},
    key_spec{"notifications.inbox_url", text{&settings::notify_inbox_url, true}, true},

    key_spec{"metrics.listen",
             loopback_listen{&settings::metrics_listen,
                             "127.0.0.1 or [::1]): this listener has no TLS and no sign-in"},
             true},
    key_spec{"log.level", level{&settings::logging}},
};
// clang-format on

template <typename T> T& field(settings& s, T settings::*at) {
    return s.*at;
}
template <typename T> T& field(settings& s, T limits::*at) {
    return s.limit.*at;
}

class loader {
  public:
    loader(std::string_view source, fs::path base) : source_(source), base_(std::move(base)) {}

    [[nodiscard]] const std::string& error() const { return error_; }

    /// Parses TOML text; on a syntax error names the line and column.
    std::optional<toml::table> parse(std::string_view text) {
        try {
            return toml::parse(text, std::string(source_));
        } catch (const toml::parse_error& e) {
            std::ostringstream msg;
            msg << source_ << ": line " << e.source().begin.line << ", column "
                << e.source().begin.column << ": " << e.description();
            error_ = msg.str();
            return std::nullopt;
        }
    }

    /// Sets every key present in `root`; absent keys keep their value.
    bool apply(const toml::table& root, settings& s) {
        for (auto&& [k, node] : root) {
            const std::string key(k.str());
            bool ok = true;
            if (key == "desks") {
                ok = apply_desks(node, s.desks);
            } else if (key == "categories") {
                ok = apply_categories(node, s.categories);
            } else if (key == "routing") {
                routing_given_ = true;
                ok = apply_routing(node, s.routing);
            } else if (key == "help") {
                ok = apply_help(node, s.help);
            } else if (is_section(key)) {
                ok = apply_section(node, key, s);
            } else {
                ok = unknown(key);
            }
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /// The defaults file is the only place defaults live: it must set every key.
    bool covers_every_key() {
        for (const auto& spec : key_specs) {
            if (!spec.optional && !given_.contains(spec.name)) {
                return fail(spec.name, "missing from the defaults");
            }
        }
        return true;
    }

    /// Rules across keys, on the merged result.
    bool finish(settings& s) {
        if (s.desks.empty()) {
            return fail("desks", "at least one desk is needed");
        }
        if (s.categories.empty()) {
            return fail("categories", "at least one category is needed");
        }
        for (auto& [cat, list] : s.routing) {
            const std::string key = "routing." + cat;
            // Lists replace the defaults whole; the default routing then often
            // names ids that are gone.
            const std::string hint =
                routing_given_
                    ? ""
                    : " (your file replaces the default list, so give a [routing] table too)";
            if (s.find_category(cat) == nullptr) {
                return fail(key, "there is no category with this id" + hint);
            }
            for (const auto& d : list) {
                if (s.find_desk(d) == nullptr) {
                    return fail(key, "there is no desk with the id \"" + d + "\"" + hint);
                }
            }
            std::sort(list.begin(), list.end());
            if (std::adjacent_find(list.begin(), list.end()) != list.end()) {
                return fail(key, "names a desk twice");
            }
        }
        for (const auto& c : s.categories) {
            if (s.routing.find(c.id) == s.routing.end()) {
                return fail(
                    "routing." + c.id,
                    "missing; every category needs a routing entry (use [] for count only)");
            }
        }
        if (s.notify_transport != "off") {
            if (s.notify_from.empty()) {
                return fail("notifications.from", "missing; notifications need a From address");
            }
            if (s.notify_inbox_url.empty()) {
                return fail("notifications.inbox_url",
                            "missing; notifications link to the inbox (e.g. "
                            "https://signaal.example.org/desk/)");
            }
        }
        if (s.notify_transport == "smtp" && s.notify_smtp_url.empty()) {
            return fail("notifications.smtp_url",
                        "missing; the smtp transport needs a relay like smtp://relay:587");
        }
        if (s.tls_certificate.has_value() != s.tls_private_key.has_value()) {
            return fail(s.tls_certificate ? "server.tls_private_key" : "server.tls_certificate",
                        "set both server.tls_certificate and server.tls_private_key, or neither");
        }
        // A report's ciphertext is base64url of the padded plaintext, plus room
        // for the envelopes and the other fields.
        const std::size_t largest = s.padding_buckets.back();
        const std::size_t needed = largest * 4 / 3 + 4096;
        if (s.limit.body_max_bytes < needed) {
            return fail("limits.body_max_bytes",
                        "must be at least " + std::to_string(needed) +
                            " to fit a report in the largest padding bucket");
        }
        return true;
    }

  private:
    bool fail(std::string_view key, std::string_view what) {
        error_ = std::string(source_) + ": " + std::string(key) + ": " + std::string(what);
        return false;
    }

    bool unknown(std::string_view key) { return fail(key, "unknown key"); }

    static bool is_section(std::string_view name) {
        return std::any_of(key_specs.begin(), key_specs.end(), [&](const key_spec& spec) {
            return spec.name.size() > name.size() && spec.name.starts_with(name) &&
                   spec.name[name.size()] == '.';
        });
    }

    bool apply_section(const toml::node& node, const std::string& section, settings& s) {
        const auto* t = node.as_table();
        if (t == nullptr) {
            return fail(section, "must be a table");
        }
        for (auto&& [k, n] : *t) {
            const std::string key = section + "." + std::string(k.str());
            const auto spec = std::find_if(key_specs.begin(), key_specs.end(),
                                           [&](const key_spec& e) { return e.name == key; });
            if (spec == key_specs.end()) {
                return unknown(key);
            }
            if (!std::visit([&](const auto& kind) { return set(kind, n, key, s); }, spec->kind)) {
                return false;
            }
            given_.insert(spec->name);
        }
        return true;
    }

    bool set(const whole_number& kind, const toml::node& n, const std::string& key, settings& s) {
        return std::visit(
            [&](auto at) { return get_uint(n, key, kind.min, kind.max, field(s, at)); }, kind.at);
    }

    bool set(const text& kind, const toml::node& n, const std::string& key, settings& s) {
        std::string value;
        if (!get_string(n, key, value)) {
            return false;
        }
        if (kind.url && !valid_url(value)) {
            return fail(key, "must be an https:// (or http://) address without spaces");
        }
        field(s, kind.at) = std::move(value);
        return true;
    }

    bool set(const path& kind, const toml::node& n, const std::string& key, settings& s) {
        return get_path(n, key, field(s, kind.at));
    }

    bool set(const optional_path& kind, const toml::node& n, const std::string& key, settings& s) {
        fs::path p;
        if (!get_path(n, key, p)) {
            return false;
        }
        field(s, kind.at) = std::move(p);
        return true;
    }

    bool set(const word_list& kind, const toml::node& n, const std::string& key, settings& s) {
        std::vector<std::string> list;
        if (!get_string_list(n, key, list)) {
            return false;
        }
        if (list.empty() && kind.when_empty != nullptr) {
            return fail(key, kind.when_empty);
        }
        for (const auto& word : list) {
            if (!kind.valid(word)) {
                return fail(key, "\"" + word + "\" " + kind.when_invalid);
            }
        }
        if (!check_ids(list, key)) {
            return false;
        }
        field(s, kind.at) = std::move(list);
        return true;
    }

    bool set(const listen& kind, const toml::node& n, const std::string& key, settings& s) {
        std::string value;
        if (!get_string(n, key, value)) {
            return false;
        }
        auto address = parse_listen(value);
        if (!address) {
            return fail(key, address.error().message);
        }
        field(s, kind.host) = std::move(address->host);
        field(s, kind.port) = address->port;
        return true;
    }

    bool set(const checked_text& kind, const toml::node& n, const std::string& key, settings& s) {
        std::string value;
        if (!get_string(n, key, value)) {
            return false;
        }
        if (!kind.valid(value)) {
            return fail(key, kind.when_invalid);
        }
        field(s, kind.at) = std::move(value);
        return true;
    }

    bool set(const flag& kind, const toml::node& n, const std::string& key, settings& s) {
        const auto* v = n.as_boolean();
        if (v == nullptr) {
            return fail(key, "must be true or false");
        }
        field(s, kind.at) = v->get();
        return true;
    }

    bool set(const loopback_listen& kind, const toml::node& n, const std::string& key,
             settings& s) {
        std::string value;
        if (!get_string(n, key, value)) {
            return false;
        }
        auto address = parse_listen(value);
        if (!address) {
            return fail(key, address.error().message);
        }
        if (!is_loopback(*address)) {
            return fail(key, std::string("must be a loopback address (") + kind.why);
        }
        field(s, kind.at) = std::move(*address);
        return true;
    }

    bool set(const level& kind, const toml::node& n, const std::string& key, settings& s) {
        std::string value;
        if (!get_string(n, key, value)) {
            return false;
        }
        auto parsed = parse_log_level(value);
        if (!parsed) {
            return fail(key, parsed.error().message);
        }
        field(s, kind.at) = *parsed;
        return true;
    }

    bool set(const byte_sizes& kind, const toml::node& n, const std::string& key, settings& s) {
        const auto* a = n.as_array();
        if (a == nullptr || a->empty()) {
            return fail(key, "must be a non-empty array of sizes in bytes");
        }
        std::vector<std::size_t> list;
        for (const auto& e : *a) {
            const auto* v = e.as_integer();
            if (v == nullptr) {
                return fail(key, "must be a non-empty array of sizes in bytes");
            }
            if (v->get() < kind.min || v->get() > kind.max) {
                return fail(key, "each size must be between " + std::to_string(kind.min) + " and " +
                                     std::to_string(kind.max));
            }
            const auto size = static_cast<std::size_t>(v->get());
            if (!list.empty() && size <= list.back()) {
                return fail(key, "sizes must be in strictly ascending order");
            }
            list.push_back(size);
        }
        field(s, kind.at) = std::move(list);
        return true;
    }

    // ---- typed values -------------------------------------------------

    bool get_string(const toml::node& n, const std::string& key, std::string& out,
                    bool allow_empty = false) {
        const auto* v = n.as_string();
        if (v == nullptr) {
            return fail(key, "must be a string");
        }
        if (!allow_empty && v->get().empty()) {
            return fail(key, "must not be empty");
        }
        out = v->get();
        return true;
    }

    template <typename T>
    bool get_uint(const toml::node& n, const std::string& key, std::int64_t min, std::int64_t max,
                  T& out) {
        const auto* v = n.as_integer();
        if (v == nullptr) {
            return fail(key, "must be a whole number");
        }
        const std::int64_t i = v->get();
        if (i < min || i > max) {
            return fail(key,
                        "must be between " + std::to_string(min) + " and " + std::to_string(max));
        }
        out = static_cast<T>(i);
        return true;
    }

    bool get_string_list(const toml::node& n, const std::string& key,
                         std::vector<std::string>& out) {
        const auto* a = n.as_array();
        if (a == nullptr) {
            return fail(key, "must be an array of strings");
        }
        std::vector<std::string> list;
        for (const auto& e : *a) {
            const auto* v = e.as_string();
            if (v == nullptr) {
                return fail(key, "must be an array of strings");
            }
            list.push_back(v->get());
        }
        out = std::move(list);
        return true;
    }

    bool get_path(const toml::node& n, const std::string& key, fs::path& out) {
        std::string s;
        if (!get_string(n, key, s)) {
            return false;
        }
        fs::path p(s);
        if (p.is_relative() && !base_.empty()) {
            p = base_ / p;
        }
        out = p.lexically_normal();
        return true;
    }

    /// A table of language code -> text; English first, the others in code order.
    bool get_localized(const toml::node& n, const std::string& key, localized& out, bool need_en) {
        const auto* t = n.as_table();
        if (t == nullptr) {
            return fail(
                key,
                "must be a table of language code to text, e.g. { en = \"...\", nl = \"...\" }");
        }
        localized list;
        for (auto&& [k, v] : *t) {
            const std::string lang(k.str());
            const std::string full = key + "." + lang;
            if (!valid_language(lang)) {
                return fail(full, "not a language code like \"nl\" or \"pt-BR\"");
            }
            std::string text;
            if (!get_string(v, full, text)) {
                return false;
            }
            list.emplace_back(lang, std::move(text));
        }
        const auto en =
            std::find_if(list.begin(), list.end(), [](const auto& p) { return p.first == "en"; });
        if (en == list.end()) {
            if (need_en) {
                return fail(key, "needs an English text (en); English is the fallback language");
            }
        } else {
            std::rotate(list.begin(), en, en + 1);
        }
        out = std::move(list);
        return true;
    }

    bool check_ids(const std::vector<std::string>& list, const std::string& key) {
        std::set<std::string_view> seen;
        for (const auto& s : list) {
            if (!seen.insert(s).second) {
                return fail(key, "lists \"" + s + "\" twice");
            }
        }
        return true;
    }

    /// [[name]]: an array of tables; calls each(table, "name[i]") per element.
    template <typename Fn> bool table_array(const toml::node& n, std::string_view name, Fn&& each) {
        const auto* a = n.as_array();
        if (a == nullptr) {
            return fail(name, "must be an array of tables, written [[" + std::string(name) + "]]");
        }
        for (std::size_t i = 0; i < a->size(); ++i) {
            const std::string key = std::string(name) + "[" + std::to_string(i) + "]";
            const auto* t = (*a)[i].as_table();
            if (t == nullptr) {
                return fail(key, "must be a table");
            }
            if (!each(*t, key)) {
                return false;
            }
        }
        return true;
    }

    bool get_id(const toml::table& t, const std::string& key, std::string& out) {
        const auto* n = t.get("id");
        if (n == nullptr) {
            return fail(key + ".id", "missing");
        }
        if (!get_string(*n, key + ".id", out)) {
            return false;
        }
        if (!valid_id(out)) {
            return fail(key + ".id", "must be 1 to 32 characters from a-z, 0-9, _ and -");
        }
        return true;
    }

    bool apply_desks(const toml::node& n, std::vector<desk>& out) {
        std::vector<desk> list;
        const bool ok = table_array(n, "desks", [&](const toml::table& t, const std::string& key) {
            desk d;
            bool has_name = false;
            bool has_about = false;
            for (auto&& [k, v] : t) {
                const std::string full = key + "." + std::string(k.str());
                if (k.str() == "id") {
                    if (!get_id(t, key, d.id)) {
                        return false;
                    }
                } else if (k.str() == "name") {
                    has_name = true;
                    if (!get_localized(v, full, d.name, true)) {
                        return false;
                    }
                } else if (k.str() == "about") {
                    has_about = true;
                    if (!get_localized(v, full, d.about, true)) {
                        return false;
                    }
                } else if (k.str() == "notify") {
                    if (!get_string_list(v, full, d.notify) || !check_ids(d.notify, full)) {
                        return false;
                    }
                    for (const auto& address : d.notify) {
                        if (!valid_mail_address(address)) {
                            return fail(full, "\"" + address +
                                                  "\" is not a plain address like "
                                                  "caseworker@example.org");
                        }
                    }
                } else {
                    return unknown(full);
                }
            }
            if (d.id.empty()) {
                return fail(key + ".id", "missing");
            }
            if (d.id == "reporter") {
                return fail(key + ".id", "\"reporter\" is reserved and cannot be a desk id");
            }
            if (!has_name) {
                return fail(key + ".name", "missing");
            }
            if (!has_about) {
                return fail(
                    key + ".about",
                    "missing; say in plain words what this organisation does with a report");
            }
            for (const auto& other : list) {
                if (other.id == d.id) {
                    return fail(key + ".id", "another desk already has the id \"" + d.id + "\"");
                }
            }
            list.push_back(std::move(d));
            return true;
        });
        if (ok) {
            out = std::move(list);
        }
        return ok;
    }

    bool apply_categories(const toml::node& n, std::vector<category>& out) {
        std::vector<category> list;
        const bool ok =
            table_array(n, "categories", [&](const toml::table& t, const std::string& key) {
                category c;
                bool has_name = false;
                for (auto&& [k, v] : t) {
                    const std::string full = key + "." + std::string(k.str());
                    if (k.str() == "id") {
                        if (!get_id(t, key, c.id)) {
                            return false;
                        }
                    } else if (k.str() == "name") {
                        has_name = true;
                        if (!get_localized(v, full, c.name, true)) {
                            return false;
                        }
                    } else {
                        return unknown(full);
                    }
                }
                if (c.id.empty()) {
                    return fail(key + ".id", "missing");
                }
                if (!has_name) {
                    return fail(key + ".name", "missing");
                }
                for (const auto& other : list) {
                    if (other.id == c.id) {
                        return fail(key + ".id",
                                    "another category already has the id \"" + c.id + "\"");
                    }
                }
                list.push_back(std::move(c));
                return true;
            });
        if (ok) {
            out = std::move(list);
        }
        return ok;
    }

    bool apply_routing(const toml::node& n, std::map<std::string, std::vector<std::string>>& out) {
        const auto* t = n.as_table();
        if (t == nullptr) {
            return fail("routing", "must be a table of category = [desks]");
        }
        std::map<std::string, std::vector<std::string>> routing;
        for (auto&& [k, v] : *t) {
            const std::string key = "routing." + std::string(k.str());
            std::vector<std::string> list;
            if (!get_string_list(v, key, list)) {
                return false;
            }
            routing.emplace(std::string(k.str()), std::move(list));
        }
        out = std::move(routing);
        return true;
    }

    bool apply_help(const toml::node& n, std::vector<help_entry>& out) {
        std::vector<help_entry> list;
        const bool ok = table_array(n, "help", [&](const toml::table& t, const std::string& key) {
            help_entry h;
            for (auto&& [k, v] : t) {
                const std::string full = key + "." + std::string(k.str());
                bool good = true;
                if (k.str() == "name") {
                    good = get_string(v, full, h.name);
                } else if (k.str() == "phone") {
                    good = get_string(v, full, h.phone, true);
                } else if (k.str() == "url") {
                    good = get_string(v, full, h.url, true);
                    if (good && !h.url.empty() && !valid_url(h.url)) {
                        good =
                            fail(full, "must be an https:// (or http://) address without spaces");
                    }
                } else if (k.str() == "about") {
                    good = get_localized(v, full, h.about, false);
                } else {
                    good = unknown(full);
                }
                if (!good) {
                    return false;
                }
            }
            if (h.name.empty()) {
                return fail(key + ".name", "missing");
            }
            list.push_back(std::move(h));
            return true;
        });
        if (ok) {
            out = std::move(list);
        }
        return ok;
    }

    std::string_view source_;
    fs::path base_;
    bool routing_given_ = false;
    std::set<std::string_view> given_; // spec keys this file set
    std::string error_;
};

/// Defaults, then (optionally) the operator's text over them, then the cross-key rules.
result<settings> load(const std::string_view* user_text, const fs::path& base_dir,
                      std::string_view source) {
    settings s;
    {
        loader defaults(defaults_source, base_dir);
        auto table = defaults.parse(embedded_defaults());
        if (!table || !defaults.apply(*table, s) || !defaults.covers_every_key()) {
            return fail(defaults.error());
        }
    }
    loader user(user_text != nullptr ? source : defaults_source, base_dir);
    if (user_text != nullptr) {
        auto table = user.parse(*user_text);
        if (!table || !user.apply(*table, s)) {
            return fail(user.error());
        }
    }
    if (!user.finish(s)) {
        return fail(user.error());
    }
    return s;
}

} // namespace

result<settings> load_defaults(const std::filesystem::path& base_dir) {
    return load(nullptr, base_dir, defaults_source);
}

result<settings> load_string(std::string_view toml_text, const std::filesystem::path& base_dir,
                             std::string_view source_name) {
    return load(&toml_text, base_dir, source_name);
}

result<settings> load_file(const std::filesystem::path& file) {
    const std::string source = file.string();
    std::error_code ec;
    if (fs::is_directory(file, ec)) {
        return fail(source + ": is a folder, not a file");
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        return fail(source + ": cannot be opened for reading");
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) {
        return fail(source + ": cannot be read");
    }
    fs::path base = fs::absolute(file, ec).parent_path();
    if (ec) {
        base = file.parent_path();
    }
    const std::string content = text.str();
    return load_string(content, base, source);
}

} // namespace signaal::config
