#pragma once
// Responsible-purchasing (SPASER) figures per member and calendar year (issue 19 item
// 10, engine/spaser.hpp), and the reservation of a draft tender (L2113-12, L2113-13,
// L2113-15).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "adapters/db/actor.hpp"
#include "adapters/db/database.hpp"
#include "adapters/formats/table.hpp"
#include "engine/spaser.hpp"

namespace canopee::usecases {

struct SpaserFilter {
  std::optional<int> year;
  std::optional<std::int64_t> member_id;
};

struct SpaserRow {
  SpaserYear figures;
  std::string member_name;
};

struct SpaserReport {
  SpaserFilter filter;
  Amount threshold;  // the setting spaser_threshold, 50 M€ HT by default
  std::vector<SpaserRow> rows;
};

extern const char* const kSpaserMethod;

Result<SpaserReport> spaser_report(db::Database& database, const SpaserFilter& filter);
boost::json::value spaser_json(const SpaserReport& report);
formats::Table spaser_table(const SpaserReport& report);

struct TenderReservation {
  std::int64_t tender_id = 0;
  Reservation reserved = Reservation::none;
  std::int64_t version = 1;
};
// Not found tender.not_found; conflict tender.not_draft once published; stale
// tender.stale when `version` is not the tender's.
Result<TenderReservation> set_tender_reservation(db::Database& database, const db::Actor& actor, std::int64_t tender_id,
                                                 Reservation reserved, std::optional<std::int64_t> version);
Result<TenderReservation> tender_reservation(db::Database& database, std::int64_t tender_id);

}  // namespace canopee::usecases
