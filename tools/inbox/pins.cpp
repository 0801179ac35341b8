#include "tools/inbox/pins.hpp"

#include "server/config/settings.hpp"
#include "server/json/json.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <iterator>
#include <sys/stat.h>
#include <unistd.h>

namespace signaal::inbox {
namespace {

constexpr std::string_view pins_kind = "signaal-desk-pins";

std::string field(const json::value& v, std::string_view key) {
    const auto* f = json::find(v, key);
    return f != nullptr && f->is_string() ? std::string(f->as_string()) : std::string();
}

} // namespace

std::filesystem::path pin_store::beside(const std::filesystem::path& key_file) {
    auto file = key_file;
    file += ".pins.json";
    return file;
}

result<pin_store> pin_store::load(const std::filesystem::path& file) {
    pin_store store;
    store.file_ = file;
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) {
        return store;
    }
    std::ifstream in(file, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto damaged = [&](const std::string& what) {
        return signaal::fail(file.string() + " (the pinned desk keys) " + what +
                             "; repair or remove it, then check each desk's fingerprint again");
    };
    if (!in.good() && !in.eof()) {
        return damaged("cannot be read");
    }
    const auto doc = json::parse(text);
    if (!doc || field(*doc, "kind") != pins_kind) {
        return damaged("is not a signaal-desk-pins file");
    }
    const auto* v = json::find(*doc, "v");
    const auto* desks = json::find(*doc, "desks");
    if (v == nullptr || !v->is_int64() || v->as_int64() != 1 || desks == nullptr ||
        !desks->is_object()) {
        return damaged("has no version 1 \"desks\" table");
    }
    for (const auto& [desk, list] : desks->as_object()) {
        if (!config::valid_id(desk) || !list.is_array()) {
            return damaged("names a bad desk");
        }
        for (const auto& item : list.as_array()) {
            pin p{field(item, "key_id"), field(item, "fingerprint"), field(item, "granted_by")};
            if (p.key_id.empty() || p.fingerprint.empty()) {
                return damaged("has a pin without key id or fingerprint");
            }
            store.desks_[std::string(desk)].push_back(std::move(p));
        }
    }
    return store;
}

pin_verdict pin_store::check(const std::string& desk, const std::string& key_id,
                             const std::string& fingerprint) const {
    const auto found = desks_.find(desk);
    if (found == desks_.end()) {
        return pin_verdict::unknown;
    }
    for (const auto& p : found->second) {
        if (p.key_id == key_id) {
            return p.fingerprint == fingerprint ? pin_verdict::pinned : pin_verdict::changed;
        }
        if (p.fingerprint == fingerprint) {
            return pin_verdict::changed; // the same key under another id
        }
    }
    return pin_verdict::unknown;
}

std::string pin_store::pinned_fingerprint(const std::string& desk,
                                          const std::string& key_id) const {
    const auto found = desks_.find(desk);
    if (found != desks_.end()) {
        for (const auto& p : found->second) {
            if (p.key_id == key_id) {
                return p.fingerprint;
            }
        }
    }
    return {};
}

void pin_store::add(const std::string& desk, pin p) {
    auto& list = desks_[desk];
    for (const auto& existing : list) {
        if (existing.key_id == p.key_id) {
            return;
        }
    }
    list.push_back(std::move(p));
}

status pin_store::save() const {
    json::object desks;
    for (const auto& [desk, list] : desks_) {
        json::array items;
        for (const auto& p : list) {
            items.push_back(json::object{{"key_id", p.key_id},
                                         {"fingerprint", p.fingerprint},
                                         {"granted_by", p.granted_by}});
        }
        desks[desk] = std::move(items);
    }
    const std::string text =
        json::serialize(json::object{{"kind", pins_kind}, {"v", 1}, {"desks", std::move(desks)}}) +
        "\n";
    auto temporary = file_;
    temporary += ".new";
    ::unlink(temporary.c_str());
    const int fd =
        ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        return signaal::fail("cannot write " + temporary.string() + ": " + std::strerror(errno));
    }
    bool ok = ::fchmod(fd, 0600) == 0 &&
              ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
              ::fsync(fd) == 0;
    ok = ::close(fd) == 0 && ok;
    if (!ok || ::rename(temporary.c_str(), file_.c_str()) != 0) {
        ::unlink(temporary.c_str());
        return signaal::fail("cannot write " + file_.string());
    }
    return {};
}

} // namespace signaal::inbox
