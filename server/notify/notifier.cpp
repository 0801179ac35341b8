#include "server/notify/notifier.hpp"

#include "server/notify/notice.hpp"
#include "server/notify/sendmail_transport.hpp"
#include "server/notify/smtp_transport.hpp"

#include <algorithm>
#include <chrono>

namespace signaal::notify {

std::unique_ptr<mail_transport> make_transport(const config::settings& settings) {
    if (settings.notify_transport == "smtp") {
        return std::make_unique<smtp_transport>(
            smtp_options{.url = settings.notify_smtp_url,
                         .require_starttls = settings.notify_require_starttls,
                         .ca_file = settings.notify_ca_file});
    }
    if (settings.notify_transport == "sendmail") {
        return std::make_unique<sendmail_transport>(settings.notify_sendmail);
    }
    return nullptr;
}

notifier::notifier(const config::settings& settings, std::unique_ptr<mail_transport> transport,
                   const clock& clock, std::function<void(std::string_view)> log)
    : clock_(clock), transport_(std::move(transport)), log_(std::move(log)),
      from_(settings.notify_from), inbox_url_(settings.notify_inbox_url),
      schedule_(std::int64_t{settings.notify_interval_minutes} * 60) {
    for (const auto& d : settings.desks) {
        if (!d.notify.empty()) {
            // English first when present (config::localized).
            desks_[d.id] = {d.name.empty() ? d.id : d.name.front().second, d.notify};
        }
    }
}

notifier::~notifier() {
    stop();
}

void notifier::note(const std::vector<store::event_record>& committed) {
    bool news = false;
    {
        std::lock_guard lock(mutex_);
        for (const auto& e : committed) {
            if ((e.kind == "report" || e.kind == "message") && desks_.contains(e.desk)) {
                schedule_.note(e.desk);
                news = true;
            }
        }
    }
    if (news) {
        wake_.notify_one();
    }
}

std::size_t notifier::send_due() {
    std::vector<std::string> due;
    {
        std::lock_guard lock(mutex_);
        due = schedule_.take_due(clock_.now_unix());
    }
    for (const auto& desk : due) {
        const auto& mail = desks_.at(desk);
        auto sent = transport_ ? transport_->send(from_, mail.addresses,
                                                  compose_notice(from_, mail.name, inbox_url_))
                               : status(fail("no transport is configured"));
        if (!sent) {
            {
                std::lock_guard lock(mutex_);
                schedule_.failed(desk);
            }
            if (log_) {
                log_("notifications: desk " + desk + " was not notified, trying again in the " +
                     "next interval: " + sent.error().message);
            }
        }
        if (observer_) {
            observer_(desk, static_cast<bool>(sent));
        }
    }
    return due.size();
}

void notifier::start() {
    if (desks_.empty() || !transport_ || thread_.joinable()) {
        return; // nothing to tell anyone
    }
    thread_ = std::thread([this] { run(); });
}

void notifier::poke() {
    wake_.notify_one();
}

void notifier::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) {
        thread_.join();
    }
}

void notifier::on_attempt(std::function<void(const std::string&, bool)> observer) {
    observer_ = std::move(observer);
}

void notifier::run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        const auto next = schedule_.next_due();
        const auto now = clock_.now_unix();
        if (next && *next <= now) {
            lock.unlock();
            (void)send_due();
            lock.lock();
        } else if (next) {
            // At most a minute: a clock set back does not put the thread to sleep for long.
            const auto wait = std::min<std::int64_t>(*next - now, 60);
            wake_.wait_for(lock, std::chrono::seconds(wait));
        } else {
            wake_.wait(lock);
        }
    }
}

} // namespace signaal::notify
