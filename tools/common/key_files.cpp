#include "tools/common/key_files.hpp"

#include "crypto/base64url.hpp"
#include "crypto/box.hpp"
#include "crypto/key_pair_check.hpp"
#include "crypto/sign.hpp"
#include "server/config/settings.hpp"
#include "server/json/json.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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
    if (v.is_string()) {
        // The string lives in a non-const value; the accessor is only const.
        crypto::wipe(const_cast<std::string&>(v.as_string()));
    } else if (v.is_array()) {
        for (auto& item : v.as_array()) {
            wipe_strings(item);
        }
    } else if (v.is_object()) {
        for (auto& member : v.as_object()) {
            wipe_strings(member.second);
        }
    }
}

/// One JSON text in the fixed field order, one member per line. The caller wipes it.
class key_text {
  public:
    explicit key_text(std::string_view kind) {
        text_.reserve(1024); // no reallocation: no unwiped copy of a secret left behind
        text_ += "{\n  \"kind\": ";
        text_ += json::serialize(json::value(kind));
        text_ += ",\n  \"v\": ";
        text_ += std::to_string(key_file_version);
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
        if (!parsed.doc) {
            error_ = file_ + ": not valid JSON: " + parsed.error.message;
            return;
        }
        doc_ = std::move(*parsed.doc);
        const auto* k = doc_.find("kind");
        if (!doc_.is_object() || k == nullptr || !k->is_string() || k->as_string() != kind) {
            error_ = file_ + ": not a " + std::string(kind) + " file (\"kind\" is not \"" +
                     std::string(kind) + "\")";
            return;
        }
        const auto* v = doc_.find("v");
        if (v == nullptr || !v->is_int() || v->as_int() != key_file_version) {
            error_ = file_ + ": \"v\" must be " + std::to_string(key_file_version);
            return;
        }
    }
    ~key_reader() { wipe_strings(doc_); }
    key_reader(const key_reader&) = delete;
    key_reader& operator=(const key_reader&) = delete;

    [[nodiscard]] bool ok() const { return error_.empty(); }
    [[nodiscard]] const std::string& error() const { return error_; }
    [[nodiscard]] bool too_open() const { return too_open_; }

    bool id(std::string_view name, std::string& out) {
        const auto* f = doc_.find(name);
        if (f == nullptr || !f->is_string() || !config::valid_id(f->as_string())) {
            return fail(name, "must be an id of a-z, 0-9, _ and -, at most 32 characters");
        }
        out = f->as_string();
        return true;
    }
    bool public_bytes(std::string_view name, std::size_t size, crypto::bytes& out) {
        const auto* f = doc_.find(name);
        auto decoded = f != nullptr && f->is_string()
                           ? crypto::base64url_decode_exact(f->as_string(), size)
                           : std::nullopt;
        if (!decoded) {
            return fail(name, "must be " + std::to_string(size) + " bytes of base64url");
        }
        out = std::move(*decoded);
        return true;
    }
    bool secret(std::string_view name, std::size_t size, crypto::secret_bytes& out) {
        crypto::bytes plain;
        if (!public_bytes(name, size, plain)) {
            return false;
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
    std::string file_;
    std::string error_;
    bool too_open_ = false;
    json::value doc_;
};

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
    key_text text(desk_key_kind);
    text.add_string("desk", key.desk);
    text.add_bytes("public_key", key.public_key);
    text.add_bytes("secret_key", key.secret_key.view());
    return write_new_file(file, text.finish());
}

status write_staff_key(const fs::path& file, const staff_key& key) {
    if (std::string error; !check_staff_key(key, error)) {
        return fail(file.string() + ": " + error);
    }
    key_text text(staff_key_kind);
    text.add_string("staff", key.staff);
    text.add_bytes("sign_pk", key.sign_pk);
    text.add_bytes("sign_sk", key.sign_sk.view());
    text.add_bytes("box_pk", key.box_pk);
    text.add_bytes("box_sk", key.box_sk.view());
    return write_new_file(file, text.finish());
}

result<loaded_key<desk_key>> read_desk_key(const fs::path& file) {
    key_reader reader(file, desk_key_kind);
    desk_key key;
    const bool ok =
        reader.ok() && reader.id("desk", key.desk) &&
        reader.public_bytes("public_key", crypto::box_public_key_size, key.public_key) &&
        reader.secret("secret_key", crypto::box_secret_key_size, key.secret_key) &&
        (crypto::box_pair_matches(key.public_key, key.secret_key) ||
         reader.fail("secret_key", "does not belong to \"public_key\""));
    if (!ok) {
        return fail(reader.error());
    }
    return loaded_key<desk_key>{std::move(key), reader.too_open()};
}

result<loaded_key<staff_key>> read_staff_key(const fs::path& file) {
    key_reader reader(file, staff_key_kind);
    staff_key key;
    const bool ok = reader.ok() && reader.id("staff", key.staff) &&
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
    return loaded_key<staff_key>{std::move(key), reader.too_open()};
}

} // namespace signaal::key_files
