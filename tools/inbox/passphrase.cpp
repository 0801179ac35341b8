#include "tools/inbox/passphrase.hpp"

#include "crypto/secret.hpp"

#include <cstdlib>
#include <fstream>
#include <iterator>

namespace signaal::inbox {
namespace {

constexpr std::size_t max_passphrase_file = 4096;

/// Only the final line end goes, as for terminal input: inner spaces count.
void drop_final_line_end(std::string& text) {
    if (!text.empty() && text.back() == '\n') {
        text.pop_back();
        if (!text.empty() && text.back() == '\r') {
            text.pop_back();
        }
    }
}

result<secret_text> from_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        return signaal::fail("cannot read the passphrase file " + file.string());
    }
    std::string text;
    text.reserve(max_passphrase_file + 1);
    char c = 0;
    while (in.get(c)) {
        if (text.size() == max_passphrase_file) {
            crypto::wipe(text);
            return signaal::fail("the passphrase file " + file.string() + " is too long");
        }
        text.push_back(c);
    }
    drop_final_line_end(text);
    return secret_text(std::move(text));
}

/// The file or the environment, when either is given.
std::optional<result<secret_text>> given(const passphrase_source& source) {
    if (source.file) {
        return from_file(*source.file);
    }
    if (!source.environment_variable.empty()) {
        if (const char* value = std::getenv(source.environment_variable.c_str())) {
            return result<secret_text>(secret_text(std::string(value)));
        }
    }
    return std::nullopt;
}

std::string how_to_give(const passphrase_source& source) {
    return "type it on a terminal, set " + source.environment_variable +
           ", or name a file with --passphrase-file";
}

} // namespace

result<secret_text> passphrase_to_open(const passphrase_source& source, std::string_view what) {
    if (auto p = given(source)) {
        return std::move(*p);
    }
    if (!interactive()) {
        return signaal::fail(std::string(what) +
                             " is locked with a passphrase and there is no terminal to " +
                             "ask on: " + how_to_give(source));
    }
    return read_hidden_line("Passphrase for " + std::string(what) + ": ");
}

result<secret_text> passphrase_to_lock(const passphrase_source& source, std::string_view what) {
    if (auto p = given(source)) {
        if (*p && (*p)->empty()) {
            return signaal::fail("an empty passphrase locks nothing; give a real one");
        }
        return std::move(*p);
    }
    if (!interactive()) {
        return signaal::fail("a new passphrase for " + std::string(what) +
                             " is needed and there is no " +
                             "terminal to ask on: " + how_to_give(source) +
                             " (or --no-passphrase, which leaves the file unlocked)");
    }
    auto first = read_hidden_line("New passphrase for " + std::string(what) + ": ");
    if (!first) {
        return first;
    }
    if (first->empty()) {
        return signaal::fail("an empty passphrase locks nothing; nothing was written");
    }
    auto second = read_hidden_line("The same passphrase again: ");
    if (!second) {
        return second;
    }
    if (first->view() != second->view()) {
        return signaal::fail("the two passphrases differ; nothing was written");
    }
    return std::move(*first);
}

} // namespace signaal::inbox
