#include "adapters/db/tender_repository.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "adapters/clock.hpp"
#include "adapters/db/groupement_repository.hpp"
#include "adapters/db/lot_draw_repository.hpp"
#include "adapters/db/party_repository.hpp"
#include "adapters/formats/json_mapping.hpp"
#include "engine/award.hpp"

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
constexpr std::string_view kSelectTender =
    "SELECT id, reference, title, status, vehicle, coordinator_member_id, kind, procedure, "
    "CAST(contract_start AS TEXT), duration_months, CAST(bid_deadline AS TEXT), price_formula, abnormally_low_method, "
    "framework_agreement, allotment_justification, CAST(launch_date AS TEXT), version, time_limit_reduction, "
    "mapa_minimum_days, CAST(created_at AS TEXT), CAST(published_at AS TEXT), CAST(closed_at AS TEXT), close_reason, "
    "environmental_conditions, social_considerations, social_exception, tie_break, groupement_id FROM tenders WHERE id = :id";
constexpr std::string_view kInsertCriterion =
    "INSERT INTO criteria (tender_id, position, name, weight, is_price, environmental, life_cycle_cost) "
    "VALUES (:tender, :position, :name, :weight, :is_price, :environmental, :life_cycle_cost)";
constexpr std::string_view kDeleteCriteria = "DELETE FROM criteria WHERE tender_id = :tender";
constexpr std::string_view kSelectCriteria =
    "SELECT name, weight, is_price, environmental, life_cycle_cost FROM criteria WHERE tender_id = :tender ORDER BY position";
constexpr std::string_view kInsertLot =
    "INSERT INTO lots (tender_id, number, lot_key, title, cpv, unit, department, quantity, estimated_value, status, version) "
    "VALUES (:tender, :number, :lot_key, :title, :cpv, :unit, :department, :quantity, :value, 'open', 1) RETURNING id";
constexpr std::string_view kSelectLots =
    "SELECT id, number, lot_key, title, cpv, unit, department, quantity, estimated_value, status, unsuccessful_reason, "
    "version, officer_estimate FROM lots WHERE tender_id = :tender ORDER BY number";
constexpr std::string_view kInsertLotLine =
    "INSERT INTO lot_lines (lot_id, member_id, quantity, reference_value, reference_unit_price) "
    "VALUES (:lot, :member, :quantity, :value, :price)";
constexpr std::string_view kSelectLotLines =
    "SELECT ll.lot_id, ll.member_id, ll.quantity, ll.reference_value, ll.reference_unit_price FROM lot_lines ll "
    "JOIN lots l ON l.id = ll.lot_id WHERE l.tender_id = :tender ORDER BY ll.lot_id, ll.member_id";
constexpr std::string_view kSelectLotNeeds =
    "SELECT n.lot_id, n.id FROM needs n JOIN lots l ON l.id = n.lot_id WHERE l.tender_id = :tender ORDER BY n.lot_id, n.id";
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
    "UPDATE lots SET title = :title, officer_estimate = :estimate WHERE id = :id AND tender_id = :tender";
constexpr std::string_view kSetTenderStatus =
    "UPDATE tenders SET status = :status, version = version + 1, updated_at = :now WHERE id = :id AND status = :from";
// Publication freezes the procedure advice at the day the notice is sent.
constexpr std::string_view kSetPublished =
    "UPDATE tenders SET procedure = :procedure, launch_date = :launch_date, published_at = :published_at WHERE id = :id";
constexpr std::string_view kSetClosed = "UPDATE tenders SET closed_at = :closed_at, close_reason = :reason WHERE id = :id";
constexpr std::string_view kNeedsOfTender =
    "UPDATE needs SET status = :to, version = version + 1, updated_at = :now "
    "WHERE status = :from AND lot_id IN (SELECT id FROM lots WHERE tender_id = :tender)";
constexpr std::string_view kReleaseNeedsOfTender =
    "UPDATE needs SET status = 'submitted', lot_id = NULL, version = version + 1, updated_at = :now "
    "WHERE lot_id IN (SELECT id FROM lots WHERE tender_id = :tender) AND status IN ('pooled', 'tendered')";

constexpr std::string_view kInsertBid =
    "INSERT INTO bids (lot_id, supplier_id, received_at, version) "
    "VALUES (:lot, :supplier, :received_at, 1) RETURNING id";
constexpr std::string_view kSelectBids =
    "SELECT id, lot_id, supplier_id, regularity, price_review, CAST(review_requested_on AS TEXT), "
    "CAST(review_deadline AS TEXT), CAST(received_at AS TEXT), version FROM bids ";
constexpr std::string_view kSelectBidDecisions =
    "SELECT d.id, d.decision, d.reason, d.request, CAST(d.deadline AS TEXT), CAST(d.received_on AS TEXT), d.grounds, "
    "d.author_user_id, u.name, CAST(d.recorded_at AS TEXT) FROM bid_decisions d "
    "LEFT JOIN users u ON u.id = d.author_user_id WHERE d.bid_id = :bid ORDER BY d.id";
constexpr std::string_view kInsertBidDecision =
    "INSERT INTO bid_decisions (bid_id, decision, reason, request, deadline, received_on, grounds, author_user_id, "
    "recorded_at) VALUES (:bid, :decision, :reason, :request, :deadline, :received_on, :grounds, :author, :at)";
constexpr std::string_view kOpenLotOfBid =
    "SELECT COUNT(*), MAX(l.quantity), MAX(t.status) FROM lots l JOIN tenders t ON t.id = l.tender_id "
    "WHERE l.id = :lot AND l.status = 'open'";
// Taken first by every write on a lot's bids (a bid recorded or changed, a
// decision, a draw, an award), so that on PostgreSQL (read committed) they run one
// after the other on the same bids; SQLite's writers are serialised anyway.
constexpr std::string_view kLockLot = "UPDATE lots SET status = status WHERE id = :lot";
constexpr std::string_view kUpdateBidReview =
    "UPDATE bids SET regularity = :regularity, price_review = :price_review, review_requested_on = :requested_on, "
    "review_deadline = :deadline, version = version + 1 WHERE id = :id AND version = :version";
constexpr std::string_view kInsertTier = "INSERT INTO bid_tiers (bid_id, min_quantity, unit_price) VALUES (:bid, :min, :price)";
constexpr std::string_view kDeleteTiers = "DELETE FROM bid_tiers WHERE bid_id = :bid";
constexpr std::string_view kInsertScore = "INSERT INTO bid_scores (bid_id, criterion, score) VALUES (:bid, :criterion, :score)";
constexpr std::string_view kDeleteScores = "DELETE FROM bid_scores WHERE bid_id = :bid";
constexpr std::string_view kUpdateBid = "UPDATE bids SET version = version + 1 WHERE id = :id AND version = :version";

constexpr std::string_view kInsertAward =
    "INSERT INTO awards (lot_id, bid_id, unit_price, total, awarded_at) VALUES (:lot, :bid, :price, :total, :at)";
constexpr std::string_view kInsertContract =
    "INSERT INTO contracts (lot_id, member_id, supplier_id, quantity, unit_price, amount, awarded_at) "
    "VALUES (:lot, :member, :supplier, :quantity, :price, :amount, :at)";
constexpr std::string_view kInsertSavings =
    "INSERT INTO savings_lines (lot_id, member_id, reference, contract, standalone, savings, pooling_effect, "
    "competition_effect, duration_months, awarded_on) VALUES (:lot, :member, :reference, :contract, :standalone, "
    ":savings, :pooling, :competition, :duration, :awarded_on)";
constexpr std::string_view kSetLotStatus =
    "UPDATE lots SET status = :status, unsuccessful_reason = :reason, version = version + 1 "
    "WHERE id = :id AND tender_id = :tender AND status = 'open'";
constexpr std::string_view kNeedsOfLot =
    "UPDATE needs SET status = 'awarded', version = version + 1, updated_at = :now WHERE lot_id = :lot AND status = 'tendered'";
constexpr std::string_view kReleaseNeedsOfLot =
    "UPDATE needs SET status = 'submitted', lot_id = NULL, version = version + 1, updated_at = :now WHERE lot_id = :lot";
constexpr std::string_view kOpenLots = "SELECT COUNT(*) FROM lots WHERE tender_id = :tender AND status = 'open'";

constexpr std::string_view kInsertCost =
    "INSERT INTO shared_costs (tender_id, label, amount, cost_key, subsidy_eligible, created_at) "
    "VALUES (:tender, :label, :amount, :key, :eligible, :now) RETURNING id";
constexpr std::string_view kInsertCostShare =
    "INSERT INTO shared_cost_shares (shared_cost_id, member_id, basis_points) VALUES (:cost, :member, :bp)";
constexpr std::string_view kSelectCosts =
    "SELECT id, label, amount, cost_key, subsidy_eligible FROM shared_costs WHERE tender_id = :tender ORDER BY id";
constexpr std::string_view kSelectCostShares =
    "SELECT s.shared_cost_id, s.member_id, s.basis_points FROM shared_cost_shares s JOIN shared_costs c "
    "ON c.id = s.shared_cost_id WHERE c.tender_id = :tender";
constexpr std::string_view kDeleteSplits =
    "DELETE FROM cost_splits WHERE shared_cost_id IN (SELECT id FROM shared_costs WHERE tender_id = :tender)";
// The advisory lock of a tender's cost splits (class 7301, the tender id).
constexpr std::string_view kLockCostSplits = "SELECT pg_advisory_xact_lock(7301, CAST(:tender AS integer))";
constexpr std::string_view kInsertSplit =
    "INSERT INTO cost_splits (shared_cost_id, member_id, share, subsidy, subsidy_rate_bp) "
    "VALUES (:cost, :member, :share, :subsidy, :rate)";
constexpr std::string_view kSelectSplits =
    "SELECT s.shared_cost_id, s.member_id, s.share, s.subsidy, s.subsidy_rate_bp FROM cost_splits s JOIN shared_costs c "
    "ON c.id = s.shared_cost_id WHERE c.tender_id = :tender ORDER BY s.shared_cost_id, s.member_id";
constexpr std::string_view kDeleteCostSplits = "DELETE FROM cost_splits WHERE shared_cost_id = :cost";
constexpr std::string_view kDeleteCostShares = "DELETE FROM shared_cost_shares WHERE shared_cost_id = :cost";
constexpr std::string_view kDeleteCost = "DELETE FROM shared_costs WHERE id = :cost AND tender_id = :tender";
constexpr std::string_view kContractValues =
    "SELECT c.member_id, SUM(c.amount) FROM contracts c JOIN lots l ON l.id = c.lot_id WHERE l.tender_id = :tender "
    "GROUP BY c.member_id";
constexpr std::string_view kSelectSettings = "SELECT key, value FROM settings";

std::string date_or_empty(const std::optional<Date>& d) { return d ? to_string(*d) : std::string(); }

std::optional<Tender> load_tender(soci::session& sql, std::int64_t id) {
  long long key = id;
  long long tid = 0, coordinator = 0, version = 0, groupement = 0;
  soci::indicator groupement_ind = soci::i_null;
  std::string reference, title, status, vehicle, kind, procedure, contract_start, deadline, formula, method, justification,
      launch, reduction, created, published, closed, close_reason, environmental_text, social_text, exception_text,
      tie_break;
  int duration = 0, framework = 1, mapa_days = kDefaultMapaMinimumDays;
  soci::indicator deadline_ind, justification_ind, launch_ind, published_ind, closed_ind, close_reason_ind;
  sql << kSelectTender, soci::use(key), soci::into(tid), soci::into(reference), soci::into(title), soci::into(status),
      soci::into(vehicle), soci::into(coordinator), soci::into(kind), soci::into(procedure), soci::into(contract_start),
      soci::into(duration), soci::into(deadline, deadline_ind), soci::into(formula), soci::into(method),
      soci::into(framework), soci::into(justification, justification_ind), soci::into(launch, launch_ind),
      soci::into(version), soci::into(reduction), soci::into(mapa_days), soci::into(created),
      soci::into(published, published_ind), soci::into(closed, closed_ind), soci::into(close_reason, close_reason_ind),
      soci::into(environmental_text), soci::into(social_text), soci::into(exception_text), soci::into(tie_break),
      soci::into(groupement, groupement_ind);
  if (!sql.got_data()) return std::nullopt;
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
  t.contract_start = parse_date(contract_start.substr(0, 10), "contract_start").value();
  t.duration_months = duration;
  if (deadline_ind == soci::i_ok) t.bid_deadline = normalize_timestamp(deadline);
  t.price_formula = parse_price_formula(formula, "price_formula").value();
  t.abnormally_low_method = parse_abnormally_low_method(method, "abnormally_low_method").value();
  t.framework_agreement = framework != 0;
  if (justification_ind == soci::i_ok) t.allotment_justification = justification;
  if (launch_ind == soci::i_ok && !launch.empty()) t.launch_date = parse_date(launch.substr(0, 10), "launch_date").value();
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
  t.environmental_conditions = environmental_text;
  t.tie_break = parse_tie_break(tie_break, "tie_break").value();
  t.social_considerations = social_text;
  t.social_exception = exception_text;

  {
    std::string name;
    int weight = 0, is_price = 0, environmental = 0, life_cycle_cost = 0;
    soci::statement st = (sql.prepare << kSelectCriteria, soci::use(key), soci::into(name), soci::into(weight),
                          soci::into(is_price), soci::into(environmental), soci::into(life_cycle_cost));
    st.execute();
    while (st.fetch()) t.criteria.push_back({name, weight, is_price != 0, environmental != 0, life_cycle_cost != 0});
  }
  std::map<long long, std::size_t> lot_index;
  {
    long long lot_id = 0, quantity = 0, value = 0, lot_version = 0, officer_estimate = 0;
    int number = 0;
    std::string lot_key, lot_title, cpv, unit, department, lot_status, reason;
    soci::indicator department_ind, reason_ind, estimate_ind;
    soci::statement st = (sql.prepare << kSelectLots, soci::use(key), soci::into(lot_id), soci::into(number),
                          soci::into(lot_key), soci::into(lot_title), soci::into(cpv), soci::into(unit),
                          soci::into(department, department_ind), soci::into(quantity), soci::into(value),
                          soci::into(lot_status), soci::into(reason, reason_ind), soci::into(lot_version),
                          soci::into(officer_estimate, estimate_ind));
    st.execute();
    while (st.fetch()) {
      Lot lot;
      lot.id = lot_id;
      lot.tender_id = tid;
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
      lot_index[lot_id] = t.lots.size();
      t.lots.push_back(std::move(lot));
    }
  }
  {
    long long lot_id = 0, member = 0, quantity = 0, value = 0, price = 0;
    soci::statement st = (sql.prepare << kSelectLotLines, soci::use(key), soci::into(lot_id), soci::into(member),
                          soci::into(quantity), soci::into(value), soci::into(price));
    st.execute();
    while (st.fetch()) {
      t.lots[lot_index.at(lot_id)].members.push_back({member, Quantity{quantity}, Amount{value}, UnitPrice{price}});
    }
  }
  {
    long long lot_id = 0, need_id = 0;
    soci::statement st = (sql.prepare << kSelectLotNeeds, soci::use(key), soci::into(lot_id), soci::into(need_id));
    st.execute();
    while (st.fetch()) t.lots[lot_index.at(lot_id)].need_ids.push_back(need_id);
  }
  return t;
}

std::optional<Date> optional_date(soci::indicator indicator, const std::string& text) {
  if (indicator != soci::i_ok || text.empty()) return std::nullopt;
  return parse_date(text.substr(0, 10), "date").value();
}

std::string grounds_text(const std::vector<int>& grounds) {
  std::string text;
  for (int g : grounds) text += (text.empty() ? "" : ",") + std::to_string(g);
  return text;
}

std::vector<int> parse_grounds(const std::string& text) {
  std::vector<int> grounds;
  for (std::size_t at = 0; at < text.size();) {
    const auto comma = std::min(text.find(',', at), text.size());
    grounds.push_back(std::stoi(text.substr(at, comma - at)));
    at = comma + 1;
  }
  return grounds;
}

std::vector<BidDecisionRecord> load_bid_decisions(soci::session& sql, long long bid_id) {
  long long id = 0, author = 0;
  std::string decision, reason, request, deadline, received_on, grounds, name, at;
  soci::indicator deadline_ind, received_ind, author_ind, name_ind;
  std::vector<BidDecisionRecord> records;
  soci::statement st = (sql.prepare << kSelectBidDecisions, soci::use(bid_id), soci::into(id), soci::into(decision),
                        soci::into(reason), soci::into(request), soci::into(deadline, deadline_ind),
                        soci::into(received_on, received_ind), soci::into(grounds), soci::into(author, author_ind),
                        soci::into(name, name_ind), soci::into(at));
  st.execute();
  while (st.fetch()) {
    BidDecisionRecord r;
    r.id = id;
    r.decision.kind = parse_bid_decision_kind(decision, "decision").value();
    r.decision.reason = reason;
    r.decision.request = request;
    r.decision.deadline = optional_date(deadline_ind, deadline);
    r.decision.received_on = optional_date(received_ind, received_on);
    r.decision.grounds = parse_grounds(grounds);
    r.author_user_id = author_ind == soci::i_ok ? author : 0;
    r.author_name = name_ind == soci::i_ok ? name : "";
    r.recorded_at = normalize_timestamp(at);
    records.push_back(std::move(r));
  }
  return records;
}

// Decisions are read only where the bid is shown or audited, not for evaluations
// and awards, which need the states alone (one query less per bid).
enum class WithDecisions : bool { no, yes };

std::vector<Bid> load_bids(soci::session& sql, const std::string& where, long long key,
                           WithDecisions with_decisions = WithDecisions::yes) {
  long long id = 0, lot = 0, supplier = 0, version = 0;
  std::string regularity, price_review, requested_on, deadline, received;
  soci::indicator requested_ind, deadline_ind;
  std::vector<Bid> bids;
  soci::statement st = (sql.prepare << std::string(kSelectBids) + where, soci::use(key), soci::into(id), soci::into(lot),
                        soci::into(supplier), soci::into(regularity), soci::into(price_review),
                        soci::into(requested_on, requested_ind), soci::into(deadline, deadline_ind), soci::into(received),
                        soci::into(version));
  st.execute();
  while (st.fetch()) {
    Bid b;
    b.id = id;
    b.lot_id = lot;
    b.supplier_id = supplier;
    b.review.regularity = parse_regularity(regularity, "regularity").value();
    b.review.price_review = parse_price_review(price_review, "price_review").value();
    b.review.requested_on = optional_date(requested_ind, requested_on);
    b.review.deadline = optional_date(deadline_ind, deadline);
    b.received_at = normalize_timestamp(received);
    b.version = version;
    bids.push_back(std::move(b));
  }
  for (auto& b : bids) {
    long long bid_id = b.id;
    long long min = 0, price = 0;
    soci::statement tiers = (sql.prepare << "SELECT min_quantity, unit_price FROM bid_tiers WHERE bid_id = :bid ORDER BY min_quantity",
                             soci::use(bid_id), soci::into(min), soci::into(price));
    tiers.execute();
    while (tiers.fetch()) b.tiers.push_back({Quantity{min}, UnitPrice{price}});
    std::string criterion;
    long long score = 0;
    soci::statement scores = (sql.prepare << "SELECT criterion, score FROM bid_scores WHERE bid_id = :bid ORDER BY criterion",
                              soci::use(bid_id), soci::into(criterion), soci::into(score));
    scores.execute();
    while (scores.fetch()) b.scores.push_back({criterion, score});
    if (with_decisions == WithDecisions::yes) b.decisions = load_bid_decisions(sql, bid_id);
  }
  return bids;
}

void insert_bid_details(soci::session& sql, long long bid_id, const Bid& bid) {
  for (const auto& t : bid.tiers) {
    long long min = t.min_quantity.thousandths;
    long long price = t.unit_price.ten_thousandths;
    sql << kInsertTier, soci::use(bid_id), soci::use(min), soci::use(price);
  }
  for (const auto& s : bid.scores) {
    long long score = s.score;
    sql << kInsertScore, soci::use(bid_id), soci::use(s.criterion), soci::use(score);
  }
}

std::vector<BidInput> to_inputs(const std::vector<Bid>& bids) {
  std::vector<BidInput> inputs;
  for (const auto& b : bids) {
    BidInput in;
    in.bid_id = b.id;
    in.supplier_id = b.supplier_id;
    in.regularity = b.review.regularity;
    in.schedule = PriceSchedule::make(b.tiers).value();
    in.scores = b.scores;
    in.price_review = b.review.price_review;
    inputs.push_back(std::move(in));
  }
  return inputs;
}

// The tender's evaluation settings for a lot, with the lot's recorded draws
// (`draws`: load_tender_draws of the tender).
EvaluationOptions evaluation_options(const Tender& t, const Lot& lot, std::map<std::int64_t, std::vector<LotDraw>>& draws) {
  EvaluationOptions o;
  o.formula = t.price_formula;
  o.method = t.abnormally_low_method;
  o.estimate = lot.estimate();
  o.tie_break = t.tie_break;
  o.draws = tie_draws(draws[lot.id]);
  return o;
}

SettingsSnapshot settings_from(soci::session& sql) {
  SettingsSnapshot s;
  std::string key, value;
  soci::statement st = (sql.prepare << kSelectSettings, soci::into(key), soci::into(value));
  st.execute();
  while (st.fetch()) {
    try {
      if (key == "subsidy.collective_rate_bp") s.subsidy.collective_rate_bp = std::stoll(value);
      if (key == "subsidy.single_rate_bp") s.subsidy.single_rate_bp = std::stoll(value);
      if (key == "subsidy.cap_cents") s.subsidy.cap = Amount{std::stoll(value)};
    } catch (const std::exception&) {
      // a malformed setting keeps its default
    }
  }
  return s;
}

std::vector<StoredCost> load_costs(soci::session& sql, long long tender) {
  std::vector<StoredCost> costs;
  std::map<long long, std::size_t> index;
  long long id = 0, amount = 0;
  std::string label, key;
  int eligible = 0;
  soci::statement st = (sql.prepare << kSelectCosts, soci::use(tender), soci::into(id), soci::into(label),
                        soci::into(amount), soci::into(key), soci::into(eligible));
  st.execute();
  while (st.fetch()) {
    StoredCost c;
    c.id = id;
    c.cost.label = label;
    c.cost.amount = Amount{amount};
    c.cost.key = parse_cost_key(key, "key").value();
    c.cost.subsidy_eligible = eligible != 0;
    index[id] = costs.size();
    costs.push_back(std::move(c));
  }
  long long cost_id = 0, member = 0;
  int bp = 0;
  soci::statement shares = (sql.prepare << kSelectCostShares, soci::use(tender), soci::into(cost_id), soci::into(member),
                            soci::into(bp));
  shares.execute();
  while (shares.fetch()) costs[index.at(cost_id)].cost.shares.push_back({member, bp});
  long long share = 0, subsidy = 0;
  int rate = 0;
  soci::statement splits = (sql.prepare << kSelectSplits, soci::use(tender), soci::into(cost_id), soci::into(member),
                            soci::into(share), soci::into(subsidy), soci::into(rate));
  splits.execute();
  while (splits.fetch()) {
    auto& c = costs[index.at(cost_id)];
    c.split.push_back({member, Amount{share}, Amount{subsidy}});
    c.subsidy_rate_bp = rate;
  }
  return costs;
}

// Recomputes every shared cost's split of the tender from the contracts so far.
// A cost with nothing to split by yet (no contract value) keeps no split rows.
void resplit_costs(soci::session& sql, const Tender& tender) {
  long long key = tender.id;
  // Two transactions re-splitting one tender's costs at once (a cost recorded
  // while a lot is awarded) would delete and write the same rows: on PostgreSQL
  // they take turns on a lock of that tender's, held to the end of the
  // transaction; SQLite's writers already take turns.
  if (sql.get_backend_name() == "postgresql") sql << kLockCostSplits, soci::use(key);
  sql << kDeleteSplits, soci::use(key);
  auto costs = load_costs(sql, key);
  if (costs.empty()) return;
  std::map<std::int64_t, CostBasis> basis;
  bool same_unit = true;
  for (const auto& lot : tender.lots) {
    same_unit = same_unit && lot.unit == tender.lots.front().unit;
    for (const auto& m : lot.members) {
      auto& b = basis[m.member_id];
      b.member_id = m.member_id;
      b.quantity += m.quantity;
    }
  }
  long long member = 0, total = 0;
  soci::statement st = (sql.prepare << kContractValues, soci::use(key), soci::into(member), soci::into(total));
  st.execute();
  while (st.fetch()) basis[member].contract_value = Amount{total};
  std::vector<CostBasis> list;
  for (const auto& [id, b] : basis) list.push_back(b);
  std::vector<SharedCost> items;
  for (const auto& c : costs) items.push_back(c.cost);
  // Each cost on its own: one that cannot be split yet keeps no split rows and
  // leaves the others whole.
  const auto split = split_costs(items, list, same_unit, settings_from(sql).subsidy);
  for (std::size_t i = 0; i < costs.size(); ++i) {
    long long cost_id = costs[i].id;
    int rate = static_cast<int>(split[i].subsidy_rate_bp);
    for (const auto& m : split[i].members) {
      long long member_id = m.member_id, share = m.share.cents, subsidy = m.subsidy.cents;
      sql << kInsertSplit, soci::use(cost_id), soci::use(member_id), soci::use(share), soci::use(subsidy), soci::use(rate);
    }
  }
}

// What the tender offers to split a new cost by.
CostContext cost_context(const Tender& tender) {
  CostContext context;
  std::set<std::int64_t> participants;
  bool contract_value_ahead = false;
  for (const auto& lot : tender.lots) {
    context.same_unit = context.same_unit && lot.unit == tender.lots.front().unit;
    contract_value_ahead = contract_value_ahead || lot.status != LotStatus::unsuccessful;
    for (const auto& m : lot.members) participants.insert(m.member_id);
  }
  context.participants.assign(participants.begin(), participants.end());
  context.contract_value_ahead = contract_value_ahead;
  return context;
}

const Lot* find_lot(const Tender& t, std::int64_t lot_id) {
  for (const auto& l : t.lots) {
    if (l.id == lot_id) return &l;
  }
  return nullptr;
}

// Locks the lot's row first (after any decision, draw or award under way on it:
// PostgreSQL's read committed would otherwise let two of them read the same bids),
// then reads its tender; not found when the lot is not one of the tender's.
Result<Tender> tender_with_locked_lot(soci::session& sql, std::int64_t tender_id, std::int64_t lot_id) {
  long long locked_lot = lot_id;
  sql << kLockLot, soci::use(locked_lot);
  auto tender = load_tender(sql, tender_id);
  if (!tender) return Error{ErrorCode::not_found, "consultation introuvable", {}, "tender.not_found"};
  if (find_lot(*tender, lot_id) == nullptr) return Error{ErrorCode::not_found, "ce lot n’est pas un lot de cette consultation", {}, "lot.not_found"};
  return *std::move(tender);
}

// After a lot is settled: the tender is awarded when no lot is left open.
void settle_tender(soci::session& sql, const Actor& actor, const Tender& before, const std::string& now) {
  long long key = before.id;
  int open = 0;
  sql << kOpenLots, soci::use(key), soci::into(open);
  if (open == 0 && before.status == TenderStatus::closed) {
    const std::string to = "awarded", from = "closed";
    sql << kSetTenderStatus, soci::use(to), soci::use(now), soci::use(key), soci::use(from);
    write_audit(sql, actor, "tender", before.id, "awarded", "", "{\"status\":\"awarded\"}");
  }
}

}  // namespace

Result<Tender> create_tender(Database& database, const Actor& actor, const Tender& tender) {
  if (auto status = validate_criteria(tender.criteria); !status) return std::move(status).error();
  if (tender.title.empty() || tender.title.size() > 300) return Error::invalid("title", "must be 1–300 characters");
  if (auto status = validate_execution_conditions(tender); !status) return std::move(status).error();
  if (tender.lots.empty()) return Error::invalid("proposal", "the proposal has no lot: nothing to tender");
  if (tender.duration_months < 1 || tender.duration_months > 120) {
    return Error::invalid("duration_months", "must be between 1 and 120");
  }
  for (const auto& lot : tender.lots) {
    if (lot.need_versions.size() != lot.need_ids.size()) {
      return Error::invalid("lots", "lot " + lot.key + ": the needs' versions as read are missing (make the lots from a proposal)");
    }
  }
  return in_transaction<Tender>(database, [&](soci::session& sql) -> Result<Tender> {
    // An inactive member neither coordinates nor joins a new tender.
    if (auto active = member_takes_part(sql, tender.coordinator_member_id, "coordinator_member_id", "coordinate a new tender");
        !active) {
      return std::move(active).error();
    }
    std::set<std::int64_t> members;
    for (const auto& lot : tender.lots) {
      for (const auto& m : lot.members) members.insert(m.member_id);
    }
    for (const auto member : members) {
      if (auto active = member_takes_part(sql, member, "proposal", "join a new tender"); !active) return std::move(active).error();
    }
    // The groupement's convention: its coordinator (L2113-7); a centrale's tender has none.
    if (tender.groupement_id) {
      const auto groupement = load_groupement(sql, *tender.groupement_id);
      if (!groupement) {
        return Error::rule_broken(ErrorCode::invalid, "groupement.unknown", "groupement_id", "Aucun groupement de commandes n° " +
                                                                                          std::to_string(*tender.groupement_id) + ".");
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
        launch = date_or_empty(tender.launch_date), tie_break(to_string(tender.tie_break));
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
        soci::use(tender.allotment_justification, justification_ind), soci::use(launch, launch_ind), soci::use(reduction),
        soci::use(mapa_days), soci::use(tender.environmental_conditions), soci::use(tender.social_considerations),
        soci::use(tender.social_exception), soci::use(tie_break), soci::use(groupement_key, groupement_ind),
        soci::use(now), soci::use(now), soci::into(id);
    char reference[48];
    std::snprintf(reference, sizeof reference, "CNP-%s-%04lld", now.substr(0, 4).c_str(), id);
    const std::string reference_text = reference;
    sql << kSetReference, soci::use(reference_text), soci::use(id);
    for (std::size_t i = 0; i < tender.criteria.size(); ++i) {
      const auto& c = tender.criteria[i];
      int position = static_cast<int>(i), weight = c.weight, is_price = c.is_price ? 1 : 0, env = c.environmental ? 1 : 0,
          lcc = c.life_cycle_cost ? 1 : 0;
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
          soci::use(unit), soci::use(department, department_ind), soci::use(quantity), soci::use(value), soci::into(lot_id);
      for (const auto& m : lot.members) {
        long long member = m.member_id, q = m.quantity.thousandths, v = m.reference_value.cents,
                  p = m.reference_unit_price.ten_thousandths;
        sql << kInsertLotLine, soci::use(lot_id), soci::use(member), soci::use(q), soci::use(v), soci::use(p);
      }
      for (std::size_t i = 0; i < lot.need_ids.size(); ++i) {
        long long need = lot.need_ids[i], version = lot.need_versions[i];
        soci::statement pool =
            (sql.prepare << kPoolNeed, soci::use(lot_id), soci::use(now), soci::use(need), soci::use(version));
        pool.execute(true);
        if (pool.get_affected_rows() != 1) {
          moved.push_back({"needs." + std::to_string(need),
                           "changed since the proposal read it (edited, withdrawn or pooled elsewhere)"});
        }
      }
    }
    if (!moved.empty()) {
      std::string ids;
      for (const auto& m : moved) ids += (ids.empty() ? "" : ", ") + m.field.substr(6);
      return Error{ErrorCode::conflict,
                   "needs " + ids + " changed since the proposal read them: compute the proposal again", std::move(moved)};
    }
    auto created = load_tender(sql, id);
    write_audit(sql, actor, "tender", id, "create", "", formats::to_json_text(*created));
    return *created;
  });
}

Result<Tender> get_tender(Database& database, std::int64_t id) {
  return with_connection<Tender>(database, [&](soci::session& sql) -> Result<Tender> {
    auto t = load_tender(sql, id);
    if (!t) return Error{ErrorCode::not_found, "consultation introuvable", {}, "tender.not_found"};
    return *t;
  });
}

Result<PageOf<Tender>> list_tenders(Database& database, std::optional<std::int64_t> member_id, const Page& page) {
  return with_connection<PageOf<Tender>>(database, [&](soci::session& sql) -> Result<PageOf<Tender>> {
    const std::size_t limit = std::max<std::size_t>(1, std::min(page.limit, kMaxPageSize));
    long long before = page.before_id.value_or(INT64_MAX);
    long long member = member_id.value_or(0);
    std::string query = "SELECT t.id FROM tenders t WHERE t.id < :before";
    if (member_id) {
      query += " AND EXISTS (SELECT 1 FROM lots l JOIN lot_lines ll ON ll.lot_id = l.id "
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
    for (std::size_t i = 0; i < ids.size() && i < limit; ++i) result.items.push_back(*load_tender(sql, ids[i]));
    if (ids.size() > limit) result.next_before_id = result.items.back().id;
    return result;
  });
}

Result<Tender> update_tender(Database& database, const Actor& actor, const Tender& tender) {
  if (auto status = validate_criteria(tender.criteria); !status) return std::move(status).error();
  if (tender.title.empty() || tender.title.size() > 300) return Error::invalid("title", "must be 1–300 characters");
  if (auto status = validate_execution_conditions(tender); !status) return std::move(status).error();
  if (tender.duration_months < 1 || tender.duration_months > 120) return Error::invalid("duration_months", "must be between 1 and 120");
  return in_transaction<Tender>(database, [&](soci::session& sql) -> Result<Tender> {
    auto before = load_tender(sql, tender.id);
    if (!before) return Error{ErrorCode::not_found, "consultation introuvable", {}, "tender.not_found"};
    if (before->status != TenderStatus::draft) {
      return Error::of(ErrorCode::conflict, "the tender is " + std::string(to_string(before->status)) + ": only a draft can be edited");
    }
    if (auto fixed = check_period_unchanged(*before, tender); !fixed) return std::move(fixed).error();
    // The groupement stays the stored one; the vehicle may not leave it (a centrale has none).
    if (before->groupement_id) {
      Tender edited = tender;
      edited.groupement_id = before->groupement_id;
      const auto groupement = load_groupement(sql, *before->groupement_id);
      if (auto status = check_tender_vehicle(edited, groupement ? &*groupement : nullptr); !status) return std::move(status).error();
    }
    const std::string now = utc_timestamp_now();
    const std::string vehicle(to_string(tender.vehicle)), formula(to_string(tender.price_formula)),
        method(to_string(tender.abnormally_low_method)), start = to_string(tender.contract_start),
        launch = date_or_empty(tender.launch_date), procedure(to_string(tender.procedure)),
        tie_break(to_string(tender.tie_break));
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
    if (st.get_affected_rows() == 0) return Error::of(ErrorCode::stale, "the tender changed since it was read: read it again and retry");
    sql << kDeleteCriteria, soci::use(id);
    for (std::size_t i = 0; i < tender.criteria.size(); ++i) {
      const auto& c = tender.criteria[i];
      int position = static_cast<int>(i), weight = c.weight, is_price = c.is_price ? 1 : 0, env = c.environmental ? 1 : 0,
          lcc = c.life_cycle_cost ? 1 : 0;
      sql << kInsertCriterion, soci::use(id), soci::use(position), soci::use(c.name), soci::use(weight),
          soci::use(is_price), soci::use(env), soci::use(lcc);
    }
    for (const auto& lot : tender.lots) {
      long long lot_id = lot.id, estimate = lot.officer_estimate ? lot.officer_estimate->cents : 0;
      soci::indicator estimate_ind = lot.officer_estimate ? soci::i_ok : soci::i_null;
      if (lot.title.empty() || lot.title.size() > 300) return Error::invalid("lots", "lot titles are 1–300 characters");
      sql << kUpdateLotTitle, soci::use(lot.title), soci::use(estimate, estimate_ind), soci::use(lot_id), soci::use(id);
    }
    auto after = load_tender(sql, id);
    write_audit(sql, actor, "tender", id, "update", formats::to_json_text(*before), formats::to_json_text(*after));
    return *after;
  });
}

Result<Tender> transition_tender(Database& database, const Actor& actor, std::int64_t id, TenderStatus to,
                                 std::optional<std::int64_t> version, Date today, const TransitionFacts& facts) {
  // Without the caller's clock, the transition happens at the start of `today` in Paris.
  const Instant at = facts.now ? *facts.now : add_seconds(utc_instant(today), -paris_offset_minutes(utc_instant(today)) * 60);
  return in_transaction<Tender>(database, [&](soci::session& sql) -> Result<Tender> {
    auto before = load_tender(sql, id);
    if (!before) return Error{ErrorCode::not_found, "consultation introuvable", {}, "tender.not_found"};
    if (version && *version != before->version) {
      return Error::of(ErrorCode::stale, "the tender changed since it was read: read it again and retry");
    }
    if (!tender_transition_allowed(before->status, to)) {
      return Error::of(ErrorCode::conflict, "a " + std::string(to_string(before->status)) + " tender cannot become " +
                                                std::string(to_string(to)));
    }
    ProcedureAdvice advice;
    if (to == TenderStatus::published) {
      if (auto status = check_publishable(*before, today, at); !status) return std::move(status).error();
      // Only members who signed the convention by the day the notice is sent (L2113-6).
      if (before->groupement_id) {
        const auto groupement = load_groupement(sql, *before->groupement_id);
        if (groupement) {
          if (auto status = check_groupement_launch(*groupement, *before, today); !status) return std::move(status).error();
        }
      }
      // The advice and thresholds are frozen at the day the notice is sent.
      auto computed = advise_procedure(procedure_input(*before, today),
                                       facts.thresholds != nullptr ? *facts.thresholds : ThresholdTable::defaults());
      if (!computed) return std::move(computed).error();
      advice = *computed;
      // Social considerations follow the procedure frozen now (L2112-2-1): checked again
      // when the advice moved from the draft's stored procedure.
      if (advice.procedure != before->procedure) {
        if (auto errors = execution_condition_errors(*before, advice.procedure, today); !errors.empty()) {
          Error error{ErrorCode::conflict, errors.front().message, std::move(errors)};
          error.rule = error.fields.front().code;
          return error;
        }
      }
    }
    if (to == TenderStatus::closed) {
      if (auto status = check_close(*before, at, facts.reason); !status) return std::move(status).error();
    }
    if (to == TenderStatus::cancelled) {
      for (const auto& lot : before->lots) {
        if (lot.status == LotStatus::awarded) {
          return Error::of(ErrorCode::conflict, "lot " + std::to_string(lot.number) + " is awarded: the tender can no longer be cancelled");
        }
      }
    }
    const std::string now = utc_timestamp_now();
    const std::string status(to_string(to)), from(to_string(before->status));
    long long key = id;
    soci::statement st = (sql.prepare << kSetTenderStatus, soci::use(status), soci::use(now), soci::use(key), soci::use(from));
    st.execute(true);
    if (st.get_affected_rows() == 0) return Error::of(ErrorCode::stale, "the tender changed meanwhile: retry");
    if (to == TenderStatus::published) {
      const std::string procedure(to_string(advice.procedure)), launch = to_string(today), published = to_utc_string(at);
      sql << kSetPublished, soci::use(procedure), soci::use(launch), soci::use(published), soci::use(key);
    } else if (to == TenderStatus::closed) {
      const std::string closed = to_utc_string(at);
      soci::indicator reason_ind = facts.reason.empty() ? soci::i_null : soci::i_ok;
      sql << kSetClosed, soci::use(closed), soci::use(facts.reason, reason_ind), soci::use(key);
    }
    if (to == TenderStatus::published) {
      const std::string need_to = "tendered", need_from = "pooled";
      sql << kNeedsOfTender, soci::use(need_to), soci::use(now), soci::use(need_from), soci::use(key);
    } else if (to == TenderStatus::cancelled) {
      sql << kReleaseNeedsOfTender, soci::use(now), soci::use(key);
    }
    auto after = load_tender(sql, id);
    write_audit(sql, actor, "tender", id, std::string(to_string(to)), formats::to_json_text(*before), formats::to_json_text(*after));
    return *after;
  });
}

Result<Bid> create_bid(Database& database, const Actor& actor, std::int64_t tender_id, std::int64_t lot_id, const Bid& bid,
                       std::optional<Instant> bid_clock) {
  if (auto schedule = PriceSchedule::make(bid.tiers); !schedule) return std::move(schedule).error();
  return in_transaction<Bid>(database, [&](soci::session& sql) -> Result<Bid> {
    auto tender = tender_with_locked_lot(sql, tender_id, lot_id);
    if (!tender) return std::move(tender).error();
    const Lot* lot = find_lot(*tender, lot_id);
    // Received at the time given (else now), checked against the clock, the
    // publication and the deadline; only while the tender is published.
    const Instant now = utc_instant_now();
    Instant received = now;
    if (!bid.received_at.empty()) {
      auto given = parse_date_time(bid.received_at, "received_at");
      if (!given) return std::move(given).error();
      received = *given;
    }
    if (auto receipt = check_bid_receipt(*tender, received, bid_clock.value_or(now)); !receipt) {
      return std::move(receipt).error();
    }
    if (lot->status != LotStatus::open) return Error::of(ErrorCode::conflict, "the lot is already settled");
    if (auto fits = check_bid_fits_lot(PriceSchedule::make(bid.tiers).value(), lot->quantity); !fits) {
      return std::move(fits).error();
    }
    for (const auto& s : bid.scores) {
      const bool known = std::any_of(tender->criteria.begin(), tender->criteria.end(),
                                     [&](const Criterion& c) { return c.name == s.criterion && !c.is_cost(); });
      if (!known) return Error::invalid("scores." + s.criterion, "is not a non-price criterion of this tender");
    }
    const std::string received_text = to_utc_string(received);
    long long lot_key = lot_id, supplier = bid.supplier_id, id = 0;
    sql << kInsertBid, soci::use(lot_key), soci::use(supplier), soci::use(received_text), soci::into(id);
    insert_bid_details(sql, id, bid);
    auto created = load_bids(sql, "WHERE id = :id", id).front();
    write_audit(sql, actor, "bid", id, "create", "", formats::to_json_text(created));
    return created;
  });
}

Result<Bid> get_bid(Database& database, std::int64_t id) {
  return with_connection<Bid>(database, [&](soci::session& sql) -> Result<Bid> {
    auto bids = load_bids(sql, "WHERE id = :id", id);
    if (bids.empty()) return Error{ErrorCode::not_found, "offre introuvable", {}, "bid.not_found"};
    return bids.front();
  });
}

Result<std::vector<Bid>> list_bids(Database& database, std::int64_t lot_id) {
  return with_connection<std::vector<Bid>>(database, [&](soci::session& sql) -> Result<std::vector<Bid>> {
    return load_bids(sql, "WHERE lot_id = :lot ORDER BY id", lot_id);
  });
}

Result<Bid> update_bid(Database& database, const Actor& actor, const Bid& bid, std::string_view reason) {
  if (auto schedule = PriceSchedule::make(bid.tiers); !schedule) return std::move(schedule).error();
  return in_transaction<Bid>(database, [&](soci::session& sql) -> Result<Bid> {
    auto found = load_bids(sql, "WHERE id = :id", bid.id);
    if (found.empty()) return Error{ErrorCode::not_found, "offre introuvable", {}, "bid.not_found"};
    long long lot_id = found.front().lot_id;
    sql << kLockLot, soci::use(lot_id);  // no award, decision or draw reads the lot's bids meanwhile
    found = load_bids(sql, "WHERE id = :id", bid.id);
    const Bid& before = found.front();
    int open = 0;
    long long lot_quantity = 0;
    std::string tender_status;
    soci::indicator quantity_ind = soci::i_null, status_ind = soci::i_null;  // MAX over no row is NULL
    sql << kOpenLotOfBid, soci::use(lot_id), soci::into(open), soci::into(lot_quantity, quantity_ind),
        soci::into(tender_status, status_ind);
    if (open == 0) return Error::of(ErrorCode::conflict, "the lot is already settled: its bids no longer change");
    // The offer as received is what is judged: its prices are corrected only before
    // the bids are opened, never once they are (the tender closed) or decided on.
    if (before.tiers != bid.tiers && (tender_status != "published" || before.review.regularity != Regularity::received ||
                                      before.review.price_review != PriceReview::none)) {
      return Error::rule_broken(ErrorCode::conflict, "bid.schedule_frozen", "tiers",
                                "le bordereau de prix d’une offre ne change plus une fois les plis ouverts ou une décision "
                                "prise sur elle : l’offre est jugée telle qu’elle a été remise");
    }
    if (before.tiers != bid.tiers) {
      if (auto fits = check_bid_fits_lot(PriceSchedule::make(bid.tiers).value(), Quantity{lot_quantity}); !fits) {
        return std::move(fits).error();
      }
    }
    if (auto marks = check_score_change(before.scores, bid.scores, tender_status != "published", lot_has_draw(sql, lot_id),
                                        reason);
        !marks) {
      return std::move(marks).error();
    }
    long long id = bid.id, version = bid.version;
    soci::statement st = (sql.prepare << kUpdateBid, soci::use(id), soci::use(version));
    st.execute(true);
    if (st.get_affected_rows() == 0) return Error::of(ErrorCode::stale, "the bid changed since it was read: read it again and retry");
    sql << kDeleteTiers, soci::use(id);
    sql << kDeleteScores, soci::use(id);
    insert_bid_details(sql, id, bid);
    auto after = load_bids(sql, "WHERE id = :id", id).front();
    auto logged = formats::to_json(after);
    if (!reason.empty()) logged.as_object()["reason"] = reason;  // why a mark changed after opening
    write_audit(sql, actor, "bid", id, "update", formats::to_json_text(before), boost::json::serialize(logged));
    return after;
  });
}

Result<Bid> record_bid_decision(Database& database, const Actor& actor, std::int64_t bid_id,
                                std::optional<std::int64_t> expected_version, const BidDecision& decision, Date today) {
  return in_transaction<Bid>(database, [&](soci::session& sql) -> Result<Bid> {
    auto found = load_bids(sql, "WHERE id = :id", bid_id);
    if (found.empty()) return Error{ErrorCode::not_found, "offre introuvable", {}, "bid.not_found"};
    const Bid& before = found.front();
    if (expected_version && *expected_version != before.version) {
      return Error::of(ErrorCode::stale, "the bid changed since it was read: read it again and retry");
    }
    long long lot_id = before.lot_id, tender_id = 0;
    sql << kLockLot, soci::use(lot_id);
    sql << "SELECT tender_id FROM lots WHERE id = :lot", soci::use(lot_id), soci::into(tender_id);
    auto tender = load_tender(sql, tender_id);
    if (!tender) return Error{ErrorCode::not_found, "consultation introuvable", {}, "tender.not_found"};
    const Lot* lot = find_lot(*tender, lot_id);
    // Whether the formula flags the bid: the lot evaluated on its bids as they stand.
    auto bids = load_bids(sql, "WHERE lot_id = :lot ORDER BY id", lot_id, WithDecisions::no);
    auto draws = load_tender_draws(sql, tender_id);
    auto evaluation =
        evaluate_lot(lot->quantity, tender->criteria, to_inputs(bids), evaluation_options(*tender, *lot, draws));
    if (!evaluation) return std::move(evaluation).error();
    const auto evaluated = std::find_if(evaluation->bids.begin(), evaluation->bids.end(),
                                        [&](const BidEvaluation& b) { return b.bid_id == bid_id; });
    DecisionContext context;
    context.tender_closed = tender->status == TenderStatus::closed;
    context.lot_open = lot->status == LotStatus::open;
    context.flagged_abnormally_low = evaluated != evaluation->bids.end() && evaluated->abnormally_low;
    context.today = today;
    auto review = decide(before.review, decision, context);
    if (!review) return std::move(review).error();

    const std::string regularity(to_string(review->regularity)), price_review(to_string(review->price_review));
    std::string requested_on = review->requested_on ? to_string(*review->requested_on) : "";
    std::string deadline = review->deadline ? to_string(*review->deadline) : "";
    soci::indicator requested_ind = review->requested_on ? soci::i_ok : soci::i_null;
    soci::indicator deadline_ind = review->deadline ? soci::i_ok : soci::i_null;
    long long id = bid_id, version = before.version;
    soci::statement st = (sql.prepare << kUpdateBidReview, soci::use(regularity), soci::use(price_review),
                          soci::use(requested_on, requested_ind), soci::use(deadline, deadline_ind), soci::use(id),
                          soci::use(version));
    st.execute(true);
    if (st.get_affected_rows() == 0) return Error::of(ErrorCode::stale, "the bid changed since it was read: read it again and retry");

    const std::string kind(to_string(decision.kind)), grounds = grounds_text(decision.grounds), now = utc_timestamp_now();
    std::string asked = decision.deadline ? to_string(*decision.deadline) : "";
    std::string received = decision.received_on ? to_string(*decision.received_on) : "";
    soci::indicator asked_ind = decision.deadline ? soci::i_ok : soci::i_null;
    soci::indicator received_ind = decision.received_on ? soci::i_ok : soci::i_null;
    long long author = actor.user_id.value_or(0);
    soci::indicator author_ind = actor.user_id ? soci::i_ok : soci::i_null;
    sql << kInsertBidDecision, soci::use(id), soci::use(kind), soci::use(decision.reason), soci::use(decision.request),
        soci::use(asked, asked_ind), soci::use(received, received_ind), soci::use(grounds), soci::use(author, author_ind),
        soci::use(now);
    auto after = load_bids(sql, "WHERE id = :id", id).front();
    write_audit(sql, actor, "bid", id, "decision:" + kind, formats::to_json_text(before), formats::to_json_text(after));
    return after;
  });
}

Result<LotDraw> record_draw(Database& database, const Actor& actor, std::int64_t tender_id, std::int64_t lot_id,
                           const DrawRequest& request) {
  return in_transaction<LotDraw>(database, [&](soci::session& sql) -> Result<LotDraw> {
    auto tender = tender_with_locked_lot(sql, tender_id, lot_id);
    if (!tender) return std::move(tender).error();
    const Lot* lot = find_lot(*tender, lot_id);
    if (tender->status != TenderStatus::closed || lot->status != LotStatus::open) {
      return Error::rule_broken(ErrorCode::conflict, "draw.lot_not_open", "lot",
                                "le tirage au sort départage les offres d’un lot ouvert, une fois la remise des offres close");
    }
    auto bids = load_bids(sql, "WHERE lot_id = :lot ORDER BY id", lot_id, WithDecisions::no);
    auto draws = load_tender_draws(sql, tender_id);
    auto evaluation = evaluate_lot(lot->quantity, tender->criteria, to_inputs(bids), evaluation_options(*tender, *lot, draws));
    if (!evaluation) return std::move(evaluation).error();
    // A hand draw names the bids in the order drawn; the server's may leave them to the lot's only tie.
    auto order = request.method == DrawMethod::electronic ? bids_to_draw(*evaluation, request.order)
                                                         : Result<std::vector<std::int64_t>>(request.order);
    if (!order) return std::move(order).error();
    if (auto status = check_draw(*evaluation, *order, request.minutes); !status) return std::move(status).error();
    if (request.method == DrawMethod::electronic) {
      std::random_device entropy;  // the operating system's generator: nobody chooses the outcome
      std::shuffle(order->begin(), order->end(), entropy);
    }
    const auto draw = insert_draw(sql, actor, lot_id, request.method, *order, request.minutes);
    boost::json::array drawn;
    for (const auto id : *order) drawn.push_back(id);
    write_audit(sql, actor, "lot", lot_id, "draw", "",
                boost::json::serialize(boost::json::object{{"draw_id", draw.id},
                                                           {"method", to_string(request.method)},
                                                           {"order", std::move(drawn)},
                                                           {"minutes", request.minutes}}));
    return load_tender_draws(sql, tender_id)[lot_id].back();  // as stored, with its author's name
  });
}

Result<std::vector<std::pair<Lot, LotEvaluation>>> evaluate_tender(Database& database, std::int64_t tender_id) {
  using Out = std::vector<std::pair<Lot, LotEvaluation>>;
  return with_connection<Out>(database, [&](soci::session& sql) -> Result<Out> {
    auto tender = load_tender(sql, tender_id);
    if (!tender) return Error{ErrorCode::not_found, "consultation introuvable", {}, "tender.not_found"};
    Out out;
    auto draws = load_tender_draws(sql, tender_id);
    for (const auto& lot : tender->lots) {
      auto bids = load_bids(sql, "WHERE lot_id = :lot ORDER BY id", lot.id, WithDecisions::no);
      auto evaluation = evaluate_lot(lot.quantity, tender->criteria, to_inputs(bids), evaluation_options(*tender, lot, draws));
      if (!evaluation) return std::move(evaluation).error();
      out.emplace_back(lot, std::move(evaluation).value());
    }
    return out;
  });
}

Result<SettingsSnapshot> read_settings(Database& database) {
  return with_connection<SettingsSnapshot>(database, [&](soci::session& sql) -> Result<SettingsSnapshot> { return settings_from(sql); });
}

Result<Tender> award_lot(Database& database, const Actor& actor, std::int64_t tender_id, std::int64_t lot_id,
                         std::int64_t bid_id, Date awarded_on) {
  return in_transaction<Tender>(database, [&](soci::session& sql) -> Result<Tender> {
    auto tender = tender_with_locked_lot(sql, tender_id, lot_id);
    if (!tender) return std::move(tender).error();
    const Lot* lot = find_lot(*tender, lot_id);
    if (tender->status != TenderStatus::closed) {
      return Error::of(ErrorCode::conflict, "lots are awarded once the tender is closed; it is " +
                                                std::string(to_string(tender->status)));
    }
    if (lot->status != LotStatus::open) return Error::of(ErrorCode::conflict, "the lot is already settled");
    const auto bids = load_bids(sql, "WHERE lot_id = :lot ORDER BY id", lot_id, WithDecisions::no);
    const auto inputs = to_inputs(bids);
    auto draws = load_tender_draws(sql, tender_id);
    auto evaluation = evaluate_lot(lot->quantity, tender->criteria, inputs, evaluation_options(*tender, *lot, draws));
    if (!evaluation) return std::move(evaluation).error();
    std::vector<LotLine> lines;
    for (const auto& m : lot->members) lines.push_back({m.member_id, m.quantity, m.reference_value});
    auto decision = canopee::award_lot(lot->quantity, lines, *evaluation, bid_id);
    if (!decision) return std::move(decision).error();
    const auto winner = std::find_if(inputs.begin(), inputs.end(), [&](const BidInput& b) { return b.bid_id == bid_id; });
    auto savings = compute_savings(lines, winner->schedule, decision->unit_price);
    if (!savings) return std::move(savings).error();

    const std::string now = utc_timestamp_now();
    const std::string on = to_string(awarded_on);
    long long lot_key = lot_id, bid_key = bid_id, price = decision->unit_price.ten_thousandths, total = decision->total.cents;
    long long supplier = winner->supplier_id, tender_key = tender_id;
    int duration = tender->duration_months;
    sql << kInsertAward, soci::use(lot_key), soci::use(bid_key), soci::use(price), soci::use(total), soci::use(now);
    for (const auto& line : decision->lines) {
      long long member = line.member_id, quantity = line.quantity.thousandths, amount = line.amount.cents;
      sql << kInsertContract, soci::use(lot_key), soci::use(member), soci::use(supplier), soci::use(quantity),
          soci::use(price), soci::use(amount), soci::use(now);
    }
    for (const auto& s : *savings) {
      long long member = s.member_id, reference = s.reference.cents, contract = s.contract.cents,
                standalone = s.standalone.cents, saved = s.savings.cents, pooling = s.pooling_effect.cents,
                competition = s.competition_effect.cents;
      sql << kInsertSavings, soci::use(lot_key), soci::use(member), soci::use(reference), soci::use(contract),
          soci::use(standalone), soci::use(saved), soci::use(pooling), soci::use(competition), soci::use(duration),
          soci::use(on);
    }
    const std::string awarded = "awarded";
    soci::indicator no_reason = soci::i_null;
    const std::string empty;
    soci::statement lot_update = (sql.prepare << kSetLotStatus, soci::use(awarded), soci::use(empty, no_reason),
                                  soci::use(lot_key), soci::use(tender_key));
    lot_update.execute(true);
    if (lot_update.get_affected_rows() != 1) return Error::of(ErrorCode::conflict, "the lot was settled meanwhile");
    sql << kNeedsOfLot, soci::use(now), soci::use(lot_key);
    auto after = load_tender(sql, tender_id);
    resplit_costs(sql, *after);
    write_audit(sql, actor, "lot", lot_id, "award", formats::to_json_text(*lot),
                "{\"bid_id\":" + std::to_string(bid_id) + ",\"unit_price\":\"" + to_string(decision->unit_price) +
                    "\",\"total\":\"" + to_string(decision->total) + "\"}");
    settle_tender(sql, actor, *after, now);
    return *load_tender(sql, tender_id);
  });
}

Result<Tender> mark_lot_unsuccessful(Database& database, const Actor& actor, std::int64_t tender_id, std::int64_t lot_id,
                                     const std::string& reason) {
  if (auto status = check_unsuccessful(reason); !status) return std::move(status).error();
  return in_transaction<Tender>(database, [&](soci::session& sql) -> Result<Tender> {
    auto tender = tender_with_locked_lot(sql, tender_id, lot_id);
    if (!tender) return std::move(tender).error();
    const Lot* lot = find_lot(*tender, lot_id);
    if (tender->status != TenderStatus::closed) {
      return Error::of(ErrorCode::conflict, "a lot is declared unsuccessful once the tender is closed; it is " +
                                                std::string(to_string(tender->status)));
    }
    const std::string now = utc_timestamp_now();
    const std::string unsuccessful = "unsuccessful";
    long long lot_key = lot_id, tender_key = tender_id;
    soci::statement st = (sql.prepare << kSetLotStatus, soci::use(unsuccessful), soci::use(reason), soci::use(lot_key),
                          soci::use(tender_key));
    st.execute(true);
    if (st.get_affected_rows() != 1) return Error::of(ErrorCode::conflict, "the lot is already settled");
    sql << kReleaseNeedsOfLot, soci::use(now), soci::use(lot_key);
    auto after = load_tender(sql, tender_id);
    resplit_costs(sql, *after);
    write_audit(sql, actor, "lot", lot_id, "unsuccessful", formats::to_json_text(*lot),
                formats::to_json_text(*find_lot(*after, lot_id)));
    settle_tender(sql, actor, *after, now);
    return *load_tender(sql, tender_id);
  });
}

Result<StoredCost> add_shared_cost(Database& database, const Actor& actor, std::int64_t tender_id, const SharedCost& cost) {
  return in_transaction<StoredCost>(database, [&](soci::session& sql) -> Result<StoredCost> {
    auto tender = load_tender(sql, tender_id);
    if (!tender) return Error{ErrorCode::not_found, "consultation introuvable", {}, "tender.not_found"};
    if (tender->status == TenderStatus::cancelled) return Error::of(ErrorCode::conflict, "the tender is cancelled");
    if (auto status = check_cost_for_tender(cost, cost_context(*tender)); !status) return std::move(status).error();
    const std::string now = utc_timestamp_now();
    const std::string key(to_string(cost.key));
    long long tender_key = tender_id, amount = cost.amount.cents, id = 0;
    int eligible = cost.subsidy_eligible ? 1 : 0;
    sql << kInsertCost, soci::use(tender_key), soci::use(cost.label), soci::use(amount), soci::use(key),
        soci::use(eligible), soci::use(now), soci::into(id);
    for (const auto& share : cost.shares) {
      long long member = share.member_id;
      int bp = static_cast<int>(share.basis_points);
      sql << kInsertCostShare, soci::use(id), soci::use(member), soci::use(bp);
    }
    resplit_costs(sql, *tender);
    write_audit(sql, actor, "shared_cost", id, "create", "",
                "{\"tender_id\":" + std::to_string(tender_id) + ",\"amount\":\"" + to_string(cost.amount) + "\",\"key\":\"" +
                    key + "\"}");
    for (auto& c : load_costs(sql, tender_key)) {
      if (c.id == id) return c;
    }
    return Error::of(ErrorCode::not_found, "shared cost not found");
  });
}

Result<std::vector<StoredCost>> remove_shared_cost(Database& database, const Actor& actor, std::int64_t tender_id,
                                                   std::int64_t cost_id) {
  return in_transaction<std::vector<StoredCost>>(database, [&](soci::session& sql) -> Result<std::vector<StoredCost>> {
    auto tender = load_tender(sql, tender_id);
    if (!tender) return Error{ErrorCode::not_found, "consultation introuvable", {}, "tender.not_found"};
    long long tender_key = tender_id, cost_key = cost_id;
    auto costs = load_costs(sql, tender_key);
    const auto it = std::find_if(costs.begin(), costs.end(), [&](const StoredCost& c) { return c.id == cost_id; });
    if (it == costs.end()) return Error::of(ErrorCode::not_found, "shared cost not found in this tender");
    if (tender->status == TenderStatus::cancelled) {
      return Error::of(ErrorCode::conflict, "the tender is cancelled: its shared costs no longer change");
    }
    // The audit row keeps the cost and its split as they were.
    boost::json::object shares, split;
    for (const auto& share : it->cost.shares) shares[std::to_string(share.member_id)] = format_decimal(share.basis_points, 2, 2);
    for (const auto& m : it->split) split[std::to_string(m.member_id)] = to_string(m.share);
    const boost::json::object before{{"tender_id", tender_id},
                                     {"label", it->cost.label},
                                     {"amount", to_string(it->cost.amount)},
                                     {"key", to_string(it->cost.key)},
                                     {"shares", std::move(shares)},
                                     {"subsidy_eligible", it->cost.subsidy_eligible},
                                     {"allocation", std::move(split)}};
    sql << kDeleteCostSplits, soci::use(cost_key);
    sql << kDeleteCostShares, soci::use(cost_key);
    soci::statement st = (sql.prepare << kDeleteCost, soci::use(cost_key), soci::use(tender_key));
    st.execute(true);
    if (st.get_affected_rows() != 1) return Error::of(ErrorCode::not_found, "shared cost not found in this tender");
    // The others are split again: the subsidy cap is shared between the items left.
    resplit_costs(sql, *tender);
    write_audit(sql, actor, "shared_cost", cost_id, "delete", boost::json::serialize(before), "");
    return load_costs(sql, tender_key);
  });
}

Result<std::vector<StoredCost>> list_shared_costs(Database& database, std::int64_t tender_id) {
  return with_connection<std::vector<StoredCost>>(database, [&](soci::session& sql) -> Result<std::vector<StoredCost>> {
    return load_costs(sql, tender_id);
  });
}

Result<PageOf<Contract>> list_contracts(Database& database, std::optional<std::int64_t> member_id, const Page& page) {
  return with_connection<PageOf<Contract>>(database, [&](soci::session& sql) -> Result<PageOf<Contract>> {
    const std::size_t limit = std::max<std::size_t>(1, std::min(page.limit, kMaxPageSize));
    std::string query =
        "SELECT c.id, l.tender_id, c.lot_id, c.member_id, c.supplier_id, c.quantity, c.unit_price, c.amount, "
        "CAST(c.awarded_at AS TEXT) FROM contracts c JOIN lots l ON l.id = c.lot_id WHERE c.id < :before";
    if (member_id) query += " AND c.member_id = :member";
    query += " ORDER BY c.id DESC LIMIT " + std::to_string(limit + 1);
    long long before = page.before_id.value_or(INT64_MAX), member = member_id.value_or(0);
    long long id, tender, lot, m, supplier, quantity, price, amount;
    std::string at;
    soci::statement st(sql);
    st.alloc();
    st.prepare(query);
    for (auto* target : {&id, &tender, &lot, &m, &supplier, &quantity, &price, &amount}) st.exchange(soci::into(*target));
    st.exchange(soci::into(at));
    st.exchange(soci::use(before, "before"));
    if (member_id) st.exchange(soci::use(member, "member"));
    st.define_and_bind();
    st.execute();
    PageOf<Contract> result;
    while (st.fetch()) {
      result.items.push_back({id, tender, lot, m, supplier, Quantity{quantity}, UnitPrice{price}, Amount{amount},
                              normalize_timestamp(at)});
    }
    if (result.items.size() > limit) {
      result.items.resize(limit);
      result.next_before_id = result.items.back().id;
    }
    return result;
  });
}

Result<std::vector<StoredSavings>> savings_of_tender(Database& database, std::int64_t tender_id) {
  return with_connection<std::vector<StoredSavings>>(database, [&](soci::session& sql) -> Result<std::vector<StoredSavings>> {
    long long key = tender_id;
    long long lot, member, reference, contract, standalone, saved, pooling, competition;
    int duration;
    std::string cpv, on;
    soci::statement st = (sql.prepare << "SELECT s.lot_id, l.cpv, s.member_id, s.reference, s.contract, s.standalone, "
                                         "s.savings, s.pooling_effect, s.competition_effect, s.duration_months, "
                                         "CAST(s.awarded_on AS TEXT) FROM savings_lines s JOIN lots l ON l.id = s.lot_id "
                                         "WHERE l.tender_id = :tender ORDER BY s.lot_id, s.member_id",
                          soci::use(key), soci::into(lot), soci::into(cpv), soci::into(member), soci::into(reference),
                          soci::into(contract), soci::into(standalone), soci::into(saved), soci::into(pooling),
                          soci::into(competition), soci::into(duration), soci::into(on));
    st.execute();
    std::vector<StoredSavings> out;
    while (st.fetch()) {
      StoredSavings s;
      s.tender_id = tender_id;
      s.lot_id = lot;
      s.cpv = cpv;
      s.line = {member, Amount{reference}, Amount{contract}, Amount{standalone}, Amount{saved}, Amount{pooling}, Amount{competition}};
      s.duration_months = duration;
      s.awarded_on = parse_date(on.substr(0, 10), "awarded_on").value();
      out.push_back(s);
    }
    return out;
  });
}

}  // namespace canopee::db

namespace canopee::db {

Result<std::map<std::int64_t, Bid>> winning_bids(Database& database, std::int64_t tender_id) {
  using Out = std::map<std::int64_t, Bid>;
  return with_connection<Out>(database, [&](soci::session& sql) -> Result<Out> {
    long long key = tender_id;
    std::vector<std::pair<long long, long long>> pairs;
    long long lot = 0, bid = 0;
    soci::statement st = (sql.prepare << "SELECT a.lot_id, a.bid_id FROM awards a JOIN lots l ON l.id = a.lot_id "
                                         "WHERE l.tender_id = :tender ORDER BY a.lot_id",
                          soci::use(key), soci::into(lot), soci::into(bid));
    st.execute();
    while (st.fetch()) pairs.emplace_back(lot, bid);
    Out out;
    for (const auto& [lot_id, bid_id] : pairs) out.emplace(lot_id, load_bids(sql, "WHERE id = :id", bid_id, WithDecisions::no).front());
    return out;
  });
}

}  // namespace canopee::db
