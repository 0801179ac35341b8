#include "server/store/report_writer.hpp"

#include "server/store/database.hpp"
#include "server/store/id_list.hpp"
#include "server/store/migrations.hpp"
#include "server/store/statement.hpp"

#include <algorithm>
#include <chrono>
#include <string>
#include <utility>

namespace signaal::store {

// The write connection and every statement the writer uses, prepared once.
// Members are destroyed in reverse order: statements before the connection.
struct report_writer::connection {
    database db;
    statement begin, commit, rollback;
    statement savepoint, rollback_to, release;
    statement insert_pow, insert_report, insert_envelope, insert_report_desk, insert_event;
    statement prune_pow;
};

namespace {

std::int64_t system_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

result<statement> prepare(database& db, std::string_view sql) {
    return statement::prepare(db, sql);
}

} // namespace

report_writer::report_writer(std::filesystem::path path, std::size_t batch_max,
                             std::size_t max_pending, clock now_unix)
    : path_(std::move(path)), batch_max_(std::max<std::size_t>(batch_max, 1)),
      max_pending_(max_pending), now_unix_(now_unix ? std::move(now_unix) : clock(system_now)) {}

report_writer::~report_writer() {
    stop();
}

void report_writer::set_on_committed(commit_hook hook) {
    on_committed_ = std::move(hook);
}

status report_writer::start() {
    {
        std::lock_guard lock(mutex_);
        if (started_ || stopping_) {
            return error{"report writer already started or stopped"};
        }
    }
    auto db = database::open(path_, open_mode::read_write_create);
    if (!db) {
        return error{db.error_message()};
    }
    auto version = db->user_version();
    if (!version) {
        return error{"cannot read the schema version: " + version.error_message()};
    }
    if (*version != latest_schema_version()) {
        return error{"database schema " + std::to_string(*version) +
                     " is not the one this binary writes (schema " +
                     std::to_string(latest_schema_version()) + "); run the migrations first"};
    }

    const char* const sql[] = {
        "BEGIN IMMEDIATE",
        "COMMIT",
        "ROLLBACK",
        "SAVEPOINT request",
        "ROLLBACK TO SAVEPOINT request",
        "RELEASE SAVEPOINT request",
        // DO NOTHING on a spent token: changes() == 0 tells reuse apart from success.
        "INSERT INTO spent_pow (token_hash, expires) VALUES (?1, ?2) "
        "ON CONFLICT (token_hash) DO NOTHING",
        "INSERT INTO reports (id, received_day, role, category, consent, desks, nonce, "
        "ciphertext, reply_box_pk, reply_mailbox_pk) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        "INSERT INTO envelopes (report_id, desk, key_id, sealed) VALUES (?1, ?2, ?3, ?4)",
        "INSERT INTO report_desks (report_id, desk, status, status_day) "
        "VALUES (?1, ?2, 'new', ?3)",
        "INSERT INTO events (desk, report_id, kind) VALUES (?1, ?2, 'report')",
        "DELETE FROM spent_pow WHERE expires < ?1",
    };
    std::vector<statement> stmts;
    for (const char* s : sql) {
        auto st = prepare(*db, s);
        if (!st) {
            return error{st.error_message()};
        }
        stmts.push_back(std::move(*st));
    }
    auto at = [&](std::size_t i) { return std::move(stmts[i]); };
    conn_.reset(new connection{std::move(*db), at(0), at(1), at(2), at(3), at(4), at(5), at(6),
                               at(7), at(8), at(9), at(10), at(11)});

    std::lock_guard lock(mutex_);
    started_ = true;
    thread_ = std::thread([this] { run(); });
    return {};
}

bool report_writer::submit(write_request request, write_completion done) {
    {
        std::lock_guard lock(mutex_);
        if (!stopping_ && queue_.size() < max_pending_) {
            queue_.push_back({std::move(request), std::move(done)});
            wake_.notify_one();
            return true;
        }
    }
    busy_.fetch_add(1, std::memory_order_relaxed);
    done(write_outcome::busy);
    return false;
}

void report_writer::stop() {
    std::deque<pending_request> never_started;
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        if (!started_) {
            never_started.swap(queue_);
        }
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
    for (auto& p : never_started) {
        failed_.fetch_add(1, std::memory_order_relaxed);
        p.done(write_outcome::failed);
    }
}

writer_stats report_writer::stats() const {
    writer_stats s;
    s.batches = batches_.load(std::memory_order_relaxed);
    s.committed = committed_.load(std::memory_order_relaxed);
    s.pow_reused = pow_reused_.load(std::memory_order_relaxed);
    s.failed = failed_.load(std::memory_order_relaxed);
    s.busy = busy_.load(std::memory_order_relaxed);
    return s;
}

std::size_t report_writer::pending() const {
    std::lock_guard lock(mutex_);
    return queue_.size();
}

void report_writer::run() {
    std::vector<pending_request> batch;
    batch.reserve(batch_max_);
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) {
                return; // stopping, and every queued request is done
            }
            const std::size_t n = std::min(batch_max_, queue_.size());
            for (std::size_t i = 0; i < n; ++i) {
                batch.push_back(std::move(queue_.front()));
                queue_.pop_front();
            }
        }
        process(batch);
        batch.clear();
    }
}

bool report_writer::prune_due(std::int64_t now) const {
    return !last_prune_ || now - *last_prune_ >= prune_interval_seconds;
}

void report_writer::process(std::vector<pending_request>& batch) {
    connection& c = *conn_;
    std::vector<write_outcome> outcomes(batch.size(), write_outcome::failed);
    std::vector<committed_event> events;
    bool durable = false;
    std::optional<std::int64_t> pruned_at;

    if (c.begin.run()) {
        bool lost = false; // SQLite rolled the whole transaction back on its own
        for (std::size_t i = 0; i < batch.size() && !lost; ++i) {
            std::vector<committed_event> mine;
            outcomes[i] = write_one(batch[i].request, mine);
            if (outcomes[i] == write_outcome::committed) {
                events.insert(events.end(), std::make_move_iterator(mine.begin()),
                              std::make_move_iterator(mine.end()));
            }
            lost = c.db.autocommit();
        }
        const std::int64_t now = now_unix_();
        if (!lost && prune_due(now)) {
            c.prune_pow.reset();
            c.prune_pow.bind(1, now);
            if (c.prune_pow.run()) {
                pruned_at = now;
            }
            lost = c.db.autocommit();
        }
        if (!lost) {
            durable = static_cast<bool>(c.commit.run()); // synchronous=FULL: on disk now
            if (!durable && !c.db.autocommit()) {
                (void)c.rollback.run();
            }
        }
    }

    if (durable) {
        batches_.fetch_add(1, std::memory_order_relaxed);
        if (pruned_at) {
            last_prune_ = pruned_at;
        }
        if (on_committed_ && !events.empty()) {
            on_committed_(events);
        }
    } else {
        // Nothing of this batch is stored: acknowledge nothing.
        std::fill(outcomes.begin(), outcomes.end(), write_outcome::failed);
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
        switch (outcomes[i]) {
        case write_outcome::committed:
            committed_.fetch_add(1, std::memory_order_relaxed);
            break;
        case write_outcome::pow_reused:
            pow_reused_.fetch_add(1, std::memory_order_relaxed);
            break;
        default:
            failed_.fetch_add(1, std::memory_order_relaxed);
            break;
        }
        batch[i].done(outcomes[i]);
    }
}

write_outcome report_writer::write_one(const write_request& request,
                                       std::vector<committed_event>& events) {
    connection& c = *conn_;
    const report_record& r = request.report;

    if (!c.savepoint.run()) {
        return write_outcome::failed;
    }
    // Undo this request only; the rest of the batch stays.
    auto undo = [&](write_outcome outcome) {
        events.clear();
        if (!c.db.autocommit()) {
            (void)c.rollback_to.run();
            (void)c.release.run();
        }
        return outcome;
    };

    c.insert_pow.reset();
    c.insert_pow.bind(1, request.pow_token_hash);
    c.insert_pow.bind(2, request.pow_expires);
    if (!c.insert_pow.run()) {
        return undo(write_outcome::failed);
    }
    if (c.db.changes() == 0) {
        return undo(write_outcome::pow_reused);
    }

    c.insert_report.reset();
    c.insert_report.bind(1, r.id);
    c.insert_report.bind(2, r.received_day);
    c.insert_report.bind(3, r.role);
    c.insert_report.bind(4, r.category);
    c.insert_report.bind(5, join_ids(r.consent));
    c.insert_report.bind(6, join_ids(r.desks));
    c.insert_report.bind_blob_or_null(7, r.nonce);
    c.insert_report.bind_blob_or_null(8, r.ciphertext);
    c.insert_report.bind_blob_or_null(9, r.reply_box_pk);
    c.insert_report.bind_blob_or_null(10, r.reply_mailbox_pk);
    if (!c.insert_report.run()) {
        return undo(write_outcome::failed);
    }

    for (const envelope& e : r.envelopes) {
        c.insert_envelope.reset();
        c.insert_envelope.bind(1, r.id);
        c.insert_envelope.bind(2, e.desk);
        c.insert_envelope.bind(3, e.key_id);
        c.insert_envelope.bind(4, e.sealed);
        if (!c.insert_envelope.run()) {
            return undo(write_outcome::failed);
        }
    }

    for (const std::string& desk : r.desks) {
        c.insert_report_desk.reset();
        c.insert_report_desk.bind(1, r.id);
        c.insert_report_desk.bind(2, desk);
        c.insert_report_desk.bind(3, r.received_day);
        if (!c.insert_report_desk.run()) {
            return undo(write_outcome::failed);
        }
        c.insert_event.reset();
        c.insert_event.bind(1, desk);
        c.insert_event.bind(2, r.id);
        if (!c.insert_event.run()) {
            return undo(write_outcome::failed);
        }
        events.push_back({desk, r.id, c.db.last_insert_rowid()});
    }

    if (!c.release.run()) {
        return undo(write_outcome::failed);
    }
    return write_outcome::committed;
}

} // namespace signaal::store
