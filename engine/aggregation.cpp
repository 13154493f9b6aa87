#include "engine/aggregation.hpp"

#include "engine/enum_names.hpp"

#include <algorithm>
#include <array>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <numeric>
#include <string_view>
#include <unordered_map>

namespace canopee {
namespace {

constexpr auto kKindNames = enum_names<PurchaseKind>("supplies", "services", "works");
constexpr auto kReasonNames = enum_names<NotPooledReason>("single_member", "incompatible_unit", "conflicting_attribute",
                                                          "outside_period");

// One need, reduced to what grouping reads, so that the grouping pass streams
// through a compact array and never goes back to the needs themselves.
struct Record {
  std::int64_t need_id;
  std::int64_t quantity;  // over the contract, thousandths of the need's own unit
  std::int64_t value;     // reference value over the contract, cents
  std::uint32_t need_index;
  std::uint16_t member_rank;  // ranks follow member ids
  Unit unit;
  bool has_attributes;  // its attributes: attribute_pool_ from attribute_begin_[need_index]
};
static_assert(sizeof(Record) == 32);

// An attribute as two ranks in the sorted list of every attribute string seen:
// name in the high half, value in the low half. Ranks follow the strings, so
// everything ordered by them is independent of the input order.
using AttributeId = std::uint64_t;
std::uint32_t name_of(AttributeId id) { return static_cast<std::uint32_t>(id >> 32); }

// Open addressing from a 64-bit key to a dense index; the key UINT64_MAX is reserved.
class DenseIndex {
 public:
  explicit DenseIndex(std::size_t expected) {
    std::size_t capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    keys_.assign(capacity, kEmpty);
    values_.assign(capacity, 0);
  }
  // The index of `key`, giving it the next one if new.
  std::uint32_t find_or_add(std::uint64_t key) {
    if ((size_ + 1) * 2 > keys_.size()) grow();
    std::size_t slot = hash(key) & (keys_.size() - 1);
    while (keys_[slot] != kEmpty) {
      if (keys_[slot] == key) return values_[slot];
      slot = (slot + 1) & (keys_.size() - 1);
    }
    keys_[slot] = key;
    values_[slot] = static_cast<std::uint32_t>(size_);
    return static_cast<std::uint32_t>(size_++);
  }

 private:
  static constexpr std::uint64_t kEmpty = UINT64_MAX;
  static std::size_t hash(std::uint64_t key) {
    key ^= key >> 33;
    key *= 0xff51afd7ed558ccdULL;
    key ^= key >> 33;
    return static_cast<std::size_t>(key);
  }
  void grow() {
    std::vector<std::uint64_t> keys(keys_.size() * 2, kEmpty);
    std::vector<std::uint32_t> values(keys.size(), 0);
    for (std::size_t i = 0; i < keys_.size(); ++i) {
      if (keys_[i] == kEmpty) continue;
      std::size_t slot = hash(keys_[i]) & (keys.size() - 1);
      while (keys[slot] != kEmpty) slot = (slot + 1) & (keys.size() - 1);
      keys[slot] = keys_[i];
      values[slot] = values_[i];
    }
    keys_ = std::move(keys);
    values_ = std::move(values);
  }
  std::vector<std::uint64_t> keys_;
  std::vector<std::uint32_t> values_;
  std::size_t size_ = 0;
};

// Group key: CPV prefix, département (0 when not split), unit dimension.
std::uint64_t group_key(std::uint32_t cpv_prefix, std::uint16_t department, Dimension dimension) {
  return (static_cast<std::uint64_t>(cpv_prefix) << 24) | (static_cast<std::uint64_t>(department) << 8) |
         static_cast<std::uint64_t>(dimension);
}
std::uint64_t primary_of(std::uint64_t key) { return key >> 8; }

// Whether two sorted attribute lists agree on every name they share.
bool compatible(std::span<const AttributeId> a, std::span<const AttributeId> b) {
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() && j < b.size()) {
    if (name_of(a[i]) < name_of(b[j])) {
      ++i;
    } else if (name_of(b[j]) < name_of(a[i])) {
      ++j;
    } else {
      if (a[i] != b[j]) return false;
      ++i;
      ++j;
    }
  }
  return true;
}

// A set of compatible needs within a group: what becomes a lot, or is reported.
struct Variant {
  std::vector<AttributeId> attributes;  // the differing attributes that set it apart
  int128 finest_quantity = 0;           // in the dimension's finest unit
  std::size_t begin = 0;                // its records in the aggregator's scratch list
  std::size_t end = 0;
};

class Aggregator {
 public:
  Aggregator(const PoolableNeeds& input, const AggregationOptions& options)
      : input_(input), needs_(input.needs()), options_(options) {}

  Result<Proposal> run() {
    if (auto status = collect(); !status) return std::move(status).error();
    rank_attribute_strings();
    order_by_group();
    for (std::size_t g = 0; g < group_count_;) {
      std::size_t end = g + 1;
      while (end < group_count_ && primary_of(group_keys_[end]) == primary_of(group_keys_[g])) ++end;
      if (auto status = pool_primary(g, end); !status) return std::move(status).error();
      g = end;
    }
    finish();
    return std::move(proposal_);
  }

 private:
  // Pass 1, sequential over the needs: one compact record per need in the
  // contract period; groups, members and attribute strings numbered.
  Status collect() {
    std::optional<Date> contract_end;
    if (options_.contract_start) {
      contract_end = add_days(add_months(*options_.contract_start, options_.duration_months), -1);
    }
    records_.reserve(needs_.size());
    group_of_.reserve(needs_.size());
    std::vector<std::int64_t> member_ids;
    DenseIndex groups(1024);
    DenseIndex members(64);
    // Attribute strings are numbered by the input; ranked below.
    strings_.assign(input_.strings().begin(), input_.strings().end());
    attribute_begin_.assign(needs_.size() + 1, 0);
    for (std::size_t i = 0; i < needs_.size(); ++i) {
      const PoolableNeed& need = needs_[i];
      // Set for every need, pooled or not, so that [begin[i], begin[i + 1]) is always a range.
      attribute_begin_[i] = static_cast<std::uint32_t>(attribute_pool_.size());
      if (contract_end && (need.period_end < *options_.contract_start || need.period_start > *contract_end)) {
        proposal_.not_pooled.push_back(
            {need.id, NotPooledReason::outside_period,
             detail("sa période " + to_string(need.period_start) + " – " + to_string(need.period_end) +
                    " ne recoupe pas la période du marché " + to_string(*options_.contract_start) + " – " +
                    to_string(*contract_end))});
        continue;
      }
      std::int64_t quantity = need.quantity.thousandths;
      if (need.recurring) {
        // quantity ≤ 1e12 and duration ≤ 120: the product fits 64 bits; halves round up.
        quantity = (quantity * options_.duration_months + 6) / 12;
      }
      auto value = line_amount(Quantity{quantity}, need.reference_unit_price);
      if (!value) {
        return Error::invalid("needs",
                              "besoin " + std::to_string(need.id) +
                                  " : sa valeur sur la durée du marché dépasse le plus grand montant pris en charge",
                              "aggregation.amount.too_large");
      }
      const std::uint16_t department = options_.split_by_department ? need.department.index : 0;
      const auto key = group_key(cpv_prefix(need.cpv_digits, options_.cpv_depth), department, dimension_of(need.unit));
      const auto group = groups.find_or_add(key);
      if (group == group_keys_.size()) {
        group_keys_.push_back(key);
        group_sizes_.push_back(0);
      }
      ++group_sizes_[group];
      const auto member = members.find_or_add(static_cast<std::uint64_t>(need.member_id));
      if (member == member_ids.size()) {
        if (member > UINT16_MAX)
          return Error::invalid("needs", "plus de 65 536 membres dans une proposition", "aggregation.members.too_many");
        member_ids.push_back(need.member_id);
      }

      const auto attributes = input_.attributes_of(need);
      attribute_pool_.insert(attribute_pool_.end(), attributes.begin(), attributes.end());
      records_.push_back({need.id, quantity, value->cents, static_cast<std::uint32_t>(i),
                          static_cast<std::uint16_t>(member), need.unit, !attributes.empty()});
      group_of_.push_back(group);
    }
    attribute_begin_[needs_.size()] = static_cast<std::uint32_t>(attribute_pool_.size());
    group_count_ = group_keys_.size();
    // Renumber members so that ranks follow member ids.
    std::vector<std::uint32_t> by_id(member_ids.size());
    std::iota(by_id.begin(), by_id.end(), 0u);
    std::sort(by_id.begin(), by_id.end(), [&](auto a, auto b) { return member_ids[a] < member_ids[b]; });
    std::vector<std::uint32_t> rank_of(member_ids.size());
    member_id_of_rank_.resize(member_ids.size());
    for (std::uint32_t r = 0; r < by_id.size(); ++r) {
      rank_of[by_id[r]] = r;
      member_id_of_rank_[r] = member_ids[by_id[r]];
    }
    for (auto& record : records_) record.member_rank = static_cast<std::uint16_t>(rank_of[record.member_rank]);
    seen_stamp_.assign(member_ids.size(), SIZE_MAX);
    return ok_status();
  }

  // Replaces first-seen numbers of attribute strings by their rank in sorted order,
  // and sorts each need's attributes by name rank.
  void rank_attribute_strings() {
    if (strings_.empty()) return;
    std::vector<std::uint32_t> order(strings_.size());
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(), [&](auto a, auto b) { return strings_[a] < strings_[b]; });
    std::vector<std::uint32_t> rank(strings_.size());
    std::vector<std::string_view> sorted(strings_.size());
    for (std::uint32_t r = 0; r < order.size(); ++r) {
      rank[order[r]] = r;
      sorted[r] = strings_[order[r]];
    }
    strings_ = std::move(sorted);
    for (auto& id : attribute_pool_) id = (static_cast<AttributeId>(rank[id >> 32]) << 32) | rank[id & 0xffffffffu];
    for (std::size_t i = 0; i < needs_.size(); ++i) {
      std::sort(attribute_pool_.begin() + attribute_begin_[i], attribute_pool_.begin() + attribute_begin_[i + 1]);
    }
  }

  // Pass 2: a counting sort of the records into group-key order (stable: each
  // group keeps the input order; pool_primary orders it by member).
  void order_by_group() {
    const std::size_t n = records_.size();
    std::vector<std::uint32_t> order(group_count_);
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(), [&](auto a, auto b) { return group_keys_[a] < group_keys_[b]; });
    std::vector<std::uint64_t> keys(group_count_);
    std::vector<std::size_t> offset_of_group(group_count_);
    group_begin_.assign(group_count_ + 1, 0);
    std::size_t offset = 0;
    for (std::size_t rank = 0; rank < group_count_; ++rank) {
      const auto g = order[rank];
      keys[rank] = group_keys_[g];
      group_begin_[rank] = offset;
      offset_of_group[g] = offset;
      offset += group_sizes_[g];
    }
    group_begin_[group_count_] = offset;
    std::unique_ptr<Record[]> sorted(new Record[n]);  // no zeroing: every slot is written below
    for (std::size_t i = 0; i < n; ++i) sorted[offset_of_group[group_of_[i]]++] = records_[i];
    std::vector<Record>().swap(records_);
    sorted_ = std::move(sorted);
    group_keys_ = std::move(keys);
    std::vector<std::uint32_t>().swap(group_of_);
  }

  // Copies one group's records into group_scratch_ ordered by member (a counting
  // sort: ranks are small and the group is in cache), then by need id where the
  // input was not already in id order.
  std::span<const Record> order_group_by_member(const Record* begin, const Record* end) {
    const auto size = static_cast<std::size_t>(end - begin);
    member_counts_.assign(member_id_of_rank_.size() + 1, 0);
    for (auto* r = begin; r != end; ++r) ++member_counts_[r->member_rank + 1];
    for (std::size_t m = 1; m < member_counts_.size(); ++m) member_counts_[m] += member_counts_[m - 1];
    group_scratch_.resize(size);
    for (auto* r = begin; r != end; ++r) group_scratch_[member_counts_[r->member_rank]++] = *r;
    const auto by_member_then_id = [](const Record& a, const Record& b) {
      return a.member_rank != b.member_rank ? a.member_rank < b.member_rank : a.need_id < b.need_id;
    };
    if (!std::is_sorted(group_scratch_.begin(), group_scratch_.end(), by_member_then_id)) {
      std::sort(group_scratch_.begin(), group_scratch_.end(), by_member_then_id);
    }
    return group_scratch_;
  }

  std::span<const AttributeId> attributes_of(const Record& r) const {
    if (!r.has_attributes) return {};
    const auto begin = attribute_begin_[r.need_index];
    return {attribute_pool_.data() + begin, attribute_begin_[r.need_index + 1] - begin};
  }

  // Splits one group into variants whose needs agree on every attribute.
  //
  // Only attributes taking several values in the group matter. Needs are placed
  // most specific first, each into the compatible variant holding the largest
  // quantity so far (the earliest on a tie), else into a new one. Needs without
  // any differing attribute fit every variant: they all go to the largest.
  void split_by_attributes(std::span<const Record> group) {
    differing_.clear();
    for (const auto& r : group) {
      const auto attributes = attributes_of(r);
      differing_.insert(differing_.end(), attributes.begin(), attributes.end());
    }
    std::sort(differing_.begin(), differing_.end());
    differing_.erase(std::unique(differing_.begin(), differing_.end()), differing_.end());
    std::size_t kept = 0;
    for (std::size_t i = 0; i < differing_.size();) {
      std::size_t j = i;
      while (j < differing_.size() && name_of(differing_[j]) == name_of(differing_[i])) ++j;
      if (j - i > 1) {
        for (std::size_t k = i; k < j; ++k) differing_[kept++] = differing_[k];
      }
      i = j;
    }
    differing_.resize(kept);

    struct Candidate {
      const Record* record;
      std::uint32_t begin;  // its differing attributes: candidate_attributes_[begin, begin + count)
      std::uint32_t count;
    };
    candidate_attributes_.clear();
    std::vector<Candidate> specific;
    std::vector<const Record*> unconstrained;
    for (const auto& r : group) {
      const auto begin = static_cast<std::uint32_t>(candidate_attributes_.size());
      for (const auto id : attributes_of(r)) {
        if (std::binary_search(differing_.begin(), differing_.end(), id)) candidate_attributes_.push_back(id);
      }
      const auto count = static_cast<std::uint32_t>(candidate_attributes_.size() - begin);
      if (count == 0) {
        unconstrained.push_back(&r);
      } else {
        specific.push_back({&r, begin, count});
      }
    }
    const auto attributes_of_candidate = [this](const Candidate& c) {
      return std::span<const AttributeId>(candidate_attributes_.data() + c.begin, c.count);
    };
    std::sort(specific.begin(), specific.end(), [&](const Candidate& a, const Candidate& b) {
      if (a.count != b.count) return a.count > b.count;
      const auto x = attributes_of_candidate(a);
      const auto y = attributes_of_candidate(b);
      const auto cmp = std::lexicographical_compare_three_way(x.begin(), x.end(), y.begin(), y.end());
      if (cmp != 0) return cmp < 0;
      if (a.record->member_rank != b.record->member_rank) return a.record->member_rank < b.record->member_rank;
      return a.record->need_id < b.record->need_id;
    });

    // Each record's variant, then a stable counting pass over the group (already
    // ordered by member and id) lays every variant out in that order.
    std::vector<Variant> placed;
    variant_of_.assign(group.size(), 0);
    const auto add = [&](std::size_t v, const Record* r) {
      placed[v].finest_quantity += static_cast<int128>(r->quantity) * finest_unit_factor(r->unit);
      variant_of_[static_cast<std::size_t>(r - group.data())] = static_cast<std::uint32_t>(v);
    };
    for (auto& c : specific) {
      const auto mine = attributes_of_candidate(c);
      std::size_t best = placed.size();
      for (std::size_t v = 0; v < placed.size(); ++v) {
        if (compatible(placed[v].attributes, mine) &&
            (best == placed.size() || placed[v].finest_quantity > placed[best].finest_quantity)) {
          best = v;
        }
      }
      if (best == placed.size()) {
        placed.push_back({std::vector<AttributeId>(mine.begin(), mine.end()), 0, 0, 0});
      } else if (!std::includes(placed[best].attributes.begin(), placed[best].attributes.end(), mine.begin(),
                                mine.end())) {
        std::vector<AttributeId> merged;
        std::set_union(placed[best].attributes.begin(), placed[best].attributes.end(), mine.begin(), mine.end(),
                       std::back_inserter(merged));
        placed[best].attributes = std::move(merged);
      }
      add(best, c.record);
    }
    if (!unconstrained.empty()) {
      if (placed.empty()) placed.push_back({});
      std::size_t largest = 0;
      for (std::size_t v = 1; v < placed.size(); ++v) {
        if (placed[v].finest_quantity > placed[largest].finest_quantity) largest = v;
      }
      for (const auto* r : unconstrained) add(largest, r);
    }
    // Variants by attributes; each one's records contiguous in scratch_.
    std::vector<std::size_t> order(placed.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](auto a, auto b) { return placed[a].attributes < placed[b].attributes; });
    std::vector<std::size_t> position(placed.size() + 1, 0);
    for (const auto v : variant_of_) ++position[v + 1];
    std::vector<std::size_t> start_of(placed.size());
    std::size_t offset = 0;
    for (const auto v : order) {
      start_of[v] = offset;
      placed[v].begin = offset;
      offset += position[v + 1];
      placed[v].end = offset;
    }
    scratch_.resize(group.size());
    for (std::size_t k = 0; k < group.size(); ++k) scratch_[start_of[variant_of_[k]]++] = &group[k];
    for (const auto v : order) variants_.push_back(std::move(placed[v]));
  }

  std::size_t distinct_members(const Variant& v) const {
    std::size_t count = 0;
    for (std::size_t i = v.begin; i < v.end; ++i) {
      if (i == v.begin || scratch_[i]->member_rank != scratch_[i - 1]->member_rank) ++count;
    }
    return count;
  }

  // Groups [first, last) share CPV prefix and département and differ by dimension.
  Status pool_primary(std::size_t first, std::size_t last) {
    ++stamp_;
    std::size_t primary_members = 0;
    for (std::size_t i = group_begin_[first]; i < group_begin_[last]; ++i) {
      auto& seen = seen_stamp_[sorted_[i].member_rank];
      if (seen != stamp_) {
        seen = stamp_;
        ++primary_members;
      }
    }
    for (std::size_t g = first; g < last; ++g) {
      const std::span<const Record> group = order_group_by_member(sorted_.get() + group_begin_[g],
                                                                  sorted_.get() + group_begin_[g + 1]);
      scratch_.clear();
      variants_.clear();
      if (std::any_of(group.begin(), group.end(), [](const Record& r) { return r.has_attributes; })) {
        split_by_attributes(group);
      } else {
        for (const auto& r : group) scratch_.push_back(&r);
        variants_.push_back({{}, 0, 0, scratch_.size()});
      }
      std::size_t group_members = 0;
      for (std::size_t i = 0; i < group.size(); ++i) {
        if (i == 0 || group[i].member_rank != group[i - 1].member_rank) ++group_members;
      }
      for (const auto& variant : variants_) {
        const auto members = distinct_members(variant);
        if (members >= static_cast<std::size_t>(options_.min_members)) {
          if (auto status = make_lot(group_keys_[g], variant, members); !status) return status;
        } else {
          report_not_pooled(variant, primary_members, group_members);
        }
      }
    }
    return ok_status();
  }

  std::string attribute_text(const std::vector<AttributeId>& attributes, std::string_view separator) const {
    std::string out;
    for (const auto id : attributes) {
      if (!out.empty()) out += separator;
      out.append(strings_[id >> 32]).append("=").append(strings_[id & 0xffffffffu]);
    }
    return out;
  }

  Status make_lot(std::uint64_t key, const Variant& variant, std::size_t member_count) {
    ProposedLot lot;
    lot.cpv_digits = static_cast<std::uint32_t>(key >> 24);
    lot.unit = scratch_[variant.begin]->unit;
    for (std::size_t i = variant.begin; i < variant.end; ++i) lot.unit = finer_unit(lot.unit, scratch_[i]->unit);
    if (options_.split_by_department) lot.department = needs_[scratch_[variant.begin]->need_index].department;
    for (const auto id : variant.attributes) {
      lot.attributes.push_back({std::string(strings_[id >> 32]), std::string(strings_[id & 0xffffffffu])});
    }
    lot.key = cpv_digits_string(lot.cpv_digits) + "-" + std::string(to_string(lot.unit));
    if (lot.department) lot.key += "-" + to_string(*lot.department);
    if (!variant.attributes.empty()) lot.key += "[" + attribute_text(variant.attributes, ",") + "]";

    const auto lot_factor = finest_unit_factor(lot.unit);
    int128 lot_quantity = 0;
    int128 lot_value = 0;
    lot.members.reserve(member_count);
    lot.need_ids.reserve(variant.end - variant.begin);
    lot.need_versions.reserve(variant.end - variant.begin);
    for (std::size_t i = variant.begin; i < variant.end;) {
      const auto rank = scratch_[i]->member_rank;
      std::size_t run = i;
      while (run < variant.end && scratch_[run]->member_rank == rank) ++run;
      LotMember member;
      member.member_id = member_id_of_rank_[rank];
      member.need_begin = static_cast<std::uint32_t>(lot.need_ids.size());
      member.need_count = static_cast<std::uint32_t>(run - i);
      int128 quantity = 0;
      int128 value = 0;
      int128 one_off_quantity = 0;
      int128 one_off_value = 0;
      for (; i < run; ++i) {
        const Record& r = *scratch_[i];
        const int128 in_lot_unit = static_cast<int128>(r.quantity) * (finest_unit_factor(r.unit) / lot_factor);
        quantity += in_lot_unit;
        value += r.value;
        if (!needs_[r.need_index].recurring) {
          one_off_quantity += in_lot_unit;
          one_off_value += r.value;
        }
        lot.need_ids.push_back(r.need_id);
        lot.need_versions.push_back(needs_[r.need_index].version);
      }
      if (quantity > static_cast<int128>(kMaxQuantity) * 1000 || value > kMaxAmount) {
        return Error::invalid("needs",
                              "lot " + lot.key + " : le total du membre " + std::to_string(member.member_id) +
                                  " dépasse la plus grande quantité ou le plus grand montant pris en charge",
                              "aggregation.amount.too_large");
      }
      member.quantity = Quantity{static_cast<std::int64_t>(quantity)};
      member.reference_value = Amount{static_cast<std::int64_t>(value)};
      member.one_off_quantity = Quantity{static_cast<std::int64_t>(one_off_quantity)};
      member.one_off_reference_value = Amount{static_cast<std::int64_t>(one_off_value)};
      member.reference_unit_price = UnitPrice{
          static_cast<std::int64_t>(divide_round_half_away(value * 100'000, quantity))};
      lot_quantity += quantity;
      lot_value += value;
      lot.members.push_back(member);
    }
    if (lot_quantity > INT64_MAX || lot_value > kMaxAmount) {
      return Error::invalid("needs", "lot " + lot.key + " : son total dépasse le plus grand montant pris en charge",
                            "aggregation.amount.too_large");
    }
    lot.quantity = Quantity{static_cast<std::int64_t>(lot_quantity)};
    lot.estimated_value = Amount{static_cast<std::int64_t>(lot_value)};
    proposal_.lots.push_back(std::move(lot));
    return ok_status();
  }

  void report_not_pooled(const Variant& variant, std::size_t primary_members, std::size_t group_members) {
    const auto min = static_cast<std::size_t>(options_.min_members);
    // The explanation is the same for every need of the variant but for the unit:
    // made once per unit, not once per need.
    std::array<std::uint32_t, 256> by_unit{};
    by_unit.fill(UINT32_MAX);
    for (std::size_t i = variant.begin; i < variant.end; ++i) {
      const PoolableNeed& need = needs_[scratch_[i]->need_index];
      NotPooled entry{need.id, NotPooledReason::single_member, 0};
      if (primary_members >= min) {
        entry.reason = group_members < min ? NotPooledReason::incompatible_unit
                                           : NotPooledReason::conflicting_attribute;
      }
      auto& made = by_unit[static_cast<std::size_t>(need.unit)];
      if (made == UINT32_MAX) {
        if (primary_members < min) {
          made = detail(
              primary_members > 1
                  ? "moins de " + std::to_string(min) + " membres ont besoin de ce CPV"
                  : "aucun autre membre n’a besoin du CPV " +
                        cpv_digits_string(cpv_prefix(need.cpv_digits, options_.cpv_depth)) +
                        (options_.split_by_department ? " dans le département " + to_string(need.department) : "") +
                        (min > 2 ? " (il faut au moins " + std::to_string(min) + " membres)" : ""));
        } else if (group_members < min) {
          made = detail("son unité (" + std::string(to_string(need.unit)) +
                        ") ne s’additionne pas aux unités des besoins des autres membres");
        } else {
          made = detail("ses attributs (" + attribute_text(variant.attributes, ", ") +
                        ") s’opposent à ceux des besoins des autres membres");
        }
      }
      entry.detail = made;
      proposal_.not_pooled.push_back(entry);
    }
  }

  // The number of an explanation in proposal_.details, added if new.
  std::uint32_t detail(std::string text) {
    const auto found = detail_ids_.find(text);
    if (found != detail_ids_.end()) return found->second;
    const auto id = static_cast<std::uint32_t>(proposal_.details.size());
    proposal_.details.push_back(text);
    detail_ids_.emplace(std::move(text), id);
    return id;
  }

  void finish() {
    std::sort(proposal_.not_pooled.begin(), proposal_.not_pooled.end(),
              [](const NotPooled& a, const NotPooled& b) { return a.need_id < b.need_id; });
    std::map<std::uint32_t, std::int64_t> families;
    for (const auto& lot : proposal_.lots) {
      proposal_.estimated_total += lot.estimated_value;
      families[cpv_prefix(lot.cpv_digits, options_.family_depth)] += lot.estimated_value.cents;
    }
    for (const auto& [digits, value] : families) proposal_.families.push_back({digits, Amount{value}});
  }

  const PoolableNeeds& input_;
  std::span<const PoolableNeed> needs_;
  const AggregationOptions& options_;
  std::unordered_map<std::string, std::uint32_t> detail_ids_;
  Proposal proposal_;
  std::vector<Record> records_;       // input order (pass 1)
  std::unique_ptr<Record[]> sorted_;  // group order (pass 2 onwards)
  std::vector<std::uint32_t> group_of_;
  std::vector<std::uint64_t> group_keys_;
  std::vector<std::size_t> group_sizes_;
  std::vector<std::size_t> group_begin_;
  std::size_t group_count_ = 0;
  std::vector<std::int64_t> member_id_of_rank_;
  std::vector<std::size_t> seen_stamp_;
  std::size_t stamp_ = 0;
  std::vector<std::string_view> strings_;       // attribute names and values, by rank
  std::vector<AttributeId> attribute_pool_;     // every need's attributes, sorted per need
  std::vector<std::uint32_t> attribute_begin_;  // per need index, into attribute_pool_
  // Scratch reused from group to group.
  std::vector<const Record*> scratch_;
  std::vector<Variant> variants_;
  std::vector<AttributeId> differing_;
  std::vector<AttributeId> candidate_attributes_;
  std::vector<std::size_t> member_counts_;
  std::vector<Record> group_scratch_;
  std::vector<std::uint32_t> variant_of_;
};

}  // namespace

std::string_view to_string(PurchaseKind kind) { return kKindNames(kind); }

Result<PurchaseKind> parse_purchase_kind(std::string_view text, std::string_view field) {
  if (auto value = kKindNames.parse(text)) return *value;
  return Error::invalid(std::string(field), "doit être l’un de " + kKindNames.listed(), "aggregation.kind.unknown");
}

std::string_view to_string(NotPooledReason reason) { return kReasonNames(reason); }

bool matches(const AggregationFilter& filter, const Need& need) {
  if (!filter.cpv_prefix.empty() &&
      cpv_digits_string(need.cpv.digits).compare(0, filter.cpv_prefix.size(), filter.cpv_prefix) != 0) {
    return false;
  }
  if (!filter.departments.empty() &&
      std::find(filter.departments.begin(), filter.departments.end(), need.department) == filter.departments.end()) {
    return false;
  }
  if (!filter.member_ids.empty() &&
      std::find(filter.member_ids.begin(), filter.member_ids.end(), need.member_id) == filter.member_ids.end()) {
    return false;
  }
  if (filter.from && need.period_end < *filter.from) return false;
  if (filter.to && need.period_start > *filter.to) return false;
  return true;
}

bool matches(const AggregationFilter& filter, const PoolableNeed& need) {
  if (!filter.cpv_prefix.empty() &&
      cpv_digits_string(need.cpv_digits).compare(0, filter.cpv_prefix.size(), filter.cpv_prefix) != 0) {
    return false;
  }
  if (!filter.departments.empty() &&
      std::find(filter.departments.begin(), filter.departments.end(), need.department) == filter.departments.end()) {
    return false;
  }
  if (!filter.member_ids.empty() &&
      std::find(filter.member_ids.begin(), filter.member_ids.end(), need.member_id) == filter.member_ids.end()) {
    return false;
  }
  if (filter.from && need.period_end < *filter.from) return false;
  if (filter.to && need.period_start > *filter.to) return false;
  return true;
}

Status validate_options(const AggregationOptions& options) {
  std::vector<FieldError> errors;
  if (options.duration_months < 1 || options.duration_months > 120) {
    errors.push_back(
        {"options.duration_months", "doit être compris entre 1 et 120", "aggregation.duration.out_of_range"});
  }
  if (options.min_members < 2 || options.min_members > 1000) {
    errors.push_back(
        {"options.min_members", "doit être compris entre 2 et 1000", "aggregation.min_members.out_of_range"});
  }
  if (options.family_depth == CpvDepth::code) {
    errors.push_back(
        {"options.family_depth", "doit être division, group, class ou category", "aggregation.family_depth.unknown"});
  }
  if (errors.empty()) return ok_status();
  return Error{ErrorCode::invalid, "options de regroupement invalides", std::move(errors), "aggregation.invalid"};
}

Result<Proposal> propose_aggregation(std::span<const Need> needs, const AggregationOptions& options) {
  if (auto status = validate_options(options); !status) return std::move(status).error();
  if (needs.size() >= UINT32_MAX)
    return Error::invalid("needs", "trop de besoins dans une proposition", "aggregation.needs.too_many");
  return propose_pooling(PoolableNeeds(needs), options);
}

Result<Proposal> propose_pooling(const PoolableNeeds& needs, const AggregationOptions& options) {
  if (auto status = validate_options(options); !status) return std::move(status).error();
  if (needs.size() >= UINT32_MAX)
    return Error::invalid("needs", "trop de besoins dans une proposition", "aggregation.needs.too_many");
  return Aggregator(needs, options).run();
}

PoolableNeeds::PoolableNeeds(std::span<const Need> needs) {
  needs_.reserve(needs.size());
  for (const auto& n : needs) add(n);
}

void PoolableNeeds::add(const PoolableNeed& need) {
  needs_.push_back(need);
  needs_.back().attribute_begin = static_cast<std::uint32_t>(attributes_.size());
  needs_.back().attribute_count = 0;
  // FNV-1a over (id, version), in the order added.
  for (const auto word : {static_cast<std::uint64_t>(need.id), static_cast<std::uint64_t>(need.version)}) {
    for (int shift = 0; shift < 64; shift += 8) {
      fingerprint_ ^= (word >> shift) & 0xffu;
      fingerprint_ *= 0x100000001b3ULL;
    }
  }
}

void PoolableNeeds::add(const Need& need) {
  PoolableNeed p;
  p.id = need.id;
  p.member_id = need.member_id;
  p.version = need.version;
  p.quantity = need.quantity;
  p.reference_unit_price = need.reference_unit_price;
  p.cpv_digits = need.cpv.digits;
  p.period_start = need.period_start;
  p.period_end = need.period_end;
  p.department = need.department;
  p.unit = need.unit;
  p.recurring = need.recurring;
  add(p);
  for (const auto& a : need.attributes) add_attribute(a.key, a.value);
}

void PoolableNeeds::add_attribute(std::string_view name, std::string_view value) {
  add_attribute(needs_.size() - 1, name, value);
}

void PoolableNeeds::add_attribute(std::size_t index, std::string_view name, std::string_view value) {
  auto& need = needs_[index];
  if (need.attribute_count == 0) need.attribute_begin = static_cast<std::uint32_t>(attributes_.size());
  attributes_.push_back((static_cast<std::uint64_t>(intern(name)) << 32) | intern(value));
  ++need.attribute_count;
}

std::uint32_t PoolableNeeds::intern(std::string_view text) {
  auto [it, added] = string_ids_.try_emplace(std::string(text), static_cast<std::uint32_t>(strings_.size()));
  if (added) strings_.emplace_back(text);
  return it->second;
}

std::size_t PoolableNeeds::memory_bytes() const {
  std::size_t bytes = needs_.capacity() * sizeof(PoolableNeed) + attributes_.capacity() * sizeof(std::uint64_t);
  for (const auto& s : strings_) bytes += 2 * (sizeof(std::string) + s.capacity()) + 32;
  return bytes;
}

}  // namespace canopee
