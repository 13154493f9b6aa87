#pragma once
// An e-mail as RFC 5322 text: a UTF-8 subject and display name as RFC 2047
// encoded-words (base64, at most 75 characters each, never splitting a character),
// a text/plain; charset=UTF-8 body in base64 lines of 76, CRLF line ends.
#include <string>
#include <string_view>

#include "engine/date.hpp"

namespace canopee::mail {

struct Message {
  std::string from_name;     // "Canopée"
  std::string from_address;  // "achats@example.org"
  std::string to_address;
  std::string subject;     // UTF-8
  std::string body;        // UTF-8, lines ending in \n
  std::string message_id;  // "<outbox-12@canopee>"
};

std::string base64(std::string_view bytes);
// The text as encoded-words folded with CRLF SP (plain ASCII text is kept as it is).
std::string encode_header_words(std::string_view utf8);
// "Thu, 03 Dec 2026 09:47:51 +0000".
std::string rfc5322_date(Instant at);
std::string render(const Message& message, Instant at);
// A plain address: no CR, LF, angle brackets, spaces or commas, one '@'.
bool plain_address(std::string_view address);

}  // namespace canopee::mail
