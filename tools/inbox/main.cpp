// signaal-inbox: parses its command line and hands over to one command.
#include "tools/inbox/commands.hpp"
#include "tools/inbox/keygen.hpp"
#include "tools/inbox/usage.hpp"

#include <charconv>
#include <iostream>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace {

using namespace signaal::inbox;

struct arguments {
    std::vector<std::string> words;             // command, subcommand, operands
    std::map<std::string, std::string> options; // "server" -> URL, ...
    std::set<std::string> flags;                // "csv", "no-passphrase"
    bool help = false;
    std::string error; // the first problem found
};

const std::set<std::string> value_options{
    "server", "key",   "ca",     "passphrase-file",        "out",
    "staff",  "desk",  "backup", "backup-passphrase-file", "to",
    "from",   "limit", "text"};
const std::set<std::string> flag_options{"csv", "no-passphrase"};

/// 22 characters of the base64url alphabet: the text form of a 16-byte report id.
bool is_report_id(const std::string& arg) {
    if (arg.size() != 22) {
        return false;
    }
    for (const char c : arg) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '-' || c == '_';
        if (!ok) {
            return false;
        }
    }
    return true;
}

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
        if (arg == "--passphrase") {
            problem("--passphrase is not taken on the command line (it would stay in the shell "
                    "history); use the terminal, SIGNAAL_PASSPHRASE or --passphrase-file");
            continue;
        }
        // A report id is 22 base64url characters and may begin with '-' or "--"
        // (1 in 64): it is always an operand, never an option.
        if (is_report_id(arg)) {
            a.words.push_back(arg);
            continue;
        }
        if (arg.size() < 3 || arg.compare(0, 2, "--") != 0) {
            if (!arg.empty() && arg[0] == '-' && arg != "-") {
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
        if (flag_options.contains(name)) {
            if (value) {
                problem("--" + name + " takes no value");
            }
            a.flags.insert(name);
            continue;
        }
        if (!value_options.contains(name)) {
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
        if (a.options.contains(name)) {
            problem("--" + name + " is given twice");
        }
        a.options[name] = *value;
    }
    return a;
}

std::optional<std::string> option(const arguments& a, const std::string& name) {
    const auto found = a.options.find(name);
    return found == a.options.end() ? std::nullopt : std::optional<std::string>(found->second);
}

/// The options a command may take besides the connection's.
bool only(const arguments& a, std::set<std::string> allowed, context& ctx, int& code) {
    allowed.insert({"server", "key", "ca", "passphrase-file"});
    for (const auto& [name, value] : a.options) {
        if (!allowed.contains(name)) {
            code = fail(ctx, exit_bad_input, "--" + name + " does not go with " + a.words.front());
            return false;
        }
    }
    for (const auto& name : a.flags) {
        if (!allowed.contains(name)) {
            code = fail(ctx, exit_bad_input, "--" + name + " does not go with " + a.words.front());
            return false;
        }
    }
    return true;
}

passphrase_source passphrase_of(const arguments& a, const std::string& option_name,
                                const std::string& variable) {
    passphrase_source s;
    if (auto file = option(a, option_name)) {
        s.file = *file;
    }
    s.environment_variable = variable;
    return s;
}

int run(const arguments& a, context& ctx) {
    const std::string command = a.words.front();
    const auto operands = a.words.size() - 1;
    auto operands_are = [&](std::size_t n, const std::string& form) {
        if (operands != n) {
            fail(ctx, exit_bad_input, "usage: signaal-inbox " + form);
            return false;
        }
        return true;
    };
    int code = exit_bad_input;
    if (command == "keygen") {
        if (!only(a, {"out", "staff", "no-passphrase"}, ctx, code) ||
            !operands_are(0, "keygen --out FILE --staff ID [--no-passphrase]")) {
            return code;
        }
        if (a.options.contains("server") || a.options.contains("key")) {
            return fail(ctx, exit_bad_input,
                        "keygen makes keys here; it takes no --server or --key");
        }
        keygen_options k;
        k.out = option(a, "out").value_or("");
        k.staff = option(a, "staff").value_or("");
        k.no_passphrase = a.flags.contains("no-passphrase");
        if (k.no_passphrase && a.options.contains("passphrase-file")) {
            return fail(ctx, exit_bad_input, "--no-passphrase and --passphrase-file contradict");
        }
        k.passphrase = passphrase_of(a, "passphrase-file", "SIGNAAL_PASSPHRASE");
        return keygen(k, ctx);
    }

    remote_options r;
    r.server = option(a, "server").value_or("");
    r.key_file = option(a, "key").value_or("");
    if (auto ca = option(a, "ca")) {
        r.ca_file = *ca;
    }
    r.passphrase = passphrase_of(a, "passphrase-file", "SIGNAAL_PASSPHRASE");

    if (command == "login") {
        return only(a, {}, ctx, code) && operands_are(0, "--server URL --key FILE login")
                   ? login(r, ctx)
                   : code;
    }
    if (command == "list") {
        if (!only(a, {"limit"}, ctx, code) || !operands_are(0, "... list [--limit N]")) {
            return code;
        }
        std::size_t limit = 50;
        if (auto text = option(a, "limit")) {
            const auto [end, ec] =
                std::from_chars(text->data(), text->data() + text->size(), limit);
            if (ec != std::errc{} || end != text->data() + text->size() || limit == 0) {
                return fail(ctx, exit_bad_input, "--limit must be a whole number above 0");
            }
        }
        return list(r, limit, ctx);
    }
    if (command == "show") {
        return only(a, {}, ctx, code) && operands_are(1, "... show ID") ? show(r, a.words[1], ctx)
                                                                        : code;
    }
    if (command == "reply") {
        if (!only(a, {"desk", "text"}, ctx, code) ||
            !operands_are(1, "... reply ID [--desk D] [--text TEXT]")) {
            return code;
        }
        reply_options o;
        o.report_id = a.words[1];
        o.desk = option(a, "desk");
        if (auto text = option(a, "text")) {
            o.text = *text;
        } else {
            // The text from stdin (a pipe, or typed and ended with Ctrl-D); the
            // final line end is the terminal's, not the caseworker's.
            o.text.assign(std::istreambuf_iterator<char>(std::cin),
                          std::istreambuf_iterator<char>());
            while (!o.text.empty() && (o.text.back() == '\n' || o.text.back() == '\r')) {
                o.text.pop_back();
            }
        }
        return reply(r, o, ctx);
    }
    if (command == "forward") {
        return only(a, {"desk"}, ctx, code) && operands_are(1, "... forward ID [--desk D]")
                   ? forward(r, a.words[1], option(a, "desk"), ctx)
                   : code;
    }
    if (command == "status") {
        return only(a, {"desk"}, ctx, code) && operands_are(2, "... status ID STATUS [--desk D]")
                   ? set_status(r, a.words[1], a.words[2], option(a, "desk"), ctx)
                   : code;
    }
    if (command == "follow") {
        return only(a, {}, ctx, code) && operands_are(0, "... follow") ? follow(r, ctx) : code;
    }
    if (command == "stats") {
        if (!only(a, {"from", "to", "csv"}, ctx, code) ||
            !operands_are(0, "... stats --from YYYY-Qn --to YYYY-Qn [--csv]")) {
            return code;
        }
        return stats(r, option(a, "from").value_or(""), option(a, "to").value_or(""),
                     a.flags.contains("csv"), ctx);
    }
    if (command == "grant") {
        if (!only(a, {"desk", "to"}, ctx, code) ||
            !operands_are(0, "... grant --desk D --to STAFF")) {
            return code;
        }
        return grant(r, option(a, "desk").value_or(""), option(a, "to").value_or(""), ctx);
    }
    if (command == "desk") {
        if (operands != 1 || (a.words[1] != "init" && a.words[1] != "rotate")) {
            return fail(ctx, exit_bad_input,
                        "usage: signaal-inbox ... desk init|rotate --desk D [--backup FILE]");
        }
        if (!only(a, {"desk", "backup", "backup-passphrase-file"}, ctx, code)) {
            return code;
        }
        desk_key_options d;
        d.desk = option(a, "desk").value_or("");
        if (auto backup = option(a, "backup")) {
            d.backup = *backup;
        }
        d.backup_passphrase =
            passphrase_of(a, "backup-passphrase-file", "SIGNAAL_BACKUP_PASSPHRASE");
        return a.words[1] == "init" ? desk_init(r, d, ctx) : desk_rotate(r, d, ctx);
    }
    return fail(ctx, exit_bad_input,
                "unknown command \"" + command + "\"; signaal-inbox --help lists them");
}

} // namespace

int main(int argc, char** argv) {
    context ctx{std::cout, std::cerr};
    const auto a = parse(argc, argv);
    if (a.help) {
        std::cout << usage_text();
        return exit_ok;
    }
    if (!a.error.empty()) {
        return fail(ctx, exit_bad_input, a.error + "; signaal-inbox --help shows the usage");
    }
    if (a.words.empty()) {
        std::cerr << usage_text();
        return exit_bad_input;
    }
    try {
        return run(a, ctx);
    } catch (const std::exception& e) {
        return fail(ctx, exit_failure, std::string("unexpected failure: ") + e.what());
    }
}
