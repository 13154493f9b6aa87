// The password and session rules of engine/sign_in at their exact thresholds: the
// CNIL's 12 characters of three kinds, five failures before a 15-minute lockout, a
// session's 60 idle minutes and 12 hours.
#include <doctest/doctest.h>

#include "engine/sign_in.hpp"

using namespace canopee;

namespace {

std::string code_of(const Status& status) { return status ? std::string{} : status.error().rule; }

Instant at_minutes(std::int64_t minutes) { return Instant{minutes * 60 * kMicrosPerSecond}; }

}  // namespace

TEST_CASE("a password: 12 characters of three kinds, not the e-mail address") {
  CHECK(code_of(check_password("Abcdefghij1", "x@y.fr")) == "password.too_short");    // 11
  CHECK(code_of(check_password("Abcdefghijk1", "x@y.fr")).empty());                   // 12, three kinds
  CHECK(code_of(check_password("abcdefghijk1", "x@y.fr")) == "password.too_simple");  // two kinds
  CHECK(code_of(check_password("abcdefghijk!", "x@y.fr")) == "password.too_simple");
  CHECK(code_of(check_password("abcdefghij!1", "x@y.fr")).empty());  // lower, other, digit
  // Characters are counted, not bytes: « éèàçùôîâêë1 » is 11 characters (22 bytes).
  CHECK(code_of(check_password("éèàçùôîâêëA1", "x@y.fr")).empty());
  CHECK(code_of(check_password("éèàçùôîâêë1", "x@y.fr")) == "password.too_short");
  CHECK(code_of(check_password("Abcdefghijk\n1", "x@y.fr")) == "password.invalid");
  CHECK(code_of(check_password("Abcdefghijk1\xC3", "x@y.fr")) == "password.invalid");          // cut sequence
  CHECK(code_of(check_password("Abcdefghijk1\xC0\xAF", "x@y.fr")) == "password.invalid");      // overlong '/'
  CHECK(code_of(check_password("Abcdefghijk1\xED\xA0\x80", "x@y.fr")) == "password.invalid");  // surrogate
  CHECK(code_of(check_password(std::string(256, 'a'), "x@y.fr")) == "password.too_simple");
  CHECK(code_of(check_password(std::string(257, 'a'), "x@y.fr")) == "password.too_long");
  CHECK(code_of(check_password("Marie.Dupont-2027@opal.fr", "marie.dupont-2027@OPAL.fr")) == "password.is_email");
  CHECK(code_of(check_password("Marie.Dupont-2027", "marie.dupont-2027@opal.fr")) == "password.is_email");
  CHECK(check_password("Abcdefghij1", "x@y.fr").error().fields.at(0).field == "password");
}

TEST_CASE("the fifth failure in a row locks the account for 15 minutes, then each fifth again") {
  const auto now = at_minutes(1000);
  for (int failures = 1; failures <= 4; ++failures) CHECK_FALSE(lockout_after_failure(failures, now));
  REQUIRE(lockout_after_failure(5, now));
  CHECK(*lockout_after_failure(5, now) == at_minutes(1015));
  CHECK_FALSE(lockout_after_failure(6, now));
  CHECK(*lockout_after_failure(10, now) == at_minutes(1015));
  CHECK_FALSE(lockout_after_failure(0, now));
}

TEST_CASE("a session lives 60 idle minutes, 12 hours at most; its deadline moves at most once a minute") {
  const auto start = at_minutes(0);
  const auto times = new_session_times(start);
  CHECK(times.idle_until == at_minutes(60));
  CHECK(times.expires == at_minutes(12 * 60));
  CHECK(session_alive(times, Instant{at_minutes(60).micros - 1}));
  CHECK_FALSE(session_alive(times, at_minutes(60)));
  // Within the first minute the deadline is not rewritten; after it, it is.
  CHECK_FALSE(touched_idle_deadline(times, Instant{at_minutes(1).micros - 1}));
  REQUIRE(touched_idle_deadline(times, at_minutes(1)));
  CHECK(*touched_idle_deadline(times, at_minutes(1)) == at_minutes(61));
  // Near the end, never beyond the absolute end.
  const SessionTimes late{at_minutes(12 * 60), at_minutes(11 * 60 + 30)};
  REQUIRE(touched_idle_deadline(late, at_minutes(11 * 60 + 40)));
  CHECK(*touched_idle_deadline(late, at_minutes(11 * 60 + 40)) == at_minutes(12 * 60));
  CHECK_FALSE(session_alive(late, at_minutes(12 * 60)));
}
