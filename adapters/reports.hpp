#pragma once
// Reports and exports assembled from storage, for the API and the command line
// alike: the savings report (and its table), OCDS, DECP and the DQE.
#include <boost/json/value.hpp>

#include <optional>
#include <string>

#include "adapters/db/database.hpp"
#include "adapters/formats/table.hpp"
#include "engine/allocation.hpp"
#include "engine/cpv.hpp"
#include "engine/report.hpp"

namespace canopee::reports {

struct SavingsParameters {
  Date from;
  Date to;
  ReportGroup group = ReportGroup::member;
  ReportBasis basis = ReportBasis::contract;
  std::optional<std::int64_t> member_id;
};

Result<SavingsReport> savings_report(db::Database& database, const CpvNomenclature& cpv, const SavingsParameters& p);
boost::json::value savings_json(const SavingsReport& report, const SavingsParameters& p);
formats::Table savings_table(const SavingsReport& report, const SavingsParameters& p);

Result<boost::json::value> ocds(db::Database& database, std::int64_t tender_id, const std::string& ocid_prefix,
                                const std::string& base_uri, const std::string& now);
Result<boost::json::value> decp(db::Database& database, Date from, Date to, std::optional<std::int64_t> member_id,
                                const std::string& published_on);
// A tender's allocation (engine/allocation.hpp) from its stored winners, savings
// lines and shared-cost splits.
Result<TenderAllocation> tender_allocation(db::Database& database, const Tender& tender, FairMethod method);

// One lot's schedule, or every lot's when lot_id is none.
Result<formats::Table> dqe(db::Database& database, std::int64_t tender_id, std::optional<std::int64_t> lot_id);

}  // namespace canopee::reports
