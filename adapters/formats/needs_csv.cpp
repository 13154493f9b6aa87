#include "adapters/formats/needs_csv.hpp"

#include <algorithm>
#include <optional>

#include "adapters/formats/csv.hpp"

namespace canopee::formats {
namespace {

constexpr std::string_view kKnown[] = {"cpv",
                                       "title",
                                       "description",
                                       "quantity",
                                       "unit",
                                       "reference_unit_price",
                                       "department",
                                       "period_start",
                                       "period_end",
                                       "recurring",
                                       "reference_source",
                                       "reference_date",
                                       "reference_index"};

}  // namespace

Result<std::vector<Need>> parse_needs_csv(std::string_view text, const CpvNomenclature& nomenclature,
                                          std::int64_t member_id, NeedStatus status) {
  const char separator = detect_separator(text);
  auto table = parse_csv(text, separator);
  if (!table) return std::move(table).error();

  std::vector<FieldError> errors;
  std::vector<std::size_t> column(std::size(kKnown), static_cast<std::size_t>(-1));
  std::vector<std::pair<std::size_t, std::string>> attribute_columns;
  for (std::size_t i = 0; i < table->header.size(); ++i) {
    const std::string name = lower_ascii(table->header[i]);
    const auto known = std::find(std::begin(kKnown), std::end(kKnown), name);
    if (known != std::end(kKnown)) {
      column[static_cast<std::size_t>(known - std::begin(kKnown))] = i;
    } else if (name.rfind("attr.", 0) == 0 && name.size() > 5) {
      attribute_columns.emplace_back(i, name.substr(5));
    } else {
      errors.push_back({"header", "colonne inconnue « " + table->header[i] + " »", "needs_import.column.unknown"});
    }
  }
  for (std::size_t k = 0; k < std::size(kKnown); ++k) {
    const bool optional = kKnown[k] == "description" || kKnown[k] == "recurring" || kKnown[k] == "reference_source" ||
                          kKnown[k] == "reference_date" || kKnown[k] == "reference_index";
    if (!optional && column[k] == static_cast<std::size_t>(-1)) {
      errors.push_back(
          {"header", "colonne manquante « " + std::string(kKnown[k]) + " »", "needs_import.column.missing"});
    }
  }
  if (!errors.empty())
    return Error{ErrorCode::invalid, "l’en-tête du CSV n’est pas utilisable", std::move(errors), "needs_import.header"};
  if (table->rows.empty())
    return Error::invalid("file", "ne contient aucun besoin après son en-tête", "needs_import.empty");

  const bool french = separator == ';';
  std::vector<Need> needs;
  needs.reserve(table->rows.size());
  for (const auto& row : table->rows) {
    const auto field = [&](std::size_t k) -> std::optional<std::string> {
      if (column[k] == static_cast<std::size_t>(-1)) return std::nullopt;
      return row.fields[column[k]];
    };
    NeedDraft draft;
    draft.cpv = field(0);
    draft.title = field(1);
    draft.description = field(2);
    if (auto q = field(3)) draft.quantity = french_decimal(*q, french);
    draft.unit = field(4);
    if (auto p = field(5)) draft.reference_unit_price = french_decimal(*p, french);
    draft.department = field(6);
    draft.period_start = field(7);
    draft.period_end = field(8);
    const std::string at = "line " + std::to_string(row.line) + ".";
    if (auto r = field(9)) {
      const auto flag = parse_yes_no(*r);
      if (!flag) {
        errors.push_back({at + "recurring", "doit valoir true ou false (oui/non)", "needs_import.recurring"});
      } else {
        draft.recurring = *flag;
      }
    }
    // The reference's source, date and index: optional columns, an empty cell is the default.
    if (auto source = field(10); source && !source->empty()) draft.reference_source = *source;
    if (auto date = field(11); date && !date->empty()) draft.reference_date = *date;
    if (auto index = field(12); index && !index->empty()) draft.reference_index = *index;
    draft.attributes.emplace();
    for (const auto& [index, name] : attribute_columns) {
      if (!row.fields[index].empty()) draft.attributes->emplace_back(name, row.fields[index]);
    }
    auto need = validate_need(draft, nomenclature);
    if (!need) {
      for (const auto& e : need.error().fields) errors.push_back({at + e.field, e.message, e.code});
    } else {
      need->member_id = member_id;
      need->status = status;
      needs.push_back(std::move(need).value());
    }
    if (errors.size() >= kMaxImportErrors) break;
  }
  if (!errors.empty()) {
    return Error{ErrorCode::invalid,
                 std::to_string(errors.size()) + (errors.size() >= kMaxImportErrors ? "+" : "") +
                     " problèmes dans le fichier : rien n’a été importé",
                 std::move(errors), "needs_import.invalid_rows"};
  }
  return needs;
}

}  // namespace canopee::formats
