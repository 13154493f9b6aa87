#pragma once
// Outgoing HTTP(S) requests with libcurl, for the server's own calls to an identity
// provider (OpenID Connect discovery, token endpoint, keys). Certificates are
// verified (the system's store); redirects are not followed; answers are bounded.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "engine/result.hpp"

namespace canopee::net {

struct HttpReply {
  long status = 0;
  std::string content_type;
  std::string body;
};

struct HttpRequest {
  std::string url;
  std::vector<std::pair<std::string, std::string>> form;  // POST application/x-www-form-urlencoded when set
  std::string authorization;                              // the Authorization header's value, if any
  long timeout_ms = 10'000;
  std::size_t max_body = 1 << 20;
};

// The answer whatever its status; unavailable (with `detail` in the log, not the
// message) when the server cannot be reached, answers too much or too late.
Result<HttpReply> fetch(const HttpRequest& request);

// application/x-www-form-urlencoded escaping (RFC 6749 appendix B for client credentials).
std::string form_escape(std::string_view text);

}  // namespace canopee::net
