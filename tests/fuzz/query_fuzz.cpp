// Query-string decoding (percent-encoding, '+', repeated and empty parameters).
// Properties: no crash; every decoded pair, encoded again, decodes to itself.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/handler_support.hpp"

using namespace canopee;

namespace {

std::string encode(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    out += '%';
    out += kHex[byte >> 4];
    out += kHex[byte & 15];
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
