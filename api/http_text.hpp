#pragma once
// Small readers of HTTP header text shared by the header parsers (cookies, content
// negotiation, forwarded addresses, media types).
#include <algorithm>
#include <cctype>
#include <string_view>

namespace canopee::api {

// `text` without the optional whitespace (spaces and tabs, RFC 9110 §5.6.3) around it.
inline std::string_view trim_ows(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Whether two tokens are equal, ASCII letters compared without case (RFC 9110 §5.6.2).
inline bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace canopee::api
