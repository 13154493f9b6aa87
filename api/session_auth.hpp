#pragma once
// The browser session behind a cookie (api/cookies.hpp): who it signs in, or the
// answer that refuses it. Used by the application for every authenticated route
// and by GET /v1/session, which tells a page whether a session is open.
#include <string>
#include <string_view>
#include <variant>

#include "api/http.hpp"
#include "api/server.hpp"
#include "api/services.hpp"
#include "engine/parties.hpp"

namespace canopee::api {

// The session must be open, alive (engine/sign_in) and its user active; a request that
// writes must carry the session's CSRF token. `client` is the caller's address key for
// the brute-force throttle.
std::variant<User, Response> authenticate_session(Services& services, const RequestHeader& header,
                                                  std::string_view cookie, const std::string& client);

}  // namespace canopee::api
