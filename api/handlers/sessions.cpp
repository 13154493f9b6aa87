// Password sign-in for people (issue 20 item 9): POST /v1/sessions opens a browser
// session (an HttpOnly cookie and a CSRF token), GET /v1/session tells a page who is
// signed in (a new tab finds the session of the others), DELETE /v1/session signs out.
// An administrator issues a one-time link (POST /v1/users/{id}/password-link) that the
// user follows to set a password (POST /v1/password-links/use). API tokens stay for
// machine clients (api/app.cpp reads either).
#include <boost/json.hpp>

#include "adapters/formats/json_mapping.hpp"
#include "adapters/security/tokens.hpp"
#include "api/client_address.hpp"
#include "api/cookies.hpp"
#include "api/handler_support.hpp"
#include "api/json_input.hpp"
#include "api/routes.hpp"
#include "api/session_auth.hpp"
#include "usecases/sign_in.hpp"

namespace canopee::api {
namespace {

namespace bj = boost::json;
using formats::to_json;

const std::vector<Role> all_roles = {Role::admin, Role::officer, Role::buyer, Role::finance};

// Sign-in failures count against the client's address like bad tokens do.
std::optional<Response> throttled(RequestContext& c) {
  const auto wait = c.services.auth_failures.retry_after(client_key(c.meta.remote_address), TokenCache::Clock::now());
  if (wait <= 0) return std::nullopt;
  auto response = make_problem(http::status::too_many_requests, "too-many-authentication-failures",
                               "trop d’échecs d’authentification depuis cette adresse ; réessayer plus tard", {},
                               "auth.too_many_failures");
  response.set(http::field::retry_after, std::to_string(wait));
  return response;
}

void count_failure(RequestContext& c) {
  c.services.auth_failures.record_failure(client_key(c.meta.remote_address), TokenCache::Clock::now());
}

bj::object session_body(const User& user, const std::string& session_token, const SessionTimes& times) {
  return {{"user", to_json(user)},
          {"csrf_token", usecases::csrf_token_for(session_token)},
          {"expires_at", to_utc_string(times.expires)},
          {"idle_timeout_seconds", kSessionIdleSeconds}};
}

Response sign_in(RequestContext& c) {
  if (auto refusal = throttled(c)) return *refusal;
  if (auto r = require_json(c)) return *r;
  CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(), {"email", "password"}));
  auto email = in.text("email", true, 254);
  auto password = in.text("password", true, kPasswordMaxBytes);
  CANOPEE_TRY_RESPOND_STATUS(in.finish());
  const auto now = c.services.instant_now();
  CANOPEE_TRY_RESPOND(result, usecases::sign_in(c.services.database, c.actor, *email, *password, now));
  using Outcome = usecases::SignInResult::Outcome;
  switch (result.outcome) {
    case Outcome::signed_in: {
      auto response = json(http::status::created, session_body(*result.user, result.session_token, result.times));
      response.set(http::field::set_cookie, session_cookie_set(result.session_token, kSessionLifetimeSeconds));
      return response;
    }
    case Outcome::locked: {
      count_failure(c);
      const auto seconds = std::max<std::int64_t>(1, (result.locked_until.micros - now.micros + kMicrosPerSecond - 1) /
                                                         kMicrosPerSecond);
      auto response = make_problem(http::status::too_many_requests, "account-locked",
                                   "trop d’essais manqués : ce compte est verrouillé pendant " +
                                       std::to_string((seconds + 59) / 60) + " minute(s)",
                                   {}, "auth.account_locked");
      response.set(http::field::retry_after, std::to_string(seconds));
      return response;
    }
    case Outcome::revoked:
      return make_problem(http::status::forbidden, "access-revoked", "l’accès de cet utilisateur a été révoqué", {},
                          "auth.user_revoked");
    case Outcome::refused: break;
  }
  count_failure(c);
  return make_problem(http::status::unauthorized, "unauthorized", "adresse électronique ou mot de passe incorrect", {},
                      "auth.credentials_invalid");
}

// Public: a page asks whether its browser holds an open session (200 either way, so
// that a signed-out page logs no error); a token client asks GET /v1/me instead.
Response current_session(RequestContext& c) {
  const auto cookie = session_cookie(c.request[http::field::cookie]);
  if (!cookie) return json(http::status::ok, bj::object{{"signed_in", false}});
  auto who = authenticate_session(c.services, c.request, *cookie, client_key(c.meta.remote_address));
  if (auto* refusal = std::get_if<Response>(&who)) {
    if (refusal->result() != http::status::unauthorized) return std::move(*refusal);
    // Why it ended (auth.session_expired, auth.user_revoked), from the problem just made.
    bj::error_code ec;
    const auto problem = bj::parse(refusal->body(), ec);
    const auto* code = ec || !problem.is_object() ? nullptr : problem.as_object().if_contains("code");
    auto response = json(http::status::ok, bj::object{{"signed_in", false}, {"code", code ? *code : bj::value{}}});
    response.set(http::field::set_cookie, (*refusal)[http::field::set_cookie]);
    return response;
  }
  const auto& user = std::get<User>(who);
  return json(http::status::ok, bj::object{{"signed_in", true},
                                           {"via", "session"},
                                           {"user", to_json(user)},
                                           {"csrf_token", usecases::csrf_token_for(std::string(*cookie))}});
}

Response sign_out(RequestContext& c) {
  const auto cookie = session_cookie(c.request[http::field::cookie]);
  if (!c.request[http::field::authorization].empty() || !cookie) {
    return make_problem(http::status::conflict, "conflict",
                        "cette requête n’est pas faite dans une session du navigateur", {}, "session.none");
  }
  const auto hash = security::token_hash(*cookie);
  CANOPEE_TRY_RESPOND_STATUS(db::end_session(c.services.database, c.actor, hash));
  c.services.tokens.forget(session_cache_key(hash));
  Response response{http::status::no_content, 11};
  response.set(http::field::set_cookie, session_cookie_cleared());
  return response;
}

Response issue_link(RequestContext& c) {
  CANOPEE_TRY_RESPOND(id, path_id(c, "id"));
  if (!c.request.body().empty()) {
    CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(), {}));
    CANOPEE_TRY_RESPOND_STATUS(in.finish());
  }
  CANOPEE_TRY_RESPOND(link, usecases::issue_password_link(c.services.database, c.actor, id, c.services.instant_now()));
  return json(http::status::created, bj::object{{"token", link.token},
                                                {"path", "/#/mot-de-passe?lien=" + link.token},
                                                {"expires_at", to_utc_string(link.expires)}});
}

Response use_link(RequestContext& c) {
  if (auto refusal = throttled(c)) return *refusal;
  if (auto r = require_json(c)) return *r;
  CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(), {"token", "password"}));
  auto token = in.text("token", true, 100);
  auto password = in.text("password", true, kPasswordMaxBytes + 1);
  CANOPEE_TRY_RESPOND_STATUS(in.finish());
  auto user = usecases::set_password_with_link(c.services.database, c.actor, *token, *password,
                                               c.services.instant_now());
  if (!user) {
    if (user.error().code == ErrorCode::not_found) count_failure(c);  // a guessed link
    return error(user.error());
  }
  return json(http::status::ok, bj::object{{"email", user->email}});
}

}  // namespace

void add_session_routes(Router& router) {
  router.add_public(http::verb::post, "/v1/sessions", sign_in);
  router.add_public(http::verb::get, "/v1/session", current_session);
  router.add(http::verb::delete_, "/v1/session", all_roles, sign_out);
  router.add(http::verb::post, "/v1/users/{id}/password-link", {Role::admin}, issue_link);
  router.add_public(http::verb::post, "/v1/password-links/use", use_link);
}

}  // namespace canopee::api
