// tools/common/key_files: the formats of PROTOCOL.md §10, O_EXCL, 0600, and
// rejection of tampered, truncated and mismatched files.
#include "admin_support.hpp"

#include "crypto/base64url.hpp"
#include "crypto/box.hpp"
#include "crypto/sign.hpp"
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
    BOOST_CHECK_EQUAL(doc.find("secret_key")->as_string(),
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
    std::string v2 = text;
    v2.replace(v2.find("\"v\": 1"), 6, "\"v\": 2");
    r = try_text("v2.json", v2);
    BOOST_CHECK(!r);
    BOOST_CHECK(r.error().message.find("\"v\"") != std::string::npos);
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

BOOST_AUTO_TEST_SUITE_END()
