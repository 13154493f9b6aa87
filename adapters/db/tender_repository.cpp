#include "adapters/db/tender_repository.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "adapters/clock.hpp"
#include "adapters/db/groupement_repository.hpp"
#include "adapters/db/notification_repository.hpp"
#include "adapters/db/party_repository.hpp"
#include "adapters/formats/json_mapping.hpp"

namespace canopee::db {
namespace {

// ---- SQL ----
constexpr std::string_view kInsertTender =
    "INSERT INTO tenders (reference, title, status, vehicle, coordinator_member_id, kind, procedure, contract_start, "
    "duration_months, bid_deadline, price_formula, abnormally_low_method, framework_agreement, allotment_justification, "
    "launch_date, time_limit_reduction, mapa_minimum_days, environmental_conditions, social_considerations, "
    "social_exception, tie_break, groupement_id, version, created_at, updated_at) VALUES (:reference, :title, "
    "'draft', :vehicle, :coordinator, :kind, :procedure, :contract_start, :duration, :bid_deadline, :formula, :method, "
    ":framework, :justification, :launch_date, :reduction, :mapa_days, :environmental, :social, :social_exception, "
    ":tie_break, :groupement, 1, "
    ":now, :now2) RETURNING id";
constexpr std::string_view kSetReference = "UPDATE tenders SET reference = :reference WHERE id = :id";
// The reads of whole tenders, for one or a page of them: each is completed with
// " IN (:a0, :a1, …)" over the tenders' ids (tenders_in), five queries in all.
constexpr std::string_view kTendersIn =
    "SELECT id, reference, title, status, vehicle, coordinator_member_id, kind, procedure, "
    "CAST(contract_start AS TEXT), duration_months, CAST(bid_deadline AS TEXT), price_formula, abnormally_low_method, "
    "framework_agreement, allotment_justification, CAST(launch_date AS TEXT), version, time_limit_reduction, "
    "mapa_minimum_days, CAST(created_at AS TEXT), CAST(published_at AS TEXT), CAST(closed_at AS TEXT), close_reason, "
    "environmental_conditions, social_considerations, social_exception, tie_break, groupement_id, cancel_reason FROM tenders WHERE id";
constexpr std::string_view kInsertCriterion =
    "INSERT INTO criteria (tender_id, position, name, weight, is_price, environmental, life_cycle_cost) "
    "VALUES (:tender, :position, :name, :weight, :is_price, :environmental, :life_cycle_cost)";
constexpr std::string_view kDeleteCriteria = "DELETE FROM criteria WHERE tender_id = :tender";
constexpr std::string_view kCriteriaIn =
    "SELECT tender_id, name, weight, is_price, environmental, life_cycle_cost FROM criteria WHERE tender_id";
constexpr std::string_view kCriteriaOrder = " ORDER BY tender_id, position";
constexpr std::string_view kInsertLot =
    "INSERT INTO lots (tender_id, number, lot_key, title, cpv, unit, department, quantity, estimated_value, status, version) "
    "VALUES (:tender, :number, :lot_key, :title, :cpv, :unit, :department, :quantity, :value, 'open', 1) RETURNING id";
constexpr std::string_view kLotsIn =
    "SELECT tender_id, id, number, lot_key, title, cpv, unit, department, quantity, estimated_value, status, "
    "unsuccessful_reason, version, officer_estimate, vat_rate_bp FROM lots WHERE tender_id";
constexpr std::string_view kLotsOrder = " ORDER BY tender_id, number";
constexpr std::string_view kInsertLotLine =
    "INSERT INTO lot_lines (lot_id, member_id, quantity, reference_value, reference_unit_price, one_off_quantity, "
    "one_off_reference_value) VALUES (:lot, :member, :quantity, :value, :price, :one_off_quantity, :one_off_value)";
constexpr std::string_view kLotLinesIn =
    "SELECT ll.lot_id, ll.member_id, ll.quantity, ll.reference_value, ll.reference_unit_price, ll.one_off_quantity, "
    "ll.one_off_reference_value FROM lot_lines ll "
    "JOIN lots l ON l.id = ll.lot_id WHERE l.tender_id";
constexpr std::string_view kLotLinesOrder = " ORDER BY ll.lot_id, ll.member_id";
constexpr std::string_view kLotNeedsIn =
    "SELECT n.lot_id, n.id FROM needs n JOIN lots l ON l.id = n.lot_id WHERE l.tender_id";
constexpr std::string_view kLotNeedsOrder = " ORDER BY n.lot_id, n.id";
// A framework agreement's terms (schema/0018): renewals and margin, each lot's basis,
// the bounds an officer set per member.
constexpr std::string_view kFrameworkTermsIn =
    "SELECT tender_id, renewals, renewal_months, duration_justification, margin_bp FROM framework_terms WHERE tender_id";
constexpr std::string_view kLotBoundsIn =
    "SELECT b.lot_id, b.basis FROM lot_bounds b JOIN lots l ON l.id = b.lot_id WHERE l.tender_id";
constexpr std::string_view kLotBoundsOrder = " ORDER BY b.lot_id";
constexpr std::string_view kMemberBoundsIn =
    "SELECT b.lot_id, b.member_id, b.maximum, b.minimum FROM member_bounds b JOIN lots l ON l.id = b.lot_id "
    "WHERE l.tender_id";
constexpr std::string_view kMemberBoundsOrder = " ORDER BY b.lot_id, b.member_id";
// Pools a need on the version the proposal read: an edit acknowledged meanwhile
// moved the version, and the lot line (computed from the old quantity) would lie.
constexpr std::string_view kPoolNeed =
    "UPDATE needs SET status = 'pooled', lot_id = :lot, version = version + 1, updated_at = :now "
    "WHERE id = :id AND status = 'submitted' AND version = :version";
constexpr std::string_view kUpdateTender =
    "UPDATE tenders SET title = :title, vehicle = :vehicle, contract_start = :contract_start, duration_months = :duration, "
    "bid_deadline = :bid_deadline, price_formula = :formula, abnormally_low_method = :method, "
    "framework_agreement = :framework, allotment_justification = :justification, launch_date = :launch_date, "
    "time_limit_reduction = :reduction, mapa_minimum_days = :mapa_days, procedure = :procedure, "
    "environmental_conditions = :environmental, social_considerations = :social, social_exception = :social_exception, "
    "tie_break = :tie_break, version = version + 1, updated_at = :now WHERE id = :id AND version = :version AND status = 'draft'";
constexpr std::string_view kUpdateLotTitle =
    "UPDATE lots SET title = :title, officer_estimate = :estimate, vat_rate_bp = :vat_rate WHERE id = :id "
    "AND tender_id = :tender";
constexpr std::string_view kSetTenderStatus =
    "UPDATE tenders SET status = :status, version = version + 1, updated_at = :now WHERE id = :id AND status = :from";
// Publication freezes the procedure advice at the day the notice is sent.
constexpr std::string_view kSetPublished =
    "UPDATE tenders SET procedure = :procedure, launch_date = :launch_date, published_at = :published_at WHERE id = :id";
constexpr std::string_view kSetClosed =
    "UPDATE tenders SET closed_at = :closed_at, close_reason = :reason WHERE id = :id";
constexpr std::string_view kNeedsOfTender =
    "UPDATE needs SET status = :to, version = version + 1, updated_at = :now "
    "WHERE status = :from AND lot_id IN (SELECT id FROM lots WHERE tender_id = :tender)";
constexpr std::string_view kSetCancelReason = "UPDATE tenders SET cancel_reason = :reason WHERE id = :id";
constexpr std::string_view kReleaseNeedsOfTender =
    "UPDATE needs SET status = 'submitted', lot_id = NULL, version = version + 1, updated_at = :now "
    "WHERE lot_id IN (SELECT id FROM lots WHERE tender_id = :tender) AND status IN ('pooled', 'tendered')";

constexpr std::string_view kSetLotStatus =
    "UPDATE lots SET status = :status, unsuccessful_reason = :reason, version = version + 1 "
    "WHERE id = :id AND tender_id = :tender AND status = 'open'";
constexpr std::string_view kNeedsOfLot =
    "UPDATE needs SET status = 'awarded', version = version + 1, updated_at = :now WHERE lot_id = :lot AND status = 'tendered'";
constexpr std::string_view kReleaseNeedsOfLot =
    "UPDATE needs SET status = 'submitted', lot_id = NULL, version = version + 1, updated_at = :now WHERE lot_id = :lot";
constexpr std::string_view kOpenLots = "SELECT COUNT(*) FROM lots WHERE tender_id = :tender AND status = 'open'";
// Taken first by every write on a lot's bids (a bid recorded or changed, a
// decision, a draw, an award), so that on PostgreSQL (read committed) they run one
// after the other on the same bids; SQLite's writers are serialised anyway.
constexpr std::string_view kLockLot = "UPDATE lots SET status = status WHERE id = :lot";
constexpr std::string_view kTenderOfLot = "SELECT tender_id FROM lots WHERE id = :lot";

std::string date_or_empty(const std::optional<Date>& d) { return d ? to_string(*d) : std::string(); }

// " IN (:a0, :a1, …)" for `count` ids, bound by bind_ids.
std::string in_list(std::size_t count) {
  std::string text = " IN (";
  for (std::size_t i = 0; i < count; ++i) text += (i == 0 ? ":a" : ", :a") + std::to_string(i);
  return text + ")";
}

void bind_ids(soci::statement& st, std::vector<long long>& ids) {
  for (std::size_t i = 0; i < ids.size(); ++i) st.exchange(soci::use(ids[i], "a" + std::to_string(i)));
  st.define_and_bind();
  st.execute();
}

// The framework terms of the tenders read (three small queries, whatever their number).
void load_framework_terms(soci::session& sql, std::vector<Tender>& tenders,
                          const std::map<long long, std::size_t>& index, std::vector<long long>& ids,
                          const std::string& in) {
  {
    long long tender_id = 0;
    int renewals = 0, renewal_months = 0, margin = 0;
    std::string justification;
    soci::statement st = single_trip(sql, std::string(kFrameworkTermsIn) + in);
    st.exchange(soci::into(tender_id));
    st.exchange(soci::into(renewals));
    st.exchange(soci::into(renewal_months));
    st.exchange(soci::into(justification));
    st.exchange(soci::into(margin));
    bind_ids(st, ids);
    while (st.fetch()) {
      auto& terms = tenders[index.at(tender_id)].framework_terms;
      terms.renewals = renewals;
      terms.renewal_months = renewal_months;
      terms.duration_justification = justification;
      terms.margin_bp = margin;
    }
  }
  std::map<long long, Tender*> owner;  // lot id → its tender
  for (auto& t : tenders)
    for (const auto& lot : t.lots) owner[lot.id] = &t;
  {
    long long lot_id = 0;
    std::string basis;
    soci::statement st = single_trip(sql, std::string(kLotBoundsIn) + in + std::string(kLotBoundsOrder));
    st.exchange(soci::into(lot_id));
    st.exchange(soci::into(basis));
    bind_ids(st, ids);
    while (st.fetch()) {
      owner.at(lot_id)->framework_terms.lots.push_back({lot_id, parse_maximum_basis(basis, "basis").value(), {}});
    }
  }
  {
    long long lot_id = 0, member = 0, maximum = 0, minimum = 0;
    soci::indicator maximum_ind = soci::i_null, minimum_ind = soci::i_null;
    soci::statement st = single_trip(sql, std::string(kMemberBoundsIn) + in + std::string(kMemberBoundsOrder));
    st.exchange(soci::into(lot_id));
    st.exchange(soci::into(member));
    st.exchange(soci::into(maximum, maximum_ind));
    st.exchange(soci::into(minimum, minimum_ind));
    bind_ids(st, ids);
    while (st.fetch()) {
      auto& lots = owner.at(lot_id)->framework_terms.lots;
      auto bounds = std::find_if(lots.begin(), lots.end(), [&](const LotBounds& b) { return b.lot_id == lot_id; });
      if (bounds == lots.end()) bounds = lots.insert(lots.end(), LotBounds{lot_id, MaximumBasis::value, {}});
      MemberBounds m{member, {}, {}};
      if (maximum_ind == soci::i_ok) m.maximum = maximum;
      if (minimum_ind == soci::i_ok) m.minimum = minimum;
      bounds->members.push_back(m);
    }
  }
}

}  // namespace

std::vector<Tender> load_tenders(soci::session& sql, const std::vector<std::int64_t>& tender_ids) {
  std::vector<Tender> tenders;
  if (tender_ids.empty()) return tenders;
  std::vector<long long> ids(tender_ids.begin(), tender_ids.end());
  const std::string in = in_list(ids.size());
  std::map<long long, std::size_t> index;  // tender id → position in `tenders`
  {
    long long tid = 0, coordinator = 0, version = 0, groupement = 0;
    soci::indicator groupement_ind = soci::i_null;
    std::string reference, title, status, vehicle, kind, procedure, contract_start, deadline, formula, method,
        justification, launch, reduction, created, published, closed, close_reason, environmental_text, social_text,
        exception_text, tie_break, cancel_reason;
    int duration = 0, framework = 1, mapa_days = kDefaultMapaMinimumDays;
    soci::indicator deadline_ind, justification_ind, launch_ind, published_ind, closed_ind, close_reason_ind;
    soci::statement st = single_trip(sql, std::string(kTendersIn) + in);
    st.exchange(soci::into(tid));
    st.exchange(soci::into(reference));
    st.exchange(soci::into(title));
    st.exchange(soci::into(status));
    st.exchange(soci::into(vehicle));
    st.exchange(soci::into(coordinator));
    st.exchange(soci::into(kind));
    st.exchange(soci::into(procedure));
    st.exchange(soci::into(contract_start));
    st.exchange(soci::into(duration));
    st.exchange(soci::into(deadline, deadline_ind));
    st.exchange(soci::into(formula));
    st.exchange(soci::into(method));
    st.exchange(soci::into(framework));
    st.exchange(soci::into(justification, justification_ind));
    st.exchange(soci::into(launch, launch_ind));
    st.exchange(soci::into(version));
    st.exchange(soci::into(reduction));
    st.exchange(soci::into(mapa_days));
    st.exchange(soci::into(created));
    st.exchange(soci::into(published, published_ind));
    st.exchange(soci::into(closed, closed_ind));
    st.exchange(soci::into(close_reason, close_reason_ind));
    st.exchange(soci::into(environmental_text));
    st.exchange(soci::into(social_text));
    st.exchange(soci::into(exception_text));
    st.exchange(soci::into(tie_break));
    st.exchange(soci::into(groupement, groupement_ind));
    st.exchange(soci::into(cancel_reason));
    bind_ids(st, ids);
    while (st.fetch()) {
      Tender t;
      t.id = tid;
      t.reference = reference;
      t.title = title;
      t.status = parse_tender_status(status, "status").value();
      t.vehicle = parse_vehicle(vehicle, "vehicle").value();
      t.coordinator_member_id = coordinator;
      if (groupement_ind == soci::i_ok) t.groupement_id = groupement;
      t.kind = parse_purchase_kind(kind, "kind").value();
      t.procedure = parse_procedure(procedure, "procedure").value();
      t.contract_start = stored_date(contract_start);
      t.duration_months = duration;
      if (deadline_ind == soci::i_ok) t.bid_deadline = normalize_timestamp(deadline);
      t.price_formula = parse_price_formula(formula, "price_formula").value();
      t.abnormally_low_method = parse_abnormally_low_method(method, "abnormally_low_method").value();
      t.framework_agreement = framework != 0;
      if (justification_ind == soci::i_ok) t.allotment_justification = justification;
      if (launch_ind == soci::i_ok && !launch.empty()) t.launch_date = stored_date(launch);
      t.version = version;
      t.time_limit_reduction = parse_time_limit_reduction(reduction, "time_limit_reduction").value();
      t.mapa_minimum_days = mapa_days;
      if (auto at = parse_date_time(normalize_timestamp(created), "created_at")) t.created_on = paris_date(*at);
      if (published_ind == soci::i_ok && !published.empty()) {
        if (auto at = parse_date_time(normalize_timestamp(published), "published_at")) t.published_at = *at;
      }
      if (closed_ind == soci::i_ok && !closed.empty()) {
        if (auto at = parse_date_time(normalize_timestamp(closed), "closed_at")) t.closed_at = *at;
      }
      if (close_reason_ind == soci::i_ok) t.close_reason = close_reason;
      t.cancel_reason = cancel_reason;
      t.environmental_conditions = environmental_text;
      t.tie_break = parse_tie_break(tie_break, "tie_break").value();
      t.social_considerations = social_text;
      t.social_exception = exception_text;
      index[tid] = tenders.size();
      tenders.push_back(std::move(t));
    }
  }
  if (tenders.empty()) return tenders;
  {
    long long tender_id = 0;
    std::string name;
    int weight = 0, is_price = 0, environmental = 0, life_cycle_cost = 0;
    soci::statement st = single_trip(sql, std::string(kCriteriaIn) + in + std::string(kCriteriaOrder));
    st.exchange(soci::into(tender_id));
    st.exchange(soci::into(name));
    st.exchange(soci::into(weight));
    st.exchange(soci::into(is_price));
    st.exchange(soci::into(environmental));
    st.exchange(soci::into(life_cycle_cost));
    bind_ids(st, ids);
    while (st.fetch()) {
      tenders[index.at(tender_id)].criteria.push_back(
          {name, weight, is_price != 0, environmental != 0, life_cycle_cost != 0});
    }
  }
  std::map<long long, std::pair<std::size_t, std::size_t>> lot_index;  // lot id → (tender, lot) positions
  {
    long long tender_id = 0, lot_id = 0, quantity = 0, value = 0, lot_version = 0, officer_estimate = 0;
    int number = 0, vat_rate = 2000;
    std::string lot_key, lot_title, cpv, unit, department, lot_status, reason;
    soci::indicator department_ind, reason_ind, estimate_ind;
    soci::statement st = single_trip(sql, std::string(kLotsIn) + in + std::string(kLotsOrder));
    st.exchange(soci::into(tender_id));
    st.exchange(soci::into(lot_id));
    st.exchange(soci::into(number));
    st.exchange(soci::into(lot_key));
    st.exchange(soci::into(lot_title));
    st.exchange(soci::into(cpv));
    st.exchange(soci::into(unit));
    st.exchange(soci::into(department, department_ind));
    st.exchange(soci::into(quantity));
    st.exchange(soci::into(value));
    st.exchange(soci::into(lot_status));
    st.exchange(soci::into(reason, reason_ind));
    st.exchange(soci::into(lot_version));
    st.exchange(soci::into(officer_estimate, estimate_ind));
    st.exchange(soci::into(vat_rate));
    bind_ids(st, ids);
    while (st.fetch()) {
      Lot lot;
      lot.id = lot_id;
      lot.tender_id = tender_id;
      lot.number = number;
      lot.key = lot_key;
      lot.title = lot_title;
      lot.cpv = cpv;
      lot.unit = parse_unit(unit, "unit").value();
      if (department_ind == soci::i_ok) lot.department = parse_department(department, "department").value();
      lot.quantity = Quantity{quantity};
      lot.estimated_value = Amount{value};
      lot.status = parse_lot_status(lot_status, "status").value();
      if (reason_ind == soci::i_ok) lot.unsuccessful_reason = reason;
      lot.version = lot_version;
      if (estimate_ind == soci::i_ok) lot.officer_estimate = Amount{officer_estimate};
      lot.vat_rate_bp = vat_rate;
      auto& owner = tenders[index.at(tender_id)];
      lot_index[lot_id] = {index.at(tender_id), owner.lots.size()};
      owner.lots.push_back(std::move(lot));
    }
  }
  const auto lot_of = [&](long long lot_id) -> Lot& {
    const auto [t, l] = lot_index.at(lot_id);
    return tenders[t].lots[l];
  };
  {
    long long lot_id = 0, member = 0, quantity = 0, value = 0, price = 0, one_off_quantity = 0, one_off_value = 0;
    soci::statement st = single_trip(sql, std::string(kLotLinesIn) + in + std::string(kLotLinesOrder));
    st.exchange(soci::into(lot_id));
    st.exchange(soci::into(member));
    st.exchange(soci::into(quantity));
    st.exchange(soci::into(value));
    st.exchange(soci::into(price));
    st.exchange(soci::into(one_off_quantity));
    st.exchange(soci::into(one_off_value));
    bind_ids(st, ids);
    while (st.fetch()) {
      lot_of(lot_id).members.push_back({member, Quantity{quantity}, Amount{value}, UnitPrice{price},
                                        Quantity{one_off_quantity}, Amount{one_off_value}});
    }
  }
  {
    long long lot_id = 0, need_id = 0;
    soci::statement st = single_trip(sql, std::string(kLotNeedsIn) + in + std::string(kLotNeedsOrder));
    st.exchange(soci::into(lot_id));
    st.exchange(soci::into(need_id));
    bind_ids(st, ids);
    while (st.fetch()) lot_of(lot_id).need_ids.push_back(need_id);
  }
  load_framework_terms(sql, tenders, index, ids, in);
  // In the order asked; an id asked twice is answered once, at its first place.
  std::vector<Tender> ordered;
  ordered.reserve(tenders.size());
  for (const auto id : tender_ids) {
    if (auto it = index.find(id); it != index.end()) {
      ordered.push_back(std::move(tenders[it->second]));
      index.erase(it);
    }
  }
  return ordered;
}

std::optional<Tender> load_tender(soci::session& sql, std::int64_t id) {
  auto tenders = load_tenders(sql, {id});
  if (tenders.empty()) return std::nullopt;
  return std::move(tenders.front());
}

Result<Tender> create_tender(Database& database, const Actor& actor, const Tender& tender) {
  if (auto status = validate_criteria(tender.criteria); !status) return std::move(status).error();
  if (tender.title.empty() || tender.title.size() > 300)
    return Error::rule_broken(ErrorCode::invalid, "tender.title.length", "title", "doit compter de 1 à 300 caractères");
  if (auto status = validate_execution_conditions(tender); !status) return std::move(status).error();
  if (tender.lots.empty())
    return Error::rule_broken(ErrorCode::invalid, "tender.proposal.no_lot", "proposal",
                              "la proposition ne forme aucun lot : rien à mettre en concurrence");
  if (tender.duration_months < 1 || tender.duration_months > 120) {
    return Error::rule_broken(ErrorCode::invalid, "tender.duration_months.out_of_range", "duration_months",
                              "doit être compris entre 1 et 120 mois");
  }
  for (const auto& lot : tender.lots) {
    if (lot.need_versions.size() != lot.need_ids.size()) {
      return Error::rule_broken(
          ErrorCode::invalid, "tender.lots.versions_missing", "lots",
          "lot " + lot.key +
              " : les versions des besoins lues par la proposition manquent (formez les lots à partir d’une proposition)");
    }
  }
  return in_transaction<Tender>(database, [&](soci::session& sql) -> Result<Tender> {
    // An inactive member neither coordinates nor joins a new tender.
    if (auto active = member_takes_part(sql, tender.coordinator_member_id, "coordinator_member_id",
                                        "coordonner une nouvelle consultation");
        !active) {
      return std::move(active).error();
    }
    std::set<std::int64_t> members;
    for (const auto& lot : tender.lots) {
      for (const auto& m : lot.members) members.insert(m.member_id);
    }
    for (const auto member : members) {
      if (auto active = member_takes_part(sql, member, "proposal", "rejoindre une nouvelle consultation"); !active)
        return std::move(active).error();
    }
    // The groupement's convention: its coordinator (L2113-7); a centrale's tender has none.
    if (tender.groupement_id) {
      const auto groupement = load_groupement(sql, *tender.groupement_id);
      if (!groupement) {
        return Error::rule_broken(ErrorCode::invalid, "groupement.unknown", "groupement_id",
                                  "Aucun groupement de commandes n° " + std::to_string(*tender.groupement_id) + ".");
      }
      if (auto status = check_tender_vehicle(tender, &*groupement); !status) return std::move(status).error();
    }
    long long groupement_key = tender.groupement_id.value_or(0);
    soci::indicator groupement_ind = tender.groupement_id ? soci::i_ok : soci::i_null;
    const std::string now = utc_timestamp_now();
    const std::string pending = "pending-" + now;
    const std::string vehicle(to_string(tender.vehicle)), kind(to_string(tender.kind)),
        procedure(to_string(tender.procedure)), formula(to_string(tender.price_formula)),
        method(to_string(tender.abnormally_low_method)), start = to_string(tender.contract_start),
                                                         launch = date_or_empty(tender.launch_date),
                                                         tie_break(to_string(tender.tie_break));
    long long coordinator = tender.coordinator_member_id;
    int duration = tender.duration_months, framework = tender.framework_agreement ? 1 : 0;
    soci::indicator deadline_ind = tender.bid_deadline.empty() ? soci::i_null : soci::i_ok;
    soci::indicator launch_ind = launch.empty() ? soci::i_null : soci::i_ok;
    soci::indicator justification_ind = tender.allotment_justification.empty() ? soci::i_null : soci::i_ok;
    const std::string reduction(to_string(tender.time_limit_reduction));
    int mapa_days = tender.mapa_minimum_days;
    long long id = 0;
    sql << kInsertTender, soci::use(pending), soci::use(tender.title), soci::use(vehicle), soci::use(coordinator),
        soci::use(kind), soci::use(procedure), soci::use(start), soci::use(duration),
        soci::use(tender.bid_deadline, deadline_ind), soci::use(formula), soci::use(method), soci::use(framework),
        soci::use(tender.allotment_justification, justification_ind), soci::use(launch, launch_ind),
        soci::use(reduction), soci::use(mapa_days), soci::use(tender.environmental_conditions),
        soci::use(tender.social_considerations), soci::use(tender.social_exception), soci::use(tie_break),
        soci::use(groupement_key, groupement_ind), soci::use(now), soci::use(now), soci::into(id);
    char reference[48];
    std::snprintf(reference, sizeof reference, "CNP-%s-%04lld", now.substr(0, 4).c_str(), id);
    const std::string reference_text = reference;
    sql << kSetReference, soci::use(reference_text), soci::use(id);
    for (std::size_t i = 0; i < tender.criteria.size(); ++i) {
      const auto& c = tender.criteria[i];
      int position = static_cast<int>(i), weight = c.weight, is_price = c.is_price ? 1 : 0,
          env = c.environmental ? 1 : 0, lcc = c.life_cycle_cost ? 1 : 0;
      sql << kInsertCriterion, soci::use(id), soci::use(position), soci::use(c.name), soci::use(weight),
          soci::use(is_price), soci::use(env), soci::use(lcc);
    }
    std::vector<FieldError> moved;  // needs whose version moved since the proposal read them
    for (const auto& lot : tender.lots) {
      const std::string unit(to_string(lot.unit));
      const std::string department = lot.department ? to_string(*lot.department) : std::string();
      soci::indicator department_ind = lot.department ? soci::i_ok : soci::i_null;
      int number = lot.number;
      long long quantity = lot.quantity.thousandths, value = lot.estimated_value.cents, lot_id = 0;
      sql << kInsertLot, soci::use(id), soci::use(number), soci::use(lot.key), soci::use(lot.title), soci::use(lot.cpv),
          soci::use(unit), soci::use(department, department_ind), soci::use(quantity), soci::use(value),
          soci::into(lot_id);
      for (const auto& m : lot.members) {
        long long member = m.member_id, q = m.quantity.thousandths, v = m.reference_value.cents,
                  p = m.reference_unit_price.ten_thousandths, rq = m.one_off_quantity.thousandths,
                  rv = m.one_off_reference_value.cents;
        sql << kInsertLotLine, soci::use(lot_id), soci::use(member), soci::use(q), soci::use(v), soci::use(p),
            soci::use(rq), soci::use(rv);
      }
      for (std::size_t i = 0; i < lot.need_ids.size(); ++i) {
        long long need = lot.need_ids[i], version = lot.need_versions[i];
        soci::statement pool = (sql.prepare << kPoolNeed, soci::use(lot_id), soci::use(now), soci::use(need),
                                soci::use(version));
        pool.execute(true);
        if (pool.get_affected_rows() != 1) {
          moved.push_back({"needs." + std::to_string(need),
                           "a changé depuis le calcul de la proposition (modifié, retiré ou mutualisé ailleurs)",
                           "tender.need_changed"});
        }
      }
    }
    if (!moved.empty()) {
      std::string ids;
      for (const auto& m : moved) ids += (ids.empty() ? "" : ", ") + m.field.substr(6);
      return Error{ErrorCode::conflict,
                   "les besoins " + ids + " ont changé depuis le calcul de la proposition : recalculez-la",
                   std::move(moved), "tender.needs_changed"};
    }
    auto created = load_tender(sql, id);
    write_audit(sql, actor, "tender", id, "create", "", formats::to_json_text(*created));
    notify_needs_pooled(sql, id);  // the members' buyers, in this transaction
    return *created;
  });
}

Result<Tender> get_tender(Database& database, std::int64_t id) {
  return with_connection<Tender>(database, [&](soci::session& sql) -> Result<Tender> {
    auto t = load_tender(sql, id);
    if (!t) return tender_not_found();
    return *t;
  });
}

Result<PageOf<Tender>> list_tenders(Database& database, std::optional<std::int64_t> member_id, const Page& page) {
  return in_snapshot<PageOf<Tender>>(database, [&](soci::session& sql) -> Result<PageOf<Tender>> {
    const std::size_t limit = std::max<std::size_t>(1, std::min(page.limit, kMaxPageSize));
    long long before = page.before_id.value_or(INT64_MAX);
    long long member = member_id.value_or(0);
    std::string query = "SELECT t.id FROM tenders t WHERE t.id < :before";
    if (member_id) {
      query +=
          " AND EXISTS (SELECT 1 FROM lots l JOIN lot_lines ll ON ll.lot_id = l.id "
          "WHERE l.tender_id = t.id AND ll.member_id = :member)";
    }
    query += " ORDER BY t.id DESC LIMIT " + std::to_string(limit + 1);
    std::vector<long long> ids(limit + 1);
    if (member_id) {
      sql << query, soci::use(before), soci::use(member), soci::into(ids);
    } else {
      sql << query, soci::use(before), soci::into(ids);
    }
    PageOf<Tender> result;
    std::vector<std::int64_t> page_ids(ids.begin(),
                                       ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), limit)));
    result.items = load_tenders(sql, page_ids);  // five queries for the page
    if (ids.size() > limit) result.next_before_id = result.items.back().id;
    return result;
  });
}

Result<Tender> update_tender(Database& database, const Actor& actor, const Tender& tender) {
  if (auto status = validate_criteria(tender.criteria); !status) return std::move(status).error();
  if (tender.title.empty() || tender.title.size() > 300)
    return Error::rule_broken(ErrorCode::invalid, "tender.title.length", "title", "doit compter de 1 à 300 caractères");
  if (auto status = validate_execution_conditions(tender); !status) return std::move(status).error();
  if (tender.duration_months < 1 || tender.duration_months > 120)
    return Error::rule_broken(ErrorCode::invalid, "tender.duration_months.out_of_range", "duration_months",
                              "doit être compris entre 1 et 120 mois");
  return in_transaction<Tender>(database, [&](soci::session& sql) -> Result<Tender> {
    auto before = load_tender(sql, tender.id);
    if (!before) return tender_not_found();
    if (before->status != TenderStatus::draft) {
      return Error::rule_broken(ErrorCode::conflict, "tender.not_draft", "status",
                                "la consultation est " + std::string(french_label(before->status)) +
                                    " : seul un brouillon se modifie");
    }
    if (auto fixed = check_period_unchanged(*before, tender); !fixed) return std::move(fixed).error();
    // The groupement stays the stored one; the vehicle may not leave it (a centrale has none).
    if (before->groupement_id) {
      Tender edited = tender;
      edited.groupement_id = before->groupement_id;
      const auto groupement = load_groupement(sql, *before->groupement_id);
      if (auto status = check_tender_vehicle(edited, groupement ? &*groupement : nullptr); !status)
        return std::move(status).error();
    }
    const std::string now = utc_timestamp_now();
    const std::string vehicle(to_string(tender.vehicle)), formula(to_string(tender.price_formula)),
        method(to_string(tender.abnormally_low_method)),
        start = to_string(tender.contract_start), launch = date_or_empty(tender.launch_date),
        procedure(to_string(tender.procedure)), tie_break(to_string(tender.tie_break));
    int duration = tender.duration_months, framework = tender.framework_agreement ? 1 : 0;
    soci::indicator deadline_ind = tender.bid_deadline.empty() ? soci::i_null : soci::i_ok;
    soci::indicator launch_ind = launch.empty() ? soci::i_null : soci::i_ok;
    soci::indicator justification_ind = tender.allotment_justification.empty() ? soci::i_null : soci::i_ok;
    const std::string reduction(to_string(tender.time_limit_reduction));
    int mapa_days = tender.mapa_minimum_days;
    long long id = tender.id, version = tender.version;
    soci::statement st = (sql.prepare << kUpdateTender, soci::use(tender.title), soci::use(vehicle), soci::use(start),
                          soci::use(duration), soci::use(tender.bid_deadline, deadline_ind), soci::use(formula),
                          soci::use(method), soci::use(framework),
                          soci::use(tender.allotment_justification, justification_ind), soci::use(launch, launch_ind),
                          soci::use(reduction), soci::use(mapa_days), soci::use(procedure),
                          soci::use(tender.environmental_conditions), soci::use(tender.social_considerations),
                          soci::use(tender.social_exception), soci::use(tie_break), soci::use(now), soci::use(id),
                          soci::use(version));
    st.execute(true);
    if (st.get_affected_rows() == 0) return tender_changed();
    sql << kDeleteCriteria, soci::use(id);
    for (std::size_t i = 0; i < tender.criteria.size(); ++i) {
      const auto& c = tender.criteria[i];
      int position = static_cast<int>(i), weight = c.weight, is_price = c.is_price ? 1 : 0,
          env = c.environmental ? 1 : 0, lcc = c.life_cycle_cost ? 1 : 0;
      sql << kInsertCriterion, soci::use(id), soci::use(position), soci::use(c.name), soci::use(weight),
          soci::use(is_price), soci::use(env), soci::use(lcc);
    }
    for (const auto& lot : tender.lots) {
      long long lot_id = lot.id, estimate = lot.officer_estimate ? lot.officer_estimate->cents : 0;
      soci::indicator estimate_ind = lot.officer_estimate ? soci::i_ok : soci::i_null;
      if (lot.title.empty() || lot.title.size() > 300)
        return Error::rule_broken(ErrorCode::invalid, "tender.lot_title.length", "lots",
                                  "l’intitulé d’un lot compte de 1 à 300 caractères");
      int vat_rate = static_cast<int>(lot.vat_rate_bp);
      sql << kUpdateLotTitle, soci::use(lot.title), soci::use(estimate, estimate_ind), soci::use(vat_rate),
          soci::use(lot_id), soci::use(id);
    }
    auto after = load_tender(sql, id);
    write_audit(sql, actor, "tender", id, "update", formats::to_json_text(*before), formats::to_json_text(*after));
    return *after;
  });
}

Error tender_not_found() { return Error{ErrorCode::not_found, "consultation introuvable", {}, "tender.not_found"}; }

Error tender_changed() {
  return Error::rule_broken(ErrorCode::stale, "tender.stale", "",
                            "la consultation a été modifiée depuis votre lecture : relisez-la et recommencez");
}

bool save_transition(soci::session& sql, const Tender& before, TenderStatus to, const TransitionRecord& record) {
  const std::string now = utc_timestamp_now();
  const std::string status(to_string(to)), from(to_string(before.status));
  long long key = before.id;
  soci::statement st = (sql.prepare << kSetTenderStatus, soci::use(status), soci::use(now), soci::use(key),
                        soci::use(from));
  st.execute(true);
  if (st.get_affected_rows() == 0) return false;
  if (to == TenderStatus::published) {
    const std::string procedure(to_string(record.procedure.value_or(before.procedure))),
        launch = to_string(record.today), published = to_utc_string(record.at);
    sql << kSetPublished, soci::use(procedure), soci::use(launch), soci::use(published), soci::use(key);
    const std::string need_to = "tendered", need_from = "pooled";
    sql << kNeedsOfTender, soci::use(need_to), soci::use(now), soci::use(need_from), soci::use(key);
  } else if (to == TenderStatus::closed) {
    const std::string closed = to_utc_string(record.at);
    soci::indicator reason_ind = record.reason.empty() ? soci::i_null : soci::i_ok;
    sql << kSetClosed, soci::use(closed), soci::use(record.reason, reason_ind), soci::use(key);
  } else if (to == TenderStatus::cancelled) {
    sql << kReleaseNeedsOfTender, soci::use(now), soci::use(key);
    sql << kSetCancelReason, soci::use(record.reason), soci::use(key);
  }
  return true;
}

// Locks the lot's row first (after any decision, draw or award under way on it:
// PostgreSQL's read committed would otherwise let two of them read the same bids),
// then reads its tender; not found when the lot is not one of the tender's.
Result<Tender> tender_with_locked_lot(soci::session& sql, std::int64_t tender_id, std::int64_t lot_id) {
  long long locked_lot = lot_id;
  sql << kLockLot, soci::use(locked_lot);
  auto tender = load_tender(sql, tender_id);
  if (!tender) return tender_not_found();
  if (find_lot(*tender, lot_id) == nullptr)
    return Error{ErrorCode::not_found, "ce lot n’est pas un lot de cette consultation", {}, "lot.not_found"};
  return *std::move(tender);
}

std::int64_t tender_of_lot(soci::session& sql, std::int64_t lot_id) {
  long long key = lot_id, tender = 0;
  sql << kTenderOfLot, soci::use(key), soci::into(tender);
  return sql.got_data() ? tender : 0;
}

void lock_lot(soci::session& sql, std::int64_t lot_id) {
  long long key = lot_id;
  sql << kLockLot, soci::use(key);
}

bool settle_lot(soci::session& sql, std::int64_t tender_id, std::int64_t lot_id, LotStatus to,
                const std::string& reason) {
  const std::string status(to_string(to));
  soci::indicator reason_ind = reason.empty() ? soci::i_null : soci::i_ok;
  long long lot_key = lot_id, tender_key = tender_id;
  soci::statement st = (sql.prepare << kSetLotStatus, soci::use(status), soci::use(reason, reason_ind),
                        soci::use(lot_key), soci::use(tender_key));
  st.execute(true);
  if (st.get_affected_rows() != 1) return false;
  const std::string now = utc_timestamp_now();
  if (to == LotStatus::awarded) {
    sql << kNeedsOfLot, soci::use(now), soci::use(lot_key);
  } else {
    sql << kReleaseNeedsOfLot, soci::use(now), soci::use(lot_key);
  }
  return true;
}

// After a lot is settled: the tender is awarded when no lot is left open.
void settle_tender(soci::session& sql, const Actor& actor, const Tender& before) {
  const std::string now = utc_timestamp_now();
  long long key = before.id;
  int open = 0;
  sql << kOpenLots, soci::use(key), soci::into(open);
  if (open == 0 && before.status == TenderStatus::closed) {
    const std::string to = "awarded", from = "closed";
    sql << kSetTenderStatus, soci::use(to), soci::use(now), soci::use(key), soci::use(from);
    write_audit(sql, actor, "tender", before.id, "awarded", "",
                boost::json::serialize(boost::json::object{{"status", "awarded"}}));
  }
}

}  // namespace canopee::db
