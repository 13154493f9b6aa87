#include "api/session_auth.hpp"

#include "adapters/db/credential_repository.hpp"
#include "adapters/security/tokens.hpp"
#include "api/cookies.hpp"
#include "api/handler_support.hpp"
#include "api/problem.hpp"
#include "usecases/sign_in.hpp"

namespace canopee::api {
namespace {

Response ended(std::string_view type, std::string_view detail, std::string_view code) {
  auto response = make_problem(http::status::unauthorized, type, detail, {}, code);
  response.set(http::field::set_cookie, session_cookie_cleared());
  return response;
}

}  // namespace

std::variant<User, Response> authenticate_session(Services& services, const RequestHeader& header,
                                                  std::string_view cookie, const std::string& client) {
  const auto method = header.method();
  const bool writes = method != http::verb::get && method != http::verb::head && method != http::verb::options;
  const std::string session_token(cookie);
  if (writes && !security::constant_time_equal(header[kCsrfHeader], usecases::csrf_token_for(session_token))) {
    return make_problem(http::status::forbidden, "csrf",
                        "jeton anti-falsification absent ou faux (en-tête X-CSRF-Token)", {}, "auth.csrf");
  }
  const auto now = TokenCache::Clock::now();
  const auto hash = security::token_hash(session_token);
  const auto cache_key = session_cache_key(hash);
  if (auto user = services.tokens.find(cache_key, now)) return std::move(*user);
  auto found = db::find_session(services.database, hash);
  if (!found) return error(found.error());
  const auto instant = services.instant_now();
  if (!*found || !session_alive((*found)->times, instant)) {
    services.auth_failures.record_failure(client, now);
    return ended("unauthorized", "la session a pris fin ; se connecter de nouveau", "auth.session_expired");
  }
  auto& session = **found;
  if (!session.user.active) {
    return ended("token-revoked", "l’accès de cet utilisateur a été révoqué", "auth.user_revoked");
  }
  if (auto idle = touched_idle_deadline(session.times, instant)) {
    (void)db::touch_session(services.database, hash, *idle);  // a failed touch only shortens the session
  }
  services.tokens.remember(cache_key, session.user, now);
  return std::move(session.user);
}

}  // namespace canopee::api
