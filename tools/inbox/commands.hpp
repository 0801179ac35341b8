#pragma once
// The signaal-inbox commands that talk to the server. Each signs in for
// itself, returns an exit status, and writes errors as plain sentences.
#include "tools/inbox/remote.hpp"

#include <optional>
#include <string>

namespace signaal::inbox {

/// Signs in and prints role, desks, the token's lifetime and each desk key's
/// fingerprint; exit_refused when a desk key failed a check.
int login(const remote_options& options, context& ctx);

/// The inbox of each desk, newest first: report id, day, category, desks, status.
int list(const remote_options& options, std::size_t limit, context& ctx);

/// Fetches, decrypts and prints one report, then its messages, each judged.
int show(const remote_options& options, const std::string& report_id, context& ctx);

/// Sets the status of a report for one of the caller's desks (`desk` may be
/// left out when the caller has one desk).
int set_status(const remote_options& options, const std::string& report_id,
               const std::string& status, const std::optional<std::string>& desk, context& ctx);

struct reply_options {
    std::string report_id;
    std::optional<std::string> desk; // may be left out when the report reached one of the caller's
    std::string text;                // as typed (--text, or all of stdin)
};

/// Seals a reply to the reporter's mailbox from one desk and posts it; refuses
/// when the report has no mailbox, when the served reply keys are not the
/// sealed ones, or when the caller does not hold the desk's current key.
int reply(const remote_options& options, const reply_options& reply, context& ctx);

/// Seals the report key to the desks the reporter added (all pending ones, or
/// only `desk`) and posts the envelopes, after checking every consent change
/// against the mailbox key sealed in the report and each desk key's
/// fingerprint; refuses, sending nothing, when any check fails.
int forward(const remote_options& options, const std::string& report_id,
            const std::optional<std::string>& desk, context& ctx);

/// Coordinator: the quarters' aggregate tables as the server answers them.
int stats(const remote_options& options, const std::string& from, const std::string& to, bool csv,
          context& ctx);

struct desk_key_options {
    std::string desk;
    std::optional<std::filesystem::path> backup; // locked (v2) desk key backup
    passphrase_source backup_passphrase;
};

/// Makes the desk's first key pair here and uploads it with a grant for every holder.
int desk_init(const remote_options& options, const desk_key_options& desk, context& ctx);
/// Makes a new key pair and grants it to every current holder.
int desk_rotate(const remote_options& options, const desk_key_options& desk, context& ctx);
/// Grants the desk keys the caller holds to a colleague of the desk.
int grant(const remote_options& options, const std::string& desk, const std::string& to,
          context& ctx);

/// Prints each new signal, decrypted, as it arrives; reconnects and resumes by
/// itself; ends cleanly on SIGINT or SIGTERM.
int follow(const remote_options& options, context& ctx);

} // namespace signaal::inbox
