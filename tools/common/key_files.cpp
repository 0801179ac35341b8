#include "tools/common/key_files.hpp"

#include "crypto/base64url.hpp"
#include "crypto/box.hpp"
#include "crypto/key_pair_check.hpp"
#include "crypto/lock_key.hpp"
#include "crypto/random.hpp"
#include "crypto/secretbox.hpp"
#include "crypto/sign.hpp"
#include "server/config/settings.hpp"
#include "server/json/json.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <initializer_list>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace signaal::key_files {
namespace {

namespace fs = std::filesystem;

// A key file is a few hundred bytes; anything much larger is not one.
constexpr std::size_t max_file_size = 16 * 1024;

std::string errno_text(int e) {
    return std::strerror(e);
}

/// Overwrites every string inside a parsed document (they held base64 secrets).
void wipe_strings(json::value& v) {
    if (auto* s = v.if_string()) {
        crypto::wipe(std::span(reinterpret_cast<std::uint8_t*>(s->data()), s->size()));
    } else if (v.is_array()) {
        for (auto& item : v.as_array()) {
            wipe_strings(item);
        }
    } else if (v.is_object()) {
        for (auto& member : v.as_object()) {
            wipe_strings(member.value());
        }
    }
}

/// One JSON text in the fixed field order, one member per line. The caller wipes it.
class key_text {
  public:
    key_text(std::string_view kind, std::int64_t version) {
        text_.reserve(1024); // no reallocation: no unwiped copy of a secret left behind
        text_ += "{\n  \"kind\": ";
        text_ += json::serialize(json::value(kind));
        text_ += ",\n  \"v\": ";
        text_ += std::to_string(version);
    }
    /// A member whose value is JSON text already (the lock object).
    void add_json(std::string_view name, std::string_view json_text) {
        text_ += ",\n  \"";
        text_ += name;
        text_ += "\": ";
        text_ += json_text;
    }
    void add_string(std::string_view name, std::string_view value) {
        text_ += ",\n  \"";
        text_ += name;
        text_ += "\": ";
        text_ += json::serialize(json::value(value));
    }
    void add_bytes(std::string_view name, crypto::byte_view value) {
        std::string b64 = crypto::base64url_encode(value);
        // base64url needs no JSON escaping, so the secret is copied only once more.
        text_ += ",\n  \"";
        text_ += name;
        text_ += "\": \"";
        text_ += b64;
        text_ += "\"";
        crypto::wipe(b64);
    }
    std::string& finish() {
        text_ += "\n}\n";
        return text_;
    }
    ~key_text() { crypto::wipe(text_); }
    key_text(const key_text&) = delete;
    key_text& operator=(const key_text&) = delete;

  private:
    std::string text_;
};

void sync_folder(const fs::path& file) {
    auto folder = file.parent_path();
    if (folder.empty()) {
        folder = ".";
    }
    const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)::fsync(fd); // best effort: the file itself is already synced
        ::close(fd);
    }
}

status write_new_file(const fs::path& file, std::string_view text) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        const int e = errno;
        return fail(e == EEXIST ? file.string() + " already exists; not overwriting it"
                                : "cannot create " + file.string() + ": " + errno_text(e));
    }
    bool ok = ::fchmod(fd, 0600) == 0; // exactly 0600 whatever the umask
    std::size_t done = 0;
    while (ok && done < text.size()) {
        const auto n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        ok = n > 0;
        if (ok) {
            done += static_cast<std::size_t>(n);
        }
    }
    const int write_errno = errno;
    ok = ok && ::fsync(fd) == 0;
    ok = (::close(fd) == 0) && ok;
    if (!ok) {
        ::unlink(file.c_str());
        return fail("cannot write " + file.string() + ": " + errno_text(write_errno));
    }
    sync_folder(file);
    return {};
}

/// The whole file, or an error. The caller wipes the text.
bool read_small_file(const fs::path& file, std::string& text, bool& too_open, std::string& error) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        error = "cannot open " + file.string() + ": " + errno_text(errno);
        return false;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        error = file.string() + ": not a regular file";
        return false;
    }
    too_open = (st.st_mode & 077) != 0;
    if (st.st_size < 0 || static_cast<std::size_t>(st.st_size) > max_file_size) {
        ::close(fd);
        error = file.string() + ": too large for a key file";
        return false;
    }
    text.assign(max_file_size + 1, '\0'); // one allocation, wiped by the caller
    std::size_t done = 0;
    for (;;) {
        const auto n = ::read(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            error = "cannot read " + file.string() + ": " + errno_text(errno);
            ::close(fd);
            return false;
        }
        if (n == 0 || done + static_cast<std::size_t>(n) == text.size()) {
            done += static_cast<std::size_t>(n);
            break;
        }
        done += static_cast<std::size_t>(n);
    }
    ::close(fd);
    if (done > max_file_size) {
        error = file.string() + ": too large for a key file";
        return false;
    }
    // Shrink without reallocating: the tail is zeros already.
    text.resize(done);
    return true;
}

/// A parsed key file: checks kind and version, then hands out fields.
class key_reader {
  public:
    key_reader(const fs::path& file, std::string_view kind) : file_(file.string()) {
        std::string text;
        if (!read_small_file(file, text, too_open_, error_)) {
            crypto::wipe(text);
            return;
        }
        auto parsed = json::parse(text);
        crypto::wipe(text);
        if (!parsed) {
            error_ = file_ + ": not valid JSON: " + parsed.error().message;
            return;
        }
        doc_ = std::move(*parsed);
        const auto* k = json::find(doc_, "kind");
        if (!doc_.is_object() || k == nullptr || !k->is_string() || k->as_string() != kind) {
            error_ = file_ + ": not a " + std::string(kind) + " file (\"kind\" is not \"" +
                     std::string(kind) + "\")";
            return;
        }
        const auto* v = json::find(doc_, "v");
        if (v == nullptr || !v->is_int64() ||
            (v->as_int64() != key_file_version && v->as_int64() != locked_key_file_version)) {
            error_ = file_ + ": \"v\" must be " + std::to_string(key_file_version) + " or " +
                     std::to_string(locked_key_file_version);
            return;
        }
        version_ = v->as_int64();
    }
    ~key_reader() {
        wipe_strings(doc_);
        wipe_strings(secrets_);
    }
    key_reader(const key_reader&) = delete;
    key_reader& operator=(const key_reader&) = delete;

    [[nodiscard]] bool ok() const { return error_.empty(); }
    [[nodiscard]] const std::string& error() const { return error_; }
    [[nodiscard]] bool too_open() const { return too_open_; }
    [[nodiscard]] bool locked() const { return version_ == locked_key_file_version; }

    /// For a v2 file: opens the sealed part with the passphrase, and checks that
    /// the id inside is the one outside. Secrets are then read from inside.
    bool unlock(std::optional<std::string_view> passphrase, std::string_view id_name) {
        if (!locked()) {
            return true;
        }
        if (!passphrase) {
            return fail_file("is locked with a passphrase; give it to open the file");
        }
        const auto* lock = json::find(doc_, "lock");
        const auto* kdf = lock != nullptr && lock->is_object() ? json::find(*lock, "kdf") : nullptr;
        if (kdf == nullptr || !kdf->is_string() || kdf->as_string() != crypto::lock_kdf) {
            return fail("lock", "must name the kdf \"" + std::string(crypto::lock_kdf) + "\"");
        }
        const auto* ops = json::find(*lock, "opslimit");
        const auto* mem = json::find(*lock, "memlimit");
        crypto::lock_params params;
        if (ops == nullptr || mem == nullptr || !ops->is_int64() || !mem->is_int64() ||
            ops->as_int64() < 0 || mem->as_int64() < 0 ||
            !bytes_from(*lock, "salt", crypto::lock_salt_size, params.salt)) {
            return fail("lock", "must hold opslimit, memlimit and a 16-byte salt");
        }
        params.opslimit = static_cast<std::uint64_t>(ops->as_int64());
        params.memlimit = static_cast<std::uint64_t>(mem->as_int64());
        if (!crypto::lock_params_acceptable(params)) {
            return fail("lock", "is out of bounds (opslimit 1 to 10, memlimit 8 to 256 MiB)");
        }
        if (passphrase->empty()) {
            return fail_file("needs a passphrase; an empty one never opens a file");
        }
        crypto::bytes nonce;
        crypto::bytes sealed;
        if (!public_bytes("nonce", crypto::secretbox_nonce_size, nonce) || !sealed_bytes(sealed)) {
            return false;
        }
        const auto key = crypto::lock_key(*passphrase, params);
        if (!key) {
            return fail_file("cannot derive a key from this passphrase (not UTF-8, or no memory)");
        }
        const auto opened = crypto::secretbox_open(sealed, nonce, *key);
        // One error for both: a wrong passphrase and a damaged file look the same.
        constexpr std::string_view refused =
            "does not open: wrong passphrase, or the file is damaged";
        if (!opened) {
            return fail_file(std::string(refused));
        }
        auto parsed = json::parse(
            std::string_view(reinterpret_cast<const char*>(opened->data()), opened->size()));
        if (!parsed || !parsed->is_object()) {
            if (parsed) {
                wipe_strings(*parsed);
            }
            return fail_file(std::string(refused));
        }
        secrets_ = std::move(*parsed);
        const auto* inside = json::find(secrets_, id_name);
        const auto* outside = json::find(doc_, id_name);
        if (inside == nullptr || outside == nullptr || !inside->is_string() ||
            !outside->is_string() || inside->as_string() != outside->as_string()) {
            return fail(id_name, "inside the sealed part differs from the one outside");
        }
        secrets_source_ = &secrets_;
        return true;
    }

    bool id(std::string_view name, std::string& out) {
        const auto* f = json::find(doc_, name);
        if (f == nullptr || !f->is_string() || !config::valid_id(f->as_string())) {
            return fail(name, "must be an id of a-z, 0-9, _ and -, at most 32 characters");
        }
        out = std::string(f->as_string());
        return true;
    }
    bool public_bytes(std::string_view name, std::size_t size, crypto::bytes& out) {
        return bytes_from(doc_, name, size, out) ||
               fail(name, "must be " + std::to_string(size) + " bytes of base64url");
    }
    /// A secret from the file (v1) or from its sealed part (v2, after unlock).
    bool secret(std::string_view name, std::size_t size, crypto::secret_bytes& out) {
        crypto::bytes plain;
        if (!bytes_from(*secrets_source_, name, size, plain)) {
            return fail(name, "must be " + std::to_string(size) + " bytes of base64url");
        }
        out = crypto::secret_bytes(plain);
        crypto::wipe(plain);
        return true;
    }
    bool fail(std::string_view name, const std::string& what) {
        error_ = file_ + ": \"" + std::string(name) + "\" " + what;
        return false;
    }

  private:
    bool fail_file(const std::string& what) {
        error_ = file_ + " " + what;
        return false;
    }
    static bool bytes_from(const json::value& doc, std::string_view name, std::size_t size,
                           crypto::bytes& out) {
        const auto* f = json::find(doc, name);
        auto decoded = f != nullptr && f->is_string()
                           ? crypto::base64url_decode_exact(f->as_string(), size)
                           : std::nullopt;
        if (!decoded) {
            return false;
        }
        out = std::move(*decoded);
        return true;
    }
    bool sealed_bytes(crypto::bytes& out) {
        const auto* f = json::find(doc_, "sealed");
        auto decoded = f != nullptr && f->is_string() ? crypto::base64url_decode(f->as_string())
                                                      : std::nullopt;
        if (!decoded || decoded->size() <= crypto::secretbox_tag_size) {
            return fail("sealed", "must be base64url of a sealed box");
        }
        out = std::move(*decoded);
        return true;
    }

    std::string file_;
    std::string error_;
    bool too_open_ = false;
    std::int64_t version_ = 0;
    json::value doc_;
    json::value secrets_;                       // v2: the opened sealed part
    const json::value* secrets_source_ = &doc_; // where secret() reads
};

/// One "name":"base64" member of the compact secrets JSON inside a v2 file.
void add_secret_member(std::string& out, std::string_view name, crypto::byte_view value) {
    std::string b64 = crypto::base64url_encode(value);
    out += ",\"";
    out += name;
    out += "\":\"";
    out += b64;
    out += "\"";
    crypto::wipe(b64);
}

/// The sealed part's compact JSON: the id, then each secret in base64url. Built by
/// appending to one buffer reserved up front (an assignment from a temporary would
/// replace the reserved buffer), so no reallocation leaves an unwiped copy of a
/// secret on the heap. The caller wipes the result.
std::string
sealed_secrets(std::string_view id_name, const std::string& id,
               std::initializer_list<std::pair<std::string_view, crypto::byte_view>> secrets) {
    std::string out;
    out.reserve(512);
    out += "{\"";
    out += id_name;
    out += "\":";
    out += json::serialize(json::value(id));
    for (const auto& [name, value] : secrets) {
        add_secret_member(out, name, value);
    }
    out += "}";
    return out;
}

/// Seals `secrets` (compact JSON, wiped by the caller) under the passphrase and adds
/// lock, nonce and sealed to `text`.
status add_locked_part(key_text& text, std::string_view secrets, std::string_view passphrase) {
    const crypto::lock_params params = crypto::new_lock_params();
    const auto key = crypto::lock_key(passphrase, params);
    if (!key) {
        return fail("cannot lock with this passphrase (empty, or not UTF-8)");
    }
    const auto nonce = crypto::random_bytes(crypto::secretbox_nonce_size);
    const auto sealed = crypto::secretbox_seal(crypto::as_bytes(secrets), nonce, *key);
    std::string lock = "{\"kdf\": \"";
    lock += crypto::lock_kdf;
    lock += "\", \"opslimit\": " + std::to_string(params.opslimit);
    lock += ", \"memlimit\": " + std::to_string(params.memlimit);
    lock += ", \"salt\": \"" + crypto::base64url_encode(params.salt) + "\"}";
    text.add_json("lock", lock);
    text.add_bytes("nonce", nonce);
    text.add_bytes("sealed", sealed);
    return {};
}

bool check_desk_key(const desk_key& key, std::string& error) {
    if (!config::valid_id(key.desk)) {
        error = "bad desk id";
    } else if (key.public_key.size() != crypto::box_public_key_size ||
               key.secret_key.size() != crypto::box_secret_key_size) {
        error = "wrong desk key length";
    }
    return error.empty();
}

bool check_staff_key(const staff_key& key, std::string& error) {
    if (!config::valid_id(key.staff)) {
        error = "bad staff id";
    } else if (key.sign_pk.size() != crypto::sign_public_key_size ||
               key.sign_sk.size() != crypto::sign_secret_key_size ||
               key.box_pk.size() != crypto::box_public_key_size ||
               key.box_sk.size() != crypto::box_secret_key_size) {
        error = "wrong staff key length";
    }
    return error.empty();
}

} // namespace

status write_desk_key(const fs::path& file, const desk_key& key) {
    if (std::string error; !check_desk_key(key, error)) {
        return fail(file.string() + ": " + error);
    }
    key_text text(desk_key_kind, key_file_version);
    text.add_string("desk", key.desk);
    text.add_bytes("public_key", key.public_key);
    text.add_bytes("secret_key", key.secret_key.view());
    return write_new_file(file, text.finish());
}

status write_staff_key(const fs::path& file, const staff_key& key) {
    if (std::string error; !check_staff_key(key, error)) {
        return fail(file.string() + ": " + error);
    }
    key_text text(staff_key_kind, key_file_version);
    text.add_string("staff", key.staff);
    text.add_bytes("sign_pk", key.sign_pk);
    text.add_bytes("sign_sk", key.sign_sk.view());
    text.add_bytes("box_pk", key.box_pk);
    text.add_bytes("box_sk", key.box_sk.view());
    return write_new_file(file, text.finish());
}

result<loaded_key<desk_key>> read_desk_key(const fs::path& file) {
    return read_desk_key(file, std::nullopt);
}

result<loaded_key<desk_key>> read_desk_key(const fs::path& file,
                                           std::optional<std::string_view> passphrase) {
    key_reader reader(file, desk_key_kind);
    desk_key key;
    const bool ok =
        reader.ok() && reader.id("desk", key.desk) && reader.unlock(passphrase, "desk") &&
        reader.public_bytes("public_key", crypto::box_public_key_size, key.public_key) &&
        reader.secret("secret_key", crypto::box_secret_key_size, key.secret_key) &&
        (crypto::box_pair_matches(key.public_key, key.secret_key) ||
         reader.fail("secret_key", "does not belong to \"public_key\""));
    if (!ok) {
        return fail(reader.error());
    }
    return loaded_key<desk_key>{std::move(key), reader.too_open(), !reader.locked()};
}

result<loaded_key<staff_key>> read_staff_key(const fs::path& file) {
    return read_staff_key(file, std::nullopt);
}

result<loaded_key<staff_key>> read_staff_key(const fs::path& file,
                                             std::optional<std::string_view> passphrase) {
    key_reader reader(file, staff_key_kind);
    staff_key key;
    const bool ok = reader.ok() && reader.id("staff", key.staff) &&
                    reader.unlock(passphrase, "staff") &&
                    reader.public_bytes("sign_pk", crypto::sign_public_key_size, key.sign_pk) &&
                    reader.secret("sign_sk", crypto::sign_secret_key_size, key.sign_sk) &&
                    reader.public_bytes("box_pk", crypto::box_public_key_size, key.box_pk) &&
                    reader.secret("box_sk", crypto::box_secret_key_size, key.box_sk) &&
                    (crypto::sign_pair_matches(key.sign_pk, key.sign_sk) ||
                     reader.fail("sign_sk", "does not belong to \"sign_pk\"")) &&
                    (crypto::box_pair_matches(key.box_pk, key.box_sk) ||
                     reader.fail("box_sk", "does not belong to \"box_pk\""));
    if (!ok) {
        return fail(reader.error());
    }
    return loaded_key<staff_key>{std::move(key), reader.too_open(), !reader.locked()};
}

status write_desk_key(const fs::path& file, const desk_key& key, std::string_view passphrase) {
    if (std::string error; !check_desk_key(key, error)) {
        return fail(file.string() + ": " + error);
    }
    std::string secrets = sealed_secrets("desk", key.desk, {{"secret_key", key.secret_key.view()}});
    key_text text(desk_key_kind, locked_key_file_version);
    text.add_string("desk", key.desk);
    text.add_bytes("public_key", key.public_key);
    const auto locked = add_locked_part(text, secrets, passphrase);
    crypto::wipe(secrets);
    if (!locked) {
        return fail(file.string() + ": " + locked.error().message);
    }
    return write_new_file(file, text.finish());
}

status write_staff_key(const fs::path& file, const staff_key& key, std::string_view passphrase) {
    if (std::string error; !check_staff_key(key, error)) {
        return fail(file.string() + ": " + error);
    }
    std::string secrets = sealed_secrets(
        "staff", key.staff, {{"sign_sk", key.sign_sk.view()}, {"box_sk", key.box_sk.view()}});
    key_text text(staff_key_kind, locked_key_file_version);
    text.add_string("staff", key.staff);
    text.add_bytes("sign_pk", key.sign_pk);
    text.add_bytes("box_pk", key.box_pk);
    const auto locked = add_locked_part(text, secrets, passphrase);
    crypto::wipe(secrets);
    if (!locked) {
        return fail(file.string() + ": " + locked.error().message);
    }
    return write_new_file(file, text.finish());
}

} // namespace signaal::key_files
