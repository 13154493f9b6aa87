#include "adapters/mail/message.hpp"

#include <array>
#include <cstdint>

namespace canopee::mail {
namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
// An encoded-word is "=?UTF-8?B?" + base64 + "?=": 12 characters around at most 60
// of base64, that is 45 bytes of text.
constexpr std::size_t kWordBytes = 45;

std::uint32_t byte_at(std::string_view bytes, std::size_t i) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i]));
}

bool needs_encoding(std::string_view text) {
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80 || c < 0x20 || c == '=' || c == '?') return true;
  }
  return false;
}

// Where a chunk of at most `max` bytes from `start` may end without cutting a UTF-8 character.
std::size_t chunk_end(std::string_view text, std::size_t start, std::size_t max) {
  std::size_t end = std::min(text.size(), start + max);
  while (end < text.size() && end > start && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return end;
}

}  // namespace

std::string base64(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const std::uint32_t n = (byte_at(bytes, i) << 16) | (byte_at(bytes, i + 1) << 8) | byte_at(bytes, i + 2);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i < bytes.size()) {
    std::uint32_t n = byte_at(bytes, i) << 16;
    if (i + 1 < bytes.size()) n |= byte_at(bytes, i + 1) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string encode_header_words(std::string_view utf8) {
  if (!needs_encoding(utf8)) return std::string(utf8);
  std::string out;
  for (std::size_t start = 0; start < utf8.size();) {
    const std::size_t end = chunk_end(utf8, start, kWordBytes);
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64(utf8.substr(start, end - start)) + "?=";
    start = end;
  }
  return out;
}

std::string rfc5322_date(Instant at) {
  static constexpr std::array<const char*, 7> kDays{"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};  // 1970-01-01
  static constexpr std::array<const char*, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::int64_t seconds = at.micros / kMicrosPerSecond;
  const Date day{static_cast<std::int32_t>(seconds / 86400)};
  const auto civil = to_civil(day);
  const int in_day = static_cast<int>(seconds % 86400);
  char text[64];
  std::snprintf(text, sizeof text, "%s, %02u %s %d %02d:%02d:%02d +0000", kDays[static_cast<std::size_t>(day.days % 7)],
                civil.day, kMonths[civil.month - 1], civil.year, in_day / 3600, in_day / 60 % 60, in_day % 60);
  return text;
}

std::string render(const Message& message, Instant at) {
  std::string body;  // CRLF line ends
  for (const char c : message.body) {
    if (c == '\n') {
      body += "\r\n";
    } else if (c != '\r') {
      body += c;
    }
  }
  const std::string encoded = base64(body);
  std::string out;
  out += "Date: " + rfc5322_date(at) + "\r\n";
  out += "From: " + encode_header_words(message.from_name) + " <" + message.from_address + ">\r\n";
  out += "To: <" + message.to_address + ">\r\n";
  out += "Subject: " + encode_header_words(message.subject) + "\r\n";
  out += "Message-ID: " + message.message_id + "\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=UTF-8\r\n";
  out += "Content-Transfer-Encoding: base64\r\n";
  out += "\r\n";
  for (std::size_t i = 0; i < encoded.size(); i += 76) out += encoded.substr(i, 76) + "\r\n";
  return out;
}

bool plain_address(std::string_view address) {
  if (address.size() < 3 || address.size() > 254) return false;
  int at = 0;
  for (const char ch : address) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= ' ' || c == '<' || c == '>' || c == ',' || c == '"' || c == 0x7F) return false;
    if (c == '@') ++at;
  }
  return at == 1 && address.front() != '@' && address.back() != '@';
}

}  // namespace canopee::mail
