#include "server/store/report_writer.hpp"

#include "server/store/database.hpp"
#include "server/store/day_number.hpp"
#include "server/store/id_list.hpp"
#include "server/store/migrations.hpp"
#include "server/store/statement.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <numeric>
#include <random>
#include <string>
#include <utility>

namespace signaal::store {

// The write connection and every statement the writer uses, prepared once.
// Members are destroyed in reverse order: statements before the connection.
struct report_writer::connection {
    database db;
    statement begin, commit, rollback;
    statement savepoint, rollback_to, release;
    statement load_pow, insert_pow, insert_report, insert_envelope, insert_report_desk,
        insert_event;
    statement prune_pow, reply_in_use;
};

namespace {

// The writer's page cache: the random id index of a few million reports stays
// in memory, so an insert into it costs a page write and no read.
constexpr const char* writer_pragmas = "PRAGMA cache_size=-65536;";

constexpr const char* reply_in_use_sql =
    "SELECT 1 FROM reports WHERE reply_box_pk = ?1 OR reply_mailbox_pk = ?2";

} // namespace

result<bool> reply_keys_in_use(database& db, std::span<const std::uint8_t> box_pk,
                               std::span<const std::uint8_t> mailbox_pk) {
    auto st = statement::prepare(db, reply_in_use_sql);
    if (!st) {
        return st.error();
    }
    st->bind(1, box_pk);
    st->bind(2, mailbox_pk);
    auto row = st->step();
    if (!row) {
        return fail("cannot look up reply keys: " + row.error().message);
    }
    return *row;
}

report_writer::report_writer(std::filesystem::path path, writer_options options, const clock& clock)
    : path_(std::move(path)), options_(std::move(options)), clock_(clock) {}

report_writer::~report_writer() {
    stop();
}

status report_writer::start() {
    {
        std::lock_guard lock(mutex_);
        if (started_ || stopping_) {
            return fail("report writer already started or stopped");
        }
    }
    auto db = database::open(path_, open_mode::read_write_create);
    if (!db) {
        return db.error();
    }
    auto version = db->user_version();
    if (!version) {
        return fail("cannot read the schema version: " + version.error().message);
    }
    if (*version != latest_schema_version()) {
        return fail("database schema " + std::to_string(*version) +
                    " is not the one this binary writes (schema " +
                    std::to_string(latest_schema_version()) + "); run the migrations first");
    }
    if (auto s = db->exec(writer_pragmas); !s) {
        return s.error();
    }

    const char* const sql[] = {
        "BEGIN IMMEDIATE",
        "COMMIT",
        "ROLLBACK",
        "SAVEPOINT request",
        "ROLLBACK TO SAVEPOINT request",
        "RELEASE SAVEPOINT request",
        "SELECT forget_day, token_hash FROM spent_pow",
        "INSERT INTO spent_pow (forget_day, token_hash) VALUES (?1, ?2)",
        // max + 1: the report appends at the right edge of the table.
        "INSERT INTO reports (no, id, received_day, role, category, consent, desks, nonce, "
        "ciphertext, reply_box_pk, reply_mailbox_pk) "
        "VALUES ((SELECT coalesce(max(no), 0) + 1 FROM reports), "
        "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING no",
        "INSERT INTO envelopes (report_no, desk, key_id, sealed) VALUES (?1, ?2, ?3, ?4)",
        "INSERT INTO report_desks (report_no, desk, status, status_day) "
        "VALUES (?1, ?2, 'new', ?3)",
        // Numbered within the desk (PROTOCOL.md §6).
        "INSERT INTO events (desk, seq, report_no, kind) "
        "VALUES (?1, (SELECT coalesce(max(seq), 0) + 1 FROM events WHERE desk = ?1), ?2, ?3) "
        "RETURNING seq",
        "DELETE FROM spent_pow WHERE forget_day <= ?1",
        reply_in_use_sql,
    };
    std::vector<statement> stmts;
    for (const char* s : sql) {
        auto st = statement::prepare(*db, s);
        if (!st) {
            return st.error();
        }
        stmts.push_back(std::move(*st));
    }
    auto at = [&](std::size_t i) { return std::move(stmts[i]); };
    conn_.reset(new connection{std::move(*db), at(0), at(1), at(2), at(3), at(4), at(5), at(6),
                               at(7), at(8), at(9), at(10), at(11), at(12), at(13)});

    // What an earlier run left: its spent tokens (those past their day are
    // pruned at once), frames in the WAL.
    if (auto s = load_spent(); !s) {
        conn_.reset();
        return s.error();
    }
    prune();
    checkpoint();

    std::lock_guard lock(mutex_);
    started_ = true;
    thread_ = std::thread([this] { run(); });
    return {};
}

std::size_t report_writer::pending() const {
    std::lock_guard lock(mutex_);
    return queue_.size();
}

// job_context for one job: the connection, and events through the writer.
class report_writer::context final : public job_context {
  public:
    explicit context(report_writer& writer) : writer_(writer) {}
    database& db() override { return writer_.conn_->db; }
    result<std::int64_t> add_event(std::string_view desk, std::int64_t report_no,
                                   std::span<const std::uint8_t> report_id,
                                   std::string_view kind) override {
        return writer_.append_event(desk, report_no, report_id, kind);
    }
    void checkpoint_after_commit() override { writer_.step_checkpoint_ = true; }

  private:
    report_writer& writer_;
};

bool report_writer::enqueue(queued item) {
    {
        std::lock_guard lock(mutex_);
        if (!stopping_ && queue_.size() < options_.max_pending) {
            queue_.push_back(std::move(item));
            wake_.notify_one();
            return true;
        }
    }
    if (auto* r = std::get_if<pending_request>(&item)) {
        r->done(write_outcome::busy);
    } else {
        std::get<write_job>(item).done(fail("the store is busy; try again later"));
    }
    return false;
}

bool report_writer::submit(write_request request, write_completion done) {
    return enqueue(pending_request{std::move(request), std::move(done)});
}

bool report_writer::submit_job(write_job job) {
    return enqueue(std::move(job));
}

void report_writer::set_event_listener(event_listener listener) {
    listener_ = std::move(listener);
}

void report_writer::set_commit_observer(commit_observer observer) {
    commit_observer_ = std::move(observer);
}

void report_writer::set_failure_listener(std::function<void(std::size_t lost)> listener) {
    failure_listener_ = std::move(listener);
}

void report_writer::stop() {
    std::deque<queued> never_started;
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
        if (auto* r = std::get_if<pending_request>(&p)) {
            r->done(write_outcome::failed);
        } else {
            std::get<write_job>(p).done(fail("the store stopped before the change was written"));
        }
    }
}

void report_writer::run() {
    using steady = std::chrono::steady_clock;
    const std::size_t batch_max = std::max<std::size_t>(options_.batch_max, 1);
    auto next_prune = steady::now() + options_.prune_interval;
    auto next_checkpoint = steady::now() + options_.checkpoint_interval;
    std::vector<queued> batch;
    batch.reserve(batch_max);
    for (;;) {
        bool done = false;
        {
            std::unique_lock lock(mutex_);
            wake_.wait_until(lock, std::min(next_prune, next_checkpoint),
                             [this] { return stopping_ || !queue_.empty(); });
            const std::size_t n = std::min(batch_max, queue_.size());
            for (std::size_t i = 0; i < n; ++i) {
                batch.push_back(std::move(queue_.front()));
                queue_.pop_front();
            }
            done = stopping_ && queue_.empty();
        }
        if (!batch.empty()) {
            process(batch);
            batch.clear();
        }
        // Timers run between batches, also when no report comes.
        if (steady::now() >= next_prune) {
            prune();
            next_prune = steady::now() + options_.prune_interval;
        }
        if (steady::now() >= next_checkpoint) {
            checkpoint();
            next_checkpoint = steady::now() + options_.checkpoint_interval;
        }
        if (done) {
            checkpoint(); // leave no frame behind
            return;
        }
    }
}

status report_writer::load_spent() {
    statement& load = conn_->load_pow;
    load.reset();
    spent_tokens::token_hash hash;
    for (;;) {
        auto row = load.step();
        if (!row) {
            load.reset();
            return fail("cannot read the spent tokens: " + row.error().message);
        }
        if (!*row) {
            break;
        }
        if (spent_tokens::to_hash(load.column_blob(1), hash)) {
            spent_.add(hash, load.column_int64(0));
        }
    }
    load.reset();
    return {};
}

void report_writer::prune() {
    connection& c = *conn_;
    const std::int64_t today = unix_day(clock_.now_unix());
    c.prune_pow.reset();
    c.prune_pow.bind(1, today);
    // Autocommit; a failure is retried at the next tick, and memory keeps what
    // the table keeps.
    if (c.prune_pow.run()) {
        spent_.forget_through(today);
    }
}

void report_writer::checkpoint() {
    // TRUNCATE: copy every frame into the database file, then cut the WAL to
    // zero bytes. Busy when a reader holds an old snapshot: tried again later.
    (void)conn_->db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

void report_writer::process(std::vector<queued>& batch) {
    connection& c = *conn_;
    // Per item: a report's outcome, or a job's status.
    std::vector<write_outcome> outcomes(batch.size(), write_outcome::failed);
    std::vector<status> job_results(batch.size());
    bool durable = false;

    // Rows of one commit go in random order: `no` and each desk's `seq` then
    // say nothing of the order of arrival within the group.
    std::vector<std::size_t> order(batch.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::random_device random;
    std::shuffle(order.begin(), order.end(), random);

    batch_spent_.clear();
    batch_events_.clear();
    const auto began = std::chrono::steady_clock::now();
    auto committed_at = began;
    if (c.begin.run()) {
        bool lost = false; // SQLite rolled the whole transaction back on its own
        for (std::size_t k = 0; k < order.size() && !lost; ++k) {
            const std::size_t i = order[k];
            if (auto* r = std::get_if<pending_request>(&batch[i])) {
                outcomes[i] = write_one(r->request);
            } else {
                job_results[i] = run_job(std::get<write_job>(batch[i]));
            }
            lost = c.db.autocommit();
        }
        if (!lost) {
            durable = static_cast<bool>(c.commit.run()); // synchronous=FULL: on disk now
            committed_at = std::chrono::steady_clock::now();
            if (!durable && !c.db.autocommit()) {
                (void)c.rollback.run();
            }
        }
    }

    if (durable && batch_checkpoint_) {
        checkpoint(); // before anyone is told: the freed pages are gone from the WAL
    }
    batch_checkpoint_ = false;
    if (durable && commit_observer_) {
        commit_observer_({.items = batch.size(),
                          .reports = static_cast<std::size_t>(std::count(
                              outcomes.begin(), outcomes.end(), write_outcome::committed)),
                          .duration = committed_at - began});
    }
    if (durable) {
        spent_.add_all(batch_spent_);
        if (listener_ && !batch_events_.empty()) {
            // Ascending seq within each desk, whatever order the savepoints ran in.
            std::stable_sort(batch_events_.begin(), batch_events_.end(),
                             [](const event_record& a, const event_record& b) {
                                 return a.desk != b.desk ? a.desk < b.desk : a.seq < b.seq;
                             });
            listener_(batch_events_);
        }
    } else {
        // Nothing of this batch is stored: acknowledge nothing, spend nothing.
        std::fill(outcomes.begin(), outcomes.end(), write_outcome::failed);
        std::fill(job_results.begin(), job_results.end(),
                  status(fail("the change could not be committed")));
        if (failure_listener_ && !batch.empty()) {
            failure_listener_(batch.size());
        }
    }
    batch_spent_.clear();
    batch_events_.clear();
    for (std::size_t i = 0; i < batch.size(); ++i) {
        if (auto* r = std::get_if<pending_request>(&batch[i])) {
            r->done(outcomes[i]);
        } else {
            std::get<write_job>(batch[i]).done(job_results[i]);
        }
    }
}

status report_writer::run_job(const write_job& job) {
    connection& c = *conn_;
    step_events_.clear();
    step_checkpoint_ = false;
    if (!c.savepoint.run()) {
        return fail("cannot open a savepoint: " + c.db.last_error());
    }
    context ctx(*this);
    status result = fail("the change failed");
    try {
        result = job.apply(ctx);
    } catch (const std::exception& e) {
        result = fail(std::string("the change failed: ") + e.what());
    }
    if (result && c.release.run()) {
        batch_events_.insert(batch_events_.end(), step_events_.begin(), step_events_.end());
        step_events_.clear();
        batch_checkpoint_ = batch_checkpoint_ || step_checkpoint_;
        step_checkpoint_ = false;
        return result;
    }
    step_checkpoint_ = false;
    if (!c.db.autocommit()) {
        (void)c.rollback_to.run();
        (void)c.release.run();
    }
    step_events_.clear();
    return result ? status(fail("cannot release a savepoint: " + c.db.last_error())) : result;
}

result<std::int64_t> report_writer::append_event(std::string_view desk, std::int64_t report_no,
                                                 std::span<const std::uint8_t> report_id,
                                                 std::string_view kind) {
    statement& insert = conn_->insert_event;
    insert.reset();
    insert.bind(1, desk);
    insert.bind(2, report_no);
    insert.bind(3, kind);
    auto row = insert.step();
    if (!row || !*row) {
        insert.reset();
        return fail("cannot append an event: " + conn_->db.last_error());
    }
    const std::int64_t seq = insert.column_int64(0);
    insert.reset();
    step_events_.push_back(event_record{
        std::string(desk), seq, std::vector<std::uint8_t>(report_id.begin(), report_id.end()),
        std::string(kind)});
    return seq;
}

write_outcome report_writer::write_one(const write_request& request) {
    connection& c = *conn_;
    const report_record& r = request.report;
    const auto day = day_number(r.received_day);
    spent_tokens::token_hash hash;
    if (!day || !spent_tokens::to_hash(request.pow_token_hash, hash)) {
        return write_outcome::failed;
    }

    // Spent in an earlier batch (on any day still remembered) or earlier in this one.
    if (spent_.contains(hash) || batch_spent_.contains(hash)) {
        return write_outcome::pow_reused;
    }

    if (!c.savepoint.run()) {
        return write_outcome::failed;
    }
    step_events_.clear();
    // Undo this request only; the rest of the batch stays.
    auto undo = [&](write_outcome outcome) {
        if (!c.db.autocommit()) {
            (void)c.rollback_to.run();
            (void)c.release.run();
        }
        step_events_.clear();
        return outcome;
    };

    // A receipt serves one report (PROTOCOL.md §7); checked again here, in
    // the writer, for two reports with the same keys in one batch or race.
    if (!r.reply_box_pk.empty()) {
        c.reply_in_use.reset();
        c.reply_in_use.bind(1, r.reply_box_pk);
        c.reply_in_use.bind(2, r.reply_mailbox_pk);
        auto used = c.reply_in_use.step();
        c.reply_in_use.reset();
        if (!used) {
            return undo(write_outcome::failed);
        }
        if (*used) {
            return undo(write_outcome::reply_in_use);
        }
    }

    const std::int64_t forget_day = *day + options_.spent_token_days;
    c.insert_pow.reset();
    c.insert_pow.bind(1, forget_day);
    c.insert_pow.bind(2, request.pow_token_hash);
    if (!c.insert_pow.run()) {
        return undo(write_outcome::failed);
    }

    c.insert_report.reset();
    c.insert_report.bind(1, r.id);
    c.insert_report.bind(2, *day);
    c.insert_report.bind(3, r.role);
    c.insert_report.bind(4, r.category);
    c.insert_report.bind(5, join_ids(r.consent));
    c.insert_report.bind(6, join_ids(r.desks));
    c.insert_report.bind_blob_or_null(7, r.nonce);
    c.insert_report.bind_blob_or_null(8, r.ciphertext);
    c.insert_report.bind_blob_or_null(9, r.reply_box_pk);
    c.insert_report.bind_blob_or_null(10, r.reply_mailbox_pk);
    auto inserted = c.insert_report.step();
    const bool have_no = inserted && *inserted;
    const std::int64_t no = have_no ? c.insert_report.column_int64(0) : 0;
    c.insert_report.reset();
    if (!have_no) {
        return undo(write_outcome::failed);
    }

    for (const envelope& e : r.envelopes) {
        c.insert_envelope.reset();
        c.insert_envelope.bind(1, no);
        c.insert_envelope.bind(2, e.desk);
        c.insert_envelope.bind(3, e.key_id);
        c.insert_envelope.bind(4, e.sealed);
        if (!c.insert_envelope.run()) {
            return undo(write_outcome::failed);
        }
    }

    for (const std::string& desk : r.desks) {
        c.insert_report_desk.reset();
        c.insert_report_desk.bind(1, no);
        c.insert_report_desk.bind(2, desk);
        c.insert_report_desk.bind(3, *day);
        if (!c.insert_report_desk.run()) {
            return undo(write_outcome::failed);
        }
        if (!append_event(desk, no, r.id, "report")) {
            return undo(write_outcome::failed);
        }
    }

    if (!c.release.run()) {
        return undo(write_outcome::failed);
    }
    batch_spent_.add(hash, forget_day);
    batch_events_.insert(batch_events_.end(), step_events_.begin(), step_events_.end());
    step_events_.clear();
    return write_outcome::committed;
}

} // namespace signaal::store
