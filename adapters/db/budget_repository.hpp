#pragma once
// Storage of the members' budget and accounting codes, the codes of needs, and the
// reads of the finance exports by code and of the SPASER figures
// (schema/0024_budget_codes.sql). Session-level functions for usecases/budget.cpp
// and usecases/spaser.cpp; they load and save.
#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/budget.hpp"
#include "engine/date.hpp"
#include "engine/orders.hpp"
#include "engine/spaser.hpp"

namespace canopee::db {

// The codes of one member (or of every member), by member, kind and code.
std::vector<BudgetCode> list_budget_codes(soci::session& sql, std::optional<std::int64_t> member_id);
std::optional<BudgetCode> load_budget_code(soci::session& sql, std::int64_t id);
// Whether the member already has that code of that kind.
bool budget_code_exists(soci::session& sql, std::int64_t member_id, BudgetCodeKind kind, const std::string& code);
// Gives the code its id and version 1.
void insert_budget_code(soci::session& sql, BudgetCode& code);
// Label and active flag on the version read; false when it changed meanwhile.
bool save_budget_code(soci::session& sql, const BudgetCode& code);

struct NeedCodes {
  std::optional<std::string> nature, analytic;
};
// The member of a need, none when there is no such need.
std::optional<std::int64_t> need_member(soci::session& sql, std::int64_t need_id);
NeedCodes load_need_codes(soci::session& sql, std::int64_t need_id);
void save_need_codes(soci::session& sql, std::int64_t need_id, const NeedCodes& codes);
// The codes of the member's needs pooled into the lot, one per need (none for an uncoded one).
std::vector<NeedCodes> lot_need_codes(soci::session& sql, std::int64_t lot_id, std::int64_t member_id);

// Every line of an order sent (not a draft, not cancelled), for the exports by code.
struct CodedLine {
  std::int64_t contract_id = 0;
  std::int64_t member_id = 0;
  OrderStatus status = OrderStatus::sent;
  std::optional<Date> sent_on, invoiced_on, paid_on;
  std::optional<std::string> nature, analytic;
  Amount amount;
  std::int64_t vat_rate_bp = 2000;  // the lot's (schema/0021)
};
std::vector<CodedLine> coded_lines(soci::session& sql, std::optional<std::int64_t> member_id);

// Every contract of a framework's member with what identifies it to finance.
struct ContractFacts {
  std::int64_t contract_id = 0;
  std::int64_t member_id = 0;
  std::string tender_reference;
  int lot_number = 0;
  std::string lot_title;
  std::string supplier;
  Amount amount;                    // HT, as awarded
  std::int64_t vat_rate_bp = 2000;  // the lot's
};
std::vector<ContractFacts> member_contracts(soci::session& sql, std::optional<std::int64_t> member_id);

// Every contract as the SPASER figures count it.
std::vector<SpaserContract> spaser_contracts(soci::session& sql, std::optional<std::int64_t> member_id);
// The setting `spaser_threshold` (euros HT), the default when absent or malformed.
Amount spaser_threshold(soci::session& sql);

}  // namespace canopee::db
