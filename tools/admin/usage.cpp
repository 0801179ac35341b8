#include "tools/admin/usage.hpp"

namespace signaal::admin {
namespace {

constexpr std::string_view all_usage = R"(Usage:
  signaal-admin demo DIR [--web-root PATH] [--listen HOST:PORT]
  signaal-admin --config FILE desk add ID --holder STAFF [--holder STAFF]...
  signaal-admin --config FILE desk list
  signaal-admin --config FILE config check
  signaal-admin [COMMAND] --help

Sets up and looks after a Signaal instance, on the server host.

  demo           make a complete runnable demo instance in a new folder
  desk add       register a desk and name who makes its key
  desk list      show each desk, who holds its key, and its keys
  config check   load a config and show what it sets up

Exit status: 0 done, 1 failed, 2 bad input. A command that fails changes
nothing.
)";

constexpr std::string_view demo_usage =
    R"(Usage: signaal-admin demo DIR [--web-root PATH] [--listen HOST:PORT]

Makes a complete runnable demo instance in DIR, which must be new or empty:
  DIR/signaal.toml            its config (desks care, municipality, police)
  DIR/signaal.db              the database: the demo staff, and a key per desk
                              granted to that desk's caseworker
  DIR/keys/desk-<id>.json     each desk's key pair (mode 0600; a backup). Made
                              here for the demo only: elsewhere a holder makes it
  DIR/keys/staff-<id>.json    staff key files (v1, no passphrase): caseworkers
                              care-demo, municipality-demo, police-demo (each
                              the holder of their desk's key) and coordinator-demo
  DIR/tls/cert.pem, key.pem   a self-signed localhost certificate (clients' --ca)
Then start it with: signaal-server --config DIR/signaal.toml

Options:
  --web-root PATH       the built web pages (default: ../share/signaal/web
                        beside this program, where `cmake --install` puts them)
  --listen HOST:PORT    where the server listens (default: 127.0.0.1:8443)
)";

constexpr std::string_view desk_usage = R"(Usage:
  signaal-admin --config FILE desk add ID --holder STAFF [--holder STAFF]...
  signaal-admin --config FILE desk list

A desk's key pair belongs to the desk: a holder makes it on their own machine
(signaal-inbox desk init, or the web inbox) and uploads only the public key,
with the secret sealed to each holder. The operator registers the desk and
names who may do that. Run either with --help for more.
)";

constexpr std::string_view desk_add_usage =
    R"(Usage: signaal-admin --config FILE desk add ID --holder STAFF [--holder STAFF]...

Registers desk ID, which the config must define, and names its holders: each
STAFF an active caseworker of that desk (signaal-admin staff add first). A
named holder then makes the desk's key pair and uploads its public key; until
then the desk is not offered to reporters. Run again to name more holders;
they may make a new key while nobody active holds the current one.
)";

constexpr std::string_view desk_list_usage = R"(Usage: signaal-admin --config FILE desk list

Per desk of the config: registered or not, its named holders, who holds its
current key, and "rotation due" when a holder was disabled or left the desk
since the key was made. Then one line per key: key id, and "current",
"accepted until YYYY-MM-DD HH:MM UTC" (a rotated-out key that reports may
still be sealed to) or "retired". Old keys stay listed: old reports need them.
)";

constexpr std::string_view config_usage = R"(Usage: signaal-admin --config FILE config check

Loads FILE over the built-in defaults and prints a summary: instance name,
listen address, data dir, web root, each desk and whether the database has a
current key for it, and the number of categories. A wrong config is reported
with the key it concerns, with exit status 2. Changes nothing.
)";

} // namespace

std::string_view usage(std::string_view topic) {
    if (topic == "demo") {
        return demo_usage;
    }
    if (topic == "desk") {
        return desk_usage;
    }
    if (topic == "desk add") {
        return desk_add_usage;
    }
    if (topic == "desk list") {
        return desk_list_usage;
    }
    if (topic == "config" || topic == "config check") {
        return config_usage;
    }
    return all_usage;
}

} // namespace signaal::admin
