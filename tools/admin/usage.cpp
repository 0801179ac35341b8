#include "tools/admin/usage.hpp"

namespace signaal::admin {
namespace {

constexpr std::string_view all_usage = R"(Usage:
  signaal-admin demo DIR [--web-root PATH] [--listen HOST:PORT]
  signaal-admin --config FILE desk add ID --out KEYFILE
  signaal-admin --config FILE desk list
  signaal-admin --config FILE desk rotate ID --out KEYFILE [--grace-days N]
  signaal-admin --config FILE staff add ID --role caseworker|coordinator
                [--desk D]... --sign-pk B64 --box-pk B64
  signaal-admin --config FILE staff disable ID
  signaal-admin --config FILE staff list
  signaal-admin --config FILE audit [--from YYYY-MM-DD]
  signaal-admin --config FILE config check
  signaal-admin [COMMAND] --help

Sets up and looks after a Signaal instance, on the server host.

  demo           make a complete runnable demo instance in a new folder
  desk add       give a desk its first key pair
  desk list      show every desk key and whether it is still accepted
  desk rotate    give a desk a new key pair; the old one is accepted a while
  staff add      add a caseworker or coordinator who signs in with a key
  staff disable  end someone's access: their sign-ins end at once
  staff list     show every staff member
  audit          show what staff did, by day
  config check   load a config and show what it sets up

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
    if (topic == "config" || topic == "config check") {
        return config_usage;
    }
    return all_usage;
}

} // namespace signaal::admin
