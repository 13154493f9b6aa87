#include "engine/text.hpp"

#include <cstdint>

namespace canopee {
namespace {

bool is_space_or_mark(std::uint32_t cp) {
  switch (cp) {
    case 0x00A0:
    case 0x00AB:
    case 0x00BB:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
    case 0xFEFF:
    case 0x2018:
    case 0x2019:
    case 0x201C:
    case 0x201D:
    case 0x2026:
    case 0x00B7: return true;
    default: return cp >= 0x2000 && cp <= 0x200F;  // en/em/thin spaces, zero-width marks, dashes follow
  }
}

}  // namespace

std::size_t word_characters(std::string_view utf8) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < utf8.size();) {
    const auto byte = static_cast<unsigned char>(utf8[i]);
    if (byte < 0x80) {
      const bool alnum = (byte >= '0' && byte <= '9') || (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z');
      if (alnum) ++count;
      ++i;
      continue;
    }
    const std::size_t length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1;
    std::uint32_t cp = length == 4 ? byte & 0x07U : length == 3 ? byte & 0x0FU : byte & 0x1FU;
    for (std::size_t k = 1; k < length && i + k < utf8.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3FU);
    }
    const bool dash_or_punct = cp >= 0x2010 && cp <= 0x2027;
    if (length > 1 && !is_space_or_mark(cp) && !dash_or_punct) ++count;
    i += length;
  }
  return count;
}

}  // namespace canopee
