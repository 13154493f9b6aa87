#include "adapters/security/jwt.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/sha.h>

#include <memory>

namespace canopee::security {
namespace {

namespace bj = boost::json;

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int value_of(char c) {
  const auto at = kAlphabet.find(c);
  return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

std::optional<bj::object> json_object(std::string_view part) {
  auto bytes = base64url_decode(part);
  if (!bytes) return std::nullopt;
  bj::error_code ec;
  auto value = bj::parse(*bytes, ec);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.as_object());
}

std::string text_of(const bj::object& object, std::string_view key) {
  const auto* v = object.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string{};
}

using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

// The RSA public key of a JWK (its "n" and "e"), if it is one.
PkeyPtr rsa_key(const bj::object& jwk) {
  PkeyPtr none(nullptr, EVP_PKEY_free);
  if (text_of(jwk, "kty") != "RSA") return none;
  const auto n = base64url_decode(text_of(jwk, "n"));
  const auto e = base64url_decode(text_of(jwk, "e"));
  if (!n || !e || n->size() < 256 || e->empty()) return none;  // at least 2048 bits
  std::unique_ptr<BIGNUM, decltype(&BN_free)> bn_n(BN_bin2bn(reinterpret_cast<const unsigned char*>(n->data()),
                                                             static_cast<int>(n->size()), nullptr),
                                                   BN_free);
  std::unique_ptr<BIGNUM, decltype(&BN_free)> bn_e(BN_bin2bn(reinterpret_cast<const unsigned char*>(e->data()),
                                                             static_cast<int>(e->size()), nullptr),
                                                   BN_free);
  std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> build(OSSL_PARAM_BLD_new(), OSSL_PARAM_BLD_free);
  if (!bn_n || !bn_e || !build) return none;
  if (OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) != 1)
    return none;
  std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)> params(OSSL_PARAM_BLD_to_param(build.get()), OSSL_PARAM_free);
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr),
                                                                  EVP_PKEY_CTX_free);
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) return none;
  EVP_PKEY* key = nullptr;
  if (EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) return none;
  return PkeyPtr(key, EVP_PKEY_free);
}

bool verify_with(EVP_PKEY* key, const Jwt& token) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!md || EVP_DigestVerifyInit(md.get(), nullptr, EVP_sha256(), nullptr, key) != 1) return false;
  return EVP_DigestVerify(md.get(), reinterpret_cast<const unsigned char*>(token.signature.data()),
                          token.signature.size(), reinterpret_cast<const unsigned char*>(token.signing_input.data()),
                          token.signing_input.size()) == 1;
}

}  // namespace

std::string base64url_encode(std::string_view bytes) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const char c : bytes) {
    buffer = (buffer << 8) | static_cast<unsigned char>(c);
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(buffer >> bits) & 63]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buffer << (6 - bits)) & 63]);
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const char c : text) {
    const int v = value_of(c);
    if (v < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  return out;
}

std::optional<Jwt> parse_jwt(std::string_view compact) {
  const auto first = compact.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  const auto second = compact.find('.', first + 1);
  if (second == std::string_view::npos || compact.find('.', second + 1) != std::string_view::npos) return std::nullopt;
  auto header = json_object(compact.substr(0, first));
  auto payload = json_object(compact.substr(first + 1, second - first - 1));
  auto signature = base64url_decode(compact.substr(second + 1));
  if (!header || !payload || !signature) return std::nullopt;
  return Jwt{std::move(*header), std::move(*payload), std::string(compact.substr(0, second)), std::move(*signature)};
}

bool verify_rs256(const Jwt& token, const bj::object& jwks) {
  if (text_of(token.header, "alg") != "RS256" || token.signature.empty()) return false;
  const auto* keys = jwks.if_contains("keys");
  if (keys == nullptr || !keys->is_array()) return false;
  const auto kid = text_of(token.header, "kid");
  for (const auto& entry : keys->as_array()) {
    if (!entry.is_object()) continue;
    const auto& jwk = entry.as_object();
    if (!kid.empty() && text_of(jwk, "kid") != kid) continue;
    const auto use = text_of(jwk, "use");
    if (!use.empty() && use != "sig") continue;
    const auto alg = text_of(jwk, "alg");
    if (!alg.empty() && alg != "RS256") continue;
    auto key = rsa_key(jwk);
    if (key && verify_with(key.get(), token)) return true;
  }
  return false;
}

std::string sha256_bytes(std::string_view text) {
  std::string out(SHA256_DIGEST_LENGTH, '\0');
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(),
         reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

}  // namespace canopee::security
