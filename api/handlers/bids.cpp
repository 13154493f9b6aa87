// Bids on a lot: recorded by the officer with their price schedule and scores
// (PATCH corrects them); the officer's decisions on regularity and on an
// abnormally low price are recorded one by one (POST …/decisions).
#include <boost/json.hpp>

#include "adapters/db/bid_repository.hpp"
#include "adapters/formats/json_mapping.hpp"
#include "api/handler_support.hpp"
#include "api/handlers/tender_access.hpp"
#include "api/json_input.hpp"
#include "api/routes.hpp"
#include "usecases/bid_receipt.hpp"
#include "usecases/bid_review.hpp"

namespace canopee::api {
namespace {

namespace bj = boost::json;
using formats::to_json;

Response bid_response(const Result<Bid>& bid, http::status status = http::status::ok) {
  return versioned(
      bid, [](const Bid& b) { return to_json(b); }, status);
}

// tiers[] or unit_price (a flat price from 0), scores{}, status, justification.
void read_bid(JsonInput& in, Bid& bid, bool creating) {
  if (in.has("tiers") && in.has("unit_price"))
    in.fail("unit_price", "donner tiers ou unit_price, pas les deux", "bid.price.both_given");
  if (const auto* tiers = in.raw("tiers")) {
    bid.tiers.clear();
    if (!tiers->is_array() || tiers->as_array().empty()) {
      in.fail("tiers", "doit être une liste non vide de {min_quantity, unit_price}", "input.not_list");
    } else {
      for (std::size_t i = 0; i < tiers->as_array().size(); ++i) {
        const std::string at = "tiers[" + std::to_string(i) + "]";
        auto item = JsonInput::from(tiers->as_array()[i], {"min_quantity", "unit_price"}, at + ".");
        if (!item) {
          in.fail(at, "doit être un objet", "input.not_object");
          continue;
        }
        const auto min = item->decimal("min_quantity", true);
        const auto price = item->decimal("unit_price", true);
        for (auto& e : item->errors()) in.errors().push_back(e);
        if (!min || !price) continue;
        const auto q = in.take(parse_quantity(*min, at + ".min_quantity"));
        const auto p = in.take(parse_unit_price(*price, at + ".unit_price"));
        if (q && p) bid.tiers.push_back({*q, *p});
      }
    }
  } else if (auto price = in.decimal("unit_price", false)) {
    if (auto p = in.take(parse_unit_price(*price, "unit_price"))) bid.tiers = {{Quantity{0}, *p}};
  } else if (creating) {
    in.fail("tiers", "donner tiers ou unit_price", "bid.price.missing");
  }
  if (const auto* scores = in.raw("scores")) {
    bid.scores.clear();
    if (!scores->is_object()) {
      in.fail("scores", "doit être un objet {critère: note}", "input.not_object");
    } else {
      for (const auto& [name, value] : scores->as_object()) {
        const std::string field = "scores." + std::string(name);
        std::optional<std::string> text = value.is_string() ? std::optional<std::string>(std::string(value.as_string()))
                                                            : number_as_decimal(value);
        if (!text) {
          in.fail(field, "doit être une note de 0 à 100", "evaluation.score.out_of_range");
          continue;
        }
        if (auto s = in.take(parse_score(*text, field))) bid.scores.push_back({std::string(name), *s});
      }
    }
  }
}

// A date field "YYYY-MM-DD", absent or null for none.
std::optional<Date> read_date(JsonInput& in, std::string_view field) {
  if (in.is_null(field)) return std::nullopt;
  auto text = in.text(field, false, 10);
  if (!text) return std::nullopt;
  return in.take(parse_date(*text, field));
}

// {decision, reason?, request?, deadline?, received_on?, grounds?}: the engine
// checks which fields the decision takes.
std::optional<BidDecision> read_decision(JsonInput& in) {
  BidDecision decision;
  bool ok = true;
  if (auto kind = in.text("decision", true, 40)) {
    if (auto parsed = in.take(parse_bid_decision_kind(*kind, "decision"))) decision.kind = *parsed;
    else ok = false;
  } else {
    ok = false;
  }
  decision.reason = in.text("reason", false, 4 * kMaxDecisionText).value_or("");
  decision.request = in.text("request", false, 4 * kMaxDecisionText).value_or("");
  decision.deadline = read_date(in, "deadline");
  decision.received_on = read_date(in, "received_on");
  if (const auto* grounds = in.raw("grounds"); grounds != nullptr && !grounds->is_null()) {
    if (!grounds->is_array() || grounds->as_array().size() > kExplanationGrounds) {
      in.fail("grounds", "doit être une liste d’au plus 5 éléments de l’article R2152-3 (1 à 5)", "input.not_list");
    } else {
      for (std::size_t i = 0; i < grounds->as_array().size(); ++i) {
        const auto& g = grounds->as_array()[i];
        if (!g.is_int64() || g.as_int64() < 1 || g.as_int64() > kExplanationGrounds) {
          in.fail("grounds[" + std::to_string(i) + "]", "doit être un élément de l’article R2152-3, de 1 à 5",
                  "bid.decision.ground_unknown");
        } else {
          decision.grounds.push_back(static_cast<int>(g.as_int64()));
        }
      }
    }
  }
  if (!ok) return std::nullopt;
  return decision;
}

}  // namespace

void add_bid_routes(Router& router) {
  router.add(http::verb::get, "/v1/tenders/{id}/lots/{lot}/bids", {Role::officer}, [](RequestContext& c) {
    CANOPEE_TRY_RESPOND(tender, visible_tender(c));
    CANOPEE_TRY_RESPOND(lot, lot_of(tender, c));
    CANOPEE_TRY_RESPOND(bids, db::list_bids(c.read_database(), lot->id));
    return json(http::status::ok, list_json(bids, [](const Bid& b) { return to_json(b); }));
  });
  router.add(http::verb::post, "/v1/tenders/{id}/lots/{lot}/bids", {Role::officer}, [](RequestContext& c) {
    if (auto r = require_json(c)) return *r;
    CANOPEE_TRY_RESPOND(tender, visible_tender(c));
    CANOPEE_TRY_RESPOND(lot, lot_of(tender, c));
    CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(),
                                             {"supplier_id", "tiers", "unit_price", "scores", "received_at"}));
    Bid bid;
    const auto supplier = in.integer("supplier_id", true, 1, INT64_MAX);
    read_bid(in, bid, true);
    // When the bid was received (not when it is typed): RFC 3339, or Paris time
    // without an offset; now by default. check_bid_receipt judges it.
    const Instant now = c.services.instant_now();
    bid.received_at = to_utc_string(now);
    if (auto v = in.text("received_at", false, 40)) {
      if (auto parsed = in.take(parse_date_time(*v, in.name("received_at")))) bid.received_at = to_utc_string(*parsed);
    }
    CANOPEE_TRY_RESPOND_STATUS(in.finish());
    bid.supplier_id = *supplier;
    return bid_response(usecases::record_bid(c.services.database, c.actor, tender.id, lot->id, bid, now),
                        http::status::created);
  });
  router.add(http::verb::patch, "/v1/bids/{id}", {Role::officer}, [](RequestContext& c) {
    if (auto r = require_json(c)) return *r;
    CANOPEE_TRY_RESPOND(id, path_id(c, "id"));
    CANOPEE_TRY_RESPOND(expected, if_match(c));
    CANOPEE_TRY_RESPOND(bid, db::get_bid(c.services.database, id));
    CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(),
                                             {"tiers", "unit_price", "scores", "reason", "status", "justification"}));
    // The decisions are no free fields any more: each one is recorded with its reasons.
    for (const char* field : {"status", "justification"}) {
      if (in.has(field)) {
        in.errors().push_back({field,
                               "les décisions sur l’offre s’enregistrent une à une par POST /v1/bids/{id}/decisions",
                               "bid.decision.use_decisions"});
      }
    }
    read_bid(in, bid, false);
    const auto reason = in.text("reason", false, 2000).value_or("");  // why a mark changes after the opening
    CANOPEE_TRY_RESPOND_STATUS(in.finish());
    if (expected) bid.version = *expected;
    return bid_response(db::update_bid(c.services.database, c.actor, bid, reason));
  });
  // A bid recorded by mistake is removed while nothing was decided on it (the audit
  // row keeps it as it was); 204 without a body.
  router.add(http::verb::delete_, "/v1/bids/{id}", {Role::officer}, [](RequestContext& c) {
    if (!c.request.body().empty())
      return error(Error::invalid("body", "cette action ne prend pas de corps", "input.body_not_expected"));
    CANOPEE_TRY_RESPOND(id, path_id(c, "id"));
    CANOPEE_TRY_RESPOND(expected, if_match(c));
    CANOPEE_TRY_RESPOND_STATUS(db::delete_bid(c.services.database, c.actor, id, expected));
    return Response{http::status::no_content, 11};
  });
  router.add(http::verb::post, "/v1/bids/{id}/decisions", {Role::officer}, [](RequestContext& c) {
    if (auto r = require_json(c)) return *r;
    CANOPEE_TRY_RESPOND(id, path_id(c, "id"));
    CANOPEE_TRY_RESPOND(expected, if_match(c));
    CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(),
                                             {"decision", "reason", "request", "deadline", "received_on", "grounds"}));
    auto decision = read_decision(in);
    CANOPEE_TRY_RESPOND_STATUS(in.finish("la décision est incomplète ou mal formée"));
    return bid_response(
        usecases::record_bid_decision(c.services.database, c.actor, id, expected, *decision, c.services.today()));
  });
}

}  // namespace canopee::api
