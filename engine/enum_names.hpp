#pragma once
// The names of an enumeration's values, as the API, the database and the files
// write them ("draft", "contract_value" …), in the order of the enumerators: one
// small table per enumeration instead of a switch or a loop written each time.
// Each module keeps its own parse function, for its own error code and French
// message, and writes it with `parse` and `listed`.
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "engine/result.hpp"

namespace canopee {

template <class E, std::size_t N>
struct EnumNames {
  std::array<std::string_view, N> names;

  constexpr std::string_view operator()(E value) const { return names.at(static_cast<std::size_t>(value)); }

  constexpr std::optional<E> parse(std::string_view text) const {
    for (std::size_t i = 0; i < N; ++i) {
      if (names[i] == text) return static_cast<E>(i);
    }
    return std::nullopt;
  }

  // "a, b, c": the names for a message listing what is accepted.
  std::string listed(std::string_view separator = ", ") const {
    std::string text;
    for (std::size_t i = 0; i < N; ++i) {
      if (i > 0) text += separator;
      text += names[i];
    }
    return text;
  }
};

template <class E, class... Names>
constexpr EnumNames<E, sizeof...(Names)> enum_names(Names... names) {
  return {{std::string_view(names)...}};
}

// The value named `text`, or `value.unknown` on `field` listing the names.
template <class E, std::size_t N>
Result<E> parse_value(const EnumNames<E, N>& names, std::string_view text, std::string_view field) {
  if (auto value = names.parse(text)) return *value;
  return Error::invalid(std::string(field), "doit être l’une des valeurs " + names.listed(), "value.unknown");
}

}  // namespace canopee
