#include "tools/inbox/report_messages.hpp"

#include "crypto/aead.hpp"
#include "crypto/base64url.hpp"
#include "crypto/sealed_message.hpp"
#include "crypto/sign.hpp"
#include "server/config/settings.hpp"
#include "tools/inbox/printable.hpp"

#include <algorithm>
#include <map>

namespace signaal::inbox {
namespace {

constexpr std::string_view desk_prefix = "desk:";

bool valid_sender(const std::string& sender) {
    return sender == "reporter" ||
           (sender.starts_with(desk_prefix) && config::valid_id(sender.substr(desk_prefix.size())));
}

/// The message key from the envelope of one of the caller's desks, under a trusted key.
std::optional<crypto::secret_bytes> message_key(const json::value& message, const key_ring& ring,
                                                const std::vector<std::string>& my_desks) {
    const auto* envelopes = json::find(message, "envelopes");
    if (envelopes == nullptr) {
        return std::nullopt;
    }
    for (const auto& desk : my_desks) {
        const auto* envelope = json::find(*envelopes, desk);
        if (envelope == nullptr) {
            continue;
        }
        const auto* key = ring.find(desk, string_of(*envelope, "key_id"));
        const auto sealed = crypto::base64url_decode(string_of(*envelope, "sealed"));
        if (key == nullptr || !sealed) {
            continue;
        }
        if (auto k = crypto::open_sealed_envelope(*sealed, key->public_key, key->secret_key)) {
            return k;
        }
    }
    return std::nullopt;
}

opened_message open_one(const json::value& message, const opened_report& report,
                        const key_ring& ring, const std::vector<std::string>& my_desks) {
    opened_message m;
    m.id = string_of(message, "id");
    m.sender = string_of(message, "sender");
    m.day = string_of(message, "day");
    m.recipients = strings_of(message, "recipients");
    auto unreadable = [&](std::string why) {
        m.verdict = message_verdict::unreadable;
        m.why = std::move(why);
        return m;
    };
    auto rejected = [&](std::string why) {
        m.verdict = message_verdict::rejected;
        m.why = std::move(why);
        return m;
    };
    if (!valid_sender(m.sender)) {
        return rejected("it names no valid sender");
    }
    if (m.sender != "reporter") {
        auto expected = std::vector<std::string>{m.sender.substr(desk_prefix.size()), "reporter"};
        auto served = m.recipients;
        std::sort(expected.begin(), expected.end());
        std::sort(served.begin(), served.end());
        if (served != expected) {
            return rejected("a desk's reply goes to exactly the reporter and that desk, and this "
                            "one does not");
        }
    }
    const auto nonce =
        crypto::base64url_decode_exact(string_of(message, "nonce"), crypto::aead_nonce_size);
    const auto ciphertext = crypto::base64url_decode(string_of(message, "ciphertext"));
    if (!nonce || !ciphertext) {
        return unreadable("its nonce or ciphertext is malformed");
    }
    // The AD binds the message to this report, its sender and its recipients.
    const crypto::message_address address{report.id, m.sender, m.recipients};
    if (m.sender == "reporter") {
        const auto mailbox_pk =
            crypto::base64url_decode_exact(report.sealed_mailbox_pk, crypto::sign_public_key_size);
        if (!mailbox_pk) {
            return rejected("the report sealed no mailbox key to check it against");
        }
        const auto signature =
            crypto::base64url_decode_exact(string_of(message, "signature"), crypto::signature_size);
        if (!signature || !crypto::verify_reporter_message(*signature, address, *nonce, *ciphertext,
                                                           *mailbox_pk)) {
            return rejected("its signature does not verify against the mailbox key sealed in the "
                            "report: it is not the reporter's");
        }
    }
    const auto key = message_key(message, ring, my_desks);
    if (!key) {
        return unreadable("it is not sealed to a desk key you trust");
    }
    const auto plain = crypto::open_message(*nonce, *ciphertext, address, *key);
    if (!plain) {
        return unreadable("it does not decrypt for this report, sender and recipients");
    }
    const auto doc =
        json::parse(std::string_view(reinterpret_cast<const char*>(plain->data()), plain->size()));
    const auto* n = doc ? json::find(*doc, "n") : nullptr;
    const auto* text = doc ? json::find(*doc, "text") : nullptr;
    if (n == nullptr || !n->is_int64() || n->as_int64() < 1 || text == nullptr ||
        !text->is_string()) {
        return unreadable("it decrypts, but not to a message with a text and an n");
    }
    m.n = n->as_int64();
    m.text = std::string(text->as_string());
    m.lang = string_of(*doc, "lang");
    m.verdict = m.sender == "reporter" ? message_verdict::verified : message_verdict::desk_reply;
    return m;
}

bool readable(const opened_message& m) {
    return m.verdict == message_verdict::verified || m.verdict == message_verdict::desk_reply;
}

} // namespace

std::vector<opened_message> open_messages(const json::value& report, const opened_report& opened,
                                          const key_ring& ring,
                                          const std::vector<std::string>& my_desks) {
    std::vector<opened_message> out;
    const auto* messages = json::find(report, "messages");
    if (messages == nullptr || !messages->is_array()) {
        return out;
    }
    std::map<std::string, std::int64_t> highest; // per sender, of the readable ones so far
    for (const auto& message : messages->as_array()) {
        auto m = open_one(message, opened, ring, my_desks);
        if (readable(m)) {
            const auto seen = highest.find(m.sender);
            if (seen != highest.end() && m.n == seen->second) {
                m.flag = "n " + std::to_string(m.n) + " repeats one already seen from " + m.sender +
                         " (a replay)";
            } else if (seen != highest.end() && m.n < seen->second) {
                m.flag = "n " + std::to_string(m.n) + " is lower than " +
                         std::to_string(seen->second) + " already seen from " + m.sender +
                         " (a replay)";
            }
            highest[m.sender] = std::max(m.n, seen == highest.end() ? 0 : seen->second);
        }
        out.push_back(std::move(m));
    }
    return out;
}

std::int64_t next_n(const std::vector<opened_message>& messages, const std::string& sender) {
    std::int64_t highest = 0;
    for (const auto& m : messages) {
        if (m.sender == sender && readable(m)) {
            highest = std::max(highest, m.n);
        }
    }
    return highest + 1;
}

void print_message(std::ostream& out, const opened_message& m) {
    out << "--- message " << printable(m.id) << " from " << printable(m.sender) << ", day "
        << printable(m.day);
    if (readable(m)) {
        out << ", n " << m.n;
    }
    out << "\n";
    switch (m.verdict) {
    case message_verdict::verified:
        out << "verdict: verified (signed with the reporter's mailbox key sealed in the report)\n";
        break;
    case message_verdict::desk_reply:
        out << "verdict: a desk's reply (readable with the desk key; desks sign nothing)\n";
        break;
    case message_verdict::rejected:
        out << "verdict: REJECTED: " << m.why << " (its text is not shown)\n";
        return;
    case message_verdict::unreadable:
        out << "verdict: unreadable: " << m.why << "\n";
        return;
    }
    if (!m.flag.empty()) {
        out << "FLAGGED: " << m.flag << "\n";
    }
    out << printable(m.text, true) << "\n";
}

void print_messages(std::ostream& out, const std::vector<opened_message>& messages) {
    for (const auto& m : messages) {
        print_message(out, m);
    }
}

} // namespace signaal::inbox
