#pragma once
// Expected failures as values: a Result<T> holds either a T or an Error naming
// what was wrong. Exceptions are kept for what aborts an operation.
#include <cassert>
#include <string>
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

 private:
  std::variant<T, Error> state_;
};

// For operations that return nothing but may fail.
struct Done {};
using Status = Result<Done>;
inline Status ok_status() { return Done{}; }

}  // namespace canopee
