#include "tools/inbox/staff_identity.hpp"

#include "server/json/json.hpp"

#include <fstream>
#include <iterator>

namespace signaal::inbox {
namespace {

/// Is the file the locked (v2) form? Only "v" is looked at; the key-file reader
/// checks everything else.
bool locked_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto doc = json::parse(text);
    const auto* v = doc ? json::find(*doc, "v") : nullptr;
    return v != nullptr && v->is_int64() && v->as_int64() == key_files::locked_key_file_version;
}

} // namespace

std::string unlocked_file_cost(std::string_view staff) {
    return "its secret keys are not locked: anyone who gets a copy (a backup, a lost laptop) "
           "can sign in as " +
           std::string(staff) +
           " and open every desk key granted to it, with no passphrase to stop them";
}

result<key_files::staff_key> open_staff_key(const std::filesystem::path& file,
                                            const passphrase_source& source, context& ctx) {
    std::optional<secret_text> passphrase;
    if (locked_file(file)) {
        auto typed = passphrase_to_open(source, file.string());
        if (!typed) {
            return typed.error();
        }
        passphrase = std::move(*typed);
    }
    auto loaded = key_files::read_staff_key(
        file, passphrase ? std::optional<std::string_view>(passphrase->view()) : std::nullopt);
    if (!loaded) {
        return loaded.error();
    }
    if (loaded->unlocked_file) {
        warn(ctx, file.string() + " is a v1 key file: " + unlocked_file_cost(loaded->key.staff) +
                      "; make a locked one with signaal-inbox keygen");
    }
    if (loaded->too_open) {
        warn(ctx, file.string() + " may be read by other users of this machine; chmod 600 it");
    }
    return std::move(loaded->key);
}

} // namespace signaal::inbox
