#include "server/store/messages.hpp"

#include "server/store/id_list.hpp"
#include "server/store/statement.hpp"

#include <algorithm>
#include <map>

namespace signaal::store {

namespace {

bool among(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

} // namespace

status insert_message(database& db, std::int64_t report_no, const message_record& message) {
    // max + 1: a message appends at the right edge of the table.
    auto insert = statement::prepare(
        db, "INSERT INTO messages (no, id, report_no, day, sender, recipients, nonce, ciphertext, "
            "signature) VALUES ((SELECT coalesce(max(no), 0) + 1 FROM messages), "
            "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING no");
    if (!insert) {
        return insert.error();
    }
    insert->bind(1, message.id);
    insert->bind(2, report_no);
    insert->bind(3, message.day);
    insert->bind(4, message.sender);
    insert->bind(5, join_ids(message.recipients));
    insert->bind(6, message.nonce);
    insert->bind(7, message.ciphertext);
    insert->bind_blob_or_null(8, message.signature);
    auto row = insert->step();
    if (!row || !*row) {
        return fail("cannot store the message: " + db.last_error());
    }
    const std::int64_t no = insert->column_int64(0);
    insert->reset();

    auto envelope = statement::prepare(
        db, "INSERT INTO message_envelopes (message_no, recipient, key_id, sealed, nonce, box) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!envelope) {
        return envelope.error();
    }
    for (const auto& e : message.envelopes) {
        envelope->reset();
        envelope->bind(1, no);
        envelope->bind(2, e.recipient);
        envelope->bind_blob_or_null(3, e.key_id);
        envelope->bind_blob_or_null(4, e.sealed);
        envelope->bind_blob_or_null(5, e.nonce);
        envelope->bind_blob_or_null(6, e.box);
        if (auto ran = envelope->run(); !ran) {
            return fail("cannot store an envelope of the message: " + ran.error().message);
        }
    }
    return {};
}

result<std::vector<message_record>> read_messages(database& db, std::int64_t report_no,
                                                  const std::vector<std::string>& readers) {
    auto st = statement::prepare(
        db, "SELECT m.no, m.id, m.day, m.sender, m.recipients, m.nonce, m.ciphertext, "
            "m.signature, e.recipient, e.key_id, e.sealed, e.nonce, e.box "
            "FROM messages m JOIN message_envelopes e ON e.message_no = m.no "
            "WHERE m.report_no = ?1 ORDER BY m.no, e.recipient");
    if (!st) {
        return st.error();
    }
    st->bind(1, report_no);
    std::vector<message_record> out;
    std::int64_t current = -1;
    for (;;) {
        auto row = st->step();
        if (!row) {
            return fail("cannot read the messages: " + row.error().message);
        }
        if (!*row) {
            break;
        }
        auto recipient = st->column_text(8);
        if (!among(readers, recipient)) {
            continue;
        }
        const std::int64_t no = st->column_int64(0);
        if (no != current) {
            current = no;
            message_record m;
            m.id = st->column_blob(1);
            m.day = st->column_int64(2);
            m.sender = st->column_text(3);
            m.recipients = split_ids(st->column_text(4));
            m.nonce = st->column_blob(5);
            m.ciphertext = st->column_blob(6);
            m.signature = st->column_blob(7);
            out.push_back(std::move(m));
        }
        out.back().envelopes.push_back({std::move(recipient), st->column_blob(9),
                                        st->column_blob(10), st->column_blob(11),
                                        st->column_blob(12)});
    }
    return out;
}

status delete_messages(database& db, std::int64_t report_no) {
    // Envelopes first (explicitly, not only by the cascade): every byte goes.
    for (const char* sql : {"DELETE FROM message_envelopes WHERE message_no IN "
                            "(SELECT no FROM messages WHERE report_no = ?1)",
                            "DELETE FROM messages WHERE report_no = ?1"}) {
        auto st = statement::prepare(db, sql);
        if (!st) {
            return st.error();
        }
        st->bind(1, report_no);
        if (auto ran = st->run(); !ran) {
            return fail("cannot delete the messages: " + ran.error().message);
        }
    }
    return {};
}

} // namespace signaal::store
