#pragma once
// Digests and encodings of stored bytes (OpenSSL): the SHA-256 that identifies a
// document kept, and the base64 it is stored as.
#include <optional>
#include <string>
#include <string_view>

namespace canopee::security {

// Lower-case hexadecimal SHA-256 of `bytes`.
std::string sha256_hex(std::string_view bytes);
// Standard base64 with padding, on one line.
std::string base64_encode(std::string_view bytes);
// The bytes of `text` (standard base64 with padding); none when it is not base64.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace canopee::security
