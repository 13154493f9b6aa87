#pragma once
// Reports and exports assembled from storage, for the API and the command line
// alike: the savings report, OCDS, DECP and the DQE (the finance tables are in
// usecases/finance_tables.hpp).
#include <boost/json/value.hpp>

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "adapters/db/database.hpp"
#include "adapters/formats/open_data.hpp"
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

Result<boost::json::value> ocds(db::Database& database, std::int64_t tender_id, const std::string& ocid_prefix,
                                const std::string& base_uri, const std::string& now);
// The DECP of the contracts notified from `from` to `to` (dateNotification), with those
// left out because their record could not validate (formats::DecpExclusion).
Result<formats::DecpExport> decp(db::Database& database, Date from, Date to, std::optional<std::int64_t> member_id,
                                 const std::string& published_on);
// Allocations already computed, one per tender and method, each kept with every
// input it was computed from (lots and their members' quantities, winning bids
// and their tiers, savings lines, cost splits — all integers). An entry serves
// only when the inputs read now are the same, so an award or a cost changed on
// any replica is seen at once; nothing needs invalidating. Thread-safe, bounded.
class AllocationCache {
 public:
  explicit AllocationCache(std::size_t capacity = 256) : capacity_(capacity) {}
  std::optional<TenderAllocation> find(const std::vector<std::int64_t>& inputs) const;
  void remember(const std::vector<std::int64_t>& inputs, const TenderAllocation& allocation);
  std::uint64_t hits() const;

 private:
  struct Entry {
    std::vector<std::int64_t> inputs;
    TenderAllocation allocation;
    std::uint64_t used = 0;
  };
  mutable std::mutex mutex_;
  std::size_t capacity_;
  mutable std::uint64_t clock_ = 0;
  mutable std::uint64_t hits_ = 0;
  mutable std::map<std::pair<std::int64_t, std::int64_t>, Entry> entries_;  // (tender, method)
};

// A tender's allocation (engine/allocation.hpp) from its stored winners, savings
// lines and shared-cost splits; computed again only when they changed, with a cache.
Result<TenderAllocation> tender_allocation(db::Database& database, const Tender& tender, FairMethod method,
                                           AllocationCache* cache = nullptr);

// One lot's schedule, or every lot's when lot_id is none.
Result<formats::Table> dqe(db::Database& database, std::int64_t tender_id, std::optional<std::int64_t> lot_id);

}  // namespace canopee::reports
