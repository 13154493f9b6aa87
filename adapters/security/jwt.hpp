#pragma once
// JSON Web Tokens as an OpenID Connect provider signs its ID tokens (RFC 7515, 7517,
// 7518): the compact form read, the RS256 signature checked against the provider's
// published keys (JWKS) with OpenSSL. Only RS256 is accepted: "none", HMAC with a
// public key and the other algorithms are refused whatever the header says.
#include <boost/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace canopee::security {

// base64url without padding (RFC 7515 section 2).
std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);

struct Jwt {
  boost::json::object header;
  boost::json::object payload;
  std::string signing_input;  // "header.payload" as received
  std::string signature;      // bytes
};
// None when it is not three base64url parts whose first two are JSON objects.
std::optional<Jwt> parse_jwt(std::string_view compact);

// True when the header says RS256 and the signature verifies with the JWKS key of the
// header's "kid" (or, without a kid, with one of the RSA signing keys).
bool verify_rs256(const Jwt& token, const boost::json::object& jwks);

// SHA-256 of `text`, as raw bytes (for the PKCE S256 challenge).
std::string sha256_bytes(std::string_view text);

}  // namespace canopee::security
