// signaal-admin: parses its command line and hands over to one command.
#include "tools/admin/backup_commands.hpp"
#include "tools/admin/config_check.hpp"
#include "tools/admin/demo.hpp"
#include "tools/admin/desk_commands.hpp"
#include "tools/admin/purge_command.hpp"
#include "tools/admin/staff_commands.hpp"
#include "tools/admin/stats_command.hpp"
#include "tools/admin/usage.hpp"
#include "tools/admin/web_root.hpp"

#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace {

using namespace signaal::admin;

struct arguments {
    std::vector<std::string> words;                        // command, subcommand, operands
    std::map<std::string, std::string> options;            // "config" -> FILE, ...
    std::map<std::string, std::vector<std::string>> lists; // repeatable: "desk" -> D, D, ...
    bool help = false;
    std::string error; // the first problem found
};

constexpr const char* value_options[] = {"config", "web-root", "listen", "role", "desk",  "sign-pk",
                                         "box-pk", "from",     "holder", "to",   "before"};
// Options that may be given more than once; each value is kept, in order.
constexpr const char* repeatable_options[] = {"desk", "holder"};
constexpr const char* flag_options[] = {"csv"};

arguments parse(int argc, char** argv) {
    arguments a;
    auto problem = [&](std::string text) {
        if (a.error.empty()) {
            a.error = std::move(text);
        }
    };
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            a.help = true;
            continue;
        }
        if (arg.size() < 3 || arg.compare(0, 2, "--") != 0) {
            if (!arg.empty() && arg[0] == '-') {
                problem("unknown option " + arg);
            } else {
                a.words.push_back(arg);
            }
            continue;
        }
        std::string name = arg.substr(2);
        std::optional<std::string> value;
        if (const auto eq = name.find('='); eq != std::string::npos) {
            value = name.substr(eq + 1);
            name.resize(eq);
        }
        bool flag = false;
        for (const char* o : flag_options) {
            flag = flag || name == o;
        }
        if (flag) {
            if (value) {
                problem("--" + name + " takes no value");
            } else if (!a.options.emplace(name, "").second) {
                problem("--" + name + " given twice");
            }
            continue;
        }
        bool known = false;
        for (const char* o : value_options) {
            known = known || name == o;
        }
        if (!known) {
            problem("unknown option --" + name);
            continue;
        }
        if (!value) {
            if (i + 1 >= argc) {
                problem("--" + name + " needs a value");
                continue;
            }
            value = argv[++i];
        }
        bool repeatable = false;
        for (const char* o : repeatable_options) {
            repeatable = repeatable || name == o;
        }
        if (repeatable) {
            a.lists[name].push_back(*value);
            a.options.insert_or_assign(name, *value);
        } else if (!a.options.emplace(name, *value).second) {
            problem("--" + name + " given twice");
        }
    }
    return a;
}

/// The help topic the words name so far: "desk add", "desk", "" ...
std::string topic_of(const std::vector<std::string>& words) {
    if (words.empty()) {
        return "";
    }
    if (words.size() >= 2 && (words[0] == "desk" || words[0] == "config" || words[0] == "staff")) {
        return words[0] + " " + words[1];
    }
    return words[0];
}

int bad(const std::string& message) {
    std::cerr << "signaal-admin: " << message << "\n";
    return exit_bad_input;
}

/// Every option given must be one the command takes; `required` ones must be there.
bool options_fit(const arguments& a, const std::string& command,
                 std::initializer_list<const char*> allowed,
                 std::initializer_list<const char*> required, std::string& error) {
    for (const auto& [name, value] : a.options) {
        bool ok = false;
        for (const char* o : allowed) {
            ok = ok || name == o;
        }
        if (!ok) {
            error = command + " does not take --" + name;
            return false;
        }
    }
    for (const char* r : required) {
        if (a.options.count(r) == 0) {
            error = command + " needs --" + std::string(r) +
                    (std::string(r) == "config" ? " FILE" : "");
            return false;
        }
    }
    return true;
}

} // namespace

int main(int argc, char** argv) {
    const auto a = parse(argc, argv);
    const auto topic = topic_of(a.words);
    if (a.help) {
        std::cout << usage(topic);
        return exit_ok;
    }
    if (!a.error.empty()) {
        return bad(a.error + " (see signaal-admin --help)");
    }
    if (a.words.empty()) {
        return bad("no command given (see signaal-admin --help)");
    }
    context ctx{std::cout, std::cerr, signaal::default_clock()};
    const auto option = [&](const char* name) {
        const auto it = a.options.find(name);
        return it == a.options.end() ? std::string() : it->second;
    };
    const auto& w = a.words;
    std::string error;

    if (w[0] == "demo") {
        if (w.size() != 2) {
            return bad("demo takes one folder: signaal-admin demo DIR");
        }
        if (!options_fit(a, "demo", {"web-root", "listen"}, {}, error)) {
            return bad(error);
        }
        demo_options o;
        o.dir = w[1];
        o.web_root = a.options.count("web-root") != 0 ? std::filesystem::path(option("web-root"))
                                                      : installed_web_root();
        if (a.options.count("listen") != 0) {
            o.listen = option("listen");
        }
        return demo(o, ctx);
    }
    if (w[0] == "desk" && w.size() >= 2 && w[1] == "add") {
        if (w.size() != 3) {
            return bad("desk add takes one desk id: signaal-admin --config FILE desk add ID "
                       "--holder STAFF [--holder STAFF]...");
        }
        if (!options_fit(a, "desk add", {"config", "holder"}, {"config"}, error)) {
            return bad(error);
        }
        const auto holders = a.lists.find("holder");
        return desk_add({option("config"), w[2],
                         holders == a.lists.end() ? std::vector<std::string>{} : holders->second},
                        ctx);
    }
    if (w[0] == "desk" && w.size() >= 2 && w[1] == "list") {
        if (w.size() != 2) {
            return bad("desk list takes no operands");
        }
        if (!options_fit(a, "desk list", {"config"}, {"config"}, error)) {
            return bad(error);
        }
        return desk_list(option("config"), ctx);
    }
    if (w[0] == "config" && w.size() >= 2 && w[1] == "check") {
        if (w.size() != 2) {
            return bad("config check takes no operands");
        }
        if (!options_fit(a, "config check", {"config"}, {"config"}, error)) {
            return bad(error);
        }
        return config_check(option("config"), ctx);
    }
    if (w[0] == "staff" && w.size() >= 2 && w[1] == "add") {
        if (w.size() != 3) {
            return bad("staff add takes one staff id: signaal-admin --config FILE staff add ID "
                       "--role caseworker|coordinator [--desk D]... --sign-pk B64 --box-pk B64");
        }
        if (!options_fit(a, "staff add", {"config", "role", "desk", "sign-pk", "box-pk"},
                         {"config"}, error)) {
            return bad(error);
        }
        for (const char* needed : {"role", "sign-pk", "box-pk"}) {
            if (a.options.count(needed) == 0) {
                return bad("staff add needs --" + std::string(needed));
            }
        }
        const auto desks = a.lists.find("desk");
        return staff_add({option("config"), w[2], option("role"),
                          desks == a.lists.end() ? std::vector<std::string>{} : desks->second,
                          option("sign-pk"), option("box-pk")},
                         ctx);
    }
    if (w[0] == "staff" && w.size() >= 2 && w[1] == "disable") {
        if (w.size() != 3) {
            return bad("staff disable takes one staff id: signaal-admin --config FILE staff "
                       "disable ID");
        }
        if (!options_fit(a, "staff disable", {"config"}, {"config"}, error)) {
            return bad(error);
        }
        return staff_disable(option("config"), w[2], ctx);
    }
    if (w[0] == "staff" && w.size() >= 2 && w[1] == "list") {
        if (w.size() != 2) {
            return bad("staff list takes no operands");
        }
        if (!options_fit(a, "staff list", {"config"}, {"config"}, error)) {
            return bad(error);
        }
        return staff_list(option("config"), ctx);
    }
    if (w[0] == "audit") {
        if (w.size() != 1) {
            return bad("audit takes no operands: signaal-admin --config FILE audit [--from "
                       "YYYY-MM-DD]");
        }
        if (!options_fit(a, "audit", {"config", "from"}, {"config"}, error)) {
            return bad(error);
        }
        return audit_print(
            option("config"),
            a.options.count("from") != 0 ? std::optional(option("from")) : std::nullopt, ctx);
    }
    if (w[0] == "staff") {
        return bad(w.size() < 2
                       ? "staff needs a subcommand: add, disable or list"
                       : "unknown staff subcommand \"" + w[1] + "\" (add, disable or list)");
    }
    if (w[0] == "stats") {
        if (w.size() != 1) {
            return bad("stats takes no operands: signaal-admin --config FILE stats --from YYYY-Qn "
                       "--to YYYY-Qn [--csv]");
        }
        if (!options_fit(a, "stats", {"config", "from", "to", "csv"}, {"config"}, error)) {
            return bad(error);
        }
        if (a.options.count("from") == 0 || a.options.count("to") == 0) {
            return bad("stats needs --from YYYY-Qn and --to YYYY-Qn");
        }
        return stats({option("config"), option("from"), option("to"), a.options.count("csv") != 0},
                     ctx);
    }
    if (w[0] == "backup" || w[0] == "restore") {
        if (w.size() != 2) {
            return bad(w[0] + " takes one file: signaal-admin --config FILE " + w[0] + " PATH");
        }
        if (!options_fit(a, w[0], {"config"}, {"config"}, error)) {
            return bad(error);
        }
        return w[0] == "backup" ? backup(option("config"), w[1], ctx)
                                : restore(option("config"), w[1], ctx);
    }
    if (w[0] == "purge") {
        if (w.size() != 1) {
            return bad("purge takes no operands: signaal-admin --config FILE purge [--before "
                       "YYYY-MM-DD]");
        }
        if (!options_fit(a, "purge", {"config", "before"}, {"config"}, error)) {
            return bad(error);
        }
        return purge({option("config"), a.options.count("before") != 0
                                            ? std::optional(option("before"))
                                            : std::nullopt},
                     ctx);
    }
    if (w[0] == "desk") {
        return bad(w.size() < 2 ? "desk needs a subcommand: add or list"
                                : "unknown desk subcommand \"" + w[1] + "\" (add or list)");
    }
    if (w[0] == "config") {
        return bad(w.size() < 2 ? "config needs a subcommand: check"
                                : "unknown config subcommand \"" + w[1] + "\" (check)");
    }
    return bad("unknown command \"" + w[0] + "\" (see signaal-admin --help)");
}
