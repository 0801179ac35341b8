#include "server/tls/self_signed.hpp"

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <fcntl.h>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

namespace signaal::tls {
namespace {

constexpr long validity_days = 397; // the most browsers accept for a leaf
constexpr int renew_days = 30;

struct evp_pkey_free_t {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct x509_free_t {
    void operator()(X509* p) const { X509_free(p); }
};
struct x509_ext_free_t {
    void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
};
struct bignum_free_t {
    void operator()(BIGNUM* p) const { BN_free(p); }
};
struct file_close_t {
    void operator()(FILE* f) const { std::fclose(f); }
};
using pkey_ptr = std::unique_ptr<EVP_PKEY, evp_pkey_free_t>;
using x509_ptr = std::unique_ptr<X509, x509_free_t>;
using bignum_ptr = std::unique_ptr<BIGNUM, bignum_free_t>;
using file_ptr = std::unique_ptr<FILE, file_close_t>;

// True when cert.pem exists and is valid for more than renew_days.
bool still_good(const std::filesystem::path& certificate) {
    file_ptr f(std::fopen(certificate.c_str(), "rb"));
    if (!f) {
        return false;
    }
    x509_ptr cert(PEM_read_X509(f.get(), nullptr, nullptr, nullptr));
    if (!cert) {
        return false;
    }
    int days = 0;
    int seconds = 0;
    if (ASN1_TIME_diff(&days, &seconds, nullptr, X509_get0_notAfter(cert.get())) != 1) {
        return false;
    }
    return days > renew_days;
}

bool add_extension(X509* cert, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    std::unique_ptr<X509_EXTENSION, x509_ext_free_t> ext(
        X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
    return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

/// A random positive 128-bit serial number.
bool set_serial(X509* cert) {
    unsigned char serial[16];
    if (RAND_bytes(serial, sizeof serial) != 1) {
        return false;
    }
    serial[0] &= 0x7f; // positive
    const bignum_ptr bn(BN_bin2bn(serial, sizeof serial, nullptr));
    return bn && BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert)) != nullptr;
}

bool set_validity(X509* cert) {
    return X509_gmtime_adj(X509_getm_notBefore(cert), -3600) != nullptr &&
           X509_gmtime_adj(X509_getm_notAfter(cert), validity_days * 24 * 3600) != nullptr;
}

bool set_names(X509* cert) {
    X509_NAME* name = X509_get_subject_name(cert);
    return name != nullptr &&
           X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                      reinterpret_cast<const unsigned char*>("localhost"), -1, -1,
                                      0) == 1 &&
           X509_set_issuer_name(cert, name) == 1;
}

bool add_extensions(X509* cert) {
    return add_extension(cert, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1") &&
           add_extension(cert, NID_basic_constraints, "critical,CA:FALSE") &&
           add_extension(cert, NID_key_usage, "critical,digitalSignature") &&
           add_extension(cert, NID_ext_key_usage, "serverAuth");
}

/// Writes through `write` and closes; false when either fails (fclose flushes).
template <class Write> bool write_and_close(FILE* raw, Write write) {
    file_ptr f(raw);
    if (!f || !write(f.get())) {
        return false;
    }
    return std::fclose(f.release()) == 0;
}

bool write_key(const std::filesystem::path& path, EVP_PKEY* key) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        return false;
    }
    if (::fchmod(fd, 0600) != 0) { // an older file may have had another mode
        ::close(fd);
        return false;
    }
    FILE* f = ::fdopen(fd, "wb");
    if (f == nullptr) {
        ::close(fd);
        return false;
    }
    return write_and_close(f, [key](FILE* out) {
        return PEM_write_PrivateKey(out, key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
    });
}

bool write_certificate(const std::filesystem::path& path, X509* cert) {
    return write_and_close(std::fopen(path.c_str(), "wb"),
                           [cert](FILE* out) { return PEM_write_X509(out, cert) == 1; });
}

} // namespace

result<pem_pair> ensure_self_signed(const std::filesystem::path& dir) {
    pem_pair out{dir / "cert.pem", dir / "key.pem"};
    std::error_code ec;
    if (std::filesystem::exists(out.private_key, ec) && still_good(out.certificate)) {
        return out;
    }
    std::filesystem::create_directories(dir, ec);
    if (ec) {
        return fail("cannot create " + dir.string() + ": " + ec.message());
    }
    const pkey_ptr key(EVP_EC_gen("P-256"));
    const x509_ptr cert(X509_new());
    if (!key || !cert) {
        return fail("cannot generate a TLS key");
    }
    if (X509_set_version(cert.get(), 2) != 1 || !set_serial(cert.get()) ||
        !set_validity(cert.get()) || X509_set_pubkey(cert.get(), key.get()) != 1 ||
        !set_names(cert.get())) {
        return fail("cannot fill in the self-signed certificate");
    }
    if (!add_extensions(cert.get())) {
        return fail("cannot add the self-signed certificate's extensions");
    }
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) {
        return fail("cannot sign the self-signed certificate");
    }
    if (!write_key(out.private_key, key.get()) || !write_certificate(out.certificate, cert.get())) {
        return fail("cannot write the TLS pair into " + dir.string());
    }
    return out;
}

} // namespace signaal::tls
