// signaal-inbox list, show, status and stats: reading the inbox, one report,
// setting a status, and the coordinators' aggregates.
#include "tools/inbox/commands.hpp"
#include "tools/inbox/consent_history.hpp"
#include "tools/inbox/printable.hpp"
#include "tools/inbox/report_messages.hpp"
#include "tools/inbox/report_opener.hpp"

#include <algorithm>
#include <regex>
#include <set>

namespace signaal::inbox {
namespace {

constexpr std::int64_t inbox_page = 1000;

/// The report ids of a desk's inbox, in the order of their first `report`
/// event; withdrawn ones left out.
result<std::vector<std::string>> inbox_reports(api_client& api, const std::string& desk) {
    std::vector<std::string> order;
    std::set<std::string> withdrawn;
    std::int64_t after = 0;
    for (;;) {
        auto page = api.get("/api/v1/inbox?desk=" + desk + "&after=" + std::to_string(after) +
                            "&limit=" + std::to_string(inbox_page));
        if (!page) {
            return signaal::fail("inbox of " + desk + ": " + page.error().message);
        }
        const auto* events = json::find(*page, "events");
        if (events == nullptr || !events->is_array()) {
            return signaal::fail("inbox of " + desk +
                                 ": the server's answer has no \"events\" list");
        }
        std::int64_t last = after;
        for (const auto& e : events->as_array()) {
            const auto* seq = json::find(e, "seq");
            if (seq == nullptr || !seq->is_int64() || seq->as_int64() <= last) {
                return signaal::fail("inbox of " + desk + ": events out of order");
            }
            last = seq->as_int64();
            const auto id = string_of(e, "report_id");
            const auto kind = string_of(e, "kind");
            if (kind == "report") {
                withdrawn.erase(id); // sealed to the desk again after a removal
                if (std::find(order.begin(), order.end(), id) == order.end()) {
                    order.push_back(id);
                }
            } else if (kind == "withdrawn") {
                withdrawn.insert(id);
            }
        }
        if (events->as_array().empty() || events->as_array().size() < inbox_page) {
            break;
        }
        after = last;
    }
    std::erase_if(order, [&](const std::string& id) { return withdrawn.contains(id); });
    return order;
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        out += (out.empty() ? "" : ",") + printable(item);
    }
    return out.empty() ? "-" : out;
}

/// "  (2 messages)" when the report has any; the view carries them already.
std::string messages_note(const json::value& report) {
    const auto* messages = json::find(report, "messages");
    if (messages == nullptr || !messages->is_array() || messages->as_array().empty()) {
        return {};
    }
    const auto count = messages->as_array().size();
    return "  (" + std::to_string(count) + (count == 1 ? " message)" : " messages)");
}

bool valid_quarter(const std::string& q) {
    static const std::regex quarter("[0-9]{4}-Q[1-4]");
    return std::regex_match(q, quarter);
}

} // namespace

int list(const remote_options& options, std::size_t limit, context& ctx) {
    int code = exit_ok;
    auto r = remote::begin(options, ctx, code);
    if (!r) {
        return code;
    }
    if (!r->caseworker()) {
        return fail(ctx, exit_bad_input,
                    "list is for caseworkers; " + r->who().staff + " is a " + r->who().role);
    }
    r->remind_rotations(ctx);
    for (const auto& desk : r->who().desks) {
        auto ids = inbox_reports(r->api(), desk);
        if (!ids) {
            return fail(ctx, exit_failure, ids.error().message);
        }
        std::reverse(ids->begin(), ids->end()); // newest first
        ctx.out << "desk " << desk << ": " << ids->size() << " report(s)"
                << (ids->size() > limit ? ", the newest " + std::to_string(limit) + " shown" : "")
                << "\n";
        std::size_t shown = 0;
        for (const auto& id : *ids) {
            if (shown == limit) {
                break;
            }
            if (!valid_report_id(id)) {
                return fail(ctx, exit_failure, "the server listed a malformed report id");
            }
            auto doc = r->api().get("/api/v1/reports/" + id);
            if (!doc) {
                continue; // withdrawn or removed since the event: nothing to show
            }
            auto fields = read_report_fields(*doc);
            if (!fields) {
                return fail(ctx, exit_failure, fields.error().message);
            }
            const auto status = fields->status.find(desk);
            ctx.out << "  " << printable(fields->id) << "  " << printable(fields->received_day)
                    << "  " << printable(fields->category) << "  " << joined(fields->desks) << "  "
                    << (status == fields->status.end() ? "-" : printable(status->second))
                    << (fields->count_only ? "  (count only)" : "")
                    << (fields->pending.empty() ? ""
                                                : "  (pending: " + joined(fields->pending) + ")")
                    << messages_note(*doc) << "\n";
            ++shown;
        }
    }
    return exit_ok;
}

int show(const remote_options& options, const std::string& report_id, context& ctx) {
    if (!valid_report_id(report_id)) {
        return fail(ctx, exit_bad_input,
                    "show: \"" + printable(report_id) +
                        "\" is not a report id (16 bytes of base64url, as list prints them)");
    }
    int code = exit_ok;
    auto r = remote::begin(options, ctx, code);
    if (!r) {
        return code;
    }
    auto ring = r->keys(ctx);
    if (!ring) {
        return fail(ctx, exit_failure, ring.error().message);
    }
    auto doc = r->api().get("/api/v1/reports/" + report_id);
    if (!doc) {
        return fail(ctx, exit_failure, "report " + report_id + ": " + doc.error().message);
    }
    auto opened = open_report(*doc, *ring, r->who().desks);
    if (!opened) {
        if (auto fields = read_report_fields(*doc); fields) {
            for (const auto& desk : fields->pending) {
                if (std::find(r->who().desks.begin(), r->who().desks.end(), desk) !=
                    r->who().desks.end()) {
                    return fail(ctx, exit_refused,
                                "report " + report_id + " is pending for desk " + desk +
                                    ": the reporter added it, and a caseworker of a desk that "
                                    "reads it has not forwarded it yet (signaal-inbox forward)");
                }
            }
        }
        return fail(ctx, exit_refused, opened.error().message);
    }
    print_report(ctx.out, *opened);
    // The signed consent changes, checked against the key sealed in the report.
    if (auto served = read_served_consent(*doc); served) {
        print_consent_history(ctx.out,
                              check_consent_history(report_id, *served, opened->sealed_mailbox_pk));
    } else {
        ctx.out << "WARNING:  " << served.error().message << "\n";
    }
    const auto messages = open_messages(*doc, *opened, *ring, r->who().desks);
    if (!messages.empty()) {
        ctx.out << "messages: " << messages.size() << "\n";
        print_messages(ctx.out, messages);
    }
    return exit_ok;
}

int set_status(const remote_options& options, const std::string& report_id,
               const std::string& status, const std::optional<std::string>& desk, context& ctx) {
    if (!valid_report_id(report_id)) {
        return fail(ctx, exit_bad_input,
                    "status: \"" + printable(report_id) +
                        "\" is not a report id (16 bytes of base64url)");
    }
    static const std::set<std::string> statuses{"new", "acknowledged", "in_progress", "closed"};
    if (!statuses.contains(status)) {
        return fail(ctx, exit_bad_input,
                    "status: \"" + printable(status) +
                        "\" is not a status: new, acknowledged, in_progress or closed");
    }
    int code = exit_ok;
    auto r = remote::begin(options, ctx, code);
    if (!r) {
        return code;
    }
    const auto& desks = r->who().desks;
    std::string for_desk;
    if (desk) {
        if (std::find(desks.begin(), desks.end(), *desk) == desks.end()) {
            return fail(ctx, exit_bad_input,
                        "status: --desk " + printable(*desk) + " is not one of your desks");
        }
        for_desk = *desk;
    } else if (desks.size() == 1) {
        for_desk = desks.front();
    } else {
        return fail(ctx, exit_bad_input, "status: you have several desks; name one with --desk D");
    }
    auto answer = r->api().post("/api/v1/reports/" + report_id + "/status",
                                json::object{{"desk", for_desk}, {"status", status}});
    if (!answer) {
        return fail(ctx, exit_failure, "report " + report_id + ": " + answer.error().message);
    }
    std::map<std::string, std::string> now;
    if (const auto* s = json::find(*answer, "status"); s != nullptr && s->is_object()) {
        for (const auto& [d, v] : s->as_object()) {
            if (v.is_string()) {
                now[std::string(d)] = std::string(v.as_string());
            }
        }
    }
    ctx.out << "report " << report_id << ": " << status_line(now) << "\n";
    return exit_ok;
}

int stats(const remote_options& options, const std::string& from, const std::string& to, bool csv,
          context& ctx) {
    if (!valid_quarter(from) || !valid_quarter(to)) {
        return fail(ctx, exit_bad_input,
                    "stats: --from and --to must be quarters as YYYY-Qn (2026-Q3)");
    }
    if (to < from) {
        return fail(ctx, exit_bad_input, "stats: --to comes before --from");
    }
    int code = exit_ok;
    auto r = remote::begin(options, ctx, code);
    if (!r) {
        return code;
    }
    auto answer =
        r->api().get_raw("/api/v1/stats?from=" + from + "&to=" + to + (csv ? "&format=csv" : ""));
    if (!answer) {
        return fail(ctx, exit_failure, "stats: " + answer.error().message);
    }
    ctx.out << printable(answer->body, true);
    if (!answer->body.empty() && answer->body.back() != '\n') {
        ctx.out << "\n";
    }
    return exit_ok;
}

} // namespace signaal::inbox
