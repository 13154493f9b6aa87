#pragma once
// Reading a JSON request body strictly: malformed JSON, a wrong content type, an
// unknown field, a wrong type or an out-of-range value each become a field error;
// the handler sees either every value it asked for or a 400 naming each problem.
#include <boost/json/value.hpp>

#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "api/http.hpp"
#include "engine/result.hpp"

namespace canopee::api {

// The value of a check done elsewhere, or none with every field error of the
// failure added to `errors` (for problems collected before answering them all).
template <class T>
std::optional<T> take(Result<T> result, std::vector<FieldError>& errors) {
  if (result) return std::move(result).value();
  for (auto& e : std::move(result).error().fields) errors.push_back(std::move(e));
  return std::nullopt;
}

class JsonInput {
 public:
  // 415 for a non-JSON content type is the caller's (see require_json); this
  // parses and checks it is an object whose fields are all in `allowed`.
  static Result<JsonInput> parse(std::string_view body, std::span<const std::string_view> allowed,
                                 std::string prefix = "");
  static Result<JsonInput> parse(std::string_view body, std::initializer_list<std::string_view> allowed,
                                 std::string prefix = "") {
    return parse(body, std::span<const std::string_view>(allowed.begin(), allowed.size()), std::move(prefix));
  }
  // A nested object (e.g. "filter"): same checks, field names prefixed.
  static Result<JsonInput> from(const boost::json::value& value, std::span<const std::string_view> allowed,
                                std::string prefix);
  static Result<JsonInput> from(const boost::json::value& value, std::initializer_list<std::string_view> allowed,
                                std::string prefix) {
    return from(value, std::span<const std::string_view>(allowed.begin(), allowed.size()), std::move(prefix));
  }

  bool has(std::string_view field) const;
  const boost::json::value* raw(std::string_view field) const;
  std::optional<std::string> text(std::string_view field, bool required, std::size_t max_length = 1000);
  // A decimal as a string ("12.5") or a JSON number carrying no more decimals than `scale`.
  std::optional<std::string> decimal(std::string_view field, bool required);
  std::optional<std::int64_t> integer(std::string_view field, bool required, std::int64_t min, std::int64_t max);
  std::optional<bool> boolean(std::string_view field, bool required);
  // An explicit null is allowed (returns true in `is_null`).
  bool is_null(std::string_view field) const;

  void fail(std::string field, std::string message, std::string code = {}) {
    errors_.push_back({name(field), std::move(message), std::move(code)});
  }
  // The value of a check done elsewhere (an engine parser given the field's full
  // name, `name(field)`), or none with every field error of the failure recorded.
  template <class T>
  std::optional<T> take(Result<T> result) {
    return api::take(std::move(result), errors_);
  }
  std::string name(std::string_view field) const { return prefix_ + std::string(field); }
  std::vector<FieldError>& errors() { return errors_; }
  // Ok, or the 400 listing every problem collected.
  Status finish(std::string_view what = "le corps de la requête est invalide");

 private:
  boost::json::object object_;
  std::string prefix_;
  std::vector<FieldError> errors_;
};

// "12.5" from a JSON number, in plain decimal notation (shortest round trip).
std::optional<std::string> number_as_decimal(const boost::json::value& value);

}  // namespace canopee::api
