// A framework agreement's terms and maxima (usecases/framework_terms.hpp): GET and PUT
// /v1/tenders/{id}/framework.
#include <boost/json.hpp>

#include "api/handler_support.hpp"
#include "api/handlers/tender_access.hpp"
#include "api/json_input.hpp"
#include "api/routes.hpp"
#include "engine/cost_split.hpp"
#include "usecases/framework_terms.hpp"

namespace canopee::api {
namespace {

namespace bj = boost::json;

bj::value framework_json(const usecases::FrameworkView& view) {
  const Tender& t = view.tender;
  bj::array lots;
  for (std::size_t i = 0; i < view.lots.size(); ++i) {
    const auto& lot = t.lots[i];
    const auto& maximum = view.lots[i];
    bj::array members;
    for (const auto& m : maximum.members) {
      members.push_back(
          bj::object{{"member_id", m.member_id},
                     {"maximum", to_string(m.basis, m.maximum)},
                     {"minimum", m.minimum ? bj::value(to_string(m.basis, *m.minimum)) : bj::value(nullptr)},
                     {"from_estimate", m.from_estimate},
                     {"value", to_string(m.value)}});
    }
    lots.push_back(bj::object{{"lot_id", lot.id},
                              {"number", lot.number},
                              {"title", lot.title},
                              {"unit", to_string(lot.unit)},
                              {"basis", to_string(maximum.basis)},
                              {"maximum", to_string(maximum.basis, maximum.maximum)},
                              {"value", to_string(maximum.value)},
                              {"members", std::move(members)}});
  }
  return bj::object{{"tender_id", t.id},
                    {"status", to_string(t.status)},
                    {"framework_agreement", t.framework_agreement},
                    {"duration_months", t.duration_months},
                    {"renewals", t.framework_terms.renewals},
                    {"renewal_months", t.framework_terms.renewal_months},
                    {"total_months", total_duration_months(t)},
                    {"duration_justification", t.framework_terms.duration_justification},
                    {"margin", to_string(Amount{t.framework_terms.margin_bp})},  // 1/100 %: "20.00"
                    {"procedure", to_string(t.procedure)},
                    {"lots", std::move(lots)},
                    {"version", t.version}};
}

// The body of PUT …/framework; the bounds in each lot's basis.
FrameworkTerms read_terms(JsonInput& in) {
  FrameworkTerms terms;
  if (auto v = in.integer("renewals", false, 0, kMaxRenewals)) terms.renewals = static_cast<int>(*v);
  if (auto v = in.integer("renewal_months", false, 0, kMaxRenewalMonths)) terms.renewal_months = static_cast<int>(*v);
  if (auto text = in.text("duration_justification", false, 16000)) terms.duration_justification = *text;
  if (auto margin = in.decimal("margin", false)) {
    if (auto bp = in.take(parse_decimal(*margin, 2, "margin"))) {
      terms.margin_bp = *bp > kMaxMarginBp ? kMaxMarginBp + 1 : static_cast<int>(*bp);  // refused by the engine
    }
  }
  const auto* lots = in.raw("lots");
  if (lots == nullptr) return terms;
  if (!lots->is_array()) {
    in.fail("lots", "doit être une liste de {lot_id, basis, members}", "input.not_list");
    return terms;
  }
  for (std::size_t i = 0; i < lots->as_array().size(); ++i) {
    const std::string at = "lots[" + std::to_string(i) + "]";
    auto item = JsonInput::from(lots->as_array()[i], {"lot_id", "basis", "members"}, at + ".");
    if (!item) {
      in.fail(at, "doit être un objet", "input.not_object");
      continue;
    }
    LotBounds bounds;
    if (auto id = item->integer("lot_id", true, 1, INT64_MAX)) bounds.lot_id = *id;
    if (auto basis = item->text("basis", false, 20)) {
      if (auto b = item->take(parse_maximum_basis(*basis, item->name("basis")))) bounds.basis = *b;
    }
    if (const auto* members = item->raw("members")) {
      if (!members->is_array()) {
        item->fail("members", "doit être une liste de {member_id, maximum, minimum}", "input.not_list");
      } else {
        for (std::size_t j = 0; j < members->as_array().size(); ++j) {
          const std::string mat = at + ".members[" + std::to_string(j) + "]";
          auto m = JsonInput::from(members->as_array()[j], {"member_id", "maximum", "minimum"}, mat + ".");
          if (!m) {
            item->fail(mat, "doit être un objet", "input.not_object");
            continue;
          }
          MemberBounds mb;
          if (auto id = m->integer("member_id", true, 1, INT64_MAX)) mb.member_id = *id;
          const auto figure = [&](const char* field) -> std::optional<std::int64_t> {
            if (m->is_null(field)) return std::nullopt;
            auto text = m->decimal(field, false);
            if (!text) return std::nullopt;
            if (bounds.basis == MaximumBasis::value) {
              if (auto a = m->take(parse_amount(*text, m->name(field)))) return a->cents;
            } else if (auto q = m->take(parse_quantity(*text, m->name(field)))) {
              return q->thousandths;
            }
            return std::nullopt;
          };
          mb.maximum = figure("maximum");
          mb.minimum = figure("minimum");
          for (auto& e : m->errors()) item->errors().push_back(e);
          bounds.members.push_back(mb);
        }
      }
    }
    for (auto& e : item->errors()) in.errors().push_back(e);
    terms.lots.push_back(std::move(bounds));
  }
  return terms;
}

}  // namespace

void add_framework_routes(Router& router) {
  router.add(http::verb::get, "/v1/tenders/{id}/framework", {Role::officer, Role::buyer, Role::finance},
             [](RequestContext& c) {
               CANOPEE_TRY_RESPOND(tender, visible_tender(c));
               return versioned(usecases::framework_view(c.services.database, tender.id),
                                [](const usecases::FrameworkView& v) { return framework_json(v); });
             });
  router.add(http::verb::put, "/v1/tenders/{id}/framework", {Role::officer}, [](RequestContext& c) {
    if (auto r = require_json(c)) return *r;
    CANOPEE_TRY_RESPOND(tender, visible_tender(c));
    CANOPEE_TRY_RESPOND(expected, if_match(c));
    CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(), {"renewals", "renewal_months", "duration_justification",
                                                                "margin", "lots"}));
    const FrameworkTerms terms = read_terms(in);
    CANOPEE_TRY_RESPOND_STATUS(in.finish());
    return versioned(usecases::set_framework_terms(c.services.database, c.actor, c.services.thresholds, tender.id,
                                                   terms, expected, c.services.today()),
                     [](const usecases::FrameworkView& v) { return framework_json(v); });
  });
}

}  // namespace canopee::api
