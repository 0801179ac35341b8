// signaal-admin demo: every file, its mode and format, and the database rows.
#include "admin_support.hpp"

#include "crypto/base64url.hpp"
#include "crypto/box.hpp"
#include "crypto/grant.hpp"
#include "crypto/key_id.hpp"
#include "crypto/random.hpp"
#include "crypto/sign.hpp"
#include "server/config/settings.hpp"
#include "server/store/database.hpp"
#include "server/store/desk_registry.hpp"
#include "server/store/staff_records.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>

namespace fs = std::filesystem;
using namespace signaal;
using namespace signaal::admin::test;

namespace {

crypto::bytes b64_field(const json::value& doc, std::string_view name, std::size_t size) {
    const auto* f = json::find(doc, name);
    BOOST_REQUIRE_MESSAGE(f != nullptr && f->is_string(), "missing " << name);
    auto decoded = crypto::base64url_decode_exact(f->as_string(), size);
    BOOST_REQUIRE_MESSAGE(decoded, name << " is not " << size << " bytes of base64url");
    return *decoded;
}

std::string string_field(const json::value& doc, std::string_view name) {
    const auto* f = json::find(doc, name);
    BOOST_REQUIRE_MESSAGE(f != nullptr && f->is_string(), "missing " << name);
    return std::string(f->as_string());
}

void check_header(const json::value& doc, std::string_view kind) {
    BOOST_REQUIRE(doc.is_object());
    BOOST_CHECK_EQUAL(string_field(doc, "kind"), kind);
    const auto* v = json::find(doc, "v");
    BOOST_REQUIRE(v != nullptr && v->is_int64());
    BOOST_CHECK_EQUAL(v->as_int64(), 1);
}

} // namespace

BOOST_AUTO_TEST_SUITE(demo)

BOOST_AUTO_TEST_CASE(makes_a_complete_instance) {
    temp_dir tmp;
    const auto dir = tmp.path() / "demo";
    const auto r = run_admin({"demo", dir.string(), "--listen", "127.0.0.1:18443"});
    BOOST_TEST_INFO(r.err);
    BOOST_REQUIRE_EQUAL(r.exit_code, 0);
    BOOST_CHECK(r.err.empty());
    BOOST_CHECK(r.out.find("signaal-server --config " + (dir / "signaal.toml").string()) !=
                std::string::npos);
    BOOST_CHECK(r.out.find("The staff are registered") != std::string::npos);

    // Nothing else in DIR (SQLite may leave -wal/-shm next to the database).
    auto names = names_in(dir);
    names.erase(std::remove_if(names.begin(), names.end(),
                               [](const std::string& n) {
                                   return n == "signaal.db-wal" || n == "signaal.db-shm";
                               }),
                names.end());
    BOOST_CHECK((names == std::vector<std::string>{"keys", "signaal.db", "signaal.toml", "tls"}));
    BOOST_CHECK_EQUAL(mode_of(dir), 0700u);

    // The config: short, loads, and takes desks/categories from the defaults.
    const auto toml = read_file(dir / "signaal.toml");
    BOOST_CHECK(toml.find("[[desks]]") == std::string::npos);
    BOOST_CHECK(toml.find("[routing]") == std::string::npos);
    BOOST_CHECK(toml.find('#') != std::string::npos); // commented
    auto loaded = config::load_file(dir / "signaal.toml");
    BOOST_REQUIRE_MESSAGE(loaded, loaded.error().message);
    const auto& s = *loaded;
    BOOST_CHECK_EQUAL(s.instance_name, "Signaal demo");
    BOOST_CHECK_EQUAL(s.listen_host, "127.0.0.1");
    BOOST_CHECK_EQUAL(s.listen_port, 18443);
    BOOST_CHECK(fs::equivalent(s.data_dir, dir));
    BOOST_CHECK(s.web_root.is_absolute());
    // Not told, the demo points at the page installed beside the program.
    BOOST_CHECK_EQUAL(
        s.web_root,
        (fs::path(SIGNAAL_ADMIN_BIN).parent_path() / "../share/signaal/web").lexically_normal());
    BOOST_CHECK_EQUAL(s.pow_difficulty, 16u);
    BOOST_REQUIRE_EQUAL(s.desks.size(), 3u);

    // Desk key files: 0600 in a 0700 folder; the secret opens what the public key seals;
    // the database holds each public key as the desk's current key under key_id_of(pk).
    const auto keys_dir = dir / "keys";
    BOOST_CHECK_EQUAL(mode_of(keys_dir), 0700u);
    BOOST_CHECK(
        (names_in(keys_dir) ==
         std::vector<std::string>{"desk-care.json", "desk-municipality.json", "desk-police.json",
                                  "staff-care-demo.json", "staff-coordinator-demo.json",
                                  "staff-municipality-demo.json", "staff-police-demo.json"}));
    const auto rows = desk_keys_in(dir / "signaal.db");
    BOOST_REQUIRE_EQUAL(rows.size(), 3u);
    for (const std::string desk : {"care", "municipality", "police"}) {
        BOOST_TEST_CONTEXT("desk " << desk) {
            const auto file = keys_dir / ("desk-" + desk + ".json");
            BOOST_CHECK_EQUAL(mode_of(file), 0600u);
            const auto doc = read_json(file);
            check_header(doc, "signaal-desk-key");
            BOOST_CHECK_EQUAL(string_field(doc, "desk"), desk);
            const auto pk = b64_field(doc, "public_key", 32);
            auto sk_plain = b64_field(doc, "secret_key", 32);
            const crypto::secret_bytes sk(sk_plain);
            const auto message = crypto::random_bytes(40);
            const auto opened = crypto::seal_open(crypto::seal(message, pk), pk, sk);
            BOOST_REQUIRE(opened);
            BOOST_CHECK(crypto::equal_constant_time(opened->view(), message));

            const auto row = std::find_if(rows.begin(), rows.end(),
                                          [&](const auto& k) { return k.desk == desk; });
            BOOST_REQUIRE(row != rows.end());
            BOOST_CHECK(!row->accept_until);
            BOOST_CHECK(row->public_key == pk);
            const auto id = crypto::key_id_of(pk);
            BOOST_CHECK(std::equal(id.begin(), id.end(), row->key_id.begin(), row->key_id.end()));
            BOOST_CHECK(r.out.find(crypto::base64url_encode(id)) != std::string::npos);
            BOOST_CHECK_EQUAL(row->added_day.size(), 10u);
        }
    }

    // Staff key files: one caseworker per desk and a coordinator; both pairs work.
    for (const std::string staff :
         {"care-demo", "municipality-demo", "police-demo", "coordinator-demo"}) {
        BOOST_TEST_CONTEXT("staff " << staff) {
            const auto file = keys_dir / ("staff-" + staff + ".json");
            BOOST_CHECK_EQUAL(mode_of(file), 0600u);
            const auto doc = read_json(file);
            check_header(doc, "signaal-staff-key");
            BOOST_CHECK_EQUAL(string_field(doc, "staff"), staff);
            const auto sign_pk = b64_field(doc, "sign_pk", 32);
            const crypto::secret_bytes sign_sk(b64_field(doc, "sign_sk", 64));
            const auto message = crypto::as_bytes("signaal/login/v1\nchallenge");
            BOOST_CHECK(
                crypto::verify_detached(crypto::sign_detached(message, sign_sk), message, sign_pk));
            const auto box_pk = b64_field(doc, "box_pk", 32);
            const crypto::secret_bytes box_sk(b64_field(doc, "box_sk", 32));
            BOOST_CHECK(crypto::seal_open(crypto::seal(message, box_pk), box_pk, box_sk));
        }
    }

    // The staff records match the key files; each desk is registered with its
    // caseworker as named holder, who holds its key through a grant they signed.
    auto db = store::database::open(dir / "signaal.db", store::open_mode::read_only);
    BOOST_REQUIRE(db);
    store::staff_records staff(*db);
    store::desk_registry registry(*db);
    const auto coordinator = staff.get("coordinator-demo");
    BOOST_REQUIRE(coordinator && *coordinator);
    BOOST_CHECK_EQUAL((*coordinator)->role, "coordinator");
    BOOST_CHECK((*coordinator)->desks.empty());
    for (const std::string desk : {"care", "municipality", "police"}) {
        BOOST_TEST_CONTEXT("desk " << desk << " and its caseworker") {
            const auto id = desk + "-demo";
            const auto doc = read_json(keys_dir / ("staff-" + id + ".json"));
            const auto record = staff.get(id);
            BOOST_REQUIRE(record && *record);
            BOOST_CHECK_EQUAL((*record)->role, "caseworker");
            BOOST_CHECK(((*record)->desks == std::vector<std::string>{desk}));
            BOOST_CHECK((*record)->sign_pk == b64_field(doc, "sign_pk", 32));
            BOOST_CHECK((*record)->box_pk == b64_field(doc, "box_pk", 32));
            BOOST_CHECK(!(*record)->disabled);

            const auto state = registry.state(desk);
            BOOST_REQUIRE(state);
            BOOST_CHECK(state->registered);
            BOOST_CHECK((state->named_holders == std::vector<std::string>{id}));
            BOOST_CHECK((state->holders == std::vector<std::string>{id}));
            BOOST_CHECK(!state->rotate);
            const auto granted = registry.keys_granted_to(id, {desk});
            BOOST_REQUIRE(granted);
            BOOST_REQUIRE_EQUAL(granted->size(), 1u);
            const auto& g = granted->front();
            BOOST_CHECK_EQUAL(g.grant.by, id);
            BOOST_CHECK(crypto::verify_detached(
                g.grant.signature,
                crypto::grant_signed_bytes(desk, crypto::base64url_encode(g.grant.key_id), id,
                                           g.grant.wrapped),
                (*record)->sign_pk));
            const crypto::secret_bytes box_sk(b64_field(doc, "box_sk", 32));
            const auto opened =
                crypto::grant_unwrap(g.grant.wrapped, g.public_key, g.grant.key_id, box_sk);
            BOOST_REQUIRE(opened);
            const auto desk_doc = read_json(keys_dir / ("desk-" + desk + ".json"));
            BOOST_CHECK(
                crypto::equal_constant_time(opened->view(), b64_field(desk_doc, "secret_key", 32)));
        }
    }

    // TLS pair.
    BOOST_CHECK_EQUAL(read_file(dir / "tls" / "cert.pem").rfind("-----BEGIN CERTIFICATE-----", 0),
                      0u);
    BOOST_CHECK_EQUAL(mode_of(dir / "tls" / "key.pem"), 0600u);
    BOOST_CHECK(read_file(dir / "tls" / "key.pem").find("PRIVATE KEY") != std::string::npos);

    // A second demo into the same (now non-empty) folder refuses and changes nothing.
    const auto before = snapshot(dir);
    const auto again = run_admin({"demo", dir.string()});
    BOOST_CHECK_EQUAL(again.exit_code, 2);
    BOOST_CHECK(one_line_error(again.err));
    BOOST_CHECK(again.err.find(dir.string()) != std::string::npos);
    BOOST_CHECK(snapshot(dir) == before);

    // And its config passes the check, with a current key for every desk.
    const auto check = run_admin({"--config", (dir / "signaal.toml").string(), "config", "check"});
    BOOST_CHECK_EQUAL(check.exit_code, 0);
    BOOST_CHECK(check.out.find("Signaal demo") != std::string::npos);
    BOOST_CHECK(check.out.find("care: current key") != std::string::npos);
    BOOST_CHECK(check.out.find("police: current key") != std::string::npos);
    BOOST_CHECK(check.out.find("categories: " + std::to_string(s.categories.size())) !=
                std::string::npos);
}

BOOST_AUTO_TEST_CASE(refuses_a_non_empty_folder) {
    temp_dir tmp;
    write_file(tmp.path() / "notes.txt", "mine");
    const auto r = run_admin({"demo", tmp.path().string()});
    BOOST_CHECK_EQUAL(r.exit_code, 2);
    BOOST_CHECK(one_line_error(r.err));
    BOOST_CHECK(r.out.empty());
    BOOST_CHECK((names_in(tmp.path()) == std::vector<std::string>{"notes.txt"}));
    BOOST_CHECK_EQUAL(read_file(tmp.path() / "notes.txt"), "mine");
}

BOOST_AUTO_TEST_CASE(refuses_a_file_in_place_of_the_folder) {
    temp_dir tmp;
    write_file(tmp.path() / "demo", "x");
    const auto r = run_admin({"demo", (tmp.path() / "demo").string()});
    BOOST_CHECK_EQUAL(r.exit_code, 2);
    BOOST_CHECK_EQUAL(read_file(tmp.path() / "demo"), "x");
}

BOOST_AUTO_TEST_CASE(fills_an_empty_existing_folder) {
    temp_dir tmp;
    const auto r = run_admin({"demo", tmp.path().string(), "--web-root", "/srv/signaal/web"});
    BOOST_REQUIRE_EQUAL(r.exit_code, 0);
    auto loaded = config::load_file(tmp.path() / "signaal.toml");
    BOOST_REQUIRE_MESSAGE(loaded, loaded.error().message);
    BOOST_CHECK_EQUAL(loaded->web_root, fs::path("/srv/signaal/web"));
    BOOST_CHECK_EQUAL(loaded->listen_port, 8443);
    BOOST_CHECK_EQUAL(desk_keys_in(tmp.path() / "signaal.db").size(), 3u);
}

BOOST_AUTO_TEST_CASE(bad_options_create_nothing) {
    temp_dir tmp;
    const auto dir = tmp.path() / "demo";
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"demo", dir.string(), "--listen", "localhost"},
             {"demo", dir.string(), "--listen", "127.0.0.1:99999"},
             {"demo", dir.string(), "--out", "x"},
             {"demo", dir.string(), "extra"},
             {"demo"},
             {"demo", (tmp.path() / "missing" / "demo").string()},
             {"--config", "x.toml", "demo", dir.string()}}) {
        const auto r = run_admin(args);
        BOOST_TEST_INFO(args.back());
        BOOST_CHECK_EQUAL(r.exit_code, 2);
        BOOST_CHECK(one_line_error(r.err));
        BOOST_CHECK(names_in(tmp.path()).empty());
    }
}

BOOST_AUTO_TEST_SUITE_END()
