#include "usecases/oidc.hpp"

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include <cstdlib>

#include "adapters/clock.hpp"
#include "adapters/db/credential_repository.hpp"
#include "adapters/net/http_fetch.hpp"
#include "adapters/security/digest.hpp"
#include "adapters/security/jwt.hpp"
#include "adapters/security/tokens.hpp"

namespace canopee::usecases {
namespace {

namespace bj = boost::json;

std::string random_value() { return security::generate_token().substr(4); }  // 64 hex digits, 256 bits

std::string env(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  return value == nullptr ? std::string{} : std::string(value);
}

std::string text_of(const bj::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string{};
}

Error fail(std::string_view rule, std::string message, std::string_view why = {}) {
  if (!why.empty()) spdlog::warn("OpenID Connect sign-in refused ({}): {}", rule, why);
  return Error::of(ErrorCode::invalid, std::move(message), std::string(rule));
}

Error provider_unavailable(std::string_view why) {
  spdlog::warn("OpenID Connect provider unusable: {}", why);
  return Error::of(ErrorCode::unavailable, "le fournisseur d’identité ne répond pas", "oidc.provider_unavailable");
}

net::HttpRequest request_to(std::string url) {
  net::HttpRequest request;
  request.url = std::move(url);
  return request;
}

Result<bj::object> fetch_json(const net::HttpRequest& request) {
  auto reply = net::fetch(request);
  if (!reply) return std::move(reply).error();
  bj::error_code ec;
  auto value = bj::parse(reply->body, ec);
  if (ec || !value.is_object()) return provider_unavailable(request.url + " answered no JSON object");
  if (reply->status != 200) {
    spdlog::warn("OpenID Connect provider {} answered {}: {}", request.url, reply->status,
                 text_of(value.as_object(), "error"));
    return Error::of(ErrorCode::invalid, "le fournisseur d’identité a refusé la demande", "oidc.token_refused");
  }
  return std::move(value.as_object());
}

struct Discovery {
  std::string issuer, authorization_endpoint, token_endpoint, jwks_uri, userinfo_endpoint;
};

Result<Discovery> discover(const OidcProvider& provider) {
  std::string base = provider.issuer;
  while (!base.empty() && base.back() == '/') base.pop_back();
  auto doc = fetch_json(request_to(base + "/.well-known/openid-configuration"));
  if (!doc) {
    if (doc.error().code == ErrorCode::invalid) return provider_unavailable("discovery refused");
    return std::move(doc).error();
  }
  Discovery d{text_of(*doc, "issuer"), text_of(*doc, "authorization_endpoint"), text_of(*doc, "token_endpoint"),
              text_of(*doc, "jwks_uri"), text_of(*doc, "userinfo_endpoint")};
  if (d.issuer != provider.issuer) return provider_unavailable("discovery names issuer " + d.issuer);
  if (d.authorization_endpoint.empty() || d.token_endpoint.empty() || d.jwks_uri.empty())
    return provider_unavailable("discovery lacks an endpoint");
  return d;
}

std::int64_t number_of(const bj::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr) return -1;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64()) return static_cast<std::int64_t>(v->as_uint64());
  if (v->is_double()) return static_cast<std::int64_t>(v->as_double());
  return -1;
}

bool audience_holds(const bj::object& claims, const std::string& client_id) {
  const auto* aud = claims.if_contains("aud");
  if (aud == nullptr) return false;
  if (aud->is_string()) return aud->as_string() == client_id;
  if (!aud->is_array()) return false;
  bool found = false;
  for (const auto& a : aud->as_array()) found = found || (a.is_string() && a.as_string() == client_id);
  // Several audiences: the token must have been issued to us (OIDC Core 3.1.3.7, 4–5).
  if (found && aud->as_array().size() > 1) return text_of(claims, "azp") == client_id;
  return found;
}

// The ID token's claims once every check of OIDC Core 3.1.3.7 passed.
Result<bj::object> validated_claims(const std::string& id_token, const Discovery& d, const OidcProvider& provider,
                                    const std::string& nonce) {
  const auto invalid = [](std::string_view why) {
    return fail("oidc.id_token_invalid", "le fournisseur d’identité a rendu une preuve d’identité non valable", why);
  };
  auto jwt = security::parse_jwt(id_token);
  if (!jwt) return invalid("not a JWT");
  auto jwks = fetch_json(request_to(d.jwks_uri));
  if (!jwks) return std::move(jwks).error();
  if (!security::verify_rs256(*jwt, *jwks)) return invalid("signature (RS256) does not verify");
  const auto& claims = jwt->payload;
  if (text_of(claims, "iss") != provider.issuer) return invalid("iss is " + text_of(claims, "iss"));
  if (!audience_holds(claims, provider.client_id)) return invalid("aud does not name our client");
  const auto now = utc_instant_now().micros / kMicrosPerSecond;
  const auto exp = number_of(claims, "exp"), iat = number_of(claims, "iat");
  if (exp < 0 || exp + kOidcClockSkewSeconds <= now) return invalid("expired");
  if (iat < 0 || iat > now + kOidcClockSkewSeconds || iat < now - kOidcFlowSeconds - kOidcClockSkewSeconds)
    return invalid("iat out of range");
  if (nonce.empty() || !security::constant_time_equal(text_of(claims, "nonce"), nonce))
    return invalid("nonce does not match");
  if (text_of(claims, "sub").empty()) return invalid("no sub");
  return claims;
}

// E-mail and name: from the ID token, else from the userinfo endpoint (whose subject
// must be the token's, OIDC Core 5.3.2).
void complete_profile(db::OidcIdentity& who, const Discovery& d, const std::string& access_token) {
  if (!who.email.empty() || d.userinfo_endpoint.empty() || access_token.empty()) return;
  auto request = request_to(d.userinfo_endpoint);
  request.authorization = "Bearer " + access_token;
  auto info = fetch_json(request);
  if (!info || text_of(*info, "sub") != who.subject) return;  // the profile is a help, not a proof
  who.email = text_of(*info, "email");
  if (who.name.empty()) who.name = text_of(*info, "name");
}

}  // namespace

const OidcProvider* find_provider(const std::vector<OidcProvider>& providers, std::string_view id) {
  for (const auto& p : providers)
    if (p.id == id) return &p;
  return nullptr;
}

Result<std::vector<OidcProvider>> oidc_providers_from_environment(const std::string& public_base_url) {
  std::vector<OidcProvider> out;
  std::string list = env("CANOPEE_OIDC_PROVIDERS");
  std::size_t pos = 0;
  while (pos <= list.size() && !list.empty()) {
    const auto comma = list.find(',', pos);
    std::string id = list.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    pos = comma == std::string::npos ? list.size() + 1 : comma + 1;
    if (id.empty()) continue;
    bool ok = id.size() <= 40;
    std::string key;
    for (const char c : id) {
      ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');
      key.push_back(c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    }
    if (!ok) return Error::of(ErrorCode::invalid, "CANOPEE_OIDC_PROVIDERS: « " + id + " » (a–z, 0–9, -)");
    const std::string prefix = "CANOPEE_OIDC_" + key + "_";
    OidcProvider p;
    p.id = id;
    p.issuer = env(prefix + "ISSUER");
    p.client_id = env(prefix + "CLIENT_ID");
    p.client_secret = env(prefix + "CLIENT_SECRET");
    p.redirect_uri = env(prefix + "REDIRECT_URI");
    if (p.redirect_uri.empty()) p.redirect_uri = public_base_url + "/v1/oidc/" + id + "/callback";
    p.display_name = env(prefix + "NAME");
    if (p.display_name.empty()) p.display_name = id;
    if (const auto member = env(prefix + "MEMBER_ID"); !member.empty()) {
      char* end = nullptr;
      const long long m = std::strtoll(member.c_str(), &end, 10);
      if (end == member.c_str() || *end != '\0' || m <= 0)
        return Error::of(ErrorCode::invalid, prefix + "MEMBER_ID: a member's id");
      p.member_id = m;
    }
    const auto method = env(prefix + "AUTH_METHOD");
    if (!method.empty() && method != "client_secret_basic" && method != "client_secret_post")
      return Error::of(ErrorCode::invalid, prefix + "AUTH_METHOD: client_secret_basic or client_secret_post");
    p.secret_in_body = method == "client_secret_post";
    if (!p.issuer.starts_with("https://") && !p.issuer.starts_with("http://"))
      return Error::of(ErrorCode::invalid, prefix + "ISSUER: an http(s) address");
    if (p.client_id.empty() || p.client_secret.empty())
      return Error::of(ErrorCode::invalid, prefix + "CLIENT_ID and " + prefix + "CLIENT_SECRET are required");
    out.push_back(std::move(p));
  }
  return out;
}

Result<OidcStart> start_oidc(db::Database& database, const OidcProvider& provider, Instant now) {
  auto d = discover(provider);
  if (!d) return std::move(d).error();
  const auto state = random_value(), nonce = random_value(), verifier = random_value();
  OidcStart start;
  start.browser_token = random_value();
  CANOPEE_TRY_STATUS(db::store_oidc_flow(database,
                                         {security::token_hash(state), security::token_hash(start.browser_token),
                                          provider.id, nonce, verifier, add_seconds(now, kOidcFlowSeconds)},
                                         now));
  const auto challenge = security::base64url_encode(security::sha256_bytes(verifier));
  start.location = d->authorization_endpoint;
  start.location += d->authorization_endpoint.find('?') == std::string::npos ? "?" : "&";
  start.location += "response_type=code&scope=openid+email+profile&client_id=" + net::form_escape(provider.client_id) +
                    "&redirect_uri=" + net::form_escape(provider.redirect_uri) + "&state=" + state + "&nonce=" + nonce +
                    "&code_challenge=" + challenge + "&code_challenge_method=S256";
  return start;
}

Result<OidcFinish> finish_oidc(db::Database& database, const db::Actor& actor,
                               const std::vector<OidcProvider>& providers, const std::string& provider_id,
                               const std::string& code, const std::string& state, const std::string& browser_token,
                               Instant now) {
  if (state.empty() || state.size() > 200)
    return fail("oidc.state_unknown", "cette connexion n’a pas été commencée ici : recommencez");
  auto take = db::take_oidc_flow(database, security::token_hash(state), now);
  if (!take) return std::move(take).error();
  switch (take->state) {
    case db::FlowState::unknown:
      return fail("oidc.state_unknown", "cette connexion n’a pas été commencée ici : recommencez", "unknown state");
    case db::FlowState::used:
      return fail("oidc.state_used", "cette connexion a déjà servi : recommencez", "state replayed");
    case db::FlowState::expired:
      return fail("oidc.state_expired", "cette connexion a pris trop de temps : recommencez", "state expired");
    case db::FlowState::usable: break;
  }
  const auto& flow = *take->flow;
  if (browser_token.empty() || !security::constant_time_equal(security::token_hash(browser_token), flow.browser_hash))
    return fail("oidc.browser_mismatch", "cette connexion a été commencée dans un autre navigateur : recommencez",
                "browser cookie missing or different");
  const auto* provider = find_provider(providers, provider_id);
  if (provider == nullptr || provider->id != flow.provider)
    return fail("oidc.provider_unknown", "ce fournisseur d’identité n’est pas configuré", "provider mismatch");
  if (code.empty() || code.size() > 2000)
    return fail("oidc.token_refused", "le fournisseur d’identité n’a pas rendu de code", "no code");
  auto d = discover(*provider);
  if (!d) return std::move(d).error();

  auto exchange = request_to(d->token_endpoint);
  exchange.form = {{"grant_type", "authorization_code"},
                   {"code", code},
                   {"redirect_uri", provider->redirect_uri},
                   {"code_verifier", flow.code_verifier}};
  if (provider->secret_in_body) {
    exchange.form.emplace_back("client_id", provider->client_id);
    exchange.form.emplace_back("client_secret", provider->client_secret);
  } else {
    exchange.authorization = "Basic " + security::base64_encode(net::form_escape(provider->client_id) + ":" +
                                                                net::form_escape(provider->client_secret));
  }
  auto tokens = fetch_json(exchange);
  if (!tokens) return std::move(tokens).error();
  auto claims = validated_claims(text_of(*tokens, "id_token"), *d, *provider, flow.nonce);
  if (!claims) return std::move(claims).error();

  db::OidcIdentity seen;
  seen.issuer = provider->issuer;
  seen.subject = text_of(*claims, "sub");
  seen.provider = provider->id;
  seen.email = text_of(*claims, "email");
  seen.name = text_of(*claims, "name");
  complete_profile(seen, *d, text_of(*tokens, "access_token"));
  if (seen.email.size() > 254) seen.email.resize(0);
  if (seen.name.size() > 200) seen.name.resize(200);
  auto identity = db::record_oidc_identity(database, actor, seen);
  if (!identity) return std::move(identity).error();

  OidcFinish result;
  if (identity->status == db::IdentityStatus::refused) {
    result.outcome = OidcFinish::Outcome::refused;
    return result;
  }
  if (identity->status != db::IdentityStatus::mapped || !identity->user) return result;  // unmapped
  result.user = identity->user;
  if (!identity->user->active) {
    result.outcome = OidcFinish::Outcome::revoked;
    return result;
  }
  if (provider->member_id && identity->user->member_id != provider->member_id)
    return fail("oidc.member_mismatch", "ce fournisseur d’identité n’est pas celui du membre de cet utilisateur",
                "mapped user of another member");
  result.session_token = "cns_" + random_value();
  result.times = new_session_times(now);
  CANOPEE_TRY_STATUS(
      db::open_session(database, actor, identity->user->id, security::token_hash(result.session_token), result.times));
  result.outcome = OidcFinish::Outcome::signed_in;
  return result;
}

}  // namespace canopee::usecases
