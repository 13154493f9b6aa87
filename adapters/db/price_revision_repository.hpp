#pragma once
// Storage of price revision (schema/0019_price_revision.sql): index values by month, a
// lot's price form, the revisions of an awarded lot and each member contract's price from
// them. Session-level functions for the use cases (usecases/price_revision.cpp); they only
// load and save.
#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/price_revision.hpp"

namespace canopee::db {

struct IndexPoint {
  std::string code;
  YearMonth month;
  std::int64_t value = 0;  // 1/10,000
  std::string source;      // typed, csv
  std::string loaded_at;   // RFC 3339
};

std::optional<std::int64_t> load_index_value(soci::session& sql, const std::string& code, YearMonth month);
// Every value of `code` by month, or of every index (code empty) by code then month.
std::vector<IndexPoint> load_index_series(soci::session& sql, const std::string& code);
// Inserts the value or corrects the one stored; returns the value before (none: new).
std::optional<std::int64_t> save_index_value(soci::session& sql, const IndexPoint& point);

std::optional<PriceTerms> load_price_terms(soci::session& sql, std::int64_t lot_id);
void save_price_terms(soci::session& sql, std::int64_t lot_id, const PriceTerms& terms);
// The version of the lot's price form (If-Match on it): 1 is the firm price of a lot without
// one, never stored; the first form stored is version 2.
std::int64_t load_price_terms_version(soci::session& sql, std::int64_t lot_id);

struct ContractPrice {
  std::int64_t contract_id = 0;
  std::int64_t member_id = 0;
  UnitPrice base_price;  // contracts.unit_price
  UnitPrice unit_price;  // from the revision
  std::string explanation;
};

struct StoredRevision {
  std::int64_t id = 0;
  std::int64_t lot_id = 0;
  std::string index_code;
  YearMonth base_month;
  Revision revision;
  std::string explanation;  // explain_coefficient
  std::string recorded_at;
  std::optional<std::int64_t> recorded_by;
  std::vector<ContractPrice> contracts;
};

std::int64_t insert_revision(soci::session& sql, std::int64_t lot_id, const PriceTerms& terms, const Revision& revision,
                             const std::string& recorded_at, std::optional<std::int64_t> recorded_by);
void insert_contract_price(soci::session& sql, std::int64_t revision_id, const ContractPrice& price);
// The revisions of a lot by date, each with its contracts' prices.
std::vector<StoredRevision> load_revisions(soci::session& sql, std::int64_t lot_id);

// A contract as price revision needs it.
struct ContractBase {
  std::int64_t id = 0;
  std::int64_t lot_id = 0;
  std::int64_t member_id = 0;
  UnitPrice unit_price;
};
std::optional<ContractBase> load_contract_base(soci::session& sql, std::int64_t contract_id);
std::vector<ContractBase> load_lot_contract_bases(soci::session& sql, std::int64_t lot_id);

// The price of `contract_id` from the latest revision dated on or before `day`, if any.
struct RevisedPrice {
  std::int64_t revision_id = 0;
  UnitPrice unit_price;
  std::string explanation;
};
std::optional<RevisedPrice> load_price_on(soci::session& sql, std::int64_t contract_id, Date day);

}  // namespace canopee::db
