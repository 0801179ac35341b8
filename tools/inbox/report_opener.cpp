#include "tools/inbox/report_opener.hpp"

#include "crypto/aead.hpp"
#include "crypto/associated_data.hpp"
#include "crypto/base64url.hpp"
#include "crypto/box.hpp"
#include "crypto/padding.hpp"
#include "tools/inbox/printable.hpp"

#include <algorithm>

namespace signaal::inbox {
namespace {

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        out += (out.empty() ? "" : ", ") + printable(item);
    }
    return out.empty() ? "-" : out;
}

constexpr std::size_t report_key_size = 32;

} // namespace

std::string status_line(const std::map<std::string, std::string>& status) {
    std::string out;
    for (const auto& [desk, value] : status) {
        out += (out.empty() ? "" : ", ") + printable(desk) + ": " + printable(value);
    }
    return out.empty() ? "-" : out;
}

result<opened_report> read_report_fields(const json::value& report) {
    opened_report r;
    r.id = string_of(report, "id");
    r.received_day = string_of(report, "received_day");
    r.role = string_of(report, "role");
    r.category = string_of(report, "category");
    r.consent = strings_of(report, "consent");
    r.desks = strings_of(report, "desks");
    r.pending = strings_of(report, "pending");
    if (r.id.empty() || r.received_day.empty() || r.category.empty()) {
        return signaal::fail("the server's report has no id, day or category");
    }
    if (const auto* status = json::find(report, "status"); status && status->is_object()) {
        for (const auto& [desk, value] : status->as_object()) {
            if (value.is_string()) {
                r.status[std::string(desk)] = std::string(value.as_string());
            }
        }
    }
    r.count_only = json::find(report, "ciphertext") == nullptr;
    const auto* mailbox = json::find(report, "mailbox");
    r.mailbox = mailbox != nullptr && mailbox->is_bool() && mailbox->as_bool();
    return r;
}

result<opened_report> open_report(const json::value& report, const key_ring& ring,
                                  const std::vector<std::string>& my_desks) {
    auto fields = read_report_fields(report);
    if (!fields) {
        return fields;
    }
    opened_report r = std::move(*fields);
    if (r.count_only) {
        return r;
    }
    const auto* envelopes = json::find(report, "envelopes");
    if (envelopes == nullptr || !envelopes->is_object()) {
        return signaal::fail("report " + r.id + " has no envelopes for your desks");
    }
    const desk_key* key = nullptr;
    crypto::bytes sealed;
    std::string untrusted;
    for (const auto& desk : my_desks) {
        const auto* envelope = json::find(*envelopes, desk);
        if (envelope == nullptr) {
            continue;
        }
        const std::string key_id = string_of(*envelope, "key_id");
        const auto* trusted = ring.find(desk, key_id);
        auto bytes = crypto::base64url_decode(string_of(*envelope, "sealed"));
        if (trusted == nullptr || !bytes) {
            untrusted += (untrusted.empty() ? "" : "; ") + std::string("desk ") + desk +
                         " with key id " + printable(key_id);
            continue;
        }
        key = trusted;
        sealed = std::move(*bytes);
        break;
    }
    if (key == nullptr) {
        return signaal::fail("report " + r.id + " is sealed to " +
                             (untrusted.empty() ? std::string("none of your desks") : untrusted) +
                             ", which is not a desk key you trust; refused (not decrypted)");
    }
    const auto nonce =
        crypto::base64url_decode_exact(string_of(report, "nonce"), crypto::aead_nonce_size);
    const auto ciphertext = crypto::base64url_decode(string_of(report, "ciphertext"));
    auto report_key = crypto::seal_open(sealed, key->public_key, key->secret_key);
    if (!nonce || !ciphertext || !report_key || report_key->size() != report_key_size) {
        return signaal::fail("report " + r.id + " does not open with desk " + key->desk +
                             "'s key " + key->key_id +
                             ": it is damaged or was not sealed to this key");
    }
    auto sealed_consent = strings_of(report, "sealed_consent");
    auto sealed_desks = strings_of(report, "sealed_desks");
    if (json::find(report, "sealed_consent") == nullptr) {
        sealed_consent = r.consent; // a server without stepped consent
        sealed_desks = r.desks;
    }
    const auto ad = crypto::report_ad(r.role, r.category, sealed_consent, sealed_desks);
    const auto padded =
        crypto::aead_decrypt(*ciphertext, crypto::as_bytes(ad), *nonce, *report_key);
    if (!padded) {
        return signaal::fail("report " + r.id +
                             " does not decrypt: its text, or the consent and desks "
                             "it was sealed with, were changed");
    }
    auto plain = crypto::unpad(padded->view());
    if (!plain) {
        return signaal::fail("report " + r.id + " decrypts, but its padding is malformed");
    }
    auto doc =
        json::parse(std::string_view(reinterpret_cast<const char*>(plain->data()), plain->size()));
    crypto::wipe(*plain);
    if (!doc || !doc->is_object()) {
        return signaal::fail("report " + r.id + " decrypts, but not to a JSON object");
    }
    r.plaintext = std::move(doc->as_object());
    r.report_key = std::move(*report_key);
    r.opened_with = key;
    // A desk client checks the served reply keys against the sealed ones (§6).
    if (const auto* reply = r.plaintext.if_contains("reply"); reply != nullptr) {
        r.sealed_box_pk = string_of(*reply, "box_pk");
        r.sealed_mailbox_pk = string_of(*reply, "mailbox_pk");
        r.reply_keys_differ = r.sealed_box_pk != string_of(report, "reply_box_pk") ||
                              r.sealed_mailbox_pk != string_of(report, "reply_mailbox_pk");
    } else if (r.mailbox) {
        r.reply_keys_differ = true; // the server claims a mailbox the reporter never sealed
    }
    return r;
}

void print_report(std::ostream& out, const opened_report& r) {
    out << "report:   " << printable(r.id) << "\n"
        << "day:      " << printable(r.received_day) << "\n"
        << "category: " << printable(r.category) << "\n"
        << "role:     " << printable(r.role) << "\n"
        << "consent:  " << joined(r.consent) << "\n"
        << "desks:    " << joined(r.desks) << "\n";
    out << "pending:  " << joined(r.pending) << "\n";
    out << "status:   " << status_line(r.status) << "\n";
    if (r.mailbox) {
        out << "mailbox:  yes (the reporter can read replies: signaal-inbox reply)\n";
    }
    if (r.count_only) {
        out << "(count only: the reporter sent no text)\n";
        return;
    }
    if (r.opened_with != nullptr) {
        out << "key:      desk " << r.opened_with->desk << " " << r.opened_with->key_id
            << " (fingerprint " << r.opened_with->fingerprint << ")\n";
    }
    if (r.reply_keys_differ) {
        out << "WARNING:  the reply keys the server serves are not the ones the reporter sealed; "
               "do not reply to this report\n";
    }
    for (const auto& [name, value] : r.plaintext) {
        if (name == "text" || name == "v" || name == "reply") {
            continue;
        }
        out << printable(name) << ": "
            << printable(value.is_string() ? std::string(value.as_string())
                                           : json::serialize(value))
            << "\n";
    }
    const auto* text = r.plaintext.if_contains("text");
    out << "text:\n"
        << (text != nullptr && text->is_string() ? printable(text->as_string(), true) : "") << "\n";
}

} // namespace signaal::inbox
