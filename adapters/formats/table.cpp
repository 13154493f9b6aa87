#include "adapters/formats/table.hpp"

#include <xlsxwriter.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "adapters/formats/csv.hpp"
#include "engine/date.hpp"
#include "engine/money.hpp"

namespace canopee::formats {
namespace {

int scale_of(CellKind kind) {
  switch (kind) {
    case CellKind::money:
    case CellKind::percent: return 2;
    case CellKind::quantity: return 3;
    case CellKind::price: return 4;
    default: return 0;
  }
}

const char* number_format(CellKind kind) {
  switch (kind) {
    case CellKind::money: return R"(#,##0.00\ "€")";
    case CellKind::percent: return R"(0.00\ "%")";
    case CellKind::quantity: return "#,##0.###";
    case CellKind::price: return R"(#,##0.0000\ "€")";
    case CellKind::date: return "dd/mm/yyyy";
    default: return "0";
  }
}

}  // namespace

std::string cell_text(const Cell& cell, CellKind kind, char decimal_point) {
  if (const auto* text = std::get_if<std::string>(&cell)) return *text;
  const auto value = std::get<std::int64_t>(cell);
  if (kind == CellKind::text || kind == CellKind::integer) return std::to_string(value);
  if (kind == CellKind::date) return to_french(Date{static_cast<std::int32_t>(value)});
  const int scale = scale_of(kind);
  std::string out = format_decimal(value, scale, kind == CellKind::quantity ? 0 : scale);
  if (decimal_point != '.') {
    for (auto& c : out) {
      if (c == '.') c = decimal_point;
    }
  }
  return out;
}

std::string csv_head(const Table& table, CsvDialect dialect) {
  const char separator = dialect == CsvDialect::french ? ';' : ',';
  std::string out = dialect == CsvDialect::french ? "\xEF\xBB\xBF" : "";
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    if (i) out.push_back(separator);
    out += csv_text_field(table.columns[i].header, separator);
  }
  out += "\r\n";
  return out;
}

std::string csv_rows(const Table& table, CsvDialect dialect) {
  const char separator = dialect == CsvDialect::french ? ';' : ',';
  const char point = dialect == CsvDialect::french ? ',' : '.';
  std::string out;
  // Text cells (names, labels, references: what users typed) are neutralised
  // against formula injection; numbers are written plain, negative ones included.
  for (const auto* rows : {&table.rows, &table.totals}) {
    for (const auto& row : *rows) {
      for (std::size_t i = 0; i < row.size() && i < table.columns.size(); ++i) {
        if (i) out.push_back(separator);
        if (const auto* text = std::get_if<std::string>(&row[i])) {
          out += csv_text_field(*text, separator);
        } else {
          out += csv_field(cell_text(row[i], table.columns[i].kind, point), separator);
        }
      }
      out += "\r\n";
    }
  }
  return out;
}

std::string to_csv(const Table& table, CsvDialect dialect) {
  return csv_head(table, dialect) + csv_rows(table, dialect);
}

Result<std::string> to_xlsx(const Table& table) {
  std::random_device random;
  const auto path = std::filesystem::temp_directory_path() /
                    ("canopee-" + std::to_string(random()) + std::to_string(random()) + ".xlsx");
  const std::string file = path.string();
  lxw_workbook* workbook = workbook_new(file.c_str());
  if (workbook == nullptr)
    return Error::of(ErrorCode::unavailable, "impossible de créer le classeur", "export.xlsx_failed");
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, table.title.substr(0, 31).c_str());
  lxw_format* header = workbook_add_format(workbook);
  format_set_bold(header);
  format_set_bottom(header, LXW_BORDER_THIN);
  std::vector<lxw_format*> formats;
  std::vector<lxw_format*> bold_formats;
  for (const auto& c : table.columns) {
    lxw_format* f = workbook_add_format(workbook);
    lxw_format* b = workbook_add_format(workbook);
    format_set_bold(b);
    format_set_top(b, LXW_BORDER_THIN);
    if (c.kind != CellKind::text) {
      format_set_num_format(f, number_format(c.kind));
      format_set_num_format(b, number_format(c.kind));
    }
    formats.push_back(f);
    bold_formats.push_back(b);
  }
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    const auto column = static_cast<lxw_col_t>(i);
    worksheet_write_string(sheet, 0, column, table.columns[i].header.c_str(), header);
    worksheet_set_column(sheet, column, column, table.columns[i].kind == CellKind::text ? 28 : 16, nullptr);
  }
  lxw_row_t r = 1;
  const auto write_row = [&](const std::vector<Cell>& row, bool bold) {
    for (std::size_t i = 0; i < row.size() && i < table.columns.size(); ++i) {
      const auto column = static_cast<lxw_col_t>(i);
      lxw_format* f = bold ? bold_formats[i] : formats[i];
      if (const auto* text = std::get_if<std::string>(&row[i])) {
        worksheet_write_string(sheet, r, column, text->c_str(), f);
      } else if (table.columns[i].kind == CellKind::date) {
        // Spreadsheets count days from 1899-12-30: 1970-01-01 is day 25569.
        worksheet_write_number(sheet, r, column, static_cast<double>(std::get<std::int64_t>(row[i]) + 25569), f);
      } else if (table.columns[i].kind == CellKind::text || table.columns[i].kind == CellKind::integer) {
        worksheet_write_number(sheet, r, column, static_cast<double>(std::get<std::int64_t>(row[i])), f);
      } else {
        // The cell holds the exact decimal: the nearest double to it, which
        // spreadsheets print back as the same decimal (15 significant digits).
        worksheet_write_number(sheet, r, column, std::stod(cell_text(row[i], table.columns[i].kind, '.')), f);
      }
    }
    ++r;
  };
  for (const auto& row : table.rows) write_row(row, false);
  for (const auto& row : table.totals) write_row(row, true);
  worksheet_freeze_panes(sheet, 1, 0);

  lxw_worksheet* notes = workbook_add_worksheet(workbook, table.notes_title.c_str());
  worksheet_set_column(notes, 0, 0, 30, nullptr);
  worksheet_set_column(notes, 1, 1, 100, nullptr);
  lxw_row_t n = 0;
  for (const auto& [label, text] : table.notes) {
    worksheet_write_string(notes, n, 0, label.c_str(), header);
    worksheet_write_string(notes, n, 1, text.c_str(), nullptr);
    ++n;
  }
  if (workbook_close(workbook) != LXW_NO_ERROR) {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
    return Error::of(ErrorCode::unavailable, "l’écriture du classeur a échoué", "export.xlsx_failed");
  }
  std::ifstream in(file, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  std::error_code ignored;
  std::filesystem::remove(path, ignored);
  return bytes.str();
}

}  // namespace canopee::formats
