#pragma once
// A table of typed cells, written as CSV (French spreadsheets: UTF-8 with BOM,
// ';' and decimal commas; or RFC 4180: ',' and decimal points) or as XLSX (euro
// number formats, a bold header and totals row, and a second sheet describing the
// method and parameters). The same exact decimals in every format.
#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "engine/result.hpp"

namespace canopee::formats {

// `date`: days since 1970-01-01 (engine/date.hpp), written JJ/MM/AAAA in CSV and as a
// date in XLSX.
enum class CellKind : std::uint8_t { text, integer, money, percent, quantity, price, date };

struct Column {
  std::string header;
  CellKind kind = CellKind::text;
};

// text, or an integer in the kind's minor units (cents, basis points, thousandths,
// ten-thousandths; plain for integer).
using Cell = std::variant<std::string, std::int64_t>;

struct Table {
  std::string title;  // the XLSX sheet name (31 characters at most)
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;
  std::vector<std::vector<Cell>> totals;                   // written after the rows, in bold
  std::vector<std::pair<std::string, std::string>> notes;  // the second sheet: label, text
  std::string notes_title = "Méthode";                     // that sheet's name
};

enum class CsvDialect : std::uint8_t { french, rfc4180 };

std::string to_csv(const Table& table, CsvDialect dialect);
// The same file in pieces, for a body sent as it is produced: the head (the BOM of the
// French dialect and the header line), then the rows and totals of each table holding the
// next rows (its columns as the head's). to_csv is the head followed by the table's rows.
std::string csv_head(const Table& table, CsvDialect dialect);
std::string csv_rows(const Table& table, CsvDialect dialect);
// The XLSX file's bytes.
Result<std::string> to_xlsx(const Table& table);

// The cell as the CSV writes it (decimal point or comma).
std::string cell_text(const Cell& cell, CellKind kind, char decimal_point);

inline constexpr std::string_view kXlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
inline constexpr std::string_view kCsvType = "text/csv; charset=utf-8";

}  // namespace canopee::formats
