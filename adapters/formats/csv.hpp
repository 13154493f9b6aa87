#pragma once
// CSV as RFC 4180 describes it, with what spreadsheets add: an optional UTF-8 BOM,
// CRLF or LF line ends, a configurable separator (',' or the French ';').
#include <cstddef>
#include <cstdint>
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

// The encodings a spreadsheet's CSV arrives in.
enum class TextEncoding : std::uint8_t { utf8, utf8_bom, windows1252 };

struct DecodedText {
  std::string text;  // UTF-8, without BOM
  TextEncoding encoding = TextEncoding::utf8;
};

// The bytes of an uploaded file as UTF-8 text. Valid UTF-8 (with or without BOM) is
// kept; a file with no valid UTF-8 sequence beyond ASCII is Windows-1252 (French
// Excel's « CSV (séparateur : point-virgule) ») and is transcoded, every byte of
// cp1252 included (0x80 €, 0x92 ’, 0x9C œ). Refused, naming the line and the byte:
// - csv.encoding.unknown: a byte undefined in cp1252 (0x81, 0x8D, 0x8F, 0x90, 0x9D)
//   or a UTF-16 BOM (Excel's « Texte Unicode »);
// - csv.encoding.invalid_utf8: a BOM or valid multi-byte UTF-8 sequences next to
//   invalid ones (a damaged or pieced-together file: reading it as cp1252 would
//   garble its good accents);
// - csv.encoding.replacement: U+FFFD « � », the mark of accents already lost.
// So no U+FFFD is ever stored.
Result<DecodedText> decode_spreadsheet_text(std::string_view bytes);

// A header folded for matching: lower case, no accents, no parenthesised part, no
// « € », '_' for runs of spaces (NBSP too), dashes and apostrophes, trimmed:
// « Prix unitaire estimé HT (€) » → prix_unitaire_estime_ht.
std::string fold_header(std::string_view name);

// A number as spreadsheets show it, made plain: surrounding blanks dropped, a « € »
// before or after (with or without a space) when `euro`, and thousands separators
// (space, NBSP U+00A0, narrow NBSP U+202F) between groups of three digits:
// « 1 234,50 € » → "1234,50". A value that does not have that shape is returned
// trimmed but otherwise unchanged, for the caller's parser to refuse.
std::string spreadsheet_number(std::string_view text, bool euro);

// The text without the blanks around it (space, tab, NBSP, narrow NBSP).
std::string trim_spaces(std::string_view text);

// A cell's value as an error quotes it: its first 80 code points, then « … ».
std::string quoted_value(std::string_view value);

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
