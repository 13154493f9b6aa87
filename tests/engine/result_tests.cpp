// The result type's helpers: value_or, transform, and_then and CANOPEE_TRY keep the
// error they meet untouched and never call the function on it.
#include <doctest/doctest.h>

#include "engine/result.hpp"

using namespace canopee;

namespace {

Result<int> half(int n) {
  if (n % 2 != 0) return Error::invalid("n", "impair", "test.odd");
  return n / 2;
}

// Halves twice through CANOPEE_TRY: the first error returns at once.
Result<int> quarter(int n, int& calls) {
  ++calls;
  CANOPEE_TRY(h, half(n));
  ++calls;
  CANOPEE_TRY(q, half(h));
  return q;
}

}  // namespace

TEST_CASE("result helpers: value_or, transform and and_then pass errors through unchanged") {
  CHECK(half(8).value_or(-1) == 4);
  CHECK(half(7).value_or(-1) == -1);

  auto text = half(8).transform([](int v) { return std::to_string(v) + " €"; });
  REQUIRE(text.ok());
  CHECK(*text == "4 €");
  int called = 0;
  auto failed = half(7).transform([&](int v) {
    ++called;
    return v;
  });
  CHECK(called == 0);
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().fields.at(0).code == "test.odd");
  CHECK(failed.error().fields.at(0).field == "n");

  CHECK(*half(8).and_then(half) == 2);
  CHECK(half(12).and_then(half).and_then(half).error().fields.at(0).code == "test.odd");  // 12 → 6 → 3 → odd
  CHECK(half(7)
            .and_then([&](int v) {
              ++called;
              return half(v);
            })
            .error()
            .fields.at(0)
            .code == "test.odd");
  CHECK(called == 0);
}

TEST_CASE("CANOPEE_TRY returns the first error and binds the value otherwise") {
  int calls = 0;
  CHECK(*quarter(20, calls) == 5);
  CHECK(calls == 2);
  calls = 0;
  auto odd_first = quarter(7, calls);
  CHECK(calls == 1);  // stopped at the first half
  CHECK(odd_first.error().code == ErrorCode::invalid);
  calls = 0;
  CHECK(quarter(6, calls).error().fields.at(0).code == "test.odd");  // 6 → 3, odd at the second
  CHECK(calls == 2);
}

namespace {

Status even(int n) {
  if (n % 2 != 0) return Error::invalid("n", "impair", "test.odd");
  return ok_status();
}

Result<int> both_even(int a, int b) {
  CANOPEE_TRY_STATUS(even(a));
  CANOPEE_TRY_STATUS(even(b));
  return a + b;
}

}  // namespace

TEST_CASE("CANOPEE_TRY_STATUS returns a failed check's error and goes on otherwise") {
  CHECK(*both_even(2, 4) == 6);
  CHECK(both_even(3, 4).error().fields.at(0).code == "test.odd");
  CHECK(both_even(2, 5).error().fields.at(0).code == "test.odd");
}
