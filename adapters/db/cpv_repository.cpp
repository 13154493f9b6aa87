#include "adapters/db/cpv_repository.hpp"

#include <soci/soci.h>

#include "adapters/clock.hpp"
#include "adapters/db/unit_of_work.hpp"
#include "adapters/formats/csv.hpp"

namespace canopee::db {
namespace {

constexpr std::string_view kDeleteAll = "DELETE FROM cpv_codes";
constexpr std::string_view kInsert =
    "INSERT INTO cpv_codes (code, label, imported_at) VALUES (:code, :label, :imported_at)";
constexpr std::string_view kSelectAll = "SELECT code, label FROM cpv_codes ORDER BY code";

constexpr std::size_t kMaxErrors = 100;

}  // namespace

Result<CpvImportReport> import_cpv_csv(Database& database, std::string_view csv) {
  auto table = formats::parse_csv(csv, ',');
  if (!table) return std::move(table).error();
  const auto code_column = formats::column_index(*table, "CODE");
  auto label_column = formats::column_index(*table, "FR");
  for (const char* alternative : {"LABEL", "LIBELLE"}) {
    if (label_column == static_cast<std::size_t>(-1)) label_column = formats::column_index(*table, alternative);
  }
  if (code_column == static_cast<std::size_t>(-1) || label_column == static_cast<std::size_t>(-1)) {
    return Error::invalid("header", "le CSV doit avoir une colonne CODE et une colonne FR (libellé français)",
                          "cpv_import.header");
  }

  CpvNomenclature parsed;
  std::vector<FieldError> errors;
  for (const auto& row : table->rows) {
    const auto status = parsed.add(row.fields[code_column], row.fields[label_column]);
    if (!status && errors.size() < kMaxErrors) {
      for (const auto& f : status.error().fields) {
        errors.push_back({"line " + std::to_string(row.line) + "." + f.field, f.message, f.code});
      }
    }
  }
  if (!errors.empty())
    return Error{ErrorCode::invalid, "le fichier CPV a des lignes invalides ; rien n’a été importé", errors,
                 "cpv_import.invalid_rows"};
  if (parsed.size() == 0) return Error::invalid("file", "ne contient aucun code CPV", "cpv_import.empty");

  auto connection = database.acquire();
  if (!connection) return std::move(connection).error();
  try {
    soci::session& sql = connection->sql();
    soci::transaction tx(sql);
    sql << kDeleteAll;
    const std::string now = utc_timestamp_now();
    std::string code;
    std::string label;
    soci::statement insert = (sql.prepare << kInsert, soci::use(code), soci::use(label), soci::use(now));
    for (const auto& entry : parsed.entries()) {
      code = to_string(entry.code);
      label = entry.label;
      insert.execute(true);
    }
    tx.commit();
  } catch (const std::exception& e) {
    // The driver's words go to the log (map_database_error), never into the message.
    auto error = map_database_error(e, database.backend());
    if (error.code == ErrorCode::unavailable) connection->mark_suspect();
    error.message = "storing the CPV codes failed: " + error.message;
    return error;
  }
  return CpvImportReport{parsed.size()};
}

Result<CpvNomenclature> load_nomenclature(Database& database) {
  auto nomenclature = CpvNomenclature::starter();
  auto connection = database.acquire();
  if (!connection) return std::move(connection).error();
  try {
    CpvNomenclature imported;
    soci::rowset<soci::row> rows = (connection->sql().prepare << kSelectAll);
    for (const auto& row : rows) {
      // Rows were validated on import; a bad one (edited by hand) is skipped, not fatal.
      [[maybe_unused]] auto status = imported.add(row.get<std::string>(0), row.get<std::string>(1));
    }
    nomenclature.merge(imported);
  } catch (const std::exception& e) {
    // The driver's words go to the log (map_database_error), never into the message.
    auto error = map_database_error(e, database.backend());
    if (error.code == ErrorCode::unavailable) connection->mark_suspect();
    error.message = "loading the CPV codes failed: " + error.message;
    return error;
  }
  return nomenclature;
}

}  // namespace canopee::db
