// Password sign-in over HTTP, on both backends (issue 20 item 9): an administrator's
// one-time link sets a password (rules at their exact thresholds), the password opens a
// browser session in an HttpOnly cookie, writes need the session's CSRF token, five
// failures in a row lock the account for 15 minutes (counted by the server's clock),
// revocation and sign-out end the session; hostile input is refused with a code and
// nothing changes. The server's clock starts at 2026-11-29 10:00 UTC.
#include <doctest/doctest.h>

#include "tests/support/fixtures.hpp"
#include "tests/support/two_members.hpp"

using namespace canopee;
using test::body_of;
using test::Call;
namespace json = boost::json;
using test::http::verb;

namespace {

constexpr const char* kEmail = "acheteuse.a@x.example";
constexpr const char* kPassword = "Peinture-2027 ok";

std::string text(const json::value& v, const char* key) { return std::string(v.at(key).as_string()); }
std::string code_of(const test::Reply& r) { return text(body_of(r), "code"); }

struct World : test::TwoMembers {
  // The token cache counts real seconds; these tests move the server's clock instead.
  World() { s.services.tokens.set_ttl(std::chrono::milliseconds(0)); }
  std::string buyer_token = s.user(Role::buyer, a, kEmail);
  Call buyer{s.client, buyer_token};

  std::int64_t user_id() {
    const auto me = body_of(buyer.get("/v1/me"));
    return me.at("id").as_int64();
  }
  std::string link() {
    const auto reply = admin.post("/v1/users/" + std::to_string(user_id()) + "/password-link", json::object{});
    REQUIRE_MESSAGE(reply.result_int() == 201, reply.body());
    return text(body_of(reply), "token");
  }
  test::Reply use(const std::string& token, const std::string& password) {
    return s.client.request(verb::post, "/v1/password-links/use",
                            json::serialize(json::object{{"token", token}, {"password", password}}));
  }
  test::Reply sign_in(const std::string& email, const std::string& password) {
    return s.client.request(verb::post, "/v1/sessions",
                            json::serialize(json::object{{"email", email}, {"password", password}}));
  }
  // The cookie's value from a Set-Cookie header ("canopee_session=cns_…; Path=/; …").
  static std::string cookie_of(const test::Reply& reply) {
    const std::string set(reply.base()[test::http::field::set_cookie]);
    return set.substr(0, set.find(';'));
  }
  test::Reply with_cookie(verb method, const std::string& target, const std::string& cookie, const std::string& csrf,
                          const std::string& body = {}) {
    test::Headers headers{{"Cookie", cookie}};
    if (!csrf.empty()) headers.emplace_back("X-CSRF-Token", csrf);
    if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
    return s.client.send(method, target, body, headers);
  }
  std::int64_t count(const char* sql) {
    long long n = 0;
    auto connection = s.database->acquire();
    connection.value().sql() << sql, soci::into(n);
    return n;
  }
  void advance_minutes(std::int64_t minutes) { s.now_micros += minutes * 60 * kMicrosPerSecond; }
};

}  // namespace

TEST_CASE("a one-time link sets a password at the rules' exact thresholds, once") {
  World w;
  const auto token = w.link();
  // 11 characters of four kinds: too short; 12 of two kinds: too simple; the e-mail itself.
  CHECK(code_of(w.use(token, "Aa1!aaaaaaa")) == "password.too_short");
  CHECK(code_of(w.use(token, "aaaaaaaaaaa1")) == "password.too_simple");
  CHECK(code_of(w.use(token, "ACHETEUSE.A@X.EXAMPLE")) == "password.too_simple");
  CHECK(code_of(w.use(token, std::string(257, 'a'))) == "password.too_long");
  CHECK(code_of(w.use(token, "Abcdefghij1\x01")) == "password.invalid");
  CHECK(w.count("SELECT count(*) FROM user_passwords") == 0);  // nothing stored by any refusal
  // Exactly 12 characters of three kinds (lower, upper, digit) is enough.
  const auto set = w.use(token, "Abcdefghijk1");
  REQUIRE_MESSAGE(set.result_int() == 200, set.body());
  CHECK(text(body_of(set), "email") == kEmail);
  CHECK(code_of(w.use(token, "Abcdefghijk2")) == "password_link.used");
  CHECK(w.use("cnl_" + std::string(64, '0'), kPassword).result_int() == 404);
  // A new link replaces an unused earlier one; a link expires after 72 hours.
  const auto first = w.link();
  const auto second = w.link();
  CHECK(code_of(w.use(first, kPassword)) == "password_link.used");
  w.advance_minutes(72 * 60);
  CHECK(code_of(w.use(second, kPassword)) == "password_link.expired");
  // The argon2id string is what is stored, never the password.
  CHECK(w.count("SELECT count(*) FROM user_passwords WHERE password_hash LIKE '$argon2id$%'") == 1);
  CHECK(w.count("SELECT count(*) FROM audit_log WHERE action = 'password_set'") == 1);
}

TEST_CASE("signing in opens a cookie session; writes need its CSRF token; sign-out ends it") {
  World w;
  REQUIRE(w.use(w.link(), kPassword).result_int() == 200);
  // Any case of the address; the wrong password and an unknown address get the same answer.
  CHECK(code_of(w.sign_in(kEmail, "Peinture-2027 ko")) == "auth.credentials_invalid");
  CHECK(code_of(w.sign_in("personne@x.example", kPassword)) == "auth.credentials_invalid");
  const auto signed_in = w.sign_in("Acheteuse.A@X.example", kPassword);
  REQUIRE_MESSAGE(signed_in.result_int() == 201, signed_in.body());
  const std::string set_cookie(signed_in.base()[test::http::field::set_cookie]);
  CHECK(set_cookie.find("HttpOnly") != std::string::npos);
  CHECK(set_cookie.find("Secure") != std::string::npos);
  CHECK(set_cookie.find("SameSite=Strict") != std::string::npos);
  CHECK(set_cookie.find("Max-Age=43200") != std::string::npos);  // 12 hours
  const auto cookie = World::cookie_of(signed_in);
  const auto csrf = text(body_of(signed_in), "csrf_token");
  CHECK(body_of(signed_in).at("user").at("email").as_string() == kEmail);

  // Reads need only the cookie; GET /v1/session tells a new tab who is signed in.
  CHECK(w.with_cookie(verb::get, "/v1/me", cookie, "").result_int() == 200);
  const auto current = body_of(w.with_cookie(verb::get, "/v1/session", cookie, ""));
  CHECK(current.at("signed_in").as_bool());
  CHECK(text(current, "csrf_token") == csrf);
  CHECK_FALSE(body_of(w.s.client.get("/v1/session")).at("signed_in").as_bool());

  // A write without the token, or with another, is refused before anything happens.
  const auto needs_before = w.count("SELECT count(*) FROM needs");
  const auto draft = test::need_body(test::in_year(test::need_draft("44810000", "10", "l", "5.00"), "2027"));
  const auto body = json::serialize(draft);
  CHECK(code_of(w.with_cookie(verb::post, "/v1/needs", cookie, "", body)) == "auth.csrf");
  CHECK(code_of(w.with_cookie(verb::post, "/v1/needs", cookie, std::string(64, 'a'), body)) == "auth.csrf");
  CHECK(w.count("SELECT count(*) FROM needs") == needs_before);
  const auto created = w.with_cookie(verb::post, "/v1/needs", cookie, csrf, body);
  CHECK_MESSAGE(created.result_int() == 201, created.body());
  CHECK(w.count("SELECT count(*) FROM needs") == needs_before + 1);

  // Signing out ends the session at once, on this server.
  CHECK(w.with_cookie(verb::delete_, "/v1/session", cookie, csrf).result_int() == 204);
  CHECK(code_of(w.with_cookie(verb::get, "/v1/me", cookie, "")) == "auth.session_expired");
  CHECK(w.count("SELECT count(*) FROM audit_log WHERE action IN ('sign_in', 'sign_out')") == 2);
}

TEST_CASE("a session ends after 60 idle minutes or 12 hours, and when the user is revoked") {
  World w;
  REQUIRE(w.use(w.link(), kPassword).result_int() == 200);
  auto cookie = World::cookie_of(w.sign_in(kEmail, kPassword));
  w.advance_minutes(59);
  CHECK(w.with_cookie(verb::get, "/v1/me", cookie, "").result_int() == 200);  // pushes the idle deadline
  w.advance_minutes(59);
  CHECK(w.with_cookie(verb::get, "/v1/me", cookie, "").result_int() == 200);
  w.advance_minutes(61);
  CHECK(code_of(w.with_cookie(verb::get, "/v1/me", cookie, "")) == "auth.session_expired");

  // Used every half hour, a session still ends 12 hours after sign-in.
  cookie = World::cookie_of(w.sign_in(kEmail, kPassword));
  for (int half_hours = 1; half_hours < 24; ++half_hours) {
    w.advance_minutes(30);
    REQUIRE(w.with_cookie(verb::get, "/v1/me", cookie, "").result_int() == 200);
  }
  w.advance_minutes(30);
  CHECK(code_of(w.with_cookie(verb::get, "/v1/me", cookie, "")) == "auth.session_expired");

  // Revoked: the session answers « accès révoqué » (in production after the 2 s token cache at most).
  cookie = World::cookie_of(w.sign_in(kEmail, kPassword));
  const auto me = body_of(w.buyer.get("/v1/me"));
  const auto revoke = w.admin.patch("/v1/users/" + std::to_string(me.at("id").as_int64()),
                                    json::object{{"active", false}},
                                    "\"v" + std::to_string(me.at("version").as_int64()) + "\"");
  REQUIRE_MESSAGE(revoke.result_int() == 200, revoke.body());
  CHECK(code_of(w.with_cookie(verb::get, "/v1/me", cookie, "")) == "auth.user_revoked");
  CHECK(code_of(w.sign_in(kEmail, kPassword)) == "auth.user_revoked");
}

TEST_CASE("five failures in a row lock the account 15 minutes, even against the right password") {
  World w;
  REQUIRE(w.use(w.link(), kPassword).result_int() == 200);
  w.s.services.auth_failures.set_limit(1000);  // the per-address throttle is another test's
  for (int i = 1; i <= 4; ++i) CHECK(code_of(w.sign_in(kEmail, "Mauvais-mot-2027")) == "auth.credentials_invalid");
  // A success resets the count: four more failures still do not lock.
  REQUIRE(w.sign_in(kEmail, kPassword).result_int() == 201);
  for (int i = 1; i <= 4; ++i) CHECK(code_of(w.sign_in(kEmail, "Mauvais-mot-2027")) == "auth.credentials_invalid");
  const auto fifth = w.sign_in(kEmail, "Mauvais-mot-2027");
  CHECK(fifth.result_int() == 429);
  CHECK(code_of(fifth) == "auth.account_locked");
  CHECK(std::string(fifth.base()[test::http::field::retry_after]) == "900");
  CHECK(code_of(w.sign_in(kEmail, kPassword)) == "auth.account_locked");
  w.advance_minutes(14);
  CHECK(code_of(w.sign_in(kEmail, kPassword)) == "auth.account_locked");
  w.advance_minutes(1);
  CHECK(w.sign_in(kEmail, kPassword).result_int() == 201);
  CHECK(w.count("SELECT count(*) FROM audit_log WHERE action = 'locked'") == 1);
  // A new password through a link lifts a lockout as well.
  for (int i = 1; i <= 5; ++i) (void)w.sign_in(kEmail, "Mauvais-mot-2027");
  CHECK(code_of(w.sign_in(kEmail, kPassword)) == "auth.account_locked");
  REQUIRE(w.use(w.link(), "Nouveau-mot-2027").result_int() == 200);
  CHECK(w.sign_in(kEmail, "Nouveau-mot-2027").result_int() == 201);
}

TEST_CASE("hostile sign-in input is refused with a code, nothing stored") {
  World w;
  const auto sessions = [&] { return w.count("SELECT count(*) FROM web_sessions"); };
  const auto post = [&](const std::string& body, const std::string& type = "application/json") {
    return w.s.client.request(verb::post, "/v1/sessions", body, type);
  };
  CHECK(post("{").result_int() == 400);
  CHECK(post("[]").result_int() == 400);
  CHECK(post(R"({"email":"a@x.example"})").result_int() == 400);
  CHECK(post(R"({"email":12,"password":true})").result_int() == 400);
  CHECK(post(R"({"email":"a@x.example","password":"x","role":"admin"})").result_int() == 400);
  CHECK(post(R"({"email":"' OR 1=1 --","password":"' OR 1=1 --"})").result_int() == 401);
  CHECK(post("email=a&password=b", "application/x-www-form-urlencoded").result_int() == 415);
  CHECK(post(json::serialize(json::object{{"email", std::string(300, 'a')}, {"password", "x"}})).result_int() == 400);
  CHECK(sessions() == 0);
  // A forged or malformed cookie is no session; two session cookies are trusted neither.
  CHECK(w.with_cookie(verb::get, "/v1/me", "canopee_session=cns_forged", "").result_int() == 401);
  CHECK(w.with_cookie(verb::get, "/v1/me", "canopee_session=\"x y\"", "").result_int() == 401);
  REQUIRE(w.use(w.link(), kPassword).result_int() == 200);
  const auto cookie = World::cookie_of(w.sign_in(kEmail, kPassword));
  CHECK(w.with_cookie(verb::get, "/v1/me", cookie + "; " + cookie, "").result_int() == 401);
  CHECK(w.with_cookie(verb::get, "/v1/me", "a=1; " + cookie + "; b=2", "").result_int() == 200);
  // Only an administrator issues links; a link for nobody is a 404.
  CHECK(w.buyer.post("/v1/users/1/password-link", json::object{}).result_int() == 403);
  CHECK(w.admin.post("/v1/users/999999/password-link", json::object{}).result_int() == 404);
  CHECK(w.admin.post("/v1/users/1/password-link", json::object{{"x", 1}}).result_int() == 400);
  CHECK(code_of(w.use("", kPassword)) == "password_link.unknown");
}
