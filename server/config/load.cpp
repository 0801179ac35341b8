// Loads the instance configuration: the embedded defaults first, then the
// operator's file over them. Keys are checked one by one while applying
// (type, range, unknown names); rules that tie keys together are checked
// once at the end on the merged result. The only file that includes toml++.
// Debian's toml++ is a compiled library built with exceptions, so parse()
// throws; the throw never leaves parse() below.
#include <toml++/toml.h>

#include "server/config/embedded_defaults.hpp"
#include "server/config/listen_address.hpp"
#include "server/config/settings.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

namespace signaal::config {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view defaults_source = "defaults.toml (embedded)";
constexpr std::int64_t max_bucket = 1048576;
constexpr std::int64_t min_bucket = 64;
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
            if (key == "instance") {
                ok = section(
                    node, key,
                    [&](std::string_view name, const toml::node& n, const std::string& full) {
                        return apply_instance(name, n, full, s);
                    });
            } else if (key == "server") {
                ok = section(
                    node, key,
                    [&](std::string_view name, const toml::node& n, const std::string& full) {
                        return apply_server(name, n, full, s);
                    });
            } else if (key == "limits") {
                ok = section(
                    node, key,
                    [&](std::string_view name, const toml::node& n, const std::string& full) {
                        return apply_limits(name, n, full, s.limit);
                    });
            } else if (key == "reports") {
                ok = section(
                    node, key,
                    [&](std::string_view name, const toml::node& n, const std::string& full) {
                        return apply_reports(name, n, full, s);
                    });
            } else if (key == "desks") {
                ok = apply_desks(node, s.desks);
            } else if (key == "categories") {
                ok = apply_categories(node, s.categories);
            } else if (key == "routing") {
                routing_given_ = true;
                ok = apply_routing(node, s.routing);
            } else if (key == "help") {
                ok = apply_help(node, s.help);
            } else {
                ok = unknown(key);
            }
            if (!ok) {
                return false;
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

    template <typename Fn>
    bool section(const toml::node& node, const std::string& prefix, Fn&& each) {
        const auto* t = node.as_table();
        if (t == nullptr) {
            return fail(prefix, "must be a table");
        }
        for (auto&& [k, n] : *t) {
            if (!each(k.str(), n, prefix + "." + std::string(k.str()))) {
                return false;
            }
        }
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

    bool get_seconds(const toml::node& n, const std::string& key, unsigned& out) {
        return get_uint(n, key, 1, max_seconds, out);
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

    // ---- sections -----------------------------------------------------

    bool apply_instance(std::string_view name, const toml::node& n, const std::string& key,
                        settings& s) {
        if (name == "name") {
            return get_string(n, key, s.instance_name);
        }
        if (name == "languages") {
            std::vector<std::string> list;
            if (!get_string_list(n, key, list)) {
                return false;
            }
            if (list.empty()) {
                return fail(key, "must name at least one language");
            }
            for (const auto& l : list) {
                if (!valid_language(l)) {
                    return fail(key,
                                "\"" + l + "\" is not a language code like \"nl\" or \"pt-BR\"");
                }
            }
            if (!check_ids(list, key)) {
                return false;
            }
            s.languages = std::move(list);
            return true;
        }
        if (name == "quick_exit_url") {
            std::string url;
            if (!get_string(n, key, url)) {
                return false;
            }
            if (!valid_url(url)) {
                return fail(key, "must be an https:// (or http://) address without spaces");
            }
            s.quick_exit_url = std::move(url);
            return true;
        }
        return unknown(key);
    }

    bool apply_listen(const toml::node& n, const std::string& key, settings& s) {
        std::string text;
        if (!get_string(n, key, text)) {
            return false;
        }
        const auto address = parse_listen(text);
        if (!address) {
            return fail(key, address.error);
        }
        s.listen_host = address.host;
        s.listen_port = address.port;
        return true;
    }

    bool apply_server(std::string_view name, const toml::node& n, const std::string& key,
                      settings& s) {
        if (name == "listen") {
            return apply_listen(n, key, s);
        }
        if (name == "threads") {
            return get_uint(n, key, 0, 1024, s.threads);
        }
        if (name == "data_dir") {
            return get_path(n, key, s.data_dir);
        }
        if (name == "web_root") {
            return get_path(n, key, s.web_root);
        }
        if (name == "tls_certificate" || name == "tls_private_key") {
            fs::path p;
            if (!get_path(n, key, p)) {
                return false;
            }
            (name == "tls_certificate" ? s.tls_certificate : s.tls_private_key) = std::move(p);
            return true;
        }
        return unknown(key);
    }

    bool apply_limits(std::string_view name, const toml::node& n, const std::string& key,
                      limits& l) {
        if (name == "body_max_bytes") {
            return get_uint(n, key, 1, max_body, l.body_max_bytes);
        }
        if (name == "header_max_bytes") {
            return get_uint(n, key, 1024, 1048576, l.header_max_bytes);
        }
        if (name == "read_timeout_seconds") {
            return get_seconds(n, key, l.read_timeout_seconds);
        }
        if (name == "idle_timeout_seconds") {
            return get_seconds(n, key, l.idle_timeout_seconds);
        }
        if (name == "handshake_timeout_seconds") {
            return get_seconds(n, key, l.handshake_timeout_seconds);
        }
        if (name == "drain_timeout_seconds") {
            return get_seconds(n, key, l.drain_timeout_seconds);
        }
        if (name == "max_connections") {
            return get_uint(n, key, 1, 1'000'000, l.max_connections);
        }
        if (name == "max_pending_writes") {
            return get_uint(n, key, 1, 1'000'000, l.max_pending_writes);
        }
        return unknown(key);
    }

    bool apply_reports(std::string_view name, const toml::node& n, const std::string& key,
                       settings& s) {
        if (name == "roles") {
            std::vector<std::string> list;
            if (!get_string_list(n, key, list)) {
                return false;
            }
            if (list.empty()) {
                return fail(key, "must name at least one role");
            }
            for (const auto& r : list) {
                // The phone page has texts for these roles only.
                if (r != "sex_worker" && r != "peer_expert") {
                    return fail(key, "\"" + r +
                                         "\" is not a role; roles are sex_worker and peer_expert");
                }
            }
            if (!check_ids(list, key)) {
                return false;
            }
            s.roles = std::move(list);
            return true;
        }
        if (name == "padding_buckets") {
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
                if (v->get() < min_bucket || v->get() > max_bucket) {
                    return fail(key, "each size must be between " + std::to_string(min_bucket) +
                                         " and " + std::to_string(max_bucket));
                }
                const auto size = static_cast<std::size_t>(v->get());
                if (!list.empty() && size <= list.back()) {
                    return fail(key, "sizes must be in strictly ascending order");
                }
                list.push_back(size);
            }
            s.padding_buckets = std::move(list);
            return true;
        }
        if (name == "pow_difficulty") {
            return get_uint(n, key, 0, 32, s.pow_difficulty);
        }
        if (name == "pow_token_lifetime_seconds") {
            return get_uint(n, key, 1, 600, s.pow_token_lifetime_seconds);
        }
        if (name == "desk_key_grace_days") {
            return get_uint(n, key, 0, 3650, s.desk_key_grace_days);
        }
        if (name == "write_batch_max") {
            return get_uint(n, key, 1, 100'000, s.write_batch_max);
        }
        return unknown(key);
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
    std::string error_;
};

load_result failed(std::string error) {
    load_result r;
    r.error = std::move(error);
    return r;
}

/// Defaults, then (optionally) the operator's text over them, then the cross-key rules.
load_result load(const std::string_view* user_text, const fs::path& base_dir,
                 std::string_view source) {
    settings s;
    {
        loader defaults(defaults_source, base_dir);
        auto table = defaults.parse(embedded_defaults());
        if (!table || !defaults.apply(*table, s)) {
            return failed(defaults.error());
        }
    }
    loader user(user_text != nullptr ? source : defaults_source, base_dir);
    if (user_text != nullptr) {
        auto table = user.parse(*user_text);
        if (!table || !user.apply(*table, s)) {
            return failed(user.error());
        }
    }
    if (!user.finish(s)) {
        return failed(user.error());
    }
    load_result r;
    r.value = std::move(s);
    return r;
}

} // namespace

load_result load_defaults(const std::filesystem::path& base_dir) {
    return load(nullptr, base_dir, defaults_source);
}

load_result load_string(std::string_view toml_text, const std::filesystem::path& base_dir,
                        std::string_view source_name) {
    return load(&toml_text, base_dir, source_name);
}

load_result load_file(const std::filesystem::path& file) {
    const std::string source = file.string();
    std::error_code ec;
    if (fs::is_directory(file, ec)) {
        return failed(source + ": is a folder, not a file");
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        return failed(source + ": cannot be opened for reading");
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) {
        return failed(source + ": cannot be read");
    }
    fs::path base = fs::absolute(file, ec).parent_path();
    if (ec) {
        base = file.parent_path();
    }
    const std::string content = text.str();
    return load_string(content, base, source);
}

} // namespace signaal::config
