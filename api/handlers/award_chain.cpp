// After a lot's award: where it stands (GET …/award-chain), the letters to its
// bidders, the standstill an officer chooses under an adapted procedure, each member
// contract's signature and notification (usecases/award_chain.cpp).
#include <boost/json.hpp>

#include "api/handler_support.hpp"
#include "api/handlers/tender_access.hpp"
#include "api/json_input.hpp"
#include "api/routes.hpp"
#include "usecases/award_chain.hpp"

namespace canopee::api {
namespace {

namespace bj = boost::json;

bj::object contract_json(const db::ContractDates& c) {
  return bj::object{{"id", c.id},
                    {"tender_id", c.tender_id},
                    {"lot_id", c.lot_id},
                    {"member_id", c.member_id},
                    {"supplier_id", c.supplier_id},
                    {"signed_on", date_or_null(c.signed_on)},
                    {"notified_on", date_or_null(c.notified_on)},
                    {"in_force", c.notified_on.has_value()},
                    {"version", c.version}};
}

bj::value chain_json(const usecases::AwardChain& chain) {
  bj::array letters;
  for (const auto& l : chain.letters) {
    letters.push_back(bj::object{{"id", l.id},
                                 {"bid_id", l.letter.bid_id},
                                 {"kind", to_string(l.letter.kind)},
                                 {"means", to_string(l.letter.means)},
                                 {"sent_at", to_utc_string(l.letter.sent_at)},
                                 {"recorded_at", l.recorded_at},
                                 {"document_id", l.document_id ? bj::value(*l.document_id) : bj::value(nullptr)}});
  }
  bj::array missing;
  for (const auto id : chain.letters_missing) missing.push_back(id);
  bj::array contracts;
  for (const auto& c : chain.contracts) contracts.push_back(contract_json(c));
  bj::value standstill = nullptr;
  if (chain.standstill) {
    standstill = bj::object{{"last_letter_on", to_string(chain.standstill->last_sent_on)},
                            {"signature_from", to_string(chain.standstill->signature_from)}};
  }
  return bj::object{
      {"tender_id", chain.tender_id},
      {"lot_id", chain.lot_id},
      {"procedure", to_string(chain.procedure)},
      {"signatory", chain.members_sign ? "member" : "coordinator"},
      {"decided_on", to_string(chain.decided_on)},
      {"winning_bid_id", chain.winning_bid_id},
      {"stage", to_string(chain.stage)},
      {"stage_label", french_label(chain.stage)},
      {"chosen_standstill_days",
       chain.chosen_standstill_days ? bj::value(*chain.chosen_standstill_days) : bj::value(nullptr)},
      {"standstill", std::move(standstill)},
      {"letters", std::move(letters)},
      {"letters_missing", std::move(missing)},
      {"contracts", std::move(contracts)},
      {"first_signed_on", date_or_null(chain.first_signed_on)},
      {"award_notice_due", date_or_null(chain.award_notice_due)},
      {"award_notice_sent_on", date_or_null(chain.award_notice_sent_on)},
      {"award_notice_late",
       chain.award_notice_due && chain.award_notice_sent_on && *chain.award_notice_sent_on > *chain.award_notice_due},
  };
}

// The tender (visible to the caller) and its lot named by the {lot} path parameter.
Result<std::pair<std::int64_t, std::int64_t>> tender_and_lot(RequestContext& c) {
  CANOPEE_TRY(tender, visible_tender(c));
  CANOPEE_TRY(lot, lot_of(tender, c));
  return std::pair{tender.id, lot->id};
}

// A contract's signature or notification: the date in the body (`field`), required.
Response contract_step(RequestContext& c, const char* field, bool signing) {
  if (auto r = require_json(c)) return *r;
  CANOPEE_TRY_RESPOND(id, path_id(c, "id"));
  CANOPEE_TRY_RESPOND(expected, if_match(c));
  CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(), {field}));
  std::optional<Date> on;
  if (auto text = in.text(field, true, 10)) on = in.take(parse_date(*text, in.name(field)));
  CANOPEE_TRY_RESPOND_STATUS(in.finish());
  // A buyer acts for its own member's contract, when the convention leaves signing to the members.
  const auto acting = member_scope(c);
  auto done = signing
                  ? usecases::sign_contract(c.services.database, c.actor, id, expected, *on, c.services.today(), acting)
                  : usecases::notify_contract(c.services.database, c.actor, id, expected, *on, c.services.today(),
                                              acting);
  return versioned(done, contract_json);
}

}  // namespace

void add_award_chain_routes(Router& router) {
  router.add(http::verb::get, "/v1/tenders/{id}/lots/{lot}/award-chain", {Role::officer, Role::buyer, Role::finance},
             [](RequestContext& c) {
               CANOPEE_TRY_RESPOND(ids, tender_and_lot(c));
               CANOPEE_TRY_RESPOND(chain, usecases::award_chain(c.services.database, ids.first, ids.second,
                                                                c.services.today()));
               // A buyer or member finance user sees its own member's contracts only.
               if (const auto scope = member_scope(c)) {
                 std::erase_if(chain.contracts, [&](const db::ContractDates& k) { return k.member_id != *scope; });
               }
               return json(http::status::ok, chain_json(chain));
             });

  router.add(http::verb::post, "/v1/tenders/{id}/lots/{lot}/letters", {Role::officer}, [](RequestContext& c) {
    if (auto r = require_json(c)) return *r;
    CANOPEE_TRY_RESPOND(ids, tender_and_lot(c));
    CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(), {"bid_id", "kind", "means", "sent_at"}));
    Letter letter;
    letter.sent_at = c.services.instant_now();
    const auto bid_id = in.integer("bid_id", true, 1, INT64_MAX);
    if (auto text = in.text("kind", true, 20)) {
      if (auto kind = parse_letter_kind(*text, "kind")) letter.kind = *kind;
      else in.fail("kind", "award (à l’attributaire) ou rejection (aux autres soumissionnaires)", "value.unknown");
    }
    if (auto text = in.text("means", true, 20)) {
      if (auto means = parse_sending_means(*text, "means")) letter.means = *means;
      else in.fail("means", "electronic (voie électronique) ou post (autre moyen)", "value.unknown");
    }
    if (auto text = in.text("sent_at", false, 40)) {  // when absent: now
      if (auto at = in.take(parse_date_time(*text, in.name("sent_at")))) letter.sent_at = *at;
    }
    CANOPEE_TRY_RESPOND_STATUS(in.finish());
    letter.bid_id = *bid_id;
    return respond(usecases::record_letter(c.services.database, c.actor, ids.first, ids.second, letter,
                                           c.services.instant_now(), c.services.today()),
                   chain_json, http::status::created);
  });

  router.add(http::verb::post, "/v1/tenders/{id}/lots/{lot}/standstill", {Role::officer}, [](RequestContext& c) {
    if (auto r = require_json(c)) return *r;
    CANOPEE_TRY_RESPOND(ids, tender_and_lot(c));
    CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(), {"days"}));
    std::optional<int> days;
    if (!in.is_null("days")) {
      if (auto v = in.integer("days", true, 1, kMaxChosenStandstillDays)) days = static_cast<int>(*v);
    }
    CANOPEE_TRY_RESPOND_STATUS(in.finish());
    return respond(usecases::choose_standstill(c.services.database, c.actor, ids.first, ids.second, days,
                                               c.services.today()),
                   chain_json);
  });

  router.add(http::verb::post, "/v1/tenders/{id}/lots/{lot}/award-notice", {Role::officer}, [](RequestContext& c) {
    if (auto r = require_json(c)) return *r;
    CANOPEE_TRY_RESPOND(ids, tender_and_lot(c));
    CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(), {"sent_on"}));
    std::optional<Date> sent_on;
    if (auto text = in.text("sent_on", true, 10)) sent_on = in.take(parse_date(*text, in.name("sent_on")));
    CANOPEE_TRY_RESPOND_STATUS(in.finish());
    return respond(usecases::record_award_notice(c.services.database, c.actor, ids.first, ids.second, *sent_on,
                                                 c.services.today()),
                   chain_json);
  });

  router.add(http::verb::post, "/v1/contracts/{id}/signature", {Role::officer, Role::buyer},
             [](RequestContext& c) { return contract_step(c, "signed_on", true); });
  router.add(http::verb::post, "/v1/contracts/{id}/notification", {Role::officer, Role::buyer},
             [](RequestContext& c) { return contract_step(c, "notified_on", false); });
}

}  // namespace canopee::api
