#pragma once
// signaal-inbox keygen: a caseworker's or coordinator's own key pairs, made on
// their own machine (PROTOCOL.md §6, §10). Only the public halves leave it,
// through the operator's `signaal-admin staff add`.
#include "tools/inbox/command.hpp"
#include "tools/inbox/passphrase.hpp"

#include <filesystem>
#include <string>

namespace signaal::inbox {

struct keygen_options {
    std::filesystem::path out;
    std::string staff;
    bool no_passphrase = false; // write v1 (automation); says what it costs
    passphrase_source passphrase;
};

int keygen(const keygen_options& options, context& ctx);

} // namespace signaal::inbox
