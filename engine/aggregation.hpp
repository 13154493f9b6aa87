#pragma once
// Pooling needs into candidate lots (design.md §2 step 2).
//
// Needs are compatible — one lot — when they share the grouping key (CPV code
// kept to the chosen depth, and the département when splitting by it), their
// units have the same dimension (converted exactly to the finest unit present),
// no attribute takes two values among them, and their period overlaps the
// contract period. A group with fewer members than `min_members` is reported in
// `not_pooled` with the reason, never dropped.
//
// Quantities in a proposal are over the whole contract: a recurring need (yearly
// quantity) counts duration/12 times — 4 times over 48 months — a one-off need once.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/cpv.hpp"
#include "engine/date.hpp"
#include "engine/department.hpp"
#include "engine/money.hpp"
#include "engine/need.hpp"
#include "engine/result.hpp"
#include "engine/units.hpp"

namespace canopee {

enum class PurchaseKind : std::uint8_t { supplies, services, works };
std::string_view to_string(PurchaseKind kind);
Result<PurchaseKind> parse_purchase_kind(std::string_view text, std::string_view field);

// Which submitted needs to consider (applied by the caller's query, and here).
struct AggregationFilter {
  std::string cpv_prefix;                // leading digits of the code, may be empty
  std::vector<Department> departments;   // empty: all
  std::vector<std::int64_t> member_ids;  // empty: all
  std::optional<Date> from;              // the need's period overlaps [from, to]
  std::optional<Date> to;
};
bool matches(const AggregationFilter& filter, const Need& need);

struct AggregationOptions {
  CpvDepth cpv_depth = CpvDepth::code;
  bool split_by_department = false;
  PurchaseKind kind = PurchaseKind::supplies;
  std::optional<Date> contract_start;        // when absent, periods are not checked
  int duration_months = 12;                  // 1–120
  int min_members = 2;                       // 2–1000
  CpvDepth family_depth = CpvDepth::class_;  // homogeneous family (R2121-6)
};

struct LotMember {
  std::int64_t member_id = 0;
  Quantity quantity;               // in the lot's unit, over the contract
  UnitPrice reference_unit_price;  // reference_value / quantity, to 1/10,000 €
  Amount reference_value;          // Σ need quantity × its reference unit price
  // The part of quantity and reference_value that comes from one-off needs (the rest
  // recurs): the savings report never annualises that part (issue 19 item 1).
  Quantity one_off_quantity{};
  Amount one_off_reference_value{};
  std::uint32_t need_begin = 0;  // its needs: lot.need_ids[need_begin, need_begin + need_count)
  std::uint32_t need_count = 0;
};

struct ProposedLot {
  std::string key;               // stable and readable: "44810000-l-02[colour=blanc]"
  std::uint32_t cpv_digits = 0;  // the grouping code (a prefix at coarser depths)
  Unit unit = Unit::u;
  std::optional<Department> department;  // when split by département
  std::vector<Attribute> attributes;     // what sets this lot apart from its siblings
  Quantity quantity;
  Amount estimated_value;
  std::vector<LotMember> members;           // by member id
  std::vector<std::int64_t> need_ids;       // member by member, ascending within each
  std::vector<std::int64_t> need_versions;  // each need's version as read, parallel to need_ids

  // The ids of one member's needs in this lot (one flat list per lot keeps a
  // million-need proposal from making a million small allocations).
  std::span<const std::int64_t> need_ids_of(const LotMember& member) const {
    return {need_ids.data() + member.need_begin, member.need_count};
  }
};

enum class NotPooledReason : std::uint8_t { single_member, incompatible_unit, conflicting_attribute, outside_period };
std::string_view to_string(NotPooledReason reason);

struct NotPooled {
  std::int64_t need_id = 0;
  NotPooledReason reason = NotPooledReason::single_member;
  std::string detail;
};

struct Family {
  std::uint32_t cpv_digits = 0;  // the family's CPV prefix
  Amount estimated_value;
};

struct Proposal {
  std::vector<ProposedLot> lots;      // by CPV, département, unit dimension, attributes
  std::vector<NotPooled> not_pooled;  // by need id
  Amount estimated_total;             // all lots (R2121-1)
  std::vector<Family> families;       // by CPV prefix
};

Status validate_options(const AggregationOptions& options);

// Deterministic: the same needs in any order give the same proposal. Need ids
// must be unique.
Result<Proposal> propose_aggregation(std::span<const Need> needs, const AggregationOptions& options);

}  // namespace canopee
