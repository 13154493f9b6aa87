#include "adapters/formats/price_index_csv.hpp"

#include <set>

#include "adapters/formats/needs_csv.hpp"  // kMaxImportErrors

namespace canopee::formats {
namespace {

struct Line {
  std::size_t number = 0;
  std::vector<std::string> fields;
  bool bad_quote = false;
};

std::string trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return std::string(text.substr(first, last - first + 1));
}

// One line split on `separator`, double quotes around a field ("" inside one is a quote).
Line split_line(std::string_view text, std::size_t number, char separator) {
  Line line{number, {}, false};
  std::string field;
  bool quoted = false, was_quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"' && trimmed(field).empty()) {
      quoted = was_quoted = true;
      field.clear();
    } else if (c == separator) {
      line.fields.push_back(was_quoted ? field : trimmed(field));
      field.clear();
      was_quoted = false;
    } else if (c == '"') {
      line.bad_quote = true;
      field += c;
    } else {
      field += c;
    }
  }
  if (quoted) line.bad_quote = true;
  line.fields.push_back(was_quoted ? field : trimmed(field));
  return line;
}

std::vector<Line> lines_of(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  const char separator = text.find(';') != std::string_view::npos ? ';' : ',';
  std::vector<Line> lines;
  std::size_t number = 0;
  while (!text.empty()) {
    const auto end = text.find('\n');
    std::string_view raw = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    ++number;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    if (trimmed(raw).empty()) continue;
    lines.push_back(split_line(raw, number, separator));
  }
  return lines;
}

bool starts_with_digit(const std::string& field) { return !field.empty() && field[0] >= '0' && field[0] <= '9'; }

}  // namespace

Result<std::vector<IndexRow>> parse_index_csv(std::string_view text) {
  std::vector<IndexRow> rows;
  std::vector<FieldError> errors;
  std::set<YearMonth> seen;
  bool in_data = false;
  for (const auto& line : lines_of(text)) {
    const std::string at = "line " + std::to_string(line.number) + ".";
    const std::string& first = line.fields.front();
    // The description lines come first: whatever does not start with a digit before the data.
    if (!in_data && !starts_with_digit(first) && !line.bad_quote) continue;
    in_data = true;
    if (line.bad_quote) {
      errors.push_back({at + "month", "guillemet mal placé sur cette ligne", "index_import.quote"});
    } else {
      const auto month = parse_year_month(first, at + "month");
      std::optional<std::int64_t> value;
      if (line.fields.size() < 2 || line.fields[1].empty()) {
        errors.push_back({at + "value", "valeur manquante (colonne 2)", "index_import.value_missing"});
      } else if (auto v = parse_index_value(line.fields[1], at + "value")) {
        value = *v;
      } else {
        errors.push_back(v.error().fields.at(0));
      }
      if (!month) {
        errors.push_back(month.error().fields.at(0));
      } else if (!seen.insert(*month).second) {
        errors.push_back({at + "month", "le mois " + to_string(*month) + " figure deux fois dans le fichier",
                          "index_import.duplicate_month"});
      } else if (value) {
        rows.push_back({*month, *value});
      }
    }
    if (errors.size() >= kMaxImportErrors) break;
  }
  if (!errors.empty()) {
    return Error{ErrorCode::invalid,
                 std::to_string(errors.size()) + (errors.size() >= kMaxImportErrors ? "+" : "") +
                     " problèmes dans le fichier : aucune valeur n’a été chargée",
                 std::move(errors), "index_import.invalid_rows"};
  }
  if (rows.empty())
    return Error::invalid("csv", "le fichier ne contient aucune valeur mensuelle", "index_import.empty");
  return rows;
}

}  // namespace canopee::formats
