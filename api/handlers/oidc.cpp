// Sign-in through a member's identity provider with OpenID Connect (issue 20 item 9,
// usecases/oidc.hpp). The browser goes to GET /v1/oidc/{provider}/start, which sends
// it to the provider with a state, a nonce and a PKCE challenge; the provider sends it
// back to GET /v1/oidc/{provider}/callback, which opens the same browser session as a
// password (api/cookies.hpp) and redirects to the web application — or, on any
// failure, to its sign-in page with a stable code (#/connexion?oidc=<code>), never an
// error page. Administrators map the identities seen to users (or refuse them).
#include <boost/json.hpp>

#include <limits>

#include "adapters/db/oidc_repository.hpp"
#include "adapters/db/party_repository.hpp"
#include "adapters/formats/json_mapping.hpp"
#include "api/cookies.hpp"
#include "api/handler_support.hpp"
#include "api/json_input.hpp"
#include "api/routes.hpp"
#include "usecases/oidc.hpp"

namespace canopee::api {
namespace {

namespace bj = boost::json;

// The cookie binding a flow to the browser that started it: sent back on the
// provider's redirect (a top-level GET from another site, hence SameSite=Lax), only to
// /v1/oidc/, for the flow's ten minutes.
constexpr std::string_view kFlowCookie = "canopee_oidc";

std::string flow_cookie_set(std::string_view value, std::int64_t max_age) {
  std::string out(kFlowCookie);
  out.append("=").append(value).append("; Path=/v1/oidc/; HttpOnly; Secure; SameSite=Lax; Max-Age=");
  out.append(std::to_string(max_age));
  return out;
}

std::string flow_cookie(std::string_view header) {
  const auto found = cookie_value(header, kFlowCookie);  // twice: trust neither
  return found && found->size() == 64 ? std::string(*found) : std::string{};
}

Response redirect(std::string location) {
  Response response{http::status::found, 11};
  response.set(http::field::location, location);
  response.set(http::field::cache_control, "no-store");
  return response;
}

// Back to the sign-in page with the reason's code (the web says it in French).
Response back_to_sign_in(std::string_view code) {
  auto response = redirect("/#/connexion?oidc=" + std::string(code));
  response.set(http::field::set_cookie, flow_cookie_set("", 0));
  return response;
}

std::string rule_of(const Error& e) {
  if (!e.rule.empty() && e.rule.starts_with("oidc.")) return e.rule;
  return e.code == ErrorCode::unavailable ? "oidc.unavailable" : "oidc.failed";
}

Response providers(RequestContext& c) {
  bj::array list;
  for (const auto& p : c.services.oidc_providers) list.push_back(bj::object{{"id", p.id}, {"name", p.display_name}});
  return json(http::status::ok, bj::object{{"providers", std::move(list)}});
}

Response start(RequestContext& c) {
  const auto* provider = usecases::find_provider(c.services.oidc_providers, c.param("provider"));
  if (provider == nullptr) return back_to_sign_in("oidc.provider_unknown");
  auto started = usecases::start_oidc(c.services.database, *provider, c.services.instant_now());
  if (!started) return back_to_sign_in(rule_of(started.error()));
  auto response = redirect(started->location);
  response.set(http::field::set_cookie, flow_cookie_set(started->browser_token, usecases::kOidcFlowSeconds));
  return response;
}

Response callback(RequestContext& c) {
  auto query = parse_query(c.query);
  if (!query) return back_to_sign_in("oidc.state_unknown");
  std::string code, state, provider_error;
  for (const auto& [name, value] : *query) {
    if (name == "code") code = value;
    else if (name == "state") state = value;
    else if (name == "error") provider_error = value;
  }
  // The provider refused (the person cancelled, or is not allowed): its state is spent too.
  if (!provider_error.empty()) {
    if (!state.empty()) (void)usecases::finish_oidc(c.services.database, c.actor, {}, "", "", state, "", {});
    return back_to_sign_in(provider_error == "access_denied" ? "oidc.cancelled" : "oidc.provider_error");
  }
  auto finished = usecases::finish_oidc(c.services.database, c.actor, c.services.oidc_providers,
                                        std::string(c.param("provider")), code, state,
                                        flow_cookie(c.request[http::field::cookie]), c.services.instant_now());
  if (!finished) return back_to_sign_in(rule_of(finished.error()));
  using Outcome = usecases::OidcFinish::Outcome;
  switch (finished->outcome) {
    case Outcome::unmapped: return back_to_sign_in("oidc.unmapped");
    case Outcome::refused: return back_to_sign_in("oidc.refused");
    case Outcome::revoked: return back_to_sign_in("oidc.user_revoked");
    case Outcome::signed_in: break;
  }
  auto response = redirect("/#/");
  response.insert(http::field::set_cookie, session_cookie_set(finished->session_token, kSessionLifetimeSeconds));
  response.insert(http::field::set_cookie, flow_cookie_set("", 0));
  return response;
}

bj::value identity_json(const db::OidcIdentity& i) {
  return bj::object{{"id", i.id},
                    {"provider", i.provider},
                    {"issuer", i.issuer},
                    {"subject", i.subject},
                    {"email", i.email},
                    {"name", i.name},
                    {"status", db::to_string(i.status)},
                    {"user", i.user ? formats::to_json(*i.user) : bj::value{}},
                    {"first_seen_at", i.first_seen_at},
                    {"last_seen_at", i.last_seen_at}};
}

Response list_identities(RequestContext& c) {
  CANOPEE_TRY_RESPOND_STATUS(allowed_query(c, {"status", "limit", "cursor"}));
  CANOPEE_TRY_RESPOND(page, page_of(c));
  CANOPEE_TRY_RESPOND(status_text, query_param(c, "status"));
  std::optional<db::IdentityStatus> status;
  if (status_text) {
    status = db::parse_identity_status(*status_text);
    if (!status)
      return error(Error::of(ErrorCode::invalid, "statut inconnu : pending, mapped ou refused", "oidc.status_unknown"));
  }
  return page_response(db::list_oidc_identities(c.services.database, status, page), identity_json);
}

Response map_identity(RequestContext& c) {
  CANOPEE_TRY_RESPOND(id, path_id(c, "id"));
  if (auto r = require_json(c)) return *r;
  CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(), {"user_id"}));
  auto user_id = in.integer("user_id", true, 1, std::numeric_limits<std::int64_t>::max());
  CANOPEE_TRY_RESPOND_STATUS(in.finish());
  // The provider of a member vouches only for that member's people.
  // (An unknown identity is left to the mapping, which answers 404.)
  auto identity = db::get_oidc_identity(c.services.database, id);
  if (!identity && identity.error().code != ErrorCode::not_found) return error(identity.error());
  if (identity) {
    const auto* provider = usecases::find_provider(c.services.oidc_providers, identity->provider);
    if (provider != nullptr && provider->member_id) {
      auto user = db::get_user(c.services.database, *user_id);
      if (user && user->member_id != provider->member_id)
        return error(Error::of(ErrorCode::invalid,
                               "ce fournisseur d’identité ne sert que les utilisateurs de son membre",
                               "oidc.member_mismatch"));
    }
  }
  return respond(db::map_oidc_identity(c.services.database, c.actor, id, *user_id), identity_json);
}

Response refuse_identity(RequestContext& c) {
  CANOPEE_TRY_RESPOND(id, path_id(c, "id"));
  return respond(db::refuse_oidc_identity(c.services.database, c.actor, id), identity_json);
}

Response unmap_identity(RequestContext& c) {
  CANOPEE_TRY_RESPOND(id, path_id(c, "id"));
  return respond(db::unmap_oidc_identity(c.services.database, c.actor, id), identity_json);
}

}  // namespace

void add_oidc_routes(Router& router) {
  router.add_public(http::verb::get, "/v1/oidc/providers", providers);
  router.add_public(http::verb::get, "/v1/oidc/{provider}/start", start);
  router.add_public(http::verb::get, "/v1/oidc/{provider}/callback", callback);
  router.add(http::verb::get, "/v1/oidc/identities", {Role::admin}, list_identities);
  router.add(http::verb::post, "/v1/oidc/identities/{id}/mapping", {Role::admin}, map_identity);
  router.add(http::verb::delete_, "/v1/oidc/identities/{id}/mapping", {Role::admin}, unmap_identity);
  router.add(http::verb::post, "/v1/oidc/identities/{id}/refusal", {Role::admin}, refuse_identity);
}

}  // namespace canopee::api
