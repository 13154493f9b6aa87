// Sign-in through a member's identity provider (OpenID Connect, issue 20 item 9), over
// HTTP on both backends, against a real provider (web/tests/oidc_provider.mjs, the npm
// package oidc-provider, started here with node): a flow's state lives exactly ten
// minutes by the server's clock and serves once, only in the browser that started it;
// a code the provider never issued is refused at its token endpoint; a provider that
// does not answer sends back to the sign-in page. The administrators' mapping of
// identities, with its refusals that change nothing. And the ID token's RS256 check
// on tokens signed here: a changed claim, another key, "none" and HS256 are refused.
// The browser's whole sign-in is web/tests/oidc.test.mjs.
#include <doctest/doctest.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "adapters/db/oidc_repository.hpp"
#include "adapters/security/jwt.hpp"
#include "tests/support/fixtures.hpp"
#include "tests/support/two_members.hpp"

using namespace canopee;
using test::body_of;
using test::Call;
using test::problem_code;
namespace json = boost::json;
using test::http::verb;

namespace {

// The provider as a child process: `node oidc_provider.mjs <redirect URI>` prints
// {"issuer":…,"client_id":…,"client_secret":…} once listening; killed at the end.
struct Provider {
  pid_t pid = -1;
  std::string issuer, client_id, client_secret;

  explicit Provider(const std::string& redirect_uri) {
    const char* root = std::getenv("CANOPEE_SOURCE_DIR");
    REQUIRE_MESSAGE(root != nullptr, "CANOPEE_SOURCE_DIR names the source tree (tests/CMakeLists.txt sets it)");
    const auto script = std::filesystem::path(root) / "web/tests/oidc_provider.mjs";
    int out[2];
    REQUIRE(pipe(out) == 0);
    pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      dup2(out[1], 1);
      close(out[0]);
      close(out[1]);
      execlp("node", "node", script.c_str(), redirect_uri.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    close(out[1]);
    std::string line;
    char c = 0;
    while (read(out[0], &c, 1) == 1 && c != '\n') line.push_back(c);
    close(out[0]);
    REQUIRE_MESSAGE(!line.empty(), "the provider (node " << script << ") did not start");
    const auto info = json::parse(line).as_object();
    issuer = std::string(info.at("issuer").as_string());
    client_id = std::string(info.at("client_id").as_string());
    client_secret = std::string(info.at("client_secret").as_string());
  }
  ~Provider() {
    if (pid > 0) {
      kill(pid, SIGTERM);
      waitpid(pid, nullptr, 0);
    }
  }
  Provider(const Provider&) = delete;
  Provider& operator=(const Provider&) = delete;
};

std::string header(const test::Reply& r, test::http::field f) { return std::string(r.base()[f]); }

// The query parameter `name` of an address (the values here need no decoding).
std::string param(const std::string& url, const std::string& name) {
  const auto at = url.find((url.find('?') == std::string::npos ? "" : "") + name + "=");
  auto start = url.find("?" + name + "=");
  if (start == std::string::npos) start = url.find("&" + name + "=");
  (void)at;
  if (start == std::string::npos) return {};
  start += name.size() + 2;
  const auto end = url.find('&', start);
  return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

struct World : test::TwoMembers {
  std::string callback_base = "http://127.0.0.1:" + std::to_string(s.client.port) + "/v1/oidc/bailleur-a/callback";

  void configure(const Provider& p, std::optional<std::int64_t> member = std::nullopt) {
    usecases::OidcProvider config;
    config.id = "bailleur-a";
    config.issuer = p.issuer;
    config.client_id = p.client_id;
    config.client_secret = p.client_secret;
    config.redirect_uri = callback_base;
    config.display_name = "Annuaire A";
    config.member_id = member;
    s.services.oidc_providers = {config};
  }
  test::Reply visit(const std::string& target, const std::string& cookie = {}) {
    test::Headers headers;
    if (!cookie.empty()) headers.emplace_back("Cookie", cookie);
    return s.client.send(verb::get, target, "", headers);
  }
  // GET …/start: the provider's address and the flow's cookie ("canopee_oidc=…").
  std::pair<std::string, std::string> start() {
    const auto reply = visit("/v1/oidc/bailleur-a/start");
    REQUIRE(reply.result_int() == 302);
    const auto set = header(reply, test::http::field::set_cookie);
    return {header(reply, test::http::field::location), set.substr(0, set.find(';'))};
  }
  std::string back(const std::string& state, const std::string& cookie, const std::string& code = "code-inconnu") {
    const auto reply = visit("/v1/oidc/bailleur-a/callback?code=" + code + "&state=" + state, cookie);
    CHECK(reply.result_int() == 302);
    return header(reply, test::http::field::location);
  }
  std::int64_t count(const std::string& sql) {
    long long n = 0;
    auto connection = s.database->acquire();
    connection.value().sql() << sql, soci::into(n);
    return n;
  }
};

}  // namespace

TEST_CASE("a flow's state lives ten minutes by the server's clock, serves once, in its browser only") {
  World w;
  Provider provider(w.callback_base);
  w.configure(provider);

  const auto [location, cookie] = w.start();
  CHECK(location.starts_with(provider.issuer + "/auth?"));
  CHECK(param(location, "response_type") == "code");
  CHECK(param(location, "code_challenge_method") == "S256");
  CHECK(param(location, "code_challenge").size() == 43);
  CHECK(param(location, "nonce").size() == 64);
  const auto state = param(location, "state");
  REQUIRE(state.size() == 64);
  CHECK(cookie.starts_with("canopee_oidc="));
  // Stored hashed: the state itself is nowhere in the database.
  CHECK(w.count("SELECT count(*) FROM oidc_flows WHERE state_hash = '" + state + "'") == 0);
  CHECK(w.count("SELECT count(*) FROM oidc_flows WHERE used = 0") == 1);

  // 9 min 59 s later the flow is still usable: the provider refuses the made-up code.
  w.s.now_micros += (10 * 60 - 1) * kMicrosPerSecond;
  CHECK(w.back(state, cookie) == "/#/connexion?oidc=oidc.token_refused");
  // Spent by that attempt: a second return is refused whatever it carries.
  CHECK(w.back(state, cookie) == "/#/connexion?oidc=oidc.state_used");

  // A second flow at exactly ten minutes: expired.
  const auto [location2, cookie2] = w.start();
  w.s.now_micros += 10 * 60 * kMicrosPerSecond;
  CHECK(w.back(param(location2, "state"), cookie2) == "/#/connexion?oidc=oidc.state_expired");
  CHECK(w.back(param(location2, "state"), cookie2) == "/#/connexion?oidc=oidc.state_used");

  // A third finished in another browser (another cookie, or none): refused, and spent.
  const auto [location3, cookie3] = w.start();
  const auto [unused, other_cookie] = w.start();
  CHECK(w.back(param(location3, "state"), other_cookie) == "/#/connexion?oidc=oidc.browser_mismatch");
  CHECK(w.back(param(location3, "state"), cookie3) == "/#/connexion?oidc=oidc.state_used");
  const auto [location4, cookie4] = w.start();
  CHECK(w.back(param(location4, "state"), "") == "/#/connexion?oidc=oidc.browser_mismatch");
  // Its own cookie beside an injected second one of the same name: neither is believed.
  const auto [location5, cookie5] = w.start();
  CHECK(w.back(param(location5, "state"), cookie5 + "; " + other_cookie) == "/#/connexion?oidc=oidc.browser_mismatch");
  CHECK(w.back(param(location5, "state"), cookie5) == "/#/connexion?oidc=oidc.state_used");

  // A state never issued; the provider's own refusal; no session was opened by any of this.
  CHECK(w.back(std::string(64, 'a'), cookie) == "/#/connexion?oidc=oidc.state_unknown");
  CHECK(header(w.visit("/v1/oidc/bailleur-a/callback?error=access_denied&state=" + param(location4, "state")),
               test::http::field::location) == "/#/connexion?oidc=oidc.cancelled");
  CHECK(w.count("SELECT count(*) FROM web_sessions") == 0);
  CHECK(w.count("SELECT count(*) FROM oidc_identities") == 0);
}

TEST_CASE("a provider that does not answer, or is not configured, sends back to the sign-in page") {
  World w;
  usecases::OidcProvider gone;
  gone.id = "bailleur-a";
  gone.issuer = "http://127.0.0.1:9";  // discard: nothing listens
  gone.client_id = "c";
  gone.client_secret = "s";
  gone.redirect_uri = w.callback_base;
  w.s.services.oidc_providers = {gone};
  auto reply = w.visit("/v1/oidc/bailleur-a/start");
  CHECK(reply.result_int() == 302);
  CHECK(header(reply, test::http::field::location) == "/#/connexion?oidc=oidc.provider_unavailable");
  CHECK(header(w.visit("/v1/oidc/autre/start"), test::http::field::location) ==
        "/#/connexion?oidc=oidc.provider_unknown");
  CHECK(w.count("SELECT count(*) FROM oidc_flows") == 0);
  const auto providers = body_of(w.visit("/v1/oidc/providers"));
  CHECK(json::serialize(providers) == R"({"providers":[{"id":"bailleur-a","name":""}]})");
}

TEST_CASE("administrators map, refuse and unmap identities; refusals change nothing") {
  World w;
  const Call buyer_a{w.s.client, w.s.user(Role::buyer, w.a, "buyer.a@x.example")};
  const auto buyer_id = body_of(buyer_a.get("/v1/me")).at("id").as_int64();
  const auto revoked_token = w.s.user(Role::buyer, w.a, "ancien@x.example");
  const auto revoked_id = body_of(Call{w.s.client, revoked_token}.get("/v1/me")).at("id").as_int64();
  REQUIRE(w.admin.patch("/v1/users/" + std::to_string(revoked_id), json::object{{"active", false}}).result_int() ==
          200);

  db::OidcIdentity seen;
  seen.issuer = "https://annuaire.bailleur-a.example";
  seen.subject = "248289761001";
  seen.provider = "bailleur-a";
  seen.email = "marie.durand@bailleur-a.example";
  seen.name = "Marie Durand";
  const auto identity = db::record_oidc_identity(*w.s.database, {}, seen);
  REQUIRE(identity.ok());
  CHECK(identity->status == db::IdentityStatus::pending);
  // Seen again: the same row, refreshed.
  seen.name = "Marie Durand-Petit";
  CHECK(db::record_oidc_identity(*w.s.database, {}, seen)->id == identity->id);
  const std::string path = "/v1/oidc/identities/" + std::to_string(identity->id);

  auto pending = body_of(w.admin.get("/v1/oidc/identities?status=pending")).at("items").as_array();
  REQUIRE(pending.size() == 1);
  CHECK(pending[0].at("email") == "marie.durand@bailleur-a.example");
  CHECK(pending[0].at("name") == "Marie Durand-Petit");
  CHECK(pending[0].at("user").is_null());
  CHECK(problem_code(w.admin.get("/v1/oidc/identities?status=autre")) == "oidc.status_unknown");

  // Refused, each leaving the identity pending: no user, an unknown user, a revoked user.
  CHECK(w.admin.post(path + "/mapping", json::object{}).result_int() == 400);
  CHECK(problem_code(w.admin.post(path + "/mapping", json::object{{"user_id", 999999}})) == "user.not_found");
  const auto revoked = w.admin.post(path + "/mapping", json::object{{"user_id", revoked_id}});
  CHECK(revoked.result_int() == 409);
  CHECK(problem_code(revoked) == "oidc.user_revoked");
  CHECK(problem_code(w.admin.post("/v1/oidc/identities/999999/refusal", json::object{})) == "oidc_identity.not_found");
  CHECK(body_of(w.admin.get("/v1/oidc/identities?status=pending")).at("items").as_array().size() == 1);

  // A provider configured for member B maps only B's users.
  usecases::OidcProvider of_b;
  of_b.id = "bailleur-a";
  of_b.member_id = w.b;
  w.s.services.oidc_providers = {of_b};
  CHECK(problem_code(w.admin.post(path + "/mapping", json::object{{"user_id", buyer_id}})) == "oidc.member_mismatch");
  w.s.services.oidc_providers.clear();

  const auto mapped = w.admin.post(path + "/mapping", json::object{{"user_id", buyer_id}});
  REQUIRE_MESSAGE(mapped.result_int() == 200, mapped.body());
  CHECK(body_of(mapped).at("status") == "mapped");
  CHECK(body_of(mapped).at("user").at("id").as_int64() == buyer_id);
  CHECK(body_of(w.admin.get("/v1/oidc/identities?status=pending")).at("items").as_array().empty());
  CHECK(body_of(w.admin.post(path + "/refusal", json::object{})).at("status") == "refused");
  const auto unmapped = w.admin.send(verb::delete_, path + "/mapping");
  CHECK(body_of(unmapped).at("status") == "pending");
  CHECK(body_of(unmapped).at("user").is_null());

  // Audited in order; an officer reads the trail without the e-mail.
  const auto audit = body_of(w.admin.get("/v1/audit?entity=oidc_identity&id=" + std::to_string(identity->id)));
  std::vector<std::string> actions;
  for (const auto& a : audit.at("items").as_array()) actions.emplace_back(a.at("action").as_string());
  std::sort(actions.begin(), actions.end());
  CHECK(actions == std::vector<std::string>{"mapped", "refused", "seen", "unmapped"});
  const auto read_by_officer =
      w.officer.get("/v1/audit?entity=oidc_identity&id=" + std::to_string(identity->id)).body();
  CHECK(read_by_officer.find("marie.durand") == std::string::npos);
  // Buyers do not see the list.
  CHECK(buyer_a.get("/v1/oidc/identities").result_int() == 403);
}

namespace {

// An RSA key made here, its JWK, and tokens it signs.
struct Signer {
  EVP_PKEY* key = EVP_RSA_gen(2048);
  ~Signer() { EVP_PKEY_free(key); }
  Signer() = default;
  Signer(const Signer&) = delete;
  Signer& operator=(const Signer&) = delete;

  static std::string bn_bytes(EVP_PKEY* k, const char* name) {
    BIGNUM* bn = nullptr;
    EVP_PKEY_get_bn_param(k, name, &bn);
    std::string out(static_cast<std::size_t>(BN_num_bytes(bn)), '\0');
    BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
    BN_free(bn);
    return out;
  }
  json::object jwks(const std::string& kid) const {
    return {
        {"keys", json::array{json::object{{"kty", "RSA"},
                                          {"kid", kid},
                                          {"use", "sig"},
                                          {"alg", "RS256"},
                                          {"n", security::base64url_encode(bn_bytes(key, OSSL_PKEY_PARAM_RSA_N))},
                                          {"e", security::base64url_encode(bn_bytes(key, OSSL_PKEY_PARAM_RSA_E))}}}}};
  }
  std::string sign(const json::object& header, const json::object& payload) const {
    const auto input = security::base64url_encode(json::serialize(header)) + "." +
                       security::base64url_encode(json::serialize(payload));
    EVP_MD_CTX* md = EVP_MD_CTX_new();
    EVP_DigestSignInit(md, nullptr, EVP_sha256(), nullptr, key);
    std::size_t size = 0;
    EVP_DigestSign(md, nullptr, &size, reinterpret_cast<const unsigned char*>(input.data()), input.size());
    std::string signature(size, '\0');
    EVP_DigestSign(md, reinterpret_cast<unsigned char*>(signature.data()), &size,
                   reinterpret_cast<const unsigned char*>(input.data()), input.size());
    EVP_MD_CTX_free(md);
    signature.resize(size);
    return input + "." + security::base64url_encode(signature);
  }
};

}  // namespace

TEST_CASE("an ID token verifies with RS256 and its provider's key only") {
  Signer provider_key, other_key;
  const json::object header{{"alg", "RS256"}, {"kid", "k1"}, {"typ", "JWT"}};
  const json::object claims{{"iss", "https://annuaire.example"},
                            {"sub", "42"},
                            {"aud", "canopee"},
                            {"nonce", "n"},
                            {"exp", 2000000000},
                            {"iat", 1900000000}};
  const auto jwks = provider_key.jwks("k1");
  const auto good = provider_key.sign(header, claims);
  REQUIRE(security::parse_jwt(good));
  CHECK(security::verify_rs256(*security::parse_jwt(good), jwks));

  // A claim changed after signing (the subject), keeping the signature.
  auto changed_claims = claims;
  changed_claims["sub"] = "43";
  const auto first_dot = good.find('.'), last_dot = good.rfind('.');
  const auto forged = good.substr(0, first_dot + 1) + security::base64url_encode(json::serialize(changed_claims)) +
                      good.substr(last_dot);
  CHECK_FALSE(security::verify_rs256(*security::parse_jwt(forged), jwks));
  // Signed by another key (same kid), or naming a kid the provider does not publish.
  CHECK_FALSE(security::verify_rs256(*security::parse_jwt(other_key.sign(header, claims)), jwks));
  CHECK_FALSE(
      security::verify_rs256(*security::parse_jwt(provider_key.sign({{"alg", "RS256"}, {"kid", "k2"}}, claims)), jwks));
  // "none" with no signature, and HS256: refused whatever the signature.
  const auto none = security::base64url_encode(R"({"alg":"none"})") + "." +
                    security::base64url_encode(json::serialize(claims)) + ".";
  CHECK_FALSE(security::verify_rs256(*security::parse_jwt(none), jwks));
  auto hs = provider_key.sign({{"alg", "HS256"}, {"kid", "k1"}}, claims);
  CHECK_FALSE(security::verify_rs256(*security::parse_jwt(hs), jwks));
  // Not a JWT at all.
  CHECK_FALSE(security::parse_jwt("a.b"));
  CHECK_FALSE(security::parse_jwt("!!.e30.e30"));
}
