#include "engine/tender.hpp"

#include <array>
#include <map>

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

// The 8 digits of a lot's grouping code ("NNNNNNNN-N" or 8 digits).
std::optional<std::uint32_t> lot_cpv_digits(const std::string& cpv) {
  if (cpv.size() < 8) return std::nullopt;
  std::uint32_t digits = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    if (cpv[i] < '0' || cpv[i] > '9') return std::nullopt;
    digits = digits * 10 + static_cast<std::uint32_t>(cpv[i] - '0');
  }
  return digits;
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

bool bid_transition_allowed(BidStatus from, BidStatus to) {
  if (from == to) return true;
  if (from == BidStatus::received) return true;
  return from == BidStatus::valid && to == BidStatus::rejected;
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
  for (auto& e : award_criteria_rule_errors(tender.criteria, launch)) errors.push_back(std::move(e));
  for (std::size_t i = 0; i < tender.lots.size(); ++i) {
    const auto& lot = tender.lots[i];
    if (lot.estimate().cents <= 0) {
      errors.push_back({"lots[" + std::to_string(i) + "].officer_estimate",
                        "Le lot " + std::to_string(lot.number) + " n'a aucune estimation (aucun prix de référence) : "
                            "l'estimation doit être sincère et couvrir tout le besoin (R2121-1). Saisir l'estimation "
                            "du lot avant de publier.",
                        "estimate.missing"});
    }
  }
  if (tender.lots.size() == 1 && tender.allotment_justification.empty()) {
    errors.push_back({"allotment_justification", "a single lot must be justified (L2113-11)"});
  }
  if (errors.empty()) return ok_status();
  Error error{ErrorCode::conflict, "the tender cannot be published yet", std::move(errors)};
  for (const auto& e : error.fields) {
    if (!e.code.empty()) {
      error.rule = e.code;  // the first broken rule names the problem
      break;
    }
  }
  return error;
}

ProcedureInput procedure_input(const Tender& tender, Date launch_date) {
  ProcedureInput input;
  input.kind = tender.kind;
  input.launch_date = launch_date;
  std::map<std::uint32_t, std::int64_t> families;
  for (const auto& lot : tender.lots) {
    const Amount value = lot.estimate();
    input.estimated_total += value;
    LotValue lv{std::to_string(lot.number), value};
    lv.officer_estimate = lot.officer_estimate.has_value();
    lv.cpv_digits = lot_cpv_digits(lot.cpv);
    for (const auto& m : lot.members) {
      if (m.reference_unit_price.ten_thousandths <= 0) ++lv.lines_without_reference;
    }
    input.lots.push_back(std::move(lv));
    if (auto digits = lot_cpv_digits(lot.cpv)) families[cpv_prefix(*digits, CpvDepth::class_)] += value.cents;
  }
  for (const auto& [digits, value] : families) input.families.push_back({digits, Amount{value}});
  input.framework_agreement = tender.framework_agreement;
  input.duration_months = tender.duration_months;
  if (!tender.allotment_justification.empty()) input.allotment_justification = tender.allotment_justification;
  std::vector<CriterionInfo> criteria;
  for (const auto& c : tender.criteria) criteria.push_back({c.name, c.weight, c.takes_environment_into_account() && !c.is_price});
  input.criteria = criteria;
  return input;
}

}  // namespace canopee
