// An e-mail as RFC 5322 text (adapters/mail/message.hpp): the French subject as
// RFC 2047 encoded-words, the body in base64, worked out by hand.
#include <doctest/doctest.h>

#include "adapters/mail/message.hpp"

using namespace canopee;

TEST_CASE("base64 and encoded-words never cut a character") {
  CHECK(mail::base64("") == "");
  CHECK(mail::base64("a") == "YQ==");
  CHECK(mail::base64("ab") == "YWI=");
  CHECK(mail::base64("abc") == "YWJj");
  CHECK(mail::base64("é") == "w6k=");
  CHECK(mail::encode_header_words("Plain subject") == "Plain subject");
  CHECK(mail::encode_header_words("Canopée") == "=?UTF-8?B?Q2Fub3DDqWU=?=");
  // 44 ASCII letters then « é » (2 bytes): the first word stops before it (45 bytes would cut it).
  const std::string long_subject = std::string(44, 'a') + "é";
  CHECK(mail::encode_header_words(long_subject) ==
        "=?UTF-8?B?" + mail::base64(std::string(44, 'a')) + "?=\r\n =?UTF-8?B?w6k=?=");
}

TEST_CASE("a message: headers, CRLF, a text/plain UTF-8 body in base64") {
  mail::Message m{"Canopée",        "achats@exemple.fr",           "marie@exemple.fr", "[Canopée] Lot attribué",
                  "Bonjour.\nFin.", "<canopee-outbox-1@localhost>"};
  const Instant at = utc_instant(from_civil({2026, 12, 3}), 9, 47, 51);
  CHECK(mail::rfc5322_date(at) == "Thu, 03 Dec 2026 09:47:51 +0000");
  const std::string text = mail::render(m, at);
  CHECK(text ==
        "Date: Thu, 03 Dec 2026 09:47:51 +0000\r\n"
        "From: =?UTF-8?B?Q2Fub3DDqWU=?= <achats@exemple.fr>\r\n"
        "To: <marie@exemple.fr>\r\n"
        "Subject: =?UTF-8?B?W0Nhbm9ww6llXSBMb3QgYXR0cmlidcOp?=\r\n"
        "Message-ID: <canopee-outbox-1@localhost>\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=UTF-8\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        "\r\n"
        "Qm9uam91ci4NCkZpbi4=\r\n");
  CHECK(mail::plain_address("a@b.fr"));
  CHECK_FALSE(mail::plain_address("a@b.fr>\r\nBcc: x@y"));
  CHECK_FALSE(mail::plain_address("a b@c.fr"));
  CHECK_FALSE(mail::plain_address("ab.fr"));
}
