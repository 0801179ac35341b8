#pragma once
// Builds and opens reports exactly as PROTOCOL.md §5 says, the way an
// independent client would: the tests' and the benchmark's reporter.
#include "crypto/box.hpp"
#include "server/json/json.hpp"
#include "server/store/records.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace signaal::testing {

struct desk_keypair {
    std::vector<std::uint8_t> public_key;
    crypto::secret_bytes secret_key;
    std::vector<std::uint8_t> key_id;
};

struct report_input {
    std::string role = "sex_worker";
    std::string category = "physical_violence";
    std::vector<std::string> consent; // any order
    std::vector<std::string> desks;   // sorted consent ∩ routing (the caller computes it)
    std::string plaintext;            // UTF-8 JSON {"v":1,...}; ignored when desks is empty
    std::vector<std::size_t> buckets{1024, 4096, 16384, 65536};
    std::map<std::string, const desk_keypair*> keys; // desk -> its key (public half used)
    // The reply keys (PROTOCOL.md §7), public halves: when set, the body gets
    // "reply" and the plaintext the same keys, also for a count-only report
    // (which the server must refuse).
    std::vector<std::uint8_t> reply_box_pk, reply_mailbox_pk;
    bool reply_in_plaintext = true; // false: a report whose plaintext leaves them out
};

/// The report body without "pow" (the caller adds it).
[[nodiscard]] json::object build_report(const report_input& input);

/// Adds {"pow": {"token", "nonce"}} with a nonce solved for `difficulty`.
void add_pow(json::object& body, const std::string& token_b64, unsigned difficulty);

/// Opens a stored report with one desk's key: the plaintext, or nullopt.
[[nodiscard]] std::optional<std::string>
open_report(const store::report_record& stored, const std::string& desk, const desk_keypair& key);

/// Mutable access to a member of a JSON object, inserting null when absent.
json::value& member(json::object& object, const std::string& key);

} // namespace signaal::testing
