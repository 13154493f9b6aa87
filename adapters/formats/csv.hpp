#pragma once
// CSV as RFC 4180 describes it, with what spreadsheets add: an optional UTF-8 BOM,
// CRLF or LF line ends, a configurable separator (',' or the French ';').
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/date.hpp"
#include "engine/result.hpp"

namespace canopee::formats {

struct CsvRow {
  std::size_t line = 0;  // 1-based line where the row starts (the header is line 1)
  std::vector<std::string> fields;
};

struct CsvTable {
  std::vector<std::string> header;
  std::vector<CsvRow> rows;
};

inline constexpr std::size_t kMaxCsvFields = 256;
// An import reports at most this many problems (the needs, the orders).
inline constexpr std::size_t kMaxImportErrors = 1000;

// The first row is the header. Blank lines are skipped. A row whose field count
// differs from the header's, an unterminated quote or a quote inside an unquoted
// field is an error naming the line.
Result<CsvTable> parse_csv(std::string_view text, char separator = ',');

// Index of a header column (exact match, after trimming spaces), or npos.
std::size_t column_index(const CsvTable& table, std::string_view name);

// ---- What the imports of spreadsheets share (needs_csv, orders_csv) ----

// The separator of a file written by a spreadsheet: ';' when its first line holds a
// semicolon and no comma (a French spreadsheet), else ','.
char detect_separator(std::string_view text);

// ASCII letters in lower case, other bytes unchanged.
std::string lower_ascii(std::string_view text);

// A yes/no cell: true/false, 1/0, oui/non, yes/no, vrai/faux (any case); empty is
// `when_empty`; anything else none.
std::optional<bool> parse_yes_no(std::string_view text, bool when_empty = false);

// "12,5" → "12.5" when the file is French (';' separated) and the value has a comma
// and no point; any other value unchanged.
std::string french_decimal(std::string value, bool french);

// A date as French spreadsheets write it, JJ/MM/AAAA (15/03/2027), or YYYY-MM-DD;
// errors name `field`.
Result<Date> parse_spreadsheet_date(std::string_view text, std::string_view field);

// Writes one field, quoted when it holds the separator, a quote or a line break.
std::string csv_field(std::string_view value, char separator = ',');

// Writes one text field so that no spreadsheet reads it as a formula (OWASP's
// "CSV injection"): a value starting with '=', '+', '-', '@', a tab or a carriage
// return gets a leading single quote and is quoted; any other goes as csv_field.
// Numbers are written with csv_field, never with this: -12,50 stays a number.
std::string csv_text_field(std::string_view value, char separator = ',');

}  // namespace canopee::formats
