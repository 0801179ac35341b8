// signaal-inbox follow: the live stream (PROTOCOL.md §6). It starts at the end
// of each desk's inbox, prints every new signal decrypted, and after any loss
// (a network fault, a restarted server's 1012, a 1013 for a slow reader) signs in
// again and resumes with the last seq it saw per desk, so nothing is missed
// and nothing is printed twice.
#include "tools/inbox/commands.hpp"
#include "tools/inbox/consent_history.hpp"
#include "tools/inbox/printable.hpp"
#include "tools/inbox/report_messages.hpp"
#include "tools/inbox/report_opener.hpp"

#include <map>
#include <set>

namespace signaal::inbox {
namespace {

constexpr std::chrono::milliseconds first_retry{250};
constexpr std::chrono::milliseconds last_retry{5000};
constexpr std::uint16_t close_policy = 1008;  // bad, expired or ended token; disabled person
constexpr std::uint16_t close_restart = 1012; // the server stops or restarts: reconnect

/// The last seq of a desk's inbox now.
result<std::int64_t> inbox_end(api_client& api, const std::string& desk) {
    std::int64_t after = 0;
    for (;;) {
        auto page = api.get("/api/v1/inbox?desk=" + desk + "&after=" + std::to_string(after) +
                            "&limit=1000");
        if (!page) {
            return signaal::fail("inbox of " + desk + ": " + page.error().message);
        }
        const auto* last = json::find(*page, "last_seq");
        if (last == nullptr || !last->is_int64()) {
            return signaal::fail("inbox of " + desk + ": the server's answer has no last_seq");
        }
        if (last->as_int64() <= after) {
            return after;
        }
        after = last->as_int64();
    }
}

class follower {
  public:
    follower(remote& r, context& ctx) : r_(r), ctx_(ctx) {}

    int run() {
        auto& wire = r_.api().wire();
        wire.watch_interrupts();
        if (auto ring = r_.keys(ctx_); ring) {
            ring_ = std::move(*ring);
        } else {
            return fail(ctx_, exit_failure, ring.error().message);
        }
        for (const auto& desk : r_.who().desks) {
            auto end = inbox_end(r_.api(), desk);
            if (!end) {
                return fail(ctx_, exit_failure, end.error().message);
            }
            last_[desk] = *end;
        }
        ctx_.err << "Following " << desks_text() << "; Ctrl-C ends.\n";
        ctx_.err.flush();
        bool fresh_session = true;
        auto retry = first_retry;
        while (!wire.interrupted()) {
            if (!fresh_session) {
                auto again = sign_in(r_.api(), r_.me());
                if (!again) {
                    if (r_.api().last_status() == 401 || r_.api().last_status() == 403) {
                        return fail(ctx_, exit_failure, again.error().message);
                    }
                    wait(retry, again.error().message);
                    continue;
                }
            }
            fresh_session = false;
            const auto ended = session_once();
            if (wire.interrupted()) {
                break;
            }
            if (ended.ready_seen) {
                retry = first_retry;
            }
            if (!ended.why.empty()) {
                wait(retry, ended.why);
            }
        }
        wire.stream_close();
        wire.stop_watching_interrupts(); // so that the session is ended politely
        ctx_.err << "Stopped.\n";
        return exit_ok;
    }

  private:
    struct session_end {
        bool ready_seen = false;
        std::string why;
    };

    void wait(std::chrono::milliseconds& retry, const std::string& why) {
        ctx_.err << "signaal-inbox: " << why << "; trying again in " << retry.count() << " ms\n";
        ctx_.err.flush();
        (void)r_.api().wire().pause(retry);
        retry = std::min(retry * 2, last_retry);
    }

    std::string desks_text() const {
        std::string out;
        for (const auto& [desk, seq] : last_) {
            out += (out.empty() ? "" : ", ") + desk + " after seq " + std::to_string(seq);
        }
        return out;
    }

    /// One WebSocket connection, from auth to its end.
    session_end session_once() {
        auto& wire = r_.api().wire();
        session_end end;
        if (auto opened = wire.stream_open("/api/v1/stream"); !opened) {
            end.why = opened.error().message;
            return end;
        }
        json::object after;
        for (const auto& [desk, seq] : last_) {
            after[desk] = seq;
        }
        const auto auth = json::serialize(json::object{
            {"type", "auth"}, {"token", r_.api().token()}, {"after", std::move(after)}});
        if (auto sent = wire.stream_write(auth); !sent) {
            end.why = sent.error().message;
            return end;
        }
        for (;;) {
            auto message = wire.stream_read();
            if (!message) {
                end.why = message.error().message;
                return end;
            }
            if (message->closed) {
                end.why = message->close_code == close_policy
                              ? "the server ended the session (1008)"
                          : message->close_code == close_restart
                              ? "the server restarts (1012)"
                              : "the server closed the stream (" +
                                    std::to_string(message->close_code) + ")";
                return end;
            }
            const auto doc = json::parse(message->text);
            if (!doc) {
                end.why = "the server sent a message that is not JSON";
                wire.stream_close();
                return end;
            }
            const auto type = string_of(*doc, "type");
            if (type == "ready") {
                end.ready_seen = true;
            } else if (type == "event") {
                on_event(*doc);
            }
        }
    }

    void on_event(const json::value& e) {
        const auto desk = string_of(e, "desk");
        const auto* seq_value = json::find(e, "seq");
        const auto known = last_.find(desk);
        if (known == last_.end() || seq_value == nullptr || !seq_value->is_int64()) {
            return; // not one of ours, or malformed: nothing to show
        }
        const auto seq = seq_value->as_int64();
        if (seq <= known->second) {
            return; // seen already (a replay overlapping what we had)
        }
        if (seq != known->second + 1) {
            warn(ctx_, "desk " + desk + ": events " + std::to_string(known->second + 1) + " to " +
                           std::to_string(seq - 1) + " never arrived");
        }
        known->second = seq;
        const auto id = string_of(e, "report_id");
        const auto kind = string_of(e, "kind");
        if (kind == "message") {
            on_message(desk, seq, id);
            return;
        }
        if (kind == "withdrawn") {
            shown_messages_.erase(id); // drop what we hold of it
            ctx_.out << "--- desk " << desk << " #" << seq << ": the reporter withdrew report "
                     << printable(id) << " (or took desk " << desk
                     << " off it); nothing more of it is held here\n";
            ctx_.out.flush();
            return;
        }
        if (kind == "consent") {
            on_consent(desk, seq, id);
            return;
        }
        if (kind != "report") {
            ctx_.out << "--- desk " << desk << " #" << seq << ": " << printable(kind)
                     << " for report " << printable(id) << "\n";
            ctx_.out.flush();
            return;
        }
        ctx_.out << "=== new signal for desk " << desk << " #" << seq << "\n";
        if (!valid_report_id(id)) {
            ctx_.out << "(the server named a malformed report id)\n";
            ctx_.out.flush();
            return;
        }
        auto doc = r_.api().get("/api/v1/reports/" + id);
        if (!doc) {
            ctx_.out << "report " << id << ": " << doc.error().message << "\n";
            ctx_.out.flush();
            return;
        }
        auto opened = open_report(*doc, ring_, r_.who().desks);
        if (!opened && !opened.error().message.empty()) {
            // Perhaps a key granted since we started (a rotation): look again once.
            if (auto ring = r_.keys(ctx_); ring) {
                ring_ = std::move(*ring);
                opened = open_report(*doc, ring_, r_.who().desks);
            }
        }
        if (opened) {
            print_report(ctx_.out, *opened);
            print_consent(*doc, *opened, id);
        } else {
            ctx_.out << opened.error().message << "\n";
        }
        ctx_.out.flush();
    }

    /// The reporter changed who may read a report, or a desk she added was
    /// sealed to: who reads it now, who waits, and her changes, each checked.
    void on_consent(const std::string& desk, std::int64_t seq, const std::string& id) {
        ctx_.out << "=== consent changed for desk " << desk << " #" << seq << " on report "
                 << printable(id) << "\n";
        if (!valid_report_id(id)) {
            ctx_.out << "(the server named a malformed report id)\n";
            ctx_.out.flush();
            return;
        }
        auto doc = r_.api().get("/api/v1/reports/" + id);
        auto opened =
            doc ? open_report(*doc, ring_, r_.who().desks) : result<opened_report>(doc.error());
        if (!opened) {
            ctx_.out << "report " << id << ": " << opened.error().message << "\n";
            ctx_.out.flush();
            return;
        }
        ctx_.out << "consent:  " << joined(opened->consent) << "\n"
                 << "desks:    " << joined(opened->desks) << "\n"
                 << "pending:  " << joined(opened->pending) << "\n";
        print_consent(*doc, *opened, id);
        ctx_.out.flush();
    }

    void print_consent(const json::value& doc, const opened_report& opened, const std::string& id) {
        auto served = read_served_consent(doc);
        if (!served) {
            ctx_.out << "WARNING:  " << served.error().message << "\n";
            return;
        }
        const auto history = check_consent_history(id, *served, opened.sealed_mailbox_pk);
        print_consent_history(ctx_.out, history);
        if (history.holds() && !served->pending.empty()) {
            ctx_.out << "(seal it to the pending desks with: signaal-inbox forward " << id << ")\n";
        }
    }

    static std::string joined(const std::vector<std::string>& items) {
        std::string out;
        for (const auto& item : items) {
            out += (out.empty() ? "" : ", ") + printable(item);
        }
        return out.empty() ? "-" : out;
    }

    /// A new message on a report: the ones not shown yet in this run. The
    /// first time a report comes up, that is its newest message (the event's);
    /// later events show whatever arrived since.
    void on_message(const std::string& desk, std::int64_t seq, const std::string& id) {
        ctx_.out << "=== new message for desk " << desk << " #" << seq << " on report "
                 << printable(id) << "\n";
        if (!valid_report_id(id)) {
            ctx_.out << "(the server named a malformed report id)\n";
            ctx_.out.flush();
            return;
        }
        auto doc = r_.api().get("/api/v1/reports/" + id);
        auto opened =
            doc ? open_report(*doc, ring_, r_.who().desks) : result<opened_report>(doc.error());
        if (!opened) {
            ctx_.out << "report " << id << ": " << opened.error().message << "\n";
            ctx_.out.flush();
            return;
        }
        if (opened->reply_keys_differ) {
            ctx_.out << "WARNING: the reply keys the server serves for this report are not the "
                        "ones the reporter sealed; do not reply to it\n";
        }
        const auto messages = open_messages(*doc, *opened, ring_, r_.who().desks);
        auto [shown, first_time] = shown_messages_.try_emplace(id);
        std::size_t from = 0;
        if (first_time && !messages.empty()) {
            from = messages.size() - 1;
        }
        bool any = false;
        for (std::size_t i = 0; i < messages.size(); ++i) {
            if (i >= from && !shown->second.contains(messages[i].id)) {
                print_message(ctx_.out, messages[i]);
                any = true;
            }
            shown->second.insert(messages[i].id);
        }
        if (!any) {
            ctx_.out << "(shown above)\n";
        }
        ctx_.out.flush();
    }

    remote& r_;
    context& ctx_;
    std::map<std::string, std::set<std::string>> shown_messages_; // report id -> message ids
    key_ring ring_;
    std::map<std::string, std::int64_t> last_;
};

} // namespace

int follow(const remote_options& options, context& ctx) {
    int code = exit_ok;
    auto r = remote::begin(options, ctx, code);
    if (!r) {
        return code;
    }
    if (!r->caseworker()) {
        return fail(ctx, exit_bad_input,
                    "follow is for caseworkers; " + r->who().staff + " is a " + r->who().role);
    }
    return follower(*r, ctx).run();
}

} // namespace signaal::inbox
