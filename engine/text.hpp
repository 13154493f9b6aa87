#pragma once
// Reading what people type: how much a reason actually says.
#include <cstddef>
#include <string_view>

namespace canopee {

// The letters and digits of a UTF-8 text: ASCII letters and digits, and every code point
// beyond ASCII that is not a space (no-break, narrow, thin, ideographic, zero-width…) nor
// common punctuation. « . » or a no-break space alone count 0.
std::size_t word_characters(std::string_view utf8);

// A reason the law asks for (sans suite, R2185-1/2) says at least this much.
inline constexpr std::size_t kMinReasonCharacters = 10;

}  // namespace canopee
