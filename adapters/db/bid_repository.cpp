#include "adapters/db/bid_repository.hpp"

#include <boost/json.hpp>

#include <algorithm>

#include "adapters/clock.hpp"
#include "adapters/db/lot_draw_repository.hpp"
#include "adapters/db/tender_repository.hpp"
#include "adapters/formats/json_mapping.hpp"
#include "engine/price_schedule.hpp"

namespace canopee::db {
namespace {

// ---- SQL ----
constexpr std::string_view kInsertBid =
    "INSERT INTO bids (lot_id, supplier_id, received_at, version) "
    "VALUES (:lot, :supplier, :received_at, 1) RETURNING id";
constexpr std::string_view kBidsOfLot =
    "SELECT id, lot_id, supplier_id, regularity, price_review, CAST(review_requested_on AS TEXT), "
    "CAST(review_deadline AS TEXT), CAST(received_at AS TEXT), version FROM bids WHERE lot_id = :key ORDER BY id";
constexpr std::string_view kBidById =
    "SELECT id, lot_id, supplier_id, regularity, price_review, CAST(review_requested_on AS TEXT), "
    "CAST(review_deadline AS TEXT), CAST(received_at AS TEXT), version FROM bids WHERE id = :key";
// The details of every bid of a lot in one query each (or of one bid).
constexpr std::string_view kTiersOfLot =
    "SELECT t.bid_id, t.min_quantity, t.unit_price FROM bid_tiers t JOIN bids b ON b.id = t.bid_id "
    "WHERE b.lot_id = :key ORDER BY t.bid_id, t.min_quantity";
constexpr std::string_view kTiersOfBid =
    "SELECT bid_id, min_quantity, unit_price FROM bid_tiers WHERE bid_id = :key ORDER BY min_quantity";
constexpr std::string_view kScoresOfLot =
    "SELECT s.bid_id, s.criterion, s.score FROM bid_scores s JOIN bids b ON b.id = s.bid_id "
    "WHERE b.lot_id = :key ORDER BY s.bid_id, s.criterion";
constexpr std::string_view kScoresOfBid =
    "SELECT bid_id, criterion, score FROM bid_scores WHERE bid_id = :key ORDER BY criterion";
constexpr std::string_view kDecisionsOfLot =
    "SELECT d.bid_id, d.id, d.decision, d.reason, d.request, CAST(d.deadline AS TEXT), CAST(d.received_on AS TEXT), "
    "d.grounds, d.author_user_id, u.name, CAST(d.recorded_at AS TEXT) FROM bid_decisions d "
    "JOIN bids b ON b.id = d.bid_id LEFT JOIN users u ON u.id = d.author_user_id WHERE b.lot_id = :key ORDER BY d.id";
constexpr std::string_view kDecisionsOfBid =
    "SELECT d.bid_id, d.id, d.decision, d.reason, d.request, CAST(d.deadline AS TEXT), CAST(d.received_on AS TEXT), "
    "d.grounds, d.author_user_id, u.name, CAST(d.recorded_at AS TEXT) FROM bid_decisions d "
    "LEFT JOIN users u ON u.id = d.author_user_id WHERE d.bid_id = :key ORDER BY d.id";
constexpr std::string_view kInsertBidDecision =
    "INSERT INTO bid_decisions (bid_id, decision, reason, request, deadline, received_on, grounds, author_user_id, "
    "recorded_at) VALUES (:bid, :decision, :reason, :request, :deadline, :received_on, :grounds, :author, :at)";
constexpr std::string_view kOpenLotOfBid =
    "SELECT COUNT(*), MAX(l.quantity), MAX(t.status) FROM lots l JOIN tenders t ON t.id = l.tender_id "
    "WHERE l.id = :lot AND l.status = 'open'";
constexpr std::string_view kUpdateBidReview =
    "UPDATE bids SET regularity = :regularity, price_review = :price_review, review_requested_on = :requested_on, "
    "review_deadline = :deadline, version = version + 1 WHERE id = :id AND version = :version";
constexpr std::string_view kInsertTier =
    "INSERT INTO bid_tiers (bid_id, min_quantity, unit_price) VALUES (:bid, :min, :price)";
constexpr std::string_view kDeleteTiers = "DELETE FROM bid_tiers WHERE bid_id = :bid";
constexpr std::string_view kInsertScore =
    "INSERT INTO bid_scores (bid_id, criterion, score) VALUES (:bid, :criterion, :score)";
constexpr std::string_view kDeleteScores = "DELETE FROM bid_scores WHERE bid_id = :bid";
constexpr std::string_view kDeleteBid = "DELETE FROM bids WHERE id = :id AND version = :version";
constexpr std::string_view kUpdateBid = "UPDATE bids SET version = version + 1 WHERE id = :id AND version = :version";
constexpr std::string_view kWinningBids =
    "SELECT a.lot_id, a.bid_id FROM awards a JOIN lots l ON l.id = a.lot_id WHERE l.tender_id = :tender ORDER BY a.lot_id";

std::optional<Date> optional_date(soci::indicator indicator, const std::string& text) {
  if (indicator != soci::i_ok || text.empty()) return std::nullopt;
  return stored_date(text);
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

// Which bids a read is about: every bid of a lot, or one bid.
struct BidQueries {
  std::string_view bids, tiers, scores, decisions;
};
constexpr BidQueries kOfLot{kBidsOfLot, kTiersOfLot, kScoresOfLot, kDecisionsOfLot};
constexpr BidQueries kOfBid{kBidById, kTiersOfBid, kScoresOfBid, kDecisionsOfBid};

// The bids, then their tiers, marks and (when asked) decisions: four queries
// whatever the number of bids.
std::vector<Bid> load_bids(soci::session& sql, const BidQueries& q, long long key, WithDecisions with_decisions) {
  long long id = 0, lot = 0, supplier = 0, version = 0;
  std::string regularity, price_review, requested_on, deadline, received;
  soci::indicator requested_ind, deadline_ind;
  std::vector<Bid> bids;
  std::map<long long, std::size_t> index;
  soci::statement st = (sql.prepare << q.bids, soci::use(key), soci::into(id), soci::into(lot), soci::into(supplier),
                        soci::into(regularity), soci::into(price_review), soci::into(requested_on, requested_ind),
                        soci::into(deadline, deadline_ind), soci::into(received), soci::into(version));
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
    index[id] = bids.size();
    bids.push_back(std::move(b));
  }
  if (bids.empty()) return bids;
  long long bid_id = 0, min = 0, price = 0;
  soci::statement tiers = (sql.prepare << q.tiers, soci::use(key), soci::into(bid_id), soci::into(min),
                           soci::into(price));
  tiers.execute();
  // A bid committed between these reads has details but no row above: it is left
  // to the next read (a lot's bids are read without the lot's lock).
  const auto bid_of = [&](long long key_id) -> Bid* {
    const auto it = index.find(key_id);
    return it == index.end() ? nullptr : &bids[it->second];
  };
  while (tiers.fetch()) {
    if (auto* b = bid_of(bid_id)) b->tiers.push_back({Quantity{min}, UnitPrice{price}});
  }
  std::string criterion;
  long long score = 0;
  soci::statement scores = (sql.prepare << q.scores, soci::use(key), soci::into(bid_id), soci::into(criterion),
                            soci::into(score));
  scores.execute();
  while (scores.fetch()) {
    if (auto* b = bid_of(bid_id)) b->scores.push_back({criterion, score});
  }
  if (with_decisions == WithDecisions::no) return bids;

  long long decision_id = 0, author = 0;
  std::string decision, reason, request, asked, received_on, grounds, name, at;
  soci::indicator asked_ind, received_ind, author_ind, name_ind;
  soci::statement decisions = (sql.prepare << q.decisions, soci::use(key), soci::into(bid_id), soci::into(decision_id),
                               soci::into(decision), soci::into(reason), soci::into(request),
                               soci::into(asked, asked_ind), soci::into(received_on, received_ind), soci::into(grounds),
                               soci::into(author, author_ind), soci::into(name, name_ind), soci::into(at));
  decisions.execute();
  while (decisions.fetch()) {
    BidDecisionRecord r;
    r.id = decision_id;
    r.decision.kind = parse_bid_decision_kind(decision, "decision").value();
    r.decision.reason = reason;
    r.decision.request = request;
    r.decision.deadline = optional_date(asked_ind, asked);
    r.decision.received_on = optional_date(received_ind, received_on);
    r.decision.grounds = parse_grounds(grounds);
    r.author_user_id = author_ind == soci::i_ok ? author : 0;
    r.author_name = name_ind == soci::i_ok ? name : "";
    r.recorded_at = normalize_timestamp(at);
    if (auto* b = bid_of(bid_id)) b->decisions.push_back(std::move(r));
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

}  // namespace

Error bid_not_found() { return Error{ErrorCode::not_found, "offre introuvable", {}, "bid.not_found"}; }
Error bid_changed() {
  return Error::rule_broken(ErrorCode::stale, "bid.stale", "",
                            "l’offre a été modifiée depuis votre lecture : relisez-la et recommencez");
}

std::vector<Bid> load_lot_bids(soci::session& sql, std::int64_t lot_id, WithDecisions with) {
  return load_bids(sql, kOfLot, lot_id, with);
}

std::optional<Bid> load_bid(soci::session& sql, std::int64_t bid_id, WithDecisions with) {
  auto bids = load_bids(sql, kOfBid, bid_id, with);
  if (bids.empty()) return std::nullopt;
  return std::move(bids.front());
}

bool save_bid_decision(soci::session& sql, const Actor& actor, const Bid& before, const BidReview& review,
                       const BidDecision& decision) {
  const std::string regularity(to_string(review.regularity)), price_review(to_string(review.price_review));
  std::string requested_on = review.requested_on ? to_string(*review.requested_on) : "";
  std::string deadline = review.deadline ? to_string(*review.deadline) : "";
  soci::indicator requested_ind = review.requested_on ? soci::i_ok : soci::i_null;
  soci::indicator deadline_ind = review.deadline ? soci::i_ok : soci::i_null;
  long long id = before.id, version = before.version;
  soci::statement st = (sql.prepare << kUpdateBidReview, soci::use(regularity), soci::use(price_review),
                        soci::use(requested_on, requested_ind), soci::use(deadline, deadline_ind), soci::use(id),
                        soci::use(version));
  st.execute(true);
  if (st.get_affected_rows() == 0) return false;

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
  return true;
}

Result<Bid> create_bid(Database& database, const Actor& actor, std::int64_t tender_id, std::int64_t lot_id,
                       const Bid& bid, std::optional<Instant> bid_clock) {
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
    if (auto open = check_lot_open(*lot); !open) return std::move(open).error();
    if (auto fits = check_bid_fits_lot(PriceSchedule::make(bid.tiers).value(), lot->quantity); !fits) {
      return std::move(fits).error();
    }
    for (const auto& s : bid.scores) {
      const bool known = std::any_of(tender->criteria.begin(), tender->criteria.end(),
                                     [&](const Criterion& c) { return c.name == s.criterion && !c.is_cost(); });
      if (!known)
        return Error::invalid("scores." + s.criterion, "n’est pas un critère hors prix de cette consultation",
                              "bid.scores.unknown_criterion");
    }
    const std::string received_text = to_utc_string(received);
    long long lot_key = lot_id, supplier = bid.supplier_id, id = 0;
    sql << kInsertBid, soci::use(lot_key), soci::use(supplier), soci::use(received_text), soci::into(id);
    insert_bid_details(sql, id, bid);
    auto created = *load_bid(sql, id);
    write_audit(sql, actor, "bid", id, "create", "", formats::to_json_text(created));
    return created;
  });
}

Result<Bid> update_bid(Database& database, const Actor& actor, const Bid& bid, std::string_view reason) {
  if (auto schedule = PriceSchedule::make(bid.tiers); !schedule) return std::move(schedule).error();
  return in_transaction<Bid>(database, [&](soci::session& sql) -> Result<Bid> {
    auto found = load_bid(sql, bid.id);
    if (!found) return bid_not_found();
    long long lot_id = found->lot_id;
    lock_lot(sql, lot_id);  // no award, decision or draw reads the lot's bids meanwhile
    const Bid before = *load_bid(sql, bid.id);
    int open = 0;
    long long lot_quantity = 0;
    std::string tender_status;
    soci::indicator quantity_ind = soci::i_null, status_ind = soci::i_null;  // MAX over no row is NULL
    sql << kOpenLotOfBid, soci::use(lot_id), soci::into(open), soci::into(lot_quantity, quantity_ind),
        soci::into(tender_status, status_ind);
    if (open == 0) return lot_settled_error();
    // The offer as received is what is judged: its prices are corrected only before
    // the bids are opened, never once they are (the tender closed) or decided on.
    if (before.tiers != bid.tiers &&
        (tender_status != "published" || before.review.regularity != Regularity::received ||
         before.review.price_review != PriceReview::none)) {
      return Error::rule_broken(
          ErrorCode::conflict, "bid.schedule_frozen", "tiers",
          "le bordereau de prix d’une offre ne change plus une fois les plis ouverts ou une décision "
          "prise sur elle : l’offre est jugée telle qu’elle a été remise");
    }
    if (before.tiers != bid.tiers) {
      if (auto fits = check_bid_fits_lot(PriceSchedule::make(bid.tiers).value(), Quantity{lot_quantity}); !fits) {
        return std::move(fits).error();
      }
    }
    if (auto marks = check_score_change(before.scores, bid.scores, tender_status != "published",
                                        lot_has_draw(sql, lot_id), reason);
        !marks) {
      return std::move(marks).error();
    }
    long long id = bid.id, version = bid.version;
    soci::statement st = (sql.prepare << kUpdateBid, soci::use(id), soci::use(version));
    st.execute(true);
    if (st.get_affected_rows() == 0) return bid_changed();
    sql << kDeleteTiers, soci::use(id);
    sql << kDeleteScores, soci::use(id);
    insert_bid_details(sql, id, bid);
    auto after = *load_bid(sql, id);
    auto logged = formats::to_json(after);
    if (!reason.empty()) logged.as_object()["reason"] = reason;  // why a mark changed after opening
    write_audit(sql, actor, "bid", id, "update", formats::to_json_text(before), boost::json::serialize(logged));
    return after;
  });
}

Status delete_bid(Database& database, const Actor& actor, std::int64_t bid_id,
                  std::optional<std::int64_t> expected_version) {
  return in_transaction<Done>(database, [&](soci::session& sql) -> Result<Done> {
    auto found = load_bid(sql, bid_id);
    if (!found) return bid_not_found();
    long long lot_id = found->lot_id;
    lock_lot(sql, lot_id);  // no award, decision or draw reads the lot's bids meanwhile
    const Bid before = *load_bid(sql, bid_id);
    if (expected_version && *expected_version != before.version) return bid_changed();
    int open = 0;
    long long lot_quantity = 0;
    std::string tender_status;
    soci::indicator quantity_ind = soci::i_null, status_ind = soci::i_null;  // MAX over no row is NULL
    sql << kOpenLotOfBid, soci::use(lot_id), soci::into(open), soci::into(lot_quantity, quantity_ind),
        soci::into(tender_status, status_ind);
    if (open == 0) return lot_settled_error();
    if (tender_status != "published" && tender_status != "closed") {
      return Error::rule_broken(ErrorCode::conflict, "bid.delete.tender_settled", "",
                                "la consultation est annulée : ses offres restent telles qu’enregistrées");
    }
    // A decision taken on a bid is part of the record: such a bid is judged, not removed.
    if (!before.decisions.empty() || before.review.regularity != Regularity::received ||
        before.review.price_review != PriceReview::none) {
      return Error::rule_broken(ErrorCode::conflict, "bid.delete.decided", "",
                                "une décision a été prise sur cette offre : elle reste au dossier et se "
                                "juge, elle ne se supprime plus");
    }
    long long id = bid_id;
    sql << kDeleteTiers, soci::use(id);
    sql << kDeleteScores, soci::use(id);
    long long version = before.version;
    soci::statement st = (sql.prepare << kDeleteBid, soci::use(id), soci::use(version));
    st.execute(true);
    if (st.get_affected_rows() == 0) return bid_changed();
    write_audit(sql, actor, "bid", id, "delete", formats::to_json_text(before), "");
    return Done{};
  });
}

Result<Bid> get_bid(Database& database, std::int64_t id) {
  return in_snapshot<Bid>(database, [&](soci::session& sql) -> Result<Bid> {
    auto bid = load_bid(sql, id);
    if (!bid) return bid_not_found();
    return *std::move(bid);
  });
}

Result<std::vector<Bid>> list_bids(Database& database, std::int64_t lot_id) {
  return in_snapshot<std::vector<Bid>>(database, [&](soci::session& sql) -> Result<std::vector<Bid>> {
    return load_lot_bids(sql, lot_id);
  });
}

Result<std::map<std::int64_t, Bid>> winning_bids(Database& database, std::int64_t tender_id) {
  using Out = std::map<std::int64_t, Bid>;
  return with_connection<Out>(database, [&](soci::session& sql) -> Result<Out> {
    long long key = tender_id;
    std::vector<std::pair<long long, long long>> pairs;
    long long lot = 0, bid = 0;
    soci::statement st = (sql.prepare << kWinningBids, soci::use(key), soci::into(lot), soci::into(bid));
    st.execute();
    while (st.fetch()) pairs.emplace_back(lot, bid);
    Out out;
    for (const auto& [lot_id, bid_id] : pairs) out.emplace(lot_id, *load_bid(sql, bid_id, WithDecisions::no));
    return out;
  });
}

}  // namespace canopee::db
