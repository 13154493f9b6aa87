#include "api/json_input.hpp"

#include <boost/json.hpp>

#include <charconv>
#include <cmath>

namespace canopee::api {

namespace json = boost::json;

Result<JsonInput> JsonInput::parse(std::string_view body, std::span<const std::string_view> allowed,
                                   std::string prefix) {
  boost::system::error_code ec;
  json::parse_options options;
  options.max_depth = 32;
  json::value value = json::parse(body, ec, {}, options);
  if (ec) {
    return Error::invalid("body", "le corps de la requête n’est pas un JSON valide", "input.malformed_json");
  }
  return from(value, allowed, std::move(prefix));
}

Result<JsonInput> JsonInput::from(const json::value& value, std::span<const std::string_view> allowed,
                                  std::string prefix) {
  if (!value.is_object()) {
    return Error::invalid(prefix.empty() ? "body" : prefix.substr(0, prefix.size() - 1), "doit être un objet JSON",
                          "input.not_object");
  }
  JsonInput input;
  input.object_ = value.as_object();
  input.prefix_ = std::move(prefix);
  for (const auto& [key, v] : input.object_) {
    bool known = false;
    for (const auto a : allowed) known = known || a == std::string_view(key);
    if (!known)
      input.errors_.push_back(
          {input.prefix_ + std::string(key), "n’est pas un champ de cette requête", "input.unknown_field"});
  }
  return input;
}

bool JsonInput::has(std::string_view field) const { return object_.contains(field); }

const json::value* JsonInput::raw(std::string_view field) const {
  const auto it = object_.find(field);
  return it == object_.end() ? nullptr : &it->value();
}

bool JsonInput::is_null(std::string_view field) const {
  const auto* v = raw(field);
  return v != nullptr && v->is_null();
}

std::optional<std::string> JsonInput::text(std::string_view field, bool required, std::size_t max_length) {
  const auto* v = raw(field);
  if (v == nullptr || v->is_null()) {
    if (required) fail(std::string(field), "est obligatoire", "input.required");
    return std::nullopt;
  }
  if (!v->is_string()) {
    fail(std::string(field), "doit être un texte", "input.not_text");
    return std::nullopt;
  }
  std::string s(v->as_string());
  if (s.size() > max_length) {
    fail(std::string(field), "dépasse " + std::to_string(max_length) + " octets", "input.too_long");
    return std::nullopt;
  }
  return s;
}

std::optional<std::string> number_as_decimal(const json::value& value) {
  if (value.is_int64()) return std::to_string(value.as_int64());
  if (value.is_uint64()) return std::to_string(value.as_uint64());
  if (value.is_double()) {
    const double d = value.as_double();
    if (!std::isfinite(d)) return std::nullopt;
    char buffer[400];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, d, std::chars_format::fixed);
    if (ec != std::errc{}) return std::nullopt;
    std::string s(buffer, end);
    return s;
  }
  return std::nullopt;
}

std::optional<std::string> JsonInput::decimal(std::string_view field, bool required) {
  const auto* v = raw(field);
  if (v == nullptr || v->is_null()) {
    if (required) fail(std::string(field), "est obligatoire", "input.required");
    return std::nullopt;
  }
  if (v->is_string()) return std::string(v->as_string());
  if (auto text = number_as_decimal(*v)) return text;
  fail(std::string(field), "doit être un nombre décimal, par exemple \"12.5\" (ou un nombre JSON)",
       "input.not_decimal");
  return std::nullopt;
}

std::optional<std::int64_t> JsonInput::integer(std::string_view field, bool required, std::int64_t min,
                                               std::int64_t max) {
  const auto* v = raw(field);
  if (v == nullptr || v->is_null()) {
    if (required) fail(std::string(field), "est obligatoire", "input.required");
    return std::nullopt;
  }
  std::optional<std::int64_t> n;
  if (v->is_int64()) n = v->as_int64();
  if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    n = static_cast<std::int64_t>(v->as_uint64());
  if (!n) {
    fail(std::string(field), "doit être un nombre entier", "input.not_integer");
    return std::nullopt;
  }
  if (*n < min || *n > max) {
    fail(std::string(field), "doit être compris entre " + std::to_string(min) + " et " + std::to_string(max),
         "input.out_of_range");
    return std::nullopt;
  }
  return n;
}

std::optional<bool> JsonInput::boolean(std::string_view field, bool required) {
  const auto* v = raw(field);
  if (v == nullptr || v->is_null()) {
    if (required) fail(std::string(field), "est obligatoire", "input.required");
    return std::nullopt;
  }
  if (!v->is_bool()) {
    fail(std::string(field), "doit valoir true ou false", "input.not_boolean");
    return std::nullopt;
  }
  return v->as_bool();
}

Status JsonInput::finish(std::string_view what) {
  if (errors_.empty()) return ok_status();
  return Error{ErrorCode::invalid, std::string(what), errors_, "input.invalid"};
}

}  // namespace canopee::api
