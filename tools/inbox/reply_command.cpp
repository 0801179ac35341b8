// signaal-inbox reply: a desk answers the reporter in her mailbox (PROTOCOL.md
// §7). It writes only to the reply keys the reporter sealed inside her report:
// when the server serves others (someone wrote the database), it refuses. The
// reporter's envelope is a crypto_box from the desk's current secret key, so
// her page knows the reply came from the desk and not from the database.
#include "crypto/base64url.hpp"
#include "crypto/box.hpp"
#include "crypto/sealed_message.hpp"
#include "server/config/settings.hpp"
#include "tools/inbox/commands.hpp"
#include "tools/inbox/printable.hpp"
#include "tools/inbox/report_messages.hpp"
#include "tools/inbox/report_opener.hpp"

#include <algorithm>

namespace signaal::inbox {
namespace {

bool contains(const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

/// Text that JSON carries unchanged: valid UTF-8 (serialize repairs anything else).
bool valid_utf8(const std::string& text) {
    const auto back = json::parse(json::serialize(json::value(text)));
    return back && back->is_string() && back->as_string() == text;
}

bool blank(const std::string& text) {
    return std::all_of(text.begin(), text.end(),
                       [](unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); });
}

result<std::vector<std::size_t>> padding_buckets(api_client& api) {
    auto config = api.get("/api/v1/config");
    if (!config) {
        return signaal::fail("instance configuration: " + config.error().message);
    }
    std::vector<std::size_t> buckets;
    if (const auto* b = json::find(*config, "padding_buckets"); b != nullptr && b->is_array()) {
        for (const auto& size : b->as_array()) {
            if (size.is_int64() && size.as_int64() > 0) {
                buckets.push_back(static_cast<std::size_t>(size.as_int64()));
            }
        }
    }
    if (buckets.empty()) {
        return signaal::fail("the instance configuration names no padding buckets");
    }
    return buckets;
}

struct sealed_reply {
    std::string nonce;
    std::string ciphertext;
    json::object envelopes;
};

/// Plaintext {"v":1,"lang","text","n"}, padded, AEAD under a fresh key; that key
/// sealed to the desk and boxed from the desk's secret key to the reporter.
std::optional<sealed_reply> seal_reply(const std::string& report_id, const desk_key& key,
                                       const crypto::bytes& reporter_box_pk,
                                       const std::string& text, const std::string& lang,
                                       std::int64_t n, const std::vector<std::size_t>& buckets) {
    auto plaintext =
        json::serialize(json::object{{"v", 1}, {"lang", lang}, {"text", text}, {"n", n}});
    const crypto::message_address address{report_id, "desk:" + key.desk, {key.desk, "reporter"}};
    const auto body = crypto::seal_message(crypto::as_bytes(plaintext), address, buckets);
    crypto::wipe(plaintext);
    if (!body) {
        return std::nullopt;
    }
    const auto boxed = crypto::box_reporter_envelope(body->key, reporter_box_pk, key.secret_key);
    sealed_reply out;
    out.nonce = crypto::base64url_encode(body->nonce);
    out.ciphertext = crypto::base64url_encode(body->ciphertext);
    out.envelopes[key.desk] = json::object{
        {"key_id", key.key_id},
        {"sealed", crypto::base64url_encode(crypto::seal_envelope(body->key, key.public_key))}};
    out.envelopes["reporter"] = json::object{{"key_id", key.key_id},
                                             {"nonce", crypto::base64url_encode(boxed.nonce)},
                                             {"box", crypto::base64url_encode(boxed.box)}};
    return out;
}

} // namespace

int reply(const remote_options& options, const reply_options& reply, context& ctx) {
    if (!valid_report_id(reply.report_id)) {
        return fail(ctx, exit_bad_input,
                    "reply: \"" + printable(reply.report_id) +
                        "\" is not a report id (16 bytes of base64url, as list prints them)");
    }
    if (reply.desk && !config::valid_id(*reply.desk)) {
        return fail(ctx, exit_bad_input, "reply: --desk must be a desk id");
    }
    if (blank(reply.text)) {
        return fail(ctx, exit_bad_input, "reply: the text is empty; nothing was sent");
    }
    if (!valid_utf8(reply.text)) {
        return fail(ctx, exit_bad_input, "reply: the text is not valid UTF-8; nothing was sent");
    }
    int code = exit_ok;
    auto r = remote::begin(options, ctx, code);
    if (!r) {
        return code;
    }
    if (!r->caseworker()) {
        return fail(ctx, exit_bad_input,
                    "reply is for caseworkers; " + r->who().staff + " is a " + r->who().role);
    }
    if (reply.desk && !contains(r->who().desks, *reply.desk)) {
        return fail(ctx, exit_bad_input,
                    "reply: --desk " + *reply.desk + " is not one of your desks");
    }
    auto ring = r->keys(ctx);
    if (!ring) {
        return fail(ctx, exit_failure, ring.error().message);
    }
    const auto& id = reply.report_id;
    auto doc = r->api().get("/api/v1/reports/" + id);
    if (!doc) {
        return fail(ctx, exit_failure, "report " + id + ": " + doc.error().message);
    }
    auto opened = open_report(*doc, *ring, r->who().desks);
    if (!opened) {
        return fail(ctx, exit_refused, opened.error().message);
    }
    if (opened->reply_keys_differ) {
        return fail(ctx, exit_refused,
                    "reply: report " + id +
                        " is served with reply keys that are not the ones the reporter sealed "
                        "in it; someone changed them, so nothing was sent");
    }
    if (opened->count_only || !opened->mailbox || opened->sealed_box_pk.empty()) {
        return fail(ctx, exit_bad_input,
                    "reply: report " + id +
                        " has no mailbox (the reporter asked for no replies); nothing was sent");
    }
    const auto reporter_box_pk =
        crypto::base64url_decode_exact(opened->sealed_box_pk, crypto::box_public_key_size);
    if (!reporter_box_pk) {
        return fail(ctx, exit_refused,
                    "reply: the reply key sealed in report " + id + " is malformed");
    }

    std::string desk;
    if (reply.desk) {
        if (!contains(opened->desks, *reply.desk)) {
            return fail(ctx, exit_bad_input,
                        "reply: report " + id + " was not sent to desk " + *reply.desk);
        }
        desk = *reply.desk;
    } else {
        std::vector<std::string> mine;
        for (const auto& d : opened->desks) {
            if (contains(r->who().desks, d)) {
                mine.push_back(d);
            }
        }
        if (mine.size() != 1) {
            return fail(ctx, exit_bad_input,
                        "reply: report " + id +
                            " reached several of your desks; name one with --desk D");
        }
        desk = mine.front();
    }

    // The desk's current key: the reporter checks the reply against it.
    auto desk_doc = r->api().get("/api/v1/desks/" + desk);
    if (!desk_doc) {
        return fail(ctx, exit_failure, "desk " + desk + ": " + desk_doc.error().message);
    }
    const auto current = string_of(*desk_doc, "key_id");
    const auto* key = ring->find(desk, current);
    if (current.empty() || key == nullptr) {
        return fail(ctx, exit_refused,
                    "reply: you do not hold desk " + desk + "'s current key" +
                        (current.empty() ? std::string() : " (key id " + printable(current) + ")") +
                        " as a key you trust; ask a holder for a grant; nothing was sent");
    }
    auto buckets = padding_buckets(r->api());
    if (!buckets) {
        return fail(ctx, exit_failure, buckets.error().message);
    }
    const auto messages = open_messages(*doc, *opened, *ring, r->who().desks);
    const auto n = next_n(messages, "desk:" + desk);
    const auto* lang_value = opened->plaintext.if_contains("lang");
    const std::string lang = lang_value != nullptr && lang_value->is_string()
                                 ? std::string(lang_value->as_string())
                                 : std::string("en");
    auto sealed = seal_reply(id, *key, *reporter_box_pk, reply.text, lang, n, *buckets);
    if (!sealed) {
        return fail(ctx, exit_bad_input,
                    "reply: the text is longer than the largest padding bucket; nothing was sent");
    }
    auto answer = r->api().post("/api/v1/reports/" + id + "/messages",
                                json::object{{"desk", desk},
                                             {"nonce", sealed->nonce},
                                             {"ciphertext", sealed->ciphertext},
                                             {"envelopes", std::move(sealed->envelopes)}});
    if (!answer) {
        return fail(ctx, exit_failure, "reply to report " + id + ": " + answer.error().message);
    }
    const auto message_id = string_of(*answer, "id");
    if (message_id.empty()) {
        return fail(ctx, exit_failure, "reply: the server's answer has no message id");
    }
    ctx.out << "message " << printable(message_id) << " sent to the reporter of report " << id
            << " from desk " << desk << " (n " << n << ", day "
            << printable(string_of(*answer, "day")) << ")\n";
    return exit_ok;
}

} // namespace signaal::inbox
