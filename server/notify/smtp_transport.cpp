#include "server/notify/smtp_transport.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>

namespace signaal::notify {
namespace {

void global_init() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct upload {
    std::string_view rest;
};

std::size_t read_message(char* buffer, std::size_t size, std::size_t count, void* user) {
    auto& u = *static_cast<upload*>(user);
    const std::size_t n = std::min(size * count, u.rest.size());
    std::memcpy(buffer, u.rest.data(), n);
    u.rest.remove_prefix(n);
    return n;
}

struct easy_deleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct list_deleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

} // namespace

smtp_transport::smtp_transport(smtp_options options) : options_(std::move(options)) {
    global_init();
}

status smtp_transport::send(std::string_view from, std::span<const std::string> to,
                            std::string_view message) {
    std::unique_ptr<CURL, easy_deleter> curl(curl_easy_init());
    if (!curl) {
        return fail("cannot start a mail transfer");
    }
    std::unique_ptr<curl_slist, list_deleter> recipients;
    for (const auto& address : to) {
        const std::string bracketed = "<" + address + ">";
        auto* grown = curl_slist_append(recipients.get(), bracketed.c_str());
        if (grown == nullptr) {
            return fail("out of memory for the recipients");
        }
        (void)recipients.release();
        recipients.reset(grown);
    }
    const std::string sender = "<" + std::string(from) + ">";
    upload body{message};
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, options_.url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, sender.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, recipients.get());
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_message);
    curl_easy_setopt(c, CURLOPT_READDATA, &body);
    curl_easy_setopt(
        c, CURLOPT_USE_SSL,
        static_cast<long>(options_.require_starttls ? CURLUSESSL_ALL : CURLUSESSL_TRY));
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(c, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
    const std::string ca = options_.ca_file ? options_.ca_file->string() : std::string();
    if (options_.ca_file) {
        curl_easy_setopt(c, CURLOPT_CAINFO, ca.c_str());
    }
    curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(options_.timeout.count()));
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L); // other threads; no SIGALRM
    const CURLcode done = curl_easy_perform(c);
    if (done != CURLE_OK) {
        // curl_easy_strerror is a fixed sentence per code: it never quotes an
        // address or the relay's answer.
        return fail(std::string("the relay did not take the mail: ") + curl_easy_strerror(done));
    }
    return {};
}

} // namespace signaal::notify
