// Query-string decoding (percent-encoding, '+', repeated and empty parameters).
// Properties: no crash; every decoded pair, encoded again, decodes to itself.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "api/handler_support.hpp"

using namespace canopee;

namespace {

std::string encode(const std::string& text) {
  std::string out;
  for (const char c : text) {
    char hex[4];
    std::snprintf(hex, sizeof hex, "%%%02X", static_cast<unsigned>(static_cast<unsigned char>(c)));
    out += hex;
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view query(reinterpret_cast<const char*>(data), size);
  auto pairs = api::parse_query(query);
  if (!pairs) return 0;
  std::string again;
  for (const auto& [key, value] : *pairs) again += encode(key) + "=" + encode(value) + "&";
  auto round = api::parse_query(again);
  if (!round || round->size() != pairs->size()) __builtin_trap();
  for (std::size_t i = 0; i < pairs->size(); ++i) {
    if ((*round)[i] != (*pairs)[i]) __builtin_trap();
  }
  return 0;
}
