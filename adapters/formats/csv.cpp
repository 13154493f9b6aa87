#include "adapters/formats/csv.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "engine/cpv.hpp"

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

constexpr std::string_view kHexDigits = "0123456789ABCDEF";

std::string hex_byte(unsigned char b) { return {'0', 'x', kHexDigits[b >> 4U], kHexDigits[b & 0xFU]}; }

std::size_t line_at(std::string_view text, std::size_t offset) {
  return 1 +
         static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

// The length of the valid UTF-8 sequence at `i` (2 to 4), or 0 (RFC 3629: no overlong
// form, no surrogate, nothing beyond U+10FFFF).
std::size_t utf8_sequence(std::string_view text, std::size_t i) {
  const auto at = [&](std::size_t k) { return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0U; };
  const unsigned lead = at(0);
  const auto cont = [&](std::size_t k) { return (at(k) & 0xC0U) == 0x80U; };
  if (lead >= 0xC2 && lead <= 0xDF) return cont(1) ? 2 : 0;
  if (lead >= 0xE0 && lead <= 0xEF) {
    const unsigned second = at(1);
    const bool ok = lead == 0xE0   ? second >= 0xA0 && second <= 0xBF
                    : lead == 0xED ? second >= 0x80 && second <= 0x9F
                                   : cont(1);
    return ok && cont(2) ? 3 : 0;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    const unsigned second = at(1);
    const bool ok = lead == 0xF0   ? second >= 0x90 && second <= 0xBF
                    : lead == 0xF4 ? second >= 0x80 && second <= 0x8F
                                   : cont(1);
    return ok && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

// Windows-1252's 0x80–0x9F as code points; 0 where the code page defines nothing.
constexpr std::array<char32_t, 32> kCp1252High{0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                               0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
                                               0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                               0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

constexpr std::string_view kSaveAs =
    "enregistrez-le depuis votre tableur en « CSV UTF-8 » ou en « CSV (séparateur : point-virgule) »";

Error encoding_refused(std::size_t line, std::string value, std::string detail, std::string message, std::string code) {
  Error e{ErrorCode::invalid, std::move(detail), {}, code};
  e.fields.push_back({"line " + std::to_string(line), std::move(message), std::move(code), std::move(value)});
  return e;
}

// The blanks around and inside numbers: space, tab, NBSP (U+00A0), narrow NBSP (U+202F).
std::size_t blank_at(std::string_view text, std::size_t i) {
  if (text[i] == ' ' || text[i] == '\t') return 1;
  if (text.substr(i).starts_with("\xC2\xA0")) return 2;
  if (text.substr(i).starts_with("\xE2\x80\xAF")) return 3;
  return 0;
}

std::string_view trim_blanks(std::string_view text) {
  for (;;) {
    if (text.empty()) return text;
    if (const auto n = blank_at(text, 0)) {
      text.remove_prefix(n);
      continue;
    }
    if (text.back() == ' ' || text.back() == '\t') text.remove_suffix(1);
    else if (text.ends_with("\xC2\xA0")) text.remove_suffix(2);
    else if (text.ends_with("\xE2\x80\xAF")) text.remove_suffix(3);
    else return text;
  }
}

}  // namespace

Result<DecodedText> decode_spreadsheet_text(std::string_view bytes) {
  if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF")) {
    return encoding_refused(1, "UTF-16", "le fichier est en UTF-16 (« Texte Unicode ») : " + std::string(kSaveAs),
                            "est en UTF-16, un encodage que l’import ne lit pas", "csv.encoding.unknown");
  }
  DecodedText decoded;
  if (bytes.starts_with("\xEF\xBB\xBF")) {
    bytes.remove_prefix(3);
    decoded.encoding = TextEncoding::utf8_bom;
  }
  std::size_t multibyte = 0;
  std::size_t invalid = std::string_view::npos;
  for (std::size_t i = 0; i < bytes.size();) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    if (const auto n = utf8_sequence(bytes, i)) {
      ++multibyte;
      i += n;
    } else {
      if (invalid == std::string_view::npos) invalid = i;
      ++i;
    }
  }
  if (invalid == std::string_view::npos) {
    if (const auto at = bytes.find("\xEF\xBF\xBD"); at != std::string_view::npos) {
      const auto line = std::to_string(line_at(bytes, at));
      return encoding_refused(line_at(bytes, at), "U+FFFD",
                              "le fichier contient le caractère « � » (U+FFFD) à la ligne " + line +
                                  " : des accents ont été perdus avant l’import ; repartez du fichier d’origine",
                              "contient « � » (U+FFFD) : des caractères ont été perdus avant l’import",
                              "csv.encoding.replacement");
    }
    decoded.text.assign(bytes);
    return decoded;
  }
  const auto bad = static_cast<unsigned char>(bytes[invalid]);
  if (decoded.encoding == TextEncoding::utf8_bom || multibyte > 0) {
    const auto line = std::to_string(line_at(bytes, invalid));
    return encoding_refused(line_at(bytes, invalid), hex_byte(bad),
                            std::string(decoded.encoding == TextEncoding::utf8_bom ? "le fichier se déclare UTF-8 (BOM)"
                                                                                   : "le fichier est en UTF-8") +
                                " mais l’octet " + hex_byte(bad) + " à la ligne " + line +
                                " n’en est pas : il est abîmé ou mêle deux encodages ; " + std::string(kSaveAs),
                            "l’octet " + hex_byte(bad) + " n’est pas de l’UTF-8, dans un fichier UTF-8",
                            "csv.encoding.invalid_utf8");
  }
  decoded.encoding = TextEncoding::windows1252;
  decoded.text.reserve(bytes.size() + bytes.size() / 8);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (c < 0x80) {
      decoded.text.push_back(static_cast<char>(c));
    } else if (c >= 0xA0) {
      append_utf8(decoded.text, c);
    } else if (const char32_t point = kCp1252High[c - 0x80]; point != 0) {
      append_utf8(decoded.text, point);
    } else {
      const auto line = std::to_string(line_at(bytes, i));
      return encoding_refused(line_at(bytes, i), hex_byte(c),
                              "le fichier n’est ni en UTF-8 ni en Windows-1252 (octet " + hex_byte(c) + " à la ligne " +
                                  line + ") : " + std::string(kSaveAs),
                              "l’octet " + hex_byte(c) + " n’existe ni en UTF-8 ni en Windows-1252",
                              "csv.encoding.unknown");
    }
  }
  return decoded;
}

std::string fold_header(std::string_view name) {
  std::string plain;
  int depth = 0;
  for (std::size_t i = 0; i < name.size();) {
    const std::string_view rest = name.substr(i);
    if (name[i] == '(') {
      ++depth;
      ++i;
    } else if (name[i] == ')') {
      depth = std::max(0, depth - 1);
      ++i;
    } else if (depth > 0) {
      ++i;
    } else if (rest.starts_with("\xE2\x82\xAC") || rest.starts_with("\xE2\x80\x99") ||
               rest.starts_with("\xE2\x80\xAF")) {
      plain.push_back(' ');  // €, ’ and the narrow NBSP
      i += 3;
    } else if (rest.starts_with("\xC2\xA0")) {
      plain.push_back(' ');
      i += 2;
    } else {
      plain.push_back(name[i++]);
    }
  }
  std::string out;
  for (const char c : fold_for_search(plain)) {
    const bool gap = c == ' ' || c == '-' || c == '_' || c == '\t' || c == '\'';
    if (gap) {
      if (!out.empty() && out.back() != '_') out.push_back('_');
    } else {
      out.push_back(c);
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

std::string spreadsheet_number(std::string_view text, bool euro) {
  std::string_view v = trim_blanks(text);
  if (euro) {
    if (v.starts_with("\xE2\x82\xAC")) v = trim_blanks(v.substr(3));
    else if (v.ends_with("\xE2\x82\xAC")) v = trim_blanks(v.substr(0, v.size() - 3));
  }
  // [sign] groups of digits separated by single blanks, then the decimal part.
  std::size_t i = 0;
  std::string out;
  if (i < v.size() && (v[i] == '-' || v[i] == '+')) out.push_back(v[i++]);
  std::vector<std::size_t> groups;
  std::size_t digits = 0;
  while (i < v.size()) {
    if (v[i] >= '0' && v[i] <= '9') {
      out.push_back(v[i++]);
      ++digits;
    } else if (const auto n = blank_at(v, i); n != 0 && digits > 0) {
      groups.push_back(digits);
      digits = 0;
      i += n;
    } else {
      break;
    }
  }
  groups.push_back(digits);
  const bool grouped = groups.size() > 1 && groups.front() >= 1 && groups.front() <= 3 &&
                       std::all_of(groups.begin() + 1, groups.end(), [](std::size_t g) { return g == 3; });
  if (groups.size() > 1 && !grouped) return std::string(v);
  out.append(v.substr(i));
  return out;
}

std::string trim_spaces(std::string_view text) { return std::string(trim_blanks(text)); }

std::string quoted_value(std::string_view value) {
  std::string out;
  std::size_t points = 0;
  for (const char byte : value) {
    if ((static_cast<unsigned char>(byte) & 0xC0U) != 0x80U && ++points > 80) return out + "…";
    out.push_back(byte);
  }
  return out;
}

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
