#pragma once
// The realised view of the savings report (issue 18 item 6): the savings the members'
// delivered order lines realised against their reference prices (engine/
// realised_savings.hpp), by member, CPV division and month of delivery, and beside
// each member the savings projected at award for the same lots — the frozen savings
// lines of the savings report (usecases/reports.hpp: reference × volume − awarded
// price × volume, on the contract basis), read, not computed again.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "adapters/db/database.hpp"
#include "adapters/formats/table.hpp"
#include "engine/cpv.hpp"
#include "engine/realised_savings.hpp"

namespace canopee::usecases {

struct RealisedFilter {
  std::optional<Date> from, to;  // on the day of delivery, inclusive
  std::optional<std::int64_t> member_id;
};

struct RealisedLineRow {
  std::int64_t member_id = 0;
  std::string member_name;
  YearMonth month;
  std::uint32_t cpv_division = 0;
  std::string category;  // the division's French label
  RealisedFigures figures;
};
struct RealisedMemberRow {
  std::int64_t member_id = 0;
  std::string member_name;
  Amount projected;  // at award, same lots, contract basis
  RealisedFigures figures;
};
struct RealisedCategoryRow {
  std::uint32_t cpv_division = 0;
  std::string category;
  RealisedFigures figures;
};
struct RealisedMonthRow {
  YearMonth month;
  RealisedFigures figures;
};

struct RealisedReport {
  RealisedFilter filter;
  std::vector<RealisedLineRow> lines;  // by member, month, division
  std::vector<RealisedMemberRow> by_member;
  std::vector<RealisedCategoryRow> by_category;
  std::vector<RealisedMonthRow> by_month;
  RealisedFigures totals;
  Amount projected;  // Σ by_member.projected
};

// The method in French, for the answer and the files.
extern const char* const kRealisedMethod;

// Invalid `report.period.reversed` when `to` precedes `from`.
Result<RealisedReport> realised_savings(db::Database& database, const CpvNomenclature& cpv,
                                        const RealisedFilter& filter);

boost::json::value realised_json(const RealisedReport& report);
formats::Table realised_table(const RealisedReport& report);

}  // namespace canopee::usecases
