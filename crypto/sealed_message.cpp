#include "crypto/sealed_message.hpp"

#include "crypto/aead.hpp"
#include "crypto/associated_data.hpp"
#include "crypto/authenticated_box.hpp"
#include "crypto/box.hpp"
#include "crypto/message_signature.hpp"
#include "crypto/padding.hpp"
#include "crypto/random.hpp"
#include "crypto/sign.hpp"

namespace signaal::crypto {

namespace {

std::string ad_of(const message_address& address) {
    return message_ad(address.report_id_b64, address.sender, address.recipients);
}

} // namespace

std::optional<sealed_body> seal_message(byte_view plaintext, const message_address& address,
                                        std::span<const std::size_t> buckets) {
    auto padded = pad(plaintext, buckets);
    if (!padded) {
        return std::nullopt;
    }
    sealed_body body;
    body.key = random_secret(aead_key_size);
    body.nonce = random_bytes(aead_nonce_size);
    const std::string ad = ad_of(address);
    body.ciphertext = aead_encrypt(*padded, as_bytes(ad), body.nonce, body.key);
    wipe(*padded);
    return body;
}

std::optional<secret_bytes> open_message(byte_view nonce, byte_view ciphertext,
                                         const message_address& address, const secret_bytes& key) {
    if (nonce.size() != aead_nonce_size || key.size() != aead_key_size) {
        return std::nullopt;
    }
    const std::string ad = ad_of(address);
    const auto padded = aead_decrypt(ciphertext, as_bytes(ad), nonce, key);
    if (!padded) {
        return std::nullopt;
    }
    auto plain = unpad(padded->view());
    if (!plain) {
        return std::nullopt;
    }
    secret_bytes out(*plain);
    wipe(*plain);
    return out;
}

bytes seal_envelope(const secret_bytes& key, byte_view recipient_pk) {
    return seal(key.view(), recipient_pk);
}

std::optional<secret_bytes> open_sealed_envelope(byte_view sealed, byte_view public_key,
                                                 const secret_bytes& secret_key) {
    auto key = seal_open(sealed, public_key, secret_key);
    if (!key || key->size() != aead_key_size) {
        return std::nullopt;
    }
    return key;
}

boxed_envelope box_reporter_envelope(const secret_bytes& key, byte_view reporter_box_pk,
                                     const secret_bytes& desk_secret_key) {
    boxed_envelope out;
    out.nonce = random_bytes(box_nonce_size);
    out.box = box_encrypt(key.view(), out.nonce, reporter_box_pk, desk_secret_key);
    return out;
}

std::optional<secret_bytes> open_reporter_envelope(byte_view nonce, byte_view box,
                                                   byte_view desk_public_key,
                                                   const secret_bytes& reporter_box_secret_key) {
    if (nonce.size() != box_nonce_size || desk_public_key.size() != box_public_key_size) {
        return std::nullopt;
    }
    auto key = box_decrypt(box, nonce, desk_public_key, reporter_box_secret_key);
    if (!key || key->size() != aead_key_size) {
        return std::nullopt;
    }
    return key;
}

bytes sign_reporter_message(const message_address& address, byte_view nonce, byte_view ciphertext,
                            const secret_bytes& mailbox_secret_key) {
    return sign_detached(message_signed_bytes(ad_of(address), nonce, ciphertext),
                         mailbox_secret_key);
}

bool verify_reporter_message(byte_view signature, const message_address& address, byte_view nonce,
                             byte_view ciphertext, byte_view mailbox_public_key) {
    if (signature.size() != signature_size || mailbox_public_key.size() != sign_public_key_size) {
        return false;
    }
    return verify_detached(signature, message_signed_bytes(ad_of(address), nonce, ciphertext),
                           mailbox_public_key);
}

} // namespace signaal::crypto
