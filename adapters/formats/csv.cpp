#include "adapters/formats/csv.hpp"

#include <algorithm>
#include <cctype>

namespace canopee::formats {
namespace {

std::string trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(' ');
  if (first == std::string_view::npos) return {};
  return std::string(text.substr(first, text.find_last_not_of(' ') - first + 1));
}

Error at_line(std::size_t line, std::string message, std::string code) {
  return Error::invalid("line " + std::to_string(line), std::move(message), std::move(code));
}

}  // namespace

Result<CsvTable> parse_csv(std::string_view text, char separator) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  CsvTable table;
  std::vector<std::string> fields;
  std::string field;
  std::size_t line = 1;
  std::size_t row_line = 1;
  bool row_has_content = false;
  bool first_row = true;
  std::size_t i = 0;

  const auto end_row = [&]() -> Status {
    fields.push_back(std::move(field));
    field.clear();
    const bool blank = !row_has_content && fields.size() == 1 && fields[0].empty();
    if (!blank) {
      if (first_row) {
        for (auto& name : fields) table.header.push_back(trimmed(name));
        first_row = false;
      } else if (fields.size() != table.header.size()) {
        return at_line(row_line,
                       "a " + std::to_string(fields.size()) + " champs ; l’en-tête en a " +
                           std::to_string(table.header.size()),
                       "csv.field_count");
      } else {
        table.rows.push_back({row_line, std::move(fields)});
      }
    }
    fields.clear();
    row_has_content = false;
    return ok_status();
  };

  while (i < text.size()) {
    const char c = text[i];
    if (c == '"' && field.empty()) {
      // A quoted field: up to the closing quote; "" is a literal quote.
      const std::size_t opened_at = line;
      ++i;
      for (;;) {
        if (i >= text.size())
          return at_line(opened_at, "a un champ entre guillemets jamais refermé", "csv.quote_unclosed");
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        if (text[i] == '\n') ++line;
        field.push_back(text[i++]);
      }
      row_has_content = true;
      if (i < text.size() && text[i] != separator && text[i] != '\n' && text[i] != '\r') {
        return at_line(line, "a des caractères après un guillemet fermant", "csv.after_quote");
      }
      continue;
    }
    if (c == separator) {
      fields.push_back(std::move(field));
      field.clear();
      row_has_content = true;
      ++i;
      if (fields.size() > kMaxCsvFields) return at_line(row_line, "a plus de 256 champs", "csv.too_many_fields");
      continue;
    }
    if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      ++i;
      if (auto status = end_row(); !status) return std::move(status).error();
      ++line;
      row_line = line;
      continue;
    }
    if (c == '"') return at_line(line, "a un guillemet dans un champ sans guillemets", "csv.quote_inside");
    field.push_back(c);
    row_has_content = true;
    ++i;
  }
  if (row_has_content || !field.empty() || !fields.empty()) {
    if (auto status = end_row(); !status) return std::move(status).error();
  }
  if (first_row) return Error::invalid("file", "est vide : une ligne d’en-tête est obligatoire", "csv.empty");
  return table;
}

char detect_separator(std::string_view text) {
  const auto first_line = text.substr(0, text.find('\n'));
  return first_line.find(';') != std::string_view::npos && first_line.find(',') == std::string_view::npos ? ';' : ',';
}

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return c < 0x80 ? static_cast<char>(std::tolower(c)) : static_cast<char>(c); });
  return out;
}

std::optional<bool> parse_yes_no(std::string_view text, bool when_empty) {
  const std::string v = lower_ascii(text);
  if (v.empty()) return when_empty;
  if (v == "false" || v == "0" || v == "non" || v == "no" || v == "faux") return false;
  if (v == "true" || v == "1" || v == "oui" || v == "yes" || v == "vrai") return true;
  return std::nullopt;
}

std::string french_decimal(std::string value, bool french) {
  if (french && value.find(',') != std::string::npos && value.find('.') == std::string::npos) {
    std::replace(value.begin(), value.end(), ',', '.');
  }
  return value;
}

Result<Date> parse_spreadsheet_date(std::string_view text, std::string_view field) {
  if (text.size() == 10 && text[2] == '/' && text[5] == '/') {
    std::string iso;
    iso.append(text.substr(6, 4)).append("-").append(text.substr(3, 2)).append("-").append(text.substr(0, 2));
    auto date = parse_date(iso, field);
    if (date) return date;
    if (date.error().rule != "date.format") return date;  // the calendar's or the year's message
  } else if (auto date = parse_date(text, field); date || date.error().rule != "date.format") {
    return date;
  }
  return Error::invalid(std::string(field), "doit être une date JJ/MM/AAAA ou AAAA-MM-JJ", "date.format");
}

std::size_t column_index(const CsvTable& table, std::string_view name) {
  for (std::size_t i = 0; i < table.header.size(); ++i) {
    if (table.header[i] == name) return i;
  }
  return static_cast<std::size_t>(-1);
}

std::string csv_field(std::string_view value, char separator) {
  if (value.find_first_of(std::string{separator, '"', '\n', '\r'}) == std::string_view::npos) {
    return std::string(value);
  }
  std::string out = "\"";
  for (const char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

std::string csv_text_field(std::string_view value, char separator) {
  if (value.empty() || value.find_first_of("=+-@\t\r") != 0) return csv_field(value, separator);
  std::string out = "\"'";
  for (const char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

}  // namespace canopee::formats
