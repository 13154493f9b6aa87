#pragma once
// The French finance tables, one place for the API (CSV, XLSX) and the command line:
// the savings report ("Gains achats") and a tender's allocation ("Répartition"),
// each with its columns, its cells and the notes that explain them.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/formats/table.hpp"
#include "engine/allocation.hpp"
#include "engine/report.hpp"
#include "engine/tender.hpp"
#include "usecases/reports.hpp"

namespace canopee::reports {

formats::Table savings_table(const SavingsReport& report, const SavingsParameters& p);

// The « Méthode » sheet of the savings report: every rule and parameter it used, in French.
std::vector<std::pair<std::string, std::string>> savings_method_notes(const SavingsReport& report,
                                                                      const SavingsParameters& p);

// One row per member (only `member_id`'s when given: a member's finance user), then the totals.
formats::Table allocation_table(const Tender& tender, const TenderAllocation& allocation, FairMethod method,
                                std::optional<std::int64_t> member_id);

}  // namespace canopee::reports
