#include "tools/admin/usage.hpp"

namespace signaal::admin {
namespace {

constexpr std::string_view all_usage = R"(Usage:
  signaal-admin demo DIR [--web-root PATH] [--listen HOST:PORT]
  signaal-admin --config FILE desk add ID --holder STAFF [--holder STAFF]...
  signaal-admin --config FILE desk list
  signaal-admin --config FILE staff add ID --role caseworker|coordinator
                [--desk D]... --sign-pk B64 --box-pk B64
  signaal-admin --config FILE staff disable ID
  signaal-admin --config FILE staff list
  signaal-admin --config FILE audit [--from YYYY-MM-DD]
  signaal-admin --config FILE config check
  signaal-admin --config FILE stats --from YYYY-Qn --to YYYY-Qn [--csv]
  signaal-admin --config FILE backup PATH
  signaal-admin --config FILE restore PATH
  signaal-admin --config FILE purge [--before YYYY-MM-DD]
  signaal-admin [COMMAND] --help

Sets up and looks after a Signaal instance, on the server host.

  demo           make a complete runnable demo instance in a new folder
  desk add       register a desk and name who makes its key
  desk list      show each desk, who holds its key, and its keys
  staff add      add a caseworker or coordinator who signs in with a key
  staff disable  end someone's access: their sign-ins end at once
  staff list     show every staff member
  audit          show what staff did, by day
  config check   load a config and show what it sets up
  stats          the quarterly numbers for coordinators, small counts hidden
  backup         a consistent copy of the database, also while the server runs
  restore        replace the database with a backup (the server stopped)
  purge          delete old reports' text now (the server does it daily)

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

constexpr std::string_view staff_usage = R"(Usage:
  signaal-admin --config FILE staff add ID --role caseworker|coordinator
                [--desk D]... --sign-pk B64 --box-pk B64
  signaal-admin --config FILE staff disable ID
  signaal-admin --config FILE staff list

The people who sign in: caseworkers read the reports of their desks,
coordinators see aggregates only. The server keeps only their public keys.
Run any of them with --help for more.
)";

constexpr std::string_view staff_add_usage =
    R"(Usage: signaal-admin --config FILE staff add ID --role caseworker|coordinator
                [--desk D]... --sign-pk B64 --box-pk B64

Adds staff member ID (a-z, 0-9, _ and -, at most 32 characters). A caseworker
needs one --desk or more, each defined in the config; a coordinator has none.
--sign-pk is their Ed25519 public key (sign-in, grants) and --box-pk their
X25519 public key (desk keys are sealed to it), each 32 bytes in base64url
without padding, as `signaal-inbox keygen` prints them. An id or signing key
that is already taken is refused.
)";

constexpr std::string_view staff_disable_usage =
    R"(Usage: signaal-admin --config FILE staff disable ID

Disables staff member ID for good and writes a `disable` row to the audit
trail. A running server notices within seconds: it ends every sign-in of ID
and closes their live streams. The record stays, so the id is never given to
someone else. The other holders of their desks' keys should then rotate them.
)";

constexpr std::string_view staff_list_usage = R"(Usage: signaal-admin --config FILE staff list

One line per staff member: id, role, desks ("-" for none), and "disabled"
for those who were disabled.
)";

constexpr std::string_view audit_usage =
    R"(Usage: signaal-admin --config FILE audit [--from YYYY-MM-DD]

The audit trail of staff actions, oldest first, one line each: the day (UTC),
the staff id, the action (sign_in, grant, key_upload, report_opened,
status_change, message_sent, forward, disable) and, where there is one, the
report id. It holds nothing about reporters and no time of day. --from
leaves out the days before it.
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

constexpr std::string_view backup_usage = R"(Usage: signaal-admin --config FILE backup PATH

Writes a consistent copy of the instance database to PATH, a new file (an
existing one is never overwritten), mode 0600, with SQLite's online backup
API: the server may keep running and taking reports. The copy holds what was
committed when it began, checks out with PRAGMA integrity_check, and is one
self-contained file. It holds sealed reports, keys' public halves and staff
records: encrypt it at rest (docs/operations.md shows how, with age or gpg).
)";

constexpr std::string_view restore_usage = R"(Usage: signaal-admin --config FILE restore PATH

Replaces the instance database with the backup at PATH, then brings it to
this program's schema. Stop the server first: restore refuses to run while a
server holds the data dir. It refuses, changing nothing, a file that is not
an intact Signaal database, and one made by a newer Signaal.
)";

constexpr std::string_view purge_usage =
    R"(Usage: signaal-admin --config FILE purge [--before YYYY-MM-DD]

Purges, for good, every report received before the day (default: today minus
[reports] retention_days): its text, keys, envelopes, messages, status history
and events, and its id in the audit trail. The quarterly numbers still count
it. SQLite overwrites what it deletes and the WAL is truncated after. The
server does this once a day on its own; run it while the server runs or not.
The day may not be in the future. Prints how many reports were purged.
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
    if (topic == "staff") {
        return staff_usage;
    }
    if (topic == "staff add") {
        return staff_add_usage;
    }
    if (topic == "staff disable") {
        return staff_disable_usage;
    }
    if (topic == "staff list") {
        return staff_list_usage;
    }
    if (topic == "audit") {
        return audit_usage;
    }
    if (topic == "stats") {
        return stats_usage;
    }
    if (topic == "backup") {
        return backup_usage;
    }
    if (topic == "restore") {
        return restore_usage;
    }
    if (topic == "purge") {
        return purge_usage;
    }
    if (topic == "config" || topic == "config check") {
        return config_usage;
    }
    return all_usage;
}

} // namespace signaal::admin
