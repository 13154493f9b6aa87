#include "engine/aggregation.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <numeric>
#include <set>

namespace canopee {
namespace {

constexpr std::array<std::string_view, 3> kKindNames = {"supplies", "services", "works"};
constexpr std::array<std::string_view, 4> kReasonNames = {"single_member", "incompatible_unit",
                                                          "conflicting_attribute", "outside_period"};

// One need, reduced to what grouping reads, so that the grouping pass streams
// through a compact array instead of the needs themselves.
struct Record {
  std::int64_t need_id;
  std::int64_t quantity;  // over the contract, thousandths of the need's own unit
  std::int64_t value;     // reference value over the contract, cents
  std::uint32_t need_index;
  std::uint32_t member_rank;  // ranks follow member ids
  Unit unit;
  bool has_attributes;
};

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
  std::size_t size() const { return size_; }

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

using Signature = std::vector<std::pair<std::string, std::string>>;  // sorted by key

bool compatible(const Signature& a, const Signature& b) {
  auto i = a.begin();
  auto j = b.begin();
  while (i != a.end() && j != b.end()) {
    if (i->first < j->first) {
      ++i;
    } else if (j->first < i->first) {
      ++j;
    } else {
      if (i->second != j->second) return false;
      ++i;
      ++j;
    }
  }
  return true;
}

void merge_into(Signature& target, const Signature& extra) {
  for (const auto& entry : extra) {
    const auto it = std::lower_bound(target.begin(), target.end(), entry,
                                     [](const auto& x, const auto& y) { return x.first < y.first; });
    if (it == target.end() || it->first != entry.first) target.insert(it, entry);
  }
}

std::string signature_text(const Signature& signature) {
  std::string out;
  for (const auto& [key, value] : signature) {
    if (!out.empty()) out += ", ";
    out += key + "=" + value;
  }
  return out;
}

struct Variant {
  Signature signature;
  int128 finest_quantity = 0;  // for choosing where a need without some attributes goes
  std::vector<const Record*> records;
};

// Splits one group into variants whose needs agree on every attribute
// (only for groups where some need has attributes).
std::vector<Variant> split_by_attributes(std::span<const Record> group, std::span<const Need> needs) {
  std::map<std::string, std::set<std::string>> values_by_key;
  for (const auto& r : group) {
    for (const auto& a : needs[r.need_index].attributes) values_by_key[a.key].insert(a.value);
  }
  struct Candidate {
    const Record* record;
    Signature signature;  // its values of the attributes that differ within the group
  };
  std::vector<Candidate> candidates;
  candidates.reserve(group.size());
  for (const auto& r : group) {
    Candidate c{&r, {}};
    for (const auto& a : needs[r.need_index].attributes) {
      if (values_by_key[a.key].size() > 1) c.signature.emplace_back(a.key, a.value);
    }
    candidates.push_back(std::move(c));
  }
  // Most specific needs first, then a fixed order: the result does not depend on input order.
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    if (a.signature.size() != b.signature.size()) return a.signature.size() > b.signature.size();
    if (a.signature != b.signature) return a.signature < b.signature;
    if (a.record->member_rank != b.record->member_rank) return a.record->member_rank < b.record->member_rank;
    return a.record->need_id < b.record->need_id;
  });
  std::vector<Variant> variants;
  for (auto& c : candidates) {
    Variant* best = nullptr;
    for (auto& v : variants) {
      if (compatible(v.signature, c.signature) && (best == nullptr || v.finest_quantity > best->finest_quantity)) {
        best = &v;
      }
    }
    if (best == nullptr) {
      variants.push_back({c.signature, 0, {}});
      best = &variants.back();
    } else {
      merge_into(best->signature, c.signature);
    }
    best->finest_quantity += static_cast<int128>(c.record->quantity) * finest_unit_factor(c.record->unit);
    best->records.push_back(c.record);
  }
  for (auto& v : variants) {
    std::sort(v.records.begin(), v.records.end(), [](const Record* a, const Record* b) {
      return a->member_rank != b->member_rank ? a->member_rank < b->member_rank : a->need_id < b->need_id;
    });
  }
  std::sort(variants.begin(), variants.end(),
            [](const Variant& a, const Variant& b) { return a.signature < b.signature; });
  return variants;
}

std::size_t distinct_members(std::span<const Record* const> records) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (i == 0 || records[i]->member_rank != records[i - 1]->member_rank) ++count;
  }
  return count;
}

std::string lot_key(std::uint32_t cpv_digits, Unit unit, std::optional<Department> department,
                    const Signature& signature) {
  std::string key = cpv_digits_string(cpv_digits) + "-" + std::string(to_string(unit));
  if (department) key += "-" + to_string(*department);
  if (!signature.empty()) {
    key += "[";
    for (std::size_t i = 0; i < signature.size(); ++i) {
      if (i > 0) key += ",";
      key += signature[i].first + "=" + signature[i].second;
    }
    key += "]";
  }
  return key;
}

class Aggregator {
 public:
  Aggregator(std::span<const Need> needs, const AggregationOptions& options) : needs_(needs), options_(options) {}

  Result<Proposal> run() {
    if (auto status = collect(); !status) return std::move(status).error();
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
  // Pass 1: one compact record per need in the contract period; groups and members numbered.
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
    for (std::size_t i = 0; i < needs_.size(); ++i) {
      const Need& need = needs_[i];
      if (contract_end && (need.period_end < *options_.contract_start || need.period_start > *contract_end)) {
        proposal_.not_pooled.push_back({need.id, NotPooledReason::outside_period,
                                        "its period " + to_string(need.period_start) + " – " +
                                            to_string(need.period_end) + " does not overlap the contract period " +
                                            to_string(*options_.contract_start) + " – " + to_string(*contract_end)});
        continue;
      }
      std::int64_t quantity = need.quantity.thousandths;
      if (need.recurring) {
        quantity = static_cast<std::int64_t>(
            divide_round_half_away(static_cast<int128>(quantity) * options_.duration_months, 12));
      }
      auto value = line_amount(Quantity{quantity}, need.reference_unit_price);
      if (!value) {
        return Error::invalid("needs", "need " + std::to_string(need.id) +
                                           ": its value over the contract is beyond the largest supported amount");
      }
      const std::uint16_t department = options_.split_by_department ? need.department.index : 0;
      const auto key = group_key(cpv_prefix(need.cpv.digits, options_.cpv_depth), department, dimension_of(need.unit));
      const auto group = groups.find_or_add(key);
      if (group == group_keys_.size()) {
        group_keys_.push_back(key);
        group_sizes_.push_back(0);
      }
      ++group_sizes_[group];
      const auto member = members.find_or_add(static_cast<std::uint64_t>(need.member_id));
      if (member == member_ids.size()) member_ids.push_back(need.member_id);
      records_.push_back({need.id, quantity, value->cents, static_cast<std::uint32_t>(i), member,
                          need.unit, !need.attributes.empty()});
      group_of_.push_back(group);
    }
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
    for (auto& record : records_) record.member_rank = rank_of[record.member_rank];
    seen_stamp_.assign(member_ids.size(), SIZE_MAX);
    return ok_status();
  }

  // Pass 2: a counting sort of the records into group-key order.
  void order_by_group() {
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
    std::vector<Record> sorted(records_.size());
    for (std::size_t i = 0; i < records_.size(); ++i) sorted[offset_of_group[group_of_[i]]++] = records_[i];
    records_ = std::move(sorted);
    group_keys_ = std::move(keys);
    std::vector<std::uint32_t>().swap(group_of_);
  }

  // Groups [first, last) share CPV prefix and département and differ by dimension.
  Status pool_primary(std::size_t first, std::size_t last) {
    ++stamp_;
    std::size_t primary_members = 0;
    for (std::size_t i = group_begin_[first]; i < group_begin_[last]; ++i) {
      auto& seen = seen_stamp_[records_[i].member_rank];
      if (seen != stamp_) {
        seen = stamp_;
        ++primary_members;
      }
    }
    for (std::size_t g = first; g < last; ++g) {
      auto* begin = records_.data() + group_begin_[g];
      auto* end = records_.data() + group_begin_[g + 1];
      std::sort(begin, end, [](const Record& a, const Record& b) {
        return a.member_rank != b.member_rank ? a.member_rank < b.member_rank : a.need_id < b.need_id;
      });
      const std::span<const Record> group(begin, end);
      const bool any_attributes = std::any_of(begin, end, [](const Record& r) { return r.has_attributes; });
      std::vector<Variant> variants;
      if (any_attributes) {
        variants = split_by_attributes(group, needs_);
      } else {
        variants.emplace_back();
        variants.back().records.reserve(group.size());
        for (const auto& r : group) variants.back().records.push_back(&r);
      }
      std::size_t group_members = 0;
      for (std::size_t i = 0; i < group.size(); ++i) {
        if (i == 0 || group[i].member_rank != group[i - 1].member_rank) ++group_members;
      }
      for (const auto& variant : variants) {
        if (distinct_members(variant.records) >= static_cast<std::size_t>(options_.min_members)) {
          if (auto status = make_lot(group_keys_[g], variant); !status) return status;
        } else {
          report_not_pooled(variant, primary_members, group_members);
        }
      }
    }
    return ok_status();
  }

  Status make_lot(std::uint64_t key, const Variant& variant) {
    ProposedLot lot;
    lot.cpv_digits = static_cast<std::uint32_t>(key >> 24);
    lot.unit = variant.records.front()->unit;
    for (const auto* r : variant.records) lot.unit = finer_unit(lot.unit, r->unit);
    if (options_.split_by_department) {
      lot.department = needs_[variant.records.front()->need_index].department;
    }
    for (const auto& [k, v] : variant.signature) lot.attributes.push_back({k, v});
    lot.key = lot_key(lot.cpv_digits, lot.unit, lot.department, variant.signature);

    int128 lot_quantity = 0;
    int128 lot_value = 0;
    for (std::size_t i = 0; i < variant.records.size();) {
      const auto rank = variant.records[i]->member_rank;
      LotMember member;
      member.member_id = member_id_of_rank_[rank];
      int128 quantity = 0;
      int128 value = 0;
      for (; i < variant.records.size() && variant.records[i]->member_rank == rank; ++i) {
        const Record& r = *variant.records[i];
        quantity += static_cast<int128>(r.quantity) * (finest_unit_factor(r.unit) / finest_unit_factor(lot.unit));
        value += r.value;
        member.need_ids.push_back(r.need_id);
      }
      if (quantity > kMaxQuantity * 1000 || value > kMaxAmount) {
        return Error::invalid("needs", "lot " + lot.key + ": member " + std::to_string(member.member_id) +
                                           "'s total is beyond the largest supported quantity or amount");
      }
      member.quantity = Quantity{static_cast<std::int64_t>(quantity)};
      member.reference_value = Amount{static_cast<std::int64_t>(value)};
      member.reference_unit_price =
          UnitPrice{static_cast<std::int64_t>(divide_round_half_away(value * 100'000, quantity))};
      lot_quantity += quantity;
      lot_value += value;
      lot.members.push_back(std::move(member));
    }
    if (lot_quantity > INT64_MAX || lot_value > kMaxAmount) {
      return Error::invalid("needs", "lot " + lot.key + ": its total is beyond the largest supported amount");
    }
    lot.quantity = Quantity{static_cast<std::int64_t>(lot_quantity)};
    lot.estimated_value = Amount{static_cast<std::int64_t>(lot_value)};
    proposal_.lots.push_back(std::move(lot));
    return ok_status();
  }

  void report_not_pooled(const Variant& variant, std::size_t primary_members, std::size_t group_members) {
    const auto min = static_cast<std::size_t>(options_.min_members);
    for (const auto* r : variant.records) {
      const Need& need = needs_[r->need_index];
      NotPooled entry{r->need_id, NotPooledReason::single_member, {}};
      if (primary_members < min) {
        entry.detail = "no other member needs CPV " + cpv_digits_string(cpv_prefix(need.cpv.digits, options_.cpv_depth)) +
                       (options_.split_by_department ? " in département " + to_string(need.department) : "") +
                       (min > 2 ? " (at least " + std::to_string(min) + " members are needed)" : "");
        if (primary_members > 1) entry.detail = "fewer than " + std::to_string(min) + " members need this CPV";
      } else if (group_members < min) {
        entry.reason = NotPooledReason::incompatible_unit;
        entry.detail = "its unit (" + std::string(to_string(need.unit)) +
                       ") cannot be added to the units of the other members' needs";
      } else {
        entry.reason = NotPooledReason::conflicting_attribute;
        entry.detail = "its attributes (" + signature_text(variant.signature) +
                       ") conflict with those of the other members' needs";
      }
      proposal_.not_pooled.push_back(std::move(entry));
    }
  }

  void finish() {
    std::sort(proposal_.lots.begin(), proposal_.lots.end(),
              [](const ProposedLot& a, const ProposedLot& b) { return a.key < b.key; });
    std::sort(proposal_.not_pooled.begin(), proposal_.not_pooled.end(),
              [](const NotPooled& a, const NotPooled& b) { return a.need_id < b.need_id; });
    std::map<std::uint32_t, std::int64_t> families;
    for (const auto& lot : proposal_.lots) {
      proposal_.estimated_total += lot.estimated_value;
      families[cpv_prefix(lot.cpv_digits, options_.family_depth)] += lot.estimated_value.cents;
    }
    for (const auto& [digits, value] : families) proposal_.families.push_back({digits, Amount{value}});
  }

  std::span<const Need> needs_;
  const AggregationOptions& options_;
  Proposal proposal_;
  std::vector<Record> records_;
  std::vector<std::uint32_t> group_of_;
  std::vector<std::uint64_t> group_keys_;
  std::vector<std::size_t> group_sizes_;
  std::vector<std::size_t> group_begin_;
  std::size_t group_count_ = 0;
  std::vector<std::int64_t> member_id_of_rank_;
  std::vector<std::size_t> seen_stamp_;
  std::size_t stamp_ = 0;
};

}  // namespace

std::string_view to_string(PurchaseKind kind) { return kKindNames[static_cast<std::size_t>(kind)]; }

Result<PurchaseKind> parse_purchase_kind(std::string_view text, std::string_view field) {
  for (std::size_t i = 0; i < kKindNames.size(); ++i) {
    if (kKindNames[i] == text) return static_cast<PurchaseKind>(i);
  }
  return Error::invalid(std::string(field), "must be one of supplies, services, works");
}

std::string_view to_string(NotPooledReason reason) { return kReasonNames[static_cast<std::size_t>(reason)]; }

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

Status validate_options(const AggregationOptions& options) {
  std::vector<FieldError> errors;
  if (options.duration_months < 1 || options.duration_months > 120) {
    errors.push_back({"options.duration_months", "must be between 1 and 120"});
  }
  if (options.min_members < 2 || options.min_members > 1000) {
    errors.push_back({"options.min_members", "must be between 2 and 1000"});
  }
  if (options.family_depth == CpvDepth::code) {
    errors.push_back({"options.family_depth", "must be division, group, class or category"});
  }
  if (errors.empty()) return ok_status();
  return Error{ErrorCode::invalid, "invalid aggregation options", std::move(errors)};
}

Result<Proposal> propose_aggregation(std::span<const Need> needs, const AggregationOptions& options) {
  if (auto status = validate_options(options); !status) return std::move(status).error();
  if (needs.size() >= UINT32_MAX) return Error::invalid("needs", "too many needs in one proposal");
  return Aggregator(needs, options).run();
}

}  // namespace canopee
