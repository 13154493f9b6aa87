// Aggregation proposals and joint tenders: create from a proposal, edit (draft),
// publish, close, cancel, procedure advice.
#include <boost/json.hpp>

#include <set>

#include "adapters/db/tender_repository.hpp"
#include "adapters/formats/groupement_json.hpp"
#include "adapters/formats/json_mapping.hpp"
#include "api/handler_support.hpp"
#include "api/handlers/groupement_access.hpp"
#include "api/handlers/proposal_json.hpp"
#include "api/handlers/tender_access.hpp"
#include "api/routes.hpp"
#include "usecases/procedure_advice.hpp"
#include "usecases/tender_creation.hpp"
#include "usecases/tender_editing.hpp"
#include "usecases/tender_lifecycle.hpp"
#include "usecases/tender_view.hpp"

namespace canopee::api {
namespace {

namespace bj = boost::json;
using formats::to_json;

Response tender_response(const Result<Tender>& tender, http::status status = http::status::ok) {
  return versioned(
      tender, [](const Tender& t) { return to_json(t); }, status);
}

// A tender's answer with its groupement and members (and, at creation, the needs left out).
Response tender_with_groupement(const Tender& tender, const std::optional<Groupement>& groupement,
                                http::status status = http::status::ok,
                                const std::vector<ExcludedNeed>* excluded = nullptr) {
  auto body = to_json(tender).as_object();
  body["groupement"] = groupement ? formats::groupement_json(*groupement) : boost::json::value(nullptr);
  if (excluded != nullptr) body["excluded_needs"] = excluded_needs_json(*excluded);
  auto response = json(status, body);
  set_etag(response, tender.version);
  return response;
}

// The editable tender fields present in `in`, over `t`.
void read_tender_fields(JsonInput& in, Tender& t, bool creating) {
  if (auto v = in.text("title", creating, 300)) t.title = *v;
  if (auto v = in.text("vehicle", false, 20)) {
    if (auto parsed = in.take(parse_vehicle(*v, in.name("vehicle")))) t.vehicle = *parsed;
  }
  if (const auto* list = in.raw("criteria")) {
    t.criteria.clear();
    if (!list->is_array()) {
      in.fail("criteria", "doit être une liste de {name, weight, price, environmental, life_cycle_cost}",
              "input.not_list");
    } else {
      for (std::size_t i = 0; i < list->as_array().size(); ++i) {
        auto item = JsonInput::from(list->as_array()[i],
                                    {"name", "weight", "price", "environmental", "life_cycle_cost"},
                                    "criteria[" + std::to_string(i) + "].");
        if (!item) {
          in.fail("criteria[" + std::to_string(i) + "]", "doit être un objet", "input.not_object");
          continue;
        }
        Criterion c;
        c.name = item->text("name", true, 100).value_or("");
        c.weight = static_cast<int>(item->integer("weight", true, 1, 100).value_or(0));
        c.is_price = item->boolean("price", false).value_or(false);
        c.environmental = item->boolean("environmental", false).value_or(false);
        c.life_cycle_cost = item->boolean("life_cycle_cost", false).value_or(false);
        for (auto& e : item->errors()) in.errors().push_back(e);
        t.criteria.push_back(c);
      }
      if (auto s = validate_criteria(t.criteria); !s) {
        for (const auto& e : s.error().fields) in.errors().push_back(e);
      }
      // The dated rules of R2152-7 are checked at publication, on the launch date.
      for (auto& e : award_criteria_rule_errors(t.criteria, std::nullopt)) in.errors().push_back(std::move(e));
    }
  } else if (creating) {
    in.fail("criteria", "est obligatoire", "input.required");
  }
  if (auto v = in.text("price_formula", false, 20)) {
    if (auto parsed = in.take(parse_price_formula(*v, in.name("price_formula")))) t.price_formula = *parsed;
  }
  if (auto v = in.text("abnormally_low_method", false, 30)) {
    if (auto parsed = in.take(parse_abnormally_low_method(*v, in.name("abnormally_low_method"))))
      t.abnormally_low_method = *parsed;
  }
  if (auto v = in.text("tie_break", false, 30)) {
    auto parsed = parse_tie_break(*v, "tie_break");
    if (parsed) t.tie_break = *parsed;
    else in.fail("tie_break", "règle de départage inconnue : heaviest_criterion ou lowest_price", "input.not_in_list");
  }
  if (in.is_null("bid_deadline")) {
    t.bid_deadline.clear();
  } else if (auto v = in.text("bid_deadline", false, 40)) {
    // Stored in UTC; a time without offset is Paris time.
    if (auto parsed = in.take(parse_date_time(*v, in.name("bid_deadline")))) t.bid_deadline = to_utc_string(*parsed);
  }
  if (auto v = in.text("time_limit_reduction", false, 40)) {
    if (auto parsed = in.take(parse_time_limit_reduction(*v, in.name("time_limit_reduction"))))
      t.time_limit_reduction = *parsed;
  }
  if (auto v = in.integer("mapa_minimum_days", false, 1, kMaxMapaMinimumDays))
    t.mapa_minimum_days = static_cast<int>(*v);
  if (auto v = in.text("allotment_justification", false, 2000)) t.allotment_justification = *v;
  // The execution conditions of 21 August 2026 (L2112-2, L2112-2-1): free texts, "" clears.
  for (const auto& [field, text] : {std::pair{"environmental_conditions", &t.environmental_conditions},
                                    std::pair{"social_considerations", &t.social_considerations},
                                    std::pair{"social_exception", &t.social_exception}}) {
    if (in.is_null(field)) {
      text->clear();
    } else if (auto v = in.text(field, false, 4 * kMaxConditionLength)) {
      *text = *v;
    }
  }
  if (auto s = validate_execution_conditions(t); !s) {
    for (const auto& e : s.error().fields) in.errors().push_back(e);
  }
  if (auto v = in.boolean("framework_agreement", false)) t.framework_agreement = *v;
  // The planned launch: the advice of a draft is computed at it; publication
  // replaces it with the day the notice is sent.
  if (in.is_null("launch_date")) {
    t.launch_date.reset();
  } else if (auto v = in.text("launch_date", false, 10)) {
    if (auto parsed = in.take(parse_date(*v, in.name("launch_date")))) t.launch_date = *parsed;
  }
}

// The lots' edits ({id, title, officer_estimate, vat_rate}) present in `in`, over `tender`.
void read_lot_edits(JsonInput& in, Tender& tender) {
  if (const auto* lots = in.raw("lots")) {
    if (!lots->is_array()) {
      in.fail("lots", "doit être une liste de {id, title, officer_estimate, vat_rate}", "input.not_list");
    } else {
      for (std::size_t i = 0; i < lots->as_array().size(); ++i) {
        const std::string at = "lots[" + std::to_string(i) + "].";
        auto item = JsonInput::from(lots->as_array()[i], {"id", "title", "officer_estimate", "vat_rate"}, at);
        if (!item) {
          in.fail("lots[" + std::to_string(i) + "]", "doit être un objet", "input.not_object");
          continue;
        }
        const auto lot_id = item->integer("id", true, 1, INT64_MAX);
        const auto title = item->text("title", false, 300);
        // The officer's estimate of the lot (R2121-1), a positive amount; null clears it.
        std::optional<std::optional<Amount>> estimate;
        if (item->is_null("officer_estimate")) {
          estimate = std::optional<Amount>{};
        } else if (auto text = item->text("officer_estimate", false, 20)) {
          auto amount = parse_amount(*text, at + "officer_estimate");
          if (!amount)
            item->fail("officer_estimate", amount.error().fields.at(0).message, amount.error().fields.at(0).code);
          else if (amount->cents <= 0)
            item->fail("officer_estimate", "doit être positive", "lot.estimate.not_positive");
          else estimate = *amount;
        }
        // The lot's VAT rate, a percentage ("5.5"); which rates are admitted is the use case's check.
        std::optional<std::int64_t> vat_rate;
        if (auto text = item->text("vat_rate", false, 10)) {
          auto bp = parse_percent(*text, at + "vat_rate");
          if (!bp)
            item->fail("vat_rate", "doit être un taux en pourcentage, par exemple 20 ou 5.5", "lot.vat_rate.invalid");
          else vat_rate = *bp;
        }
        for (auto& e : item->errors()) in.errors().push_back(e);
        if (!lot_id) continue;
        auto it = std::find_if(tender.lots.begin(), tender.lots.end(), [&](const Lot& l) { return l.id == *lot_id; });
        if (it == tender.lots.end()) {
          in.fail(at + "id", "n’est pas un lot de cette consultation", "lot.not_found");
          continue;
        }
        if (title) it->title = *title;
        if (estimate) it->officer_estimate = *estimate;
        if (vat_rate) it->vat_rate_bp = *vat_rate;
      }
    }
  }
}

Response transition(RequestContext& c, TenderStatus to) {
  CANOPEE_TRY_RESPOND(id, path_id(c, "id"));
  usecases::TransitionFacts facts;
  facts.now = c.services.instant_now();
  facts.built_in = &c.services.thresholds;  // publication freezes the advice on the thresholds in force
  if ((to == TenderStatus::closed || to == TenderStatus::cancelled) && !c.request.body().empty()) {
    // Closing may carry {"reason"}: required before the deadline (check_close);
    // cancelling a launched procedure requires one (sans suite, R2185-1).
    if (auto r = require_json(c)) return *r;
    CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(), {"reason"}));
    if (auto v = in.text("reason", false, 2000)) facts.reason = *v;
    CANOPEE_TRY_RESPOND_STATUS(in.finish());
  } else if (!c.request.body().empty()) {
    return error(Error::invalid("body", "cette action ne prend pas de corps", "input.body_not_expected"));
  }
  CANOPEE_TRY_RESPOND(expected, if_match(c));
  return tender_response(
      usecases::transition_tender(c.services.database, c.actor, id, to, expected, c.services.today(), facts));
}

}  // namespace

void add_aggregation_routes(Router& router) {
  router.add(http::verb::post, "/v1/aggregations", {Role::officer}, [](RequestContext& c) {
    if (auto r = require_json(c)) return *r;
    CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(), {"filter", "options", "cursor", "limit"}));
    const auto request = read_proposal_request(in, c.services.today());
    const auto page = read_proposal_page(in);
    CANOPEE_TRY_RESPOND_STATUS(in.finish());
    CANOPEE_TRY_RESPOND(computed,
                        usecases::propose(c.services.database, c.services.thresholds, request, c.services.today()));
    // Stateless pages: every page recomputes the proposal from the same request (any
    // replica can answer) and the cursor checks that the needs read are the same.
    const auto fingerprint = request_fingerprint(request);
    const auto items = computed.proposal.lots.size() + computed.proposal.not_pooled.size();
    CANOPEE_TRY_RESPOND_STATUS(check_proposal_page(page, fingerprint, computed.needs_fingerprint, items));
    return json(http::status::ok, proposal_page_json(computed.proposal, computed.advice, c.services.nomenclature, page,
                                                     fingerprint, computed.needs_fingerprint));
  });
}

void add_tender_routes(Router& router) {
  const std::vector<Role> readers = {Role::officer, Role::buyer, Role::finance};
  router.add(http::verb::get, "/v1/tenders", readers, [](RequestContext& c) {
    CANOPEE_TRY_RESPOND_STATUS(allowed_query(c, {"limit", "cursor"}));
    CANOPEE_TRY_RESPOND(page, page_of(c));
    return page_response(db::list_tenders(c.read_database(), member_scope(c), page),
                         [](const Tender& t) { return to_json(t); });
  });

  router.add(http::verb::post, "/v1/tenders", {Role::officer}, [](RequestContext& c) {
    if (auto r = require_json(c)) return *r;
    CANOPEE_TRY_RESPOND(in,
                        JsonInput::parse(c.request.body(),
                                         {"title", "coordinator_member_id", "vehicle", "criteria", "price_formula",
                                          "abnormally_low_method", "tie_break", "bid_deadline",
                                          "allotment_justification", "framework_agreement", "launch_date",
                                          "time_limit_reduction", "mapa_minimum_days", "environmental_conditions",
                                          "social_considerations", "social_exception", "proposal", "groupement_id"}));
    Tender t;
    read_tender_fields(in, t, true);
    const auto coordinator = in.integer("coordinator_member_id", true, 1, INT64_MAX);
    if (!in.is_null("groupement_id")) t.groupement_id = in.integer("groupement_id", false, 1, INT64_MAX);
    std::optional<ProposalRequest> request;
    if (const auto* p = in.raw("proposal")) {
      auto proposal = JsonInput::from(*p, {"filter", "options"}, "proposal.");
      if (!proposal) {
        in.fail("proposal", "doit être un objet {filter, options}", "input.not_object");
      } else {
        request = read_proposal_request(*proposal, c.services.today());
        for (auto& e : proposal->errors()) in.errors().push_back(e);
      }
    } else {
      in.fail("proposal", "est obligatoire : {filter, options}", "input.required");
    }
    CANOPEE_TRY_RESPOND_STATUS(in.finish());
    t.coordinator_member_id = *coordinator;
    CANOPEE_TRY_RESPOND(created, usecases::create_tender_from_proposal(c.services.database, c.actor,
                                                                       c.services.thresholds, c.services.nomenclature,
                                                                       std::move(t), *request, c.services.today()));
    return tender_with_groupement(created.tender, created.groupement, http::status::created, &created.excluded);
  });

  router.add(http::verb::get, "/v1/tenders/{id}", readers, [](RequestContext& c) {
    CANOPEE_TRY_RESPOND(id, path_id(c, "id"));
    CANOPEE_TRY_RESPOND(view, usecases::tender_view(c.read_database(), id));
    if (const auto scope = member_scope(c); scope && !tender_concerns(view.tender, *scope)) {
      return error(Error{ErrorCode::not_found, "consultation introuvable", {}, "tender.not_found"});
    }
    return tender_with_groupement(view.tender, view.groupement);
  });

  router.add(http::verb::patch, "/v1/tenders/{id}", {Role::officer}, [](RequestContext& c) {
    if (auto r = require_json(c)) return *r;
    CANOPEE_TRY_RESPOND(expected, if_match(c));
    CANOPEE_TRY_RESPOND(read, visible_tender(c));
    usecases::TenderEdit edit{read, false, expected};
    Tender& tender = edit.tender;
    CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(),
                                             {"title", "vehicle", "criteria", "price_formula", "abnormally_low_method",
                                              "tie_break", "bid_deadline", "allotment_justification",
                                              "framework_agreement", "launch_date", "contract_start", "duration_months",
                                              "time_limit_reduction", "mapa_minimum_days", "environmental_conditions",
                                              "social_considerations", "social_exception", "lots"}));
    read_tender_fields(in, tender, false);
    if (auto v = in.text("contract_start", false, 10)) {
      if (auto start = in.take(parse_date(*v, in.name("contract_start")))) tender.contract_start = *start;
    }
    if (auto v = in.integer("duration_months", false, 1, 120)) tender.duration_months = static_cast<int>(*v);
    read_lot_edits(in, tender);
    CANOPEE_TRY_RESPOND_STATUS(in.finish());
    edit.launch_date_given = in.has("launch_date");
    return tender_response(usecases::edit_tender(c.services.database, c.actor, c.services.thresholds, read,
                                                 std::move(edit), c.services.today()));
  });

  router.add(http::verb::post, "/v1/tenders/{id}/publish", {Role::officer},
             [](RequestContext& c) { return transition(c, TenderStatus::published); });
  router.add(http::verb::post, "/v1/tenders/{id}/close", {Role::officer},
             [](RequestContext& c) { return transition(c, TenderStatus::closed); });
  router.add(http::verb::post, "/v1/tenders/{id}/cancel", {Role::officer},
             [](RequestContext& c) { return transition(c, TenderStatus::cancelled); });

  router.add(http::verb::get, "/v1/tenders/{id}/procedure", {Role::officer}, [](RequestContext& c) {
    CANOPEE_TRY_RESPOND(tender, visible_tender(c));
    CANOPEE_TRY_RESPOND(advice, usecases::advise_tender(c.services.database, c.services.thresholds, tender,
                                                        c.services.today()));
    return json(http::status::ok, advice_json(advice));
  });
}

}  // namespace canopee::api
