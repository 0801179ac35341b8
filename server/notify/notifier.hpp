#pragma once
// Mails a desk's addresses "There are new signals for <desk>" when reports or
// messages for it commit, at most once per desk per interval (notice_schedule).
// The writer's event listener only calls note() (a lock and a flag, no I/O);
// the sends run on the notifier's own thread, never on a request's strand or
// the writer's thread. A failed send is logged, without any address, and tried
// again an interval later.
#include "server/common/clock.hpp"
#include "server/config/settings.hpp"
#include "server/notify/mail_transport.hpp"
#include "server/notify/notice_schedule.hpp"
#include "server/store/event_record.hpp"

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace signaal::notify {

/// The transport the config names ("smtp" or "sendmail"); nullptr for "off".
[[nodiscard]] std::unique_ptr<mail_transport> make_transport(const config::settings& settings);

class notifier {
  public:
    /// `clock` must outlive the notifier. `log` takes one plain sentence.
    notifier(const config::settings& settings, std::unique_ptr<mail_transport> transport,
             const clock& clock, std::function<void(std::string_view)> log);
    notifier(const notifier&) = delete;
    notifier& operator=(const notifier&) = delete;
    ~notifier(); // stop()

    /// One durable commit's events (the writer's thread): report and message
    /// events mark their desk; quick, never blocks on I/O.
    void note(const std::vector<store::event_record>& committed);

    /// Sends what is due now, on the caller's thread; returns how many desks
    /// were attempted. The thread calls this; tests may call it instead.
    std::size_t send_due();

    /// Starts the thread, which sleeps until the next desk is due or news comes.
    void start();
    /// Wakes the thread to look at the clock again (tests move a manual clock).
    void poke();
    /// Ends the thread; news not yet sent is dropped (it holds no content).
    void stop();

    /// Told after every attempt (desk id, whether it was sent), on the sending
    /// thread; tests wait on it.
    void on_attempt(std::function<void(const std::string&, bool)> observer);

  private:
    void run();

    struct desk_mail {
        std::string name;
        std::vector<std::string> addresses;
    };

    const clock& clock_;
    std::unique_ptr<mail_transport> transport_;
    std::function<void(std::string_view)> log_;
    std::string from_;
    std::string inbox_url_;
    std::map<std::string, desk_mail> desks_; // only desks with addresses

    std::mutex mutex_;
    std::condition_variable wake_;
    notice_schedule schedule_; // guarded by mutex_
    bool stopping_ = false;    // guarded by mutex_
    std::function<void(const std::string&, bool)> observer_;
    std::thread thread_;
};

} // namespace signaal::notify
