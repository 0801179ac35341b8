#include "tools/admin/usage.hpp"

namespace signaal::admin {
namespace {

constexpr std::string_view all_usage = R"(Usage:
  signaal-admin demo DIR [--web-root PATH] [--listen HOST:PORT]
  signaal-admin --config FILE desk add ID --out KEYFILE
  signaal-admin --config FILE desk list
  signaal-admin --config FILE desk rotate ID --out KEYFILE [--grace-days N]
  signaal-admin --config FILE config check
  signaal-admin --config FILE stats --from YYYY-Qn --to YYYY-Qn [--csv]
  signaal-admin [COMMAND] --help

Sets up and looks after a Signaal instance, on the server host.

  demo           make a complete runnable demo instance in a new folder
  desk add       give a desk its first key pair
  desk list      show every desk key and whether it is still accepted
  desk rotate    give a desk a new key pair; the old one is accepted a while
  config check   load a config and show what it sets up
  stats          the quarterly numbers for coordinators, small counts hidden

Exit status: 0 done, 1 failed, 2 bad input. A command that fails changes
nothing.
)";

constexpr std::string_view demo_usage =
    R"(Usage: signaal-admin demo DIR [--web-root PATH] [--listen HOST:PORT]

Makes a complete runnable demo instance in DIR, which must be new or empty:
  DIR/signaal.toml            its config (desks care, municipality, police)
  DIR/signaal.db              the database, with a current key per desk
  DIR/keys/desk-<id>.json     each desk's key pair (mode 0600; a backup)
  DIR/keys/staff-<id>.json    staff key files: care-demo, municipality-demo,
                              police-demo and coordinator-demo
  DIR/tls/cert.pem, key.pem   a self-signed localhost certificate (clients' --ca)
Then start it with: signaal-server --config DIR/signaal.toml

Options:
  --web-root PATH       the built web pages (default: ../share/signaal/web
                        beside this program, where `cmake --install` puts them)
  --listen HOST:PORT    where the server listens (default: 127.0.0.1:8443)
)";

constexpr std::string_view desk_usage = R"(Usage:
  signaal-admin --config FILE desk add ID --out KEYFILE
  signaal-admin --config FILE desk list
  signaal-admin --config FILE desk rotate ID --out KEYFILE [--grace-days N]

A desk's key pair: the public key goes into the database, where phones fetch
it to seal reports; the secret key only into KEYFILE. Run any of them with
--help for more.
)";

constexpr std::string_view desk_add_usage =
    R"(Usage: signaal-admin --config FILE desk add ID --out KEYFILE

Gives desk ID, which the config must define, its first key pair. The secret
key is written to KEYFILE (a new file, mode 0600), then the public key becomes
the desk's current key in the database; if that fails, KEYFILE is removed.
Prints the key id. Keep KEYFILE offline: the server never needs it. A desk
that already has a key gets a new one with desk rotate.
)";

constexpr std::string_view desk_list_usage = R"(Usage: signaal-admin --config FILE desk list

One line per desk key in the database: desk, key id, and "current",
"accepted until YYYY-MM-DD HH:MM UTC" (a rotated-out key that reports may
still be sealed to) or "retired".
)";

constexpr std::string_view desk_rotate_usage =
    R"(Usage: signaal-admin --config FILE desk rotate ID --out KEYFILE [--grace-days N]

Gives desk ID a new key pair: the secret key goes to KEYFILE (a new file,
mode 0600), the public key becomes the current key, and reports sealed to the
old key are still accepted for N more days (default: desk_key_grace_days in
the config; 0 stops accepting them at once). Prints the new key id.
)";

constexpr std::string_view config_usage = R"(Usage: signaal-admin --config FILE config check

Loads FILE over the built-in defaults and prints a summary: instance name,
listen address, data dir, web root, each desk and whether the database has a
current key for it, and the number of categories. A wrong config is reported
with the key it concerns, with exit status 2. Changes nothing.
)";

constexpr std::string_view stats_usage =
    R"(Usage: signaal-admin --config FILE stats --from YYYY-Qn --to YYYY-Qn [--csv]

Prints the quarterly numbers of the quarters from --from to --to (at most
100), as JSON or, with --csv, as CSV: the same answer coordinators get from
GET /api/v1/stats. A quarter is counted once, from the 9th day after it ends,
as of the end of the 8th, and stored; later withdrawals, purges and status
changes never alter it. Quarters that are not closed and settled yet are only
named, in "not_yet". Counts below the config's [stats] k (0 included) are
shown as "<k", with more hidden where needed (docs/statistics.md).
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
    if (topic == "desk rotate") {
        return desk_rotate_usage;
    }
    if (topic == "stats") {
        return stats_usage;
    }
    if (topic == "config" || topic == "config check") {
        return config_usage;
    }
    return all_usage;
}

} // namespace signaal::admin
