#pragma once
// Expected failures as values: a Result<T> holds either a T or an Error naming
// what was wrong. Exceptions are kept for what aborts an operation.
#include <cassert>
#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace canopee {

enum class ErrorCode {
  invalid,     // the input breaks a rule (bad value, bad format, out of range)
  not_found,   // a referenced thing does not exist (or is not visible)
  conflict,    // the thing exists but its state forbids the operation
  stale,       // an optimistic-concurrency version no longer matches
  unavailable  // a dependency (the database) cannot be reached
};

// One problem with one input field ("quantity", "tiers[2].min_quantity", "" for the whole).
// `code` is the stable, dotted name of the rule that failed ("bid.decision.not_flagged"),
// for clients to map; rules written before the vocabulary leave it empty.
struct FieldError {
  std::string field;
  std::string message;
  std::string code{};  // defaulted, so that {field, message} stays a complete initializer
  // The value at fault as the user gave it (an imported cell), when showing it helps.
  std::optional<std::string> value{};
  bool operator==(const FieldError&) const = default;
};

struct Error {
  ErrorCode code = ErrorCode::invalid;
  std::string message;
  std::vector<FieldError> fields;
  std::string rule{};  // the stable code of the whole problem (see FieldError::code), or empty

  static Error invalid(std::string field, std::string message) {
    Error e{ErrorCode::invalid, message, {}};
    e.fields.push_back({std::move(field), std::move(message)});
    return e;
  }
  // An invalid value with its stable code: rule_broken(ErrorCode::invalid, code, field, message).
  static Error invalid(std::string field, std::string message, std::string code) {
    return rule_broken(ErrorCode::invalid, std::move(code), std::move(field), std::move(message));
  }
  static Error of(ErrorCode code, std::string message) { return {code, std::move(message), {}, {}}; }
  // A problem of the whole request with its stable code.
  static Error of(ErrorCode code, std::string message, std::string rule) {
    return {code, std::move(message), {}, std::move(rule)};
  }
  // A broken rule with its stable code, on one field ("" for the whole request).
  static Error rule_broken(ErrorCode code, std::string rule, std::string field, std::string message) {
    Error e{code, message, {}, rule};
    e.fields.push_back({std::move(field), std::move(message), std::move(rule)});
    return e;
  }
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : state_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(state_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const& {
    assert(!ok());
    return std::get<1>(state_);
  }
  Error&& error() && {
    assert(!ok());
    return std::get<1>(std::move(state_));
  }

  // The value, or `fallback` when this holds an error.
  T value_or(T fallback) const& { return ok() ? value() : std::move(fallback); }

  // The value passed through `f` (T → U), or the same error: Result<U>.
  template <class F>
  auto transform(F&& f) const& -> Result<std::decay_t<std::invoke_result_t<F, const T&>>> {
    if (!ok()) return error();
    return std::invoke(std::forward<F>(f), value());
  }

  // The value passed to `f`, itself failing (T → Result<U>), or the same error.
  template <class F>
  auto and_then(F&& f) const& -> std::decay_t<std::invoke_result_t<F, const T&>> {
    if (!ok()) return error();
    return std::invoke(std::forward<F>(f), value());
  }

 private:
  std::variant<T, Error> state_;
};

// Binds the value of a Result expression to `name`, or returns its error from the
// enclosing function (which returns a Result or a Status):
//   CANOPEE_TRY(tender, load(id));   // then use `tender`, a T
#define CANOPEE_TRY(name, expression)                              \
  auto name##_or_error = (expression);                             \
  if (!name##_or_error) return std::move(name##_or_error).error(); \
  auto name = std::move(name##_or_error).value()  // NOLINT(bugprone-macro-parentheses): `name` is declared here

// Returns the error of a failed Status (or Result) expression from the enclosing function.
#define CANOPEE_TRY_STATUS(expression) \
  if (auto canopee_status_ = (expression); !canopee_status_) return std::move(canopee_status_).error()

// For operations that return nothing but may fail.
struct Done {};
using Status = Result<Done>;
inline Status ok_status() { return Done{}; }

}  // namespace canopee
