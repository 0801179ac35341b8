#pragma once
// The instance configuration: one TOML file over embedded defaults
// (config/defaults.toml). See config/signaal.example.toml for every key.
#include "server/common/log_level.hpp"
#include "server/common/result.hpp"
#include "server/config/listen_address.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace signaal::config {

/// Text per language code, e.g. {{"en", "Care services"}, {"nl", "Zorg"}}; English first when
/// present.
using localized = std::vector<std::pair<std::string, std::string>>;

struct desk {
    std::string id; // [a-z0-9_-]{1,32}, never "reporter"
    localized name;
    localized about;                 // what this organisation does with a report, in plain words
    std::vector<std::string> notify; // mail addresses told "there are new signals" (no content)
};

struct category {
    std::string id;
    localized name;
};

struct help_entry {
    std::string name;
    std::string phone; // may be empty
    std::string url;   // may be empty
    localized about;   // may be empty (opening hours go here)
};

// The defaults are in config/defaults.toml only; load() fills every member.
struct limits {
    std::size_t body_max_bytes{}; // POST bodies; a larger Content-Length is refused unread
    std::size_t header_max_bytes{};
    unsigned read_timeout_seconds{}; // one whole request, headers and body
    unsigned idle_timeout_seconds{}; // between keep-alive requests
    unsigned handshake_timeout_seconds{};
    unsigned max_connections{};
    unsigned max_pending_writes{};    // queued reports; beyond this: 429 busy
    unsigned drain_timeout_seconds{}; // SIGTERM: time given to requests in flight
};

struct settings {
    // [instance]
    std::string instance_name;
    std::vector<std::string> languages; // first one is the default language
    std::string quick_exit_url;         // where the quick-exit button goes
    std::vector<std::string> origins;   // accepted sign-in origins, besides the loopback ones

    // [server]
    std::string listen_host;
    std::uint16_t listen_port{};
    // Plain HTTP for a Tor onion service in front (no TLS, no HSTS); loopback only.
    std::optional<listen_address> onion_listen;
    unsigned threads{};             // 0: one per core
    std::filesystem::path data_dir; // database, pow key, generated TLS pair
    std::optional<std::filesystem::path>
        tls_certificate; // PEM chain; absent: self-signed localhost pair in data_dir/tls
    std::optional<std::filesystem::path> tls_private_key;
    std::filesystem::path web_root; // built phone page (web/dist)
    limits limit;

    // [reports]
    std::vector<std::string> roles;           // sex_worker, peer_expert
    std::vector<std::size_t> padding_buckets; // ascending
    unsigned pow_difficulty{};                // 0..32
    unsigned pow_token_lifetime_seconds{};    // 1..600
    unsigned desk_key_grace_days{};           // a rotated-out desk key is accepted this long
    unsigned write_batch_max{};               // reports per group commit
    unsigned retention_days{}; // a report's text, keys and events are purged after this (1..3650)

    // [staff]
    unsigned token_lifetime_seconds{};     // a staff token's life: 1..28800 (8 hours)
    unsigned challenge_lifetime_seconds{}; // a sign-in challenge's life
    // [stream]
    unsigned stream_ping_interval_seconds{}; // a WebSocket ping this often
    unsigned stream_send_queue_max{};        // events queued per stream; beyond: close 1013

    // [stats]
    unsigned stats_k{}; // quarterly numbers: cells below this are shown as "<k" (3..1000)

    // [notifications]: one mail without content per desk per interval
    std::string notify_transport;       // "off", "smtp" or "sendmail"
    unsigned notify_interval_minutes{}; // at most one mail per desk this often
    std::string notify_smtp_url;        // smtp://HOST:PORT or smtps://; empty if unset
    bool notify_require_starttls{};     // smtp://: refuse a relay without STARTTLS
    std::optional<std::filesystem::path>
        notify_ca_file;                    // trusted CAs for the relay; absent: system
    std::filesystem::path notify_sendmail; // the host's sendmail program
    std::string notify_from;               // From: address; empty if unset
    std::string notify_inbox_url;          // the link in the mail; empty if unset

    // [metrics]: Prometheus text on a loopback-only plain-HTTP listener; absent: off
    std::optional<listen_address> metrics_listen;
    // [log]
    log_level logging = log_level::info; // lines below this level are not written

    // [[desks]], [[categories]], [routing], [[help]]
    std::vector<desk> desks;
    std::vector<category> categories;
    std::map<std::string, std::vector<std::string>>
        routing; // category -> desks that may receive it (sorted)
    std::vector<help_entry> help;

    [[nodiscard]] const desk* find_desk(std::string_view id) const;
    [[nodiscard]] const category* find_category(std::string_view id) const;
    [[nodiscard]] bool has_role(std::string_view role) const;
};

// Errors read "<file>: <key>: <what is wrong>".

/// Embedded defaults only (no file): data_dir and web_root relative to `base_dir`.
[[nodiscard]] result<settings> load_defaults(const std::filesystem::path& base_dir);
/// Parses TOML text over the embedded defaults; relative paths resolve against base_dir.
[[nodiscard]] result<settings> load_string(std::string_view toml_text,
                                           const std::filesystem::path& base_dir,
                                           std::string_view source_name = "config");
/// Reads a file; relative paths inside resolve against the file's folder.
[[nodiscard]] result<settings> load_file(const std::filesystem::path& file);

/// Is `id` a valid desk, category or staff id: [a-z0-9_-]{1,32}.
[[nodiscard]] bool valid_id(std::string_view id);

} // namespace signaal::config
