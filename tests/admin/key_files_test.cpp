// tools/common/key_files: the formats of PROTOCOL.md §10, O_EXCL, 0600, and
// rejection of tampered, truncated and mismatched files.
#include "admin_support.hpp"

#include "crypto/base64url.hpp"
#include "crypto/box.hpp"
#include "crypto/sign.hpp"
#include "server/json/json.hpp"
#include "tools/common/key_files.hpp"

#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

namespace fs = std::filesystem;
using namespace signaal;
using namespace signaal::admin::test;

namespace {

key_files::desk_key new_desk_key(const std::string& desk) {
    auto pair = crypto::box_keygen();
    return {desk, std::move(pair.public_key), std::move(pair.secret_key)};
}

key_files::staff_key new_staff_key(const std::string& staff) {
    auto sign = crypto::sign_keygen();
    auto box = crypto::box_keygen();
    return {staff, std::move(sign.public_key), std::move(sign.secret_key),
            std::move(box.public_key), std::move(box.secret_key)};
}

/// Replaces the text of one "name": "value" member.
std::string replace_member(std::string text, const std::string& name, const std::string& value) {
    const auto key = "\"" + name + "\": \"";
    const auto start = text.find(key);
    BOOST_REQUIRE(start != std::string::npos);
    const auto from = start + key.size();
    const auto to = text.find('"', from);
    return text.replace(from, to - from, value);
}

} // namespace

BOOST_AUTO_TEST_SUITE(key_files_suite)

BOOST_AUTO_TEST_CASE(desk_key_round_trip) {
    temp_dir tmp;
    const auto file = tmp.path() / "desk.json";
    const auto key = new_desk_key("care");
    BOOST_REQUIRE(key_files::write_desk_key(file, key));
    BOOST_CHECK_EQUAL(mode_of(file), 0600u);
    const auto read = key_files::read_desk_key(file);
    BOOST_REQUIRE_MESSAGE(read, read.error().message);
    BOOST_CHECK(!read->too_open);
    BOOST_CHECK_EQUAL(read->key.desk, "care");
    BOOST_CHECK(read->key.public_key == key.public_key);
    BOOST_CHECK(crypto::equal_constant_time(read->key.secret_key.view(), key.secret_key.view()));
    // The exact members of §10.
    const auto doc = read_json(file);
    BOOST_REQUIRE(doc.is_object());
    BOOST_CHECK_EQUAL(doc.as_object().size(), 5u);
    BOOST_CHECK_EQUAL(doc.at("secret_key").as_string(),
                      crypto::base64url_encode(key.secret_key.view()));
}

BOOST_AUTO_TEST_CASE(staff_key_round_trip) {
    temp_dir tmp;
    const auto file = tmp.path() / "staff.json";
    const auto key = new_staff_key("care-demo");
    BOOST_REQUIRE(key_files::write_staff_key(file, key));
    BOOST_CHECK_EQUAL(mode_of(file), 0600u);
    const auto read = key_files::read_staff_key(file);
    BOOST_REQUIRE_MESSAGE(read, read.error().message);
    BOOST_CHECK_EQUAL(read->key.staff, "care-demo");
    BOOST_CHECK(read->key.sign_pk == key.sign_pk);
    BOOST_CHECK(read->key.box_pk == key.box_pk);
    BOOST_CHECK(crypto::equal_constant_time(read->key.sign_sk.view(), key.sign_sk.view()));
    BOOST_CHECK(crypto::equal_constant_time(read->key.box_sk.view(), key.box_sk.view()));
    BOOST_CHECK_EQUAL(read_json(file).as_object().size(), 7u);
    // A desk reader does not take a staff file.
    const auto wrong_kind = key_files::read_desk_key(file);
    BOOST_CHECK(!wrong_kind);
    BOOST_CHECK(wrong_kind.error().message.find("signaal-desk-key") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(never_overwrites) {
    temp_dir tmp;
    const auto file = tmp.path() / "desk.json";
    write_file(file, "precious");
    const auto written = key_files::write_desk_key(file, new_desk_key("care"));
    BOOST_CHECK(!written);
    BOOST_CHECK(written.error().message.find("already exists") != std::string::npos);
    BOOST_CHECK_EQUAL(read_file(file), "precious");
    // A dangling symlink is not followed either.
    fs::create_symlink(tmp.path() / "elsewhere.json", tmp.path() / "link.json");
    BOOST_CHECK(!key_files::write_desk_key(tmp.path() / "link.json", new_desk_key("care")));
    BOOST_CHECK(!fs::exists(tmp.path() / "elsewhere.json"));
}

BOOST_AUTO_TEST_CASE(refuses_bad_keys_to_write) {
    temp_dir tmp;
    auto bad_id = new_desk_key("Care!");
    BOOST_CHECK(!key_files::write_desk_key(tmp.path() / "a.json", bad_id));
    key_files::desk_key short_key{"care", crypto::bytes(31), crypto::secret_bytes(32)};
    BOOST_CHECK(!key_files::write_desk_key(tmp.path() / "b.json", short_key));
    BOOST_CHECK(names_in(tmp.path()).empty());
}

BOOST_AUTO_TEST_CASE(rejects_tampered_truncated_and_mismatched_files) {
    temp_dir tmp;
    const auto good = tmp.path() / "good.json";
    BOOST_REQUIRE(key_files::write_desk_key(good, new_desk_key("care")));
    const auto text = read_file(good);
    const auto other = new_desk_key("care");
    auto try_text = [&](const std::string& name, const std::string& body) {
        const auto file = tmp.path() / name;
        write_file(file, body);
        return key_files::read_desk_key(file);
    };

    // Another pair's secret: does not belong to the public key.
    auto r = try_text(
        "mismatch.json",
        replace_member(text, "secret_key", crypto::base64url_encode(other.secret_key.view())));
    BOOST_CHECK(!r);
    BOOST_CHECK(r.error().message.find("secret_key") != std::string::npos);
    // Truncated file: not JSON.
    r = try_text("truncated.json", text.substr(0, text.size() / 2));
    BOOST_CHECK(!r);
    BOOST_CHECK(r.error().message.find("JSON") != std::string::npos);
    // A secret one byte short.
    r = try_text("short.json", replace_member(text, "secret_key",
                                              crypto::base64url_encode(crypto::bytes(31, 1))));
    BOOST_CHECK(!r);
    BOOST_CHECK(r.error().message.find("secret_key") != std::string::npos);
    // Padding is not base64url without padding.
    r = try_text("padded.json", replace_member(text, "public_key",
                                               crypto::base64url_encode(other.public_key) + "="));
    BOOST_CHECK(!r);
    BOOST_CHECK(r.error().message.find("public_key") != std::string::npos);
    // A bad desk id, a wrong version.
    r = try_text("bad_id.json", replace_member(text, "desk", "Care"));
    BOOST_CHECK(!r);
    BOOST_CHECK(r.error().message.find("desk") != std::string::npos);
    std::string v3 = text;
    v3.replace(v3.find("\"v\": 1"), 6, "\"v\": 3");
    r = try_text("v3.json", v3);
    BOOST_CHECK(!r);
    BOOST_CHECK(r.error().message.find("\"v\"") != std::string::npos);
    // A v1 file relabelled v2 has no lock: it is refused, not read in the clear.
    std::string v2 = text;
    v2.replace(v2.find("\"v\": 1"), 6, "\"v\": 2");
    r = try_text("v2.json", v2);
    BOOST_CHECK(!r);
    BOOST_CHECK(r.error().message.find("locked") != std::string::npos);
    // Missing file.
    r = key_files::read_desk_key(tmp.path() / "absent.json");
    BOOST_CHECK(!r);
    BOOST_CHECK(r.error().message.find("absent.json") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(flags_a_file_others_can_read) {
    temp_dir tmp;
    const auto file = tmp.path() / "desk.json";
    BOOST_REQUIRE(key_files::write_desk_key(file, new_desk_key("care")));
    BOOST_REQUIRE_EQUAL(::chmod(file.c_str(), 0644), 0);
    const auto r = key_files::read_desk_key(file);
    BOOST_REQUIRE(r);
    BOOST_CHECK(r->too_open);
}

BOOST_AUTO_TEST_CASE(rejects_a_staff_file_with_a_foreign_signing_key) {
    temp_dir tmp;
    const auto file = tmp.path() / "staff.json";
    BOOST_REQUIRE(key_files::write_staff_key(file, new_staff_key("police-demo")));
    const auto other = new_staff_key("police-demo");
    write_file(file, replace_member(read_file(file), "sign_sk",
                                    crypto::base64url_encode(other.sign_sk.view())));
    const auto r = key_files::read_staff_key(file);
    BOOST_CHECK(!r);
    BOOST_CHECK(r.error().message.find("sign_sk") != std::string::npos);
}

// Locked (v2) files, PROTOCOL.md §10: the vectors' own files open with their
// passphrase typed in NFC or NFD; written files round-trip; a wrong passphrase
// and a damaged file get the same error; a staff id that differs inside and
// out, and lock parameters out of bounds, are refused.
namespace {

/// The "file" object of the first vector of a group, as a file in `dir`.
fs::path vector_file(const fs::path& dir, const std::string& group, json::value& vector) {
    const auto text = read_file(fs::path(SIGNAAL_TEST_DATA_DIR) / "protocol-vectors.json");
    auto doc = json::parse(text);
    BOOST_REQUIRE(doc);
    vector = doc->at(group).as_array().at(0);
    const auto file = dir / (group + ".json");
    write_file(file, json::serialize(vector.at("file")));
    BOOST_REQUIRE_EQUAL(::chmod(file.c_str(), 0600), 0);
    return file;
}

const std::string passphrase = "Zeven zee\xc3\xabn, \xc3\xa9\xc3\xa9n sleutel";

} // namespace

BOOST_AUTO_TEST_CASE(the_vectors_locked_files_open_with_their_passphrase) {
    temp_dir tmp;
    json::value v;
    const auto staff_file = vector_file(tmp.path(), "staff_key_lock", v);
    const auto staff = key_files::read_staff_key(staff_file, v.at("passphrase").as_string());
    BOOST_REQUIRE_MESSAGE(staff, staff.error().message);
    BOOST_CHECK(!staff->unlocked_file);
    BOOST_CHECK_EQUAL(staff->key.staff, "care-demo");
    BOOST_CHECK_EQUAL(crypto::base64url_encode(staff->key.sign_pk),
                      v.at("file").at("sign_pk").as_string());
    const auto nfd =
        key_files::read_staff_key(staff_file, v.at("passphrase_nfd_also_opens").as_string());
    BOOST_REQUIRE_MESSAGE(nfd, nfd.error().message);
    BOOST_CHECK(crypto::equal_constant_time(nfd->key.sign_sk.view(), staff->key.sign_sk.view()));

    const auto wrong = key_files::read_staff_key(staff_file, v.at("wrong_passphrase").as_string());
    BOOST_REQUIRE(!wrong);
    BOOST_CHECK(wrong.error().message.find("wrong passphrase, or the file is damaged") !=
                std::string::npos);
    const auto no_passphrase = key_files::read_staff_key(staff_file);
    BOOST_REQUIRE(!no_passphrase);
    BOOST_CHECK(no_passphrase.error().message.find("locked") != std::string::npos);
    BOOST_CHECK(!key_files::read_staff_key(staff_file, ""));

    const auto desk_file = vector_file(tmp.path(), "desk_key_lock", v);
    const auto desk = key_files::read_desk_key(desk_file, v.at("passphrase").as_string());
    BOOST_REQUIRE_MESSAGE(desk, desk.error().message);
    BOOST_CHECK_EQUAL(desk->key.desk, "care");
    BOOST_CHECK_EQUAL(crypto::base64url_encode(desk->key.public_key),
                      v.at("file").at("public_key").as_string());
}

BOOST_AUTO_TEST_CASE(locked_files_round_trip_and_refuse_tampering) {
    temp_dir tmp;
    const auto file = tmp.path() / "staff.json";
    const auto key = new_staff_key("care-demo");
    BOOST_REQUIRE(!key_files::write_staff_key(tmp.path() / "empty.json", key, ""));
    BOOST_CHECK(!fs::exists(tmp.path() / "empty.json"));
    BOOST_REQUIRE(key_files::write_staff_key(file, key, passphrase));
    BOOST_CHECK_EQUAL(mode_of(file), 0600u);
    const auto text = read_file(file);
    // Only public halves outside; no secret in any spelling.
    const auto doc = read_json(file);
    BOOST_CHECK_EQUAL(doc.as_object().size(), 8u);
    BOOST_CHECK(json::find(doc, "sign_sk") == nullptr);
    BOOST_CHECK(text.find(crypto::base64url_encode(key.sign_sk.view())) == std::string::npos);
    BOOST_CHECK(text.find(crypto::base64url_encode(key.box_sk.view())) == std::string::npos);
    BOOST_CHECK(text.find("\"opslimit\": 3, \"memlimit\": 67108864") != std::string::npos);

    const auto read = key_files::read_staff_key(file, passphrase);
    BOOST_REQUIRE_MESSAGE(read, read.error().message);
    BOOST_CHECK(crypto::equal_constant_time(read->key.sign_sk.view(), key.sign_sk.view()));
    BOOST_CHECK(crypto::equal_constant_time(read->key.box_sk.view(), key.box_sk.view()));
    BOOST_CHECK(read->key.box_pk == key.box_pk);

    auto try_text = [&](const std::string& name, const std::string& body) {
        const auto f = tmp.path() / name;
        write_file(f, body);
        return key_files::read_staff_key(f, passphrase);
    };
    // A damaged sealed part gets the wrong-passphrase error.
    std::string damaged = text;
    const auto sealed_at = damaged.find("\"sealed\": \"") + 12;
    damaged[sealed_at] = damaged[sealed_at] == 'A' ? 'B' : 'A';
    auto r = try_text("damaged.json", damaged);
    BOOST_REQUIRE(!r);
    BOOST_CHECK(r.error().message.find("wrong passphrase, or the file is damaged") !=
                std::string::npos);
    // The staff outside is not the one sealed inside.
    r = try_text("renamed.json", replace_member(text, "staff", "police-demo"));
    BOOST_REQUIRE(!r);
    BOOST_CHECK(r.error().message.find("differs") != std::string::npos);
    // Lock parameters out of bounds are refused before any work.
    for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
             {"\"opslimit\": 3", "\"opslimit\": 11"},
             {"\"opslimit\": 3", "\"opslimit\": 0"},
             {"\"memlimit\": 67108864", "\"memlimit\": 1073741824"},
             {"\"memlimit\": 67108864", "\"memlimit\": 1048576"},
             {"\"kdf\": \"argon2id13\"", "\"kdf\": \"argon2i13\""}}) {
        std::string changed = text;
        changed.replace(changed.find(from), from.size(), to);
        r = try_text("bounds.json", changed);
        BOOST_CHECK_MESSAGE(!r && r.error().message.find("\"lock\"") != std::string::npos, to);
        fs::remove(tmp.path() / "bounds.json");
    }
    // Another pair's public key outside: the secrets inside do not belong to it.
    r = try_text(
        "foreign.json",
        replace_member(text, "sign_pk", crypto::base64url_encode(new_staff_key("x").sign_pk)));
    BOOST_REQUIRE(!r);
    BOOST_CHECK(r.error().message.find("sign_sk") != std::string::npos);

    // Desk backups lock the same way; v1 files still read, flagged as unlocked.
    const auto desk_file = tmp.path() / "desk.json";
    const auto desk = new_desk_key("care");
    BOOST_REQUIRE(key_files::write_desk_key(desk_file, desk, passphrase));
    const auto desk_read = key_files::read_desk_key(desk_file, passphrase);
    BOOST_REQUIRE_MESSAGE(desk_read, desk_read.error().message);
    BOOST_CHECK(
        crypto::equal_constant_time(desk_read->key.secret_key.view(), desk.secret_key.view()));
    const auto v1_file = tmp.path() / "v1.json";
    BOOST_REQUIRE(key_files::write_desk_key(v1_file, desk));
    const auto v1 = key_files::read_desk_key(v1_file, passphrase);
    BOOST_REQUIRE(v1);
    BOOST_CHECK(v1->unlocked_file);
}

BOOST_AUTO_TEST_SUITE_END()
