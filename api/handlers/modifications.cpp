// Modifications of a member's contract (avenants, R2194-1 to R2194-9): the list with
// their cumulative effect (GET), and recording one (POST, officers), through
// usecases/modifications.cpp.
#include <boost/json.hpp>

#include "api/handler_support.hpp"
#include "api/json_input.hpp"
#include "api/routes.hpp"
#include "usecases/modifications.hpp"

namespace canopee::api {
namespace {

namespace bj = boost::json;

bj::value modifications_json(const usecases::ContractModifications& view) {
  const auto& s = view.summary;
  bj::array items;
  for (std::size_t i = 0; i < s.lines.size(); ++i) {
    const auto& line = s.lines[i];
    const auto& m = line.modification;
    const auto& stored = view.modifications[i];
    items.push_back(bj::object{{"number", m.number},
                               {"ground", to_string(m.ground)},
                               {"ground_label", french_label(m.ground)},
                               {"article", article(m.ground)},
                               {"object", m.object},
                               {"justification", m.justification},
                               {"clause_reference", m.clause_reference},
                               {"signed_on", to_string(m.signed_on)},
                               {"amount_change", to_string(s.basis, m.amount_change)},
                               {"percent_of_initial", percent_text(line.percent_hundredths)},
                               {"amount_after", to_string(s.basis, line.amount_after)},
                               {"months_change", m.months_change},
                               {"months_after", line.months_after},
                               {"recorded_at", stored.recorded_at}});
  }
  return bj::object{{"contract_id", view.contract_id},
                    {"tender_id", view.tender_id},
                    {"lot_id", view.lot_id},
                    {"member_id", view.member_id},
                    {"framework", view.framework},
                    {"basis", to_string(s.basis)},
                    {"initial", to_string(s.basis, s.initial)},
                    {"initial_months", s.initial_months},
                    {"notified_on",
                     view.contract.notified_on ? bj::value(to_string(*view.contract.notified_on)) : bj::value(nullptr)},
                    {"ordered", to_string(s.basis, view.contract.consumed)},
                    {"modifications", std::move(items)},
                    {"cumulative_change", to_string(s.basis, s.cumulative_change)},
                    {"cumulative_percent", percent_text(s.cumulative_percent_hundredths)},
                    {"de_minimis_cumulative", to_string(s.basis, s.de_minimis_cumulative)},
                    {"current", to_string(s.basis, s.current)},
                    {"months_change", s.months_change},
                    {"current_months", s.current_months}};
}

Response record(RequestContext& c) {
  if (auto r = require_json(c)) return *r;
  CANOPEE_TRY_RESPOND(id, path_id(c, "id"));
  // The contract's basis says how amount_change reads (euros or units); 404 first.
  CANOPEE_TRY_RESPOND(view, usecases::contract_modifications(c.services.database, id, member_scope(c)));
  CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(), {"ground", "object", "signed_on", "amount_change",
                                                              "months_change", "justification", "clause_reference"}));
  Modification m;
  if (auto text = in.text("ground", true, 40)) {
    if (auto ground = in.take(parse_modification_ground(*text, in.name("ground")))) m.ground = *ground;
  }
  if (auto text = in.text("object", true, 4 * kMaxModificationObject)) m.object = *text;
  if (auto text = in.text("signed_on", true, 10)) {
    if (auto on = in.take(parse_date(*text, in.name("signed_on")))) m.signed_on = *on;
  }
  if (auto text = in.decimal("amount_change", true)) {
    if (view.summary.basis == MaximumBasis::value) {
      if (auto amount = in.take(parse_amount(*text, in.name("amount_change")))) m.amount_change = amount->cents;
    } else if (auto quantity = in.take(parse_quantity(*text, in.name("amount_change")))) {
      m.amount_change = quantity->thousandths;
    }
  }
  if (in.has("months_change") && !in.is_null("months_change")) {
    if (auto months = in.integer("months_change", false, 0, kMaxMonthsChange))
      m.months_change = static_cast<int>(*months);
  }
  if (auto text = in.text("justification", false, 4 * kMaxModificationJustification)) m.justification = *text;
  if (auto text = in.text("clause_reference", false, 4 * kMaxClauseReference)) m.clause_reference = *text;
  CANOPEE_TRY_RESPOND_STATUS(in.finish());
  return respond(usecases::record_modification(c.services.database, c.actor, c.services.thresholds, id, m,
                                               c.services.instant_now(), c.services.today()),
                 modifications_json, http::status::created);
}

}  // namespace

void add_modification_routes(Router& router) {
  router.add(http::verb::get, "/v1/contracts/{id}/modifications", {Role::officer, Role::finance, Role::buyer},
             [](RequestContext& c) {
               CANOPEE_TRY_RESPOND(id, path_id(c, "id"));
               // A buyer or a member's finance user reads its own member's contracts only (404 otherwise).
               return respond(usecases::contract_modifications(c.services.database, id, member_scope(c)),
                              modifications_json);
             });
  router.add(http::verb::post, "/v1/contracts/{id}/modifications", {Role::officer}, record);
}

}  // namespace canopee::api
