#pragma once
// A reporter for tests, exactly as PROTOCOL.md §7 says: a receipt made here,
// its keys, the mailbox sign-in with the instance's origin, the mailbox view,
// her signed messages to desks and the opening of desk replies, checked
// against the desk's public key. Also what a desk does with a message
// (its reply, its opening), so a test can play both sides.
#include "crypto/receipt.hpp"
#include "server/json/json.hpp"
#include "tests/support/https_client.hpp"
#include "tests/support/report_builder.hpp"

#include <map>
#include <string>
#include <vector>

namespace signaal::testing {

/// A message's plaintext as a reader sees it; `status` is "ok", "unchecked"
/// (a desk reply whose reporter envelope does not open under that desk's key),
/// "bad_signature" (a reporter message a desk cannot verify) or "unreadable".
struct opened_message {
    std::string status;
    std::string sender;
    std::string lang;
    std::string text;
    std::int64_t n = 0;
};

/// The public keys a reporter's page knows from /api/v1/config (current and
/// previous_keys): key_id (base64url) -> the desk and its public key.
struct desk_public_key {
    std::string desk;
    std::vector<std::uint8_t> public_key;
};
using desk_public_keys = std::map<std::string, desk_public_key>;
void add_desk_key(desk_public_keys& keys, const std::string& desk, const desk_keypair& key);

/// Who may read a report, as the report view (PROTOCOL.md §6) and the mailbox
/// view (docs/protocol-notes.md) serve it: current consent and desks, the
/// pending desks, and the consent changes so far.
struct consent_state {
    std::vector<std::string> consent, desks, pending;
    std::vector<std::string> sealed_consent, sealed_desks; // the report view only
    std::vector<json::value> changes; // {"change","day","add","remove","signature"}
    /// The number her next change must carry: one more than the changes so far.
    [[nodiscard]] std::int64_t next_change() const {
        return static_cast<std::int64_t>(changes.size()) + 1;
    }
};
/// Reads those fields of a report (of the mailbox's `reports`, or a report view).
[[nodiscard]] consent_state consent_state_of(const json::value& report);

/// Does a served consent change verify against `mailbox_pk` (from the decrypted
/// report), for the report `report_id` (base64url)?
[[nodiscard]] bool consent_change_verifies(const json::value& change, const std::string& report_id,
                                           const std::vector<std::uint8_t>& mailbox_pk);

/// {"v":1,"lang","text","n"} as UTF-8 JSON.
[[nodiscard]] std::string message_plaintext(const std::string& lang, const std::string& text,
                                            std::int64_t n);

/// The body of POST /api/v1/reports/<id>/messages: a desk's reply, sealed to the
/// desk itself and boxed to the reporter's box_pk with the desk's secret key.
[[nodiscard]] json::object desk_reply(const std::string& report_id, const std::string& desk,
                                      const desk_keypair& key,
                                      const std::vector<std::uint8_t>& reporter_box_pk,
                                      const std::string& text, std::int64_t n);

/// A desk opens a served message with its key; a reporter message must verify
/// against `mailbox_pk` (from the decrypted report).
[[nodiscard]] opened_message open_as_desk(const json::value& message, const std::string& desk,
                                          const desk_keypair& key,
                                          const std::vector<std::uint8_t>& mailbox_pk);

class reporter_mailbox {
  public:
    reporter_mailbox(); // a fresh random receipt
    explicit reporter_mailbox(const std::string& receipt_text);

    [[nodiscard]] std::string receipt_text() const; // "K7QM-2XDA-9FRT-WB3N"
    [[nodiscard]] const crypto::receipt_keys& keys() const { return keys_; }
    /// {"box_pk", "mailbox_pk"}: the report's `reply` and the same inside its plaintext.
    [[nodiscard]] json::object reply_field() const;

    /// POST challenge, then POST /api/v1/auth/mailbox signed for `origin`: the reply as it came.
    /// A 200 keeps the token for the calls below.
    http_reply sign_in(https_client& client, const std::string& origin);
    [[nodiscard]] const std::string& token() const { return token_; }
    void use_token(std::string token) { token_ = std::move(token); }

    /// GET /api/v1/mailbox with the token, as it came.
    http_reply read(https_client& client) const;
    /// GET /api/v1/mailbox that must answer 200: the document.
    [[nodiscard]] json::value mailbox(https_client& client) const;

    /// The body of POST /api/v1/mailbox/messages: sealed to each desk with
    /// `keys` (desk -> its key pair, public half used), to herself when
    /// `keep_copy`, signed with her mailbox key.
    [[nodiscard]] json::object message_to(const std::string& report_id,
                                          const std::map<std::string, const desk_keypair*>& keys,
                                          const std::string& text, std::int64_t n,
                                          bool keep_copy = true) const;
    http_reply send(https_client& client, const json::object& body) const;

    /// Opens a served message: a desk reply checked against that desk's public
    /// key (looked up by the envelope's key_id, and it must be the sender's
    /// desk), her own copy with her box key.
    [[nodiscard]] opened_message open(const json::value& message,
                                      const desk_public_keys& known) const;

    /// The body of POST /api/v1/mailbox/consent (PROTOCOL.md §7, stepped
    /// consent): the lists as given (a test may send them unsorted), signed
    /// sorted with her mailbox key.
    [[nodiscard]] json::object consent_change(const std::string& report_id, std::int64_t change,
                                              const std::vector<std::string>& add,
                                              const std::vector<std::string>& remove) const;
    /// Signs and posts a consent change: the reply as it came (200 {"desks", "pending"}).
    http_reply change_consent(https_client& client, const std::string& report_id,
                              std::int64_t change, const std::vector<std::string>& add,
                              const std::vector<std::string>& remove) const;
    /// POST /api/v1/mailbox/consent with any body, as it came.
    http_reply post_consent(https_client& client, const json::object& body) const;
    http_reply post_consent(https_client& client, const std::string& raw_body) const;

    /// DELETE /api/v1/mailbox/reports/<id>, as it came.
    http_reply withdraw(https_client& client, const std::string& report_id) const;

  private:
    crypto::secret_bytes receipt_;
    crypto::receipt_keys keys_;
    std::string token_;
};

} // namespace signaal::testing
