#pragma once
// The mail addresses and relay URLs of [notifications] and [[desks]] notify.
// Strict on purpose: what passes goes into mail headers and SMTP commands, so
// no space, control character, quote, bracket or comma ever does.
#include <string_view>

namespace signaal::config {

/// local@domain: a dot-atom local part (at most 64) and a host name of
/// letters, digits and hyphens (at most 253).
[[nodiscard]] bool valid_mail_address(std::string_view address);

/// smtp://HOST[:PORT] or smtps://HOST[:PORT], no user, password or path.
[[nodiscard]] bool valid_smtp_url(std::string_view url);

} // namespace signaal::config
