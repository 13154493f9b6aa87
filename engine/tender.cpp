#include "engine/tender.hpp"

#include <array>

namespace canopee {
namespace {

constexpr std::array<std::string_view, 5> kTenderStatuses = {"draft", "published", "closed", "awarded", "cancelled"};
constexpr std::array<std::string_view, 3> kLotStatuses = {"open", "awarded", "unsuccessful"};
constexpr std::array<std::string_view, 2> kVehicles = {"groupement", "centrale"};
constexpr std::array<std::string_view, 3> kProcedures = {"no_competition", "adapted", "formal"};

template <std::size_t N, class E>
Result<E> parse_from(const std::array<std::string_view, N>& names, std::string_view text, std::string_view field) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == text) return static_cast<E>(i);
  }
  std::string expected;
  for (std::size_t i = 0; i < N; ++i) expected += (i ? ", " : "") + std::string(names[i]);
  return Error::invalid(std::string(field), "must be one of " + expected);
}

}  // namespace

std::string_view to_string(TenderStatus s) { return kTenderStatuses[static_cast<std::size_t>(s)]; }
std::string_view to_string(LotStatus s) { return kLotStatuses[static_cast<std::size_t>(s)]; }
std::string_view to_string(Vehicle v) { return kVehicles[static_cast<std::size_t>(v)]; }
Result<TenderStatus> parse_tender_status(std::string_view t, std::string_view f) {
  return parse_from<5, TenderStatus>(kTenderStatuses, t, f);
}
Result<LotStatus> parse_lot_status(std::string_view t, std::string_view f) { return parse_from<3, LotStatus>(kLotStatuses, t, f); }
Result<Vehicle> parse_vehicle(std::string_view t, std::string_view f) { return parse_from<2, Vehicle>(kVehicles, t, f); }
Result<Procedure> parse_procedure(std::string_view t, std::string_view f) { return parse_from<3, Procedure>(kProcedures, t, f); }

bool tender_transition_allowed(TenderStatus from, TenderStatus to) {
  using S = TenderStatus;
  switch (from) {
    case S::draft: return to == S::published || to == S::cancelled;
    case S::published: return to == S::closed || to == S::cancelled;
    case S::closed: return to == S::awarded || to == S::cancelled;
    case S::awarded:
    case S::cancelled: return false;
  }
  return false;
}

std::vector<Lot> lots_from_proposal(const Proposal& proposal, const CpvNomenclature& cpv) {
  std::vector<Lot> lots;
  int number = 0;
  for (const auto& p : proposal.lots) {
    Lot lot;
    lot.number = ++number;
    lot.key = p.key;
    const auto* entry = cpv.find(p.cpv_digits);
    lot.cpv = entry != nullptr ? to_string(entry->code) : cpv_digits_string(p.cpv_digits);
    lot.title = entry != nullptr ? entry->label : "CPV " + lot.cpv;
    if (p.department) lot.title += " — " + to_string(*p.department);
    for (const auto& a : p.attributes) lot.title += " — " + a.key + " " + a.value;
    lot.unit = p.unit;
    lot.department = p.department;
    lot.quantity = p.quantity;
    lot.estimated_value = p.estimated_value;
    for (const auto& m : p.members) {
      lot.members.push_back({m.member_id, m.quantity, m.reference_value, m.reference_unit_price});
      for (const auto id : p.need_ids_of(m)) lot.need_ids.push_back(id);
      if (p.need_versions.size() == p.need_ids.size()) {
        const auto versions = std::span<const std::int64_t>(p.need_versions).subspan(m.need_begin, m.need_count);
        lot.need_versions.insert(lot.need_versions.end(), versions.begin(), versions.end());
      }
    }
    lots.push_back(std::move(lot));
  }
  return lots;
}

Status check_publishable(const Tender& tender, Date today) {
  std::vector<FieldError> errors;
  if (auto status = validate_criteria(tender.criteria); !status) {
    errors.insert(errors.end(), status.error().fields.begin(), status.error().fields.end());
  }
  if (tender.lots.empty()) errors.push_back({"lots", "a tender needs at least one lot"});
  if (tender.bid_deadline.empty()) errors.push_back({"bid_deadline", "set the deadline for bids before publishing"});
  const Date launch = tender.launch_date.value_or(today);
  if (launch >= environmental_criterion_date()) {
    bool environmental = false;
    for (const auto& c : tender.criteria) environmental = environmental || c.environmental;
    if (!environmental) {
      errors.push_back({"criteria", "from 2026-08-21 one criterion must take environmental characteristics into account (R2152-7)"});
    }
  }
  if (tender.lots.size() == 1 && tender.allotment_justification.empty()) {
    errors.push_back({"allotment_justification", "a single lot must be justified (L2113-11)"});
  }
  if (errors.empty()) return ok_status();
  return Error{ErrorCode::conflict, "the tender cannot be published yet", std::move(errors)};
}

}  // namespace canopee
