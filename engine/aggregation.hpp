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
#include <string_view>
#include <unordered_map>
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

// What pooling reads of one need, and nothing else (64 bytes): a large proposal
// streams the database's rows into these instead of holding whole needs (titles,
// descriptions) — issue 21 item 3.
struct PoolableNeed {
  std::int64_t id = 0;
  std::int64_t member_id = 0;
  std::int64_t version = 1;
  Quantity quantity;  // yearly when recurring
  UnitPrice reference_unit_price;
  std::uint32_t cpv_digits = 0;
  Date period_start;
  Date period_end;
  std::uint32_t attribute_begin = 0;  // its attributes: PoolableNeeds::attributes[begin, begin + count)
  std::uint16_t attribute_count = 0;
  Department department;
  Unit unit = Unit::u;
  bool recurring = false;
};
static_assert(sizeof(PoolableNeed) == 64);

// The compact input of propose_aggregation: the needs, their attributes as pairs
// of numbered strings (name in the high half, value in the low half), each
// distinct string once, and a fingerprint of the (id, version) pairs added in
// order — what tells a later page that the needs changed.
class PoolableNeeds {
 public:
  PoolableNeeds() = default;
  explicit PoolableNeeds(std::span<const Need> needs);

  // Appends a need (its attributes, if any, given right after by add_attribute).
  void add(const PoolableNeed& need);
  void add(const Need& need);
  // An attribute of the need last added; a need's attributes are given together.
  void add_attribute(std::string_view name, std::string_view value);
  // An attribute of needs()[index], the attributes of one need given together and
  // needs in increasing index (as the rows of an ordered query come).
  void add_attribute(std::size_t index, std::string_view name, std::string_view value);
  // Keeps the needs for which `keep` is true (attributes stay where they are).
  template <class Keep>
  void keep_if(Keep keep) {
    std::size_t out = 0;
    for (const auto& n : needs_) {
      if (keep(n)) needs_[out++] = n;
    }
    needs_.resize(out);
  }

  std::span<const PoolableNeed> needs() const { return needs_; }
  std::size_t size() const { return needs_.size(); }
  std::span<const std::uint64_t> attributes_of(const PoolableNeed& need) const {
    return {attributes_.data() + need.attribute_begin, need.attribute_count};
  }
  const std::vector<std::string>& strings() const { return strings_; }
  std::uint64_t fingerprint() const { return fingerprint_; }
  // Bytes held (capacity included), for the benchmark's accounting.
  std::size_t memory_bytes() const;

 private:
  std::uint32_t intern(std::string_view text);
  std::vector<PoolableNeed> needs_;
  std::vector<std::uint64_t> attributes_;
  std::vector<std::string> strings_;
  std::unordered_map<std::string, std::uint32_t> string_ids_;
  std::uint64_t fingerprint_ = 0xcbf29ce484222325ULL;
};

bool matches(const AggregationFilter& filter, const PoolableNeed& need);

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
  std::uint32_t detail = 0;  // its explanation: Proposal::details[detail] (shared, not one string a need)
};

struct Family {
  std::uint32_t cpv_digits = 0;  // the family's CPV prefix
  Amount estimated_value;
};

struct Proposal {
  std::vector<ProposedLot> lots;      // by CPV, département, unit dimension, attributes
  std::vector<NotPooled> not_pooled;  // by need id
  std::vector<std::string> details;   // the distinct explanations of not_pooled
  Amount estimated_total;             // all lots (R2121-1)
  std::vector<Family> families;       // by CPV prefix

  const std::string& detail_of(const NotPooled& n) const { return details[n.detail]; }
};

Status validate_options(const AggregationOptions& options);

// Deterministic: the same needs in any order give the same proposal. Need ids
// must be unique.
Result<Proposal> propose_aggregation(std::span<const Need> needs, const AggregationOptions& options);
Result<Proposal> propose_pooling(const PoolableNeeds& needs, const AggregationOptions& options);

}  // namespace canopee
