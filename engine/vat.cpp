#include "engine/vat.hpp"

#include <algorithm>
#include <optional>
#include <string>

#include "engine/money.hpp"

namespace canopee {

std::optional<std::vector<std::int64_t>> parse_vat_rates(std::string_view setting) {
  std::vector<std::int64_t> out;
  std::size_t begin = 0;
  while (begin <= setting.size()) {
    const auto end = setting.find(';', begin);
    std::string item(setting.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin));
    std::erase(item, ' ');
    std::replace(item.begin(), item.end(), ',', '.');
    auto value = parse_decimal(item, 2, "vat_rates");
    if (!value || *value < 0 || *value > 10'000) return std::nullopt;
    out.push_back(*value);
    if (end == std::string_view::npos) break;
    begin = end + 1;
  }
  if (out.empty()) return std::nullopt;
  return out;
}

Status check_vat_rate(std::int64_t rate_bp, std::span<const std::int64_t> allowed, std::string_view field) {
  if (std::find(allowed.begin(), allowed.end(), rate_bp) != allowed.end()) return ok_status();
  std::string list;
  for (const auto r : allowed) {
    auto text = format_decimal(r, 2, 0);
    std::replace(text.begin(), text.end(), '.', ',');
    list += (list.empty() ? "" : ", ") + text + " %";
  }
  return Error::invalid(std::string(field), "doit être l’un des taux de TVA admis : " + list, "lot.vat_rate.unknown");
}

}  // namespace canopee
