// Evaluation, award (or unsuccessful), shared costs, and the allocation report.
#include <boost/json.hpp>

#include "adapters/db/award_repository.hpp"
#include "adapters/db/derived_versions.hpp"
#include "adapters/formats/json_mapping.hpp"
#include "api/handler_support.hpp"
#include "api/handlers/tender_access.hpp"
#include "api/json_input.hpp"
#include "api/routes.hpp"
#include "engine/fair_share.hpp"
#include "usecases/award.hpp"
#include "usecases/award_references.hpp"
#include "usecases/bid_review.hpp"
#include "usecases/finance_tables.hpp"
#include "usecases/lot_evaluation.hpp"
#include "usecases/reports.hpp"
#include "usecases/shared_costs.hpp"

namespace canopee::api {
namespace {

namespace bj = boost::json;

bj::array ids_json(const std::vector<std::int64_t>& ids) {
  bj::array out;
  for (const auto id : ids) out.push_back(id);
  return out;
}

bj::value evaluation_json(const Lot& lot, const LotEvaluation& e) {
  bj::array bids;
  for (const auto& b : e.bids) {
    bj::object scores;
    for (const auto& s : b.scores) scores[s.criterion] = format_score(s.score);
    bj::object o{{"bid_id", b.bid_id},
                 {"supplier_id", b.supplier_id},
                 {"unit_price", to_string(b.unit_price)},
                 {"total_price", to_string(b.total_price)},
                 {"price_score", format_score(b.price_score)},
                 {"scores", std::move(scores)},
                 {"weighted_total", format_score(b.weighted_total)},
                 {"abnormally_low", b.abnormally_low},
                 {"eliminated", b.eliminated},
                 {"awardable", b.awardable},
                 {"regularity", to_string(b.regularity)},
                 {"price_review", to_string(b.price_review)},
                 {"reason_code", b.reason_code},
                 {"reason", b.reason}};
    o["rank"] = b.rank ? bj::value(*b.rank) : bj::value(nullptr);
    o["tie"] = to_string(b.tie);
    o["tied_with"] = ids_json(b.tied_with);
    o["draw_id"] = b.draw_id != 0 ? bj::value(b.draw_id) : bj::value(nullptr);
    bids.push_back(std::move(o));
  }
  bj::array warnings;
  for (const auto& w : e.warnings) warnings.push_back(bj::value(w));
  bj::array ties;
  for (const auto& tie : e.ties_to_draw) ties.push_back(ids_json(tie));
  return bj::object{{"lot_id", lot.id},
                    {"number", lot.number},
                    {"status", to_string(lot.status)},
                    {"bids", std::move(bids)},
                    {"ties_to_draw", std::move(ties)},
                    {"warnings", std::move(warnings)}};
}

bj::value index_point_json(const std::optional<IndexPoint>& point) {
  if (!point) return nullptr;
  return bj::object{{"month", to_string(point->month)}, {"value", format_decimal(point->value, kIndexScale, 1)}};
}

// A lot's savings references, by member (a member's users see their own line only).
bj::value references_json(const Lot& lot, const std::vector<db::StoredReference>& references,
                          std::optional<std::int64_t> scope) {
  bj::array members;
  for (const auto& m : lot.members) {
    if (scope && *scope != m.member_id) continue;
    bj::array parts;
    Amount raw;
    Amount actualised;
    for (const auto& r : references) {
      if (r.member_id != m.member_id) continue;
      raw += r.part.raw;
      actualised += r.part.actualised;
      bj::object o{{"need_id", r.part.need_id},
                   {"source", to_string(r.part.source)},
                   {"source_label", french_label(r.part.source)},
                   {"reference_date", to_string(r.part.reference_date)},
                   {"raw", to_string(r.part.raw)},
                   {"actualised", to_string(r.part.actualised)},
                   {"missing", r.part.missing},
                   {"explanation", r.explanation}};
      o["index_code"] = r.part.index_code.empty() ? bj::value(nullptr) : bj::value(r.part.index_code);
      o["base"] = index_point_json(r.part.base);
      o["current"] = index_point_json(r.part.current);
      o["average"] = r.part.average ? bj::value(bj::object{{"unit_price", to_string(r.part.average->unit_price)},
                                                           {"bids", r.part.average->bids}})
                                    : bj::value(nullptr);
      parts.push_back(std::move(o));
    }
    if (parts.empty()) continue;
    members.push_back(bj::object{{"member_id", m.member_id},
                                 {"raw", to_string(raw)},
                                 {"actualised", to_string(actualised)},
                                 {"parts", std::move(parts)}});
  }
  return bj::object{{"lot_id", lot.id},
                    {"number", lot.number},
                    {"rule", kReferenceRule},
                    {"members", std::move(members)}};
}

bj::value draw_json(const db::LotDraw& d) {
  return bj::object{{"id", d.id},
                    {"lot_id", d.lot_id},
                    {"order", ids_json(d.order)},
                    {"method", to_string(d.method)},
                    {"minutes", d.minutes},
                    {"author_user_id", d.author_user_id != 0 ? bj::value(d.author_user_id) : bj::value(nullptr)},
                    {"author_name", d.author_name},
                    {"recorded_at", d.recorded_at}};
}

// The body of a draw: {method, order, minutes}.
std::optional<db::DrawRequest> read_draw(JsonInput& in) {
  db::DrawRequest request;
  if (auto method = in.text("method", true, 20)) {
    if (auto parsed = in.take(db::parse_draw_method(*method, in.name("method")))) request.method = *parsed;
  }
  request.minutes = in.text("minutes", true, kMaxDrawMinutes * 4).value_or("");
  const auto* order = in.raw("order");
  if (order == nullptr) {
    if (request.method == db::DrawMethod::manual) {
      in.fail("order", "est obligatoire : les offres dans l’ordre où elles ont été tirées", "input.required");
    }
  } else if (!order->is_array() || order->as_array().size() > 100) {
    in.fail("order", "doit être une liste d’au plus 100 identifiants d’offres", "input.not_list");
  } else {
    for (std::size_t i = 0; i < order->as_array().size(); ++i) {
      const auto& id = order->as_array()[i];
      if (!id.is_int64() || id.as_int64() < 1) {
        in.fail("order[" + std::to_string(i) + "]", "doit être l’identifiant d’une offre (entier positif)",
                "input.not_integer");
      } else {
        request.order.push_back(id.as_int64());
      }
    }
  }
  return request;
}

bj::value cost_json(const db::StoredCost& c) {
  bj::object shares;
  for (const auto& s : c.cost.shares) shares[std::to_string(s.member_id)] = format_decimal(s.basis_points, 2, 2);
  bj::array allocation;
  for (const auto& m : c.split) {
    allocation.push_back(
        bj::object{{"member_id", m.member_id}, {"share", to_string(m.share)}, {"subsidy", to_string(m.subsidy)}});
  }
  return bj::object{{"id", c.id},
                    {"label", c.cost.label},
                    {"amount", to_string(c.cost.amount)},
                    {"key", to_string(c.cost.key)},
                    {"shares", std::move(shares)},
                    {"subsidy_eligible", c.cost.subsidy_eligible},
                    {"subsidy_rate", format_decimal(c.subsidy_rate_bp, 2, 2)},
                    {"allocated", !c.split.empty()},
                    {"allocation", std::move(allocation)}};
}

bj::value costs_json(const std::vector<db::StoredCost>& costs) { return list_json(costs, cost_json); }

bj::value figures_json(const MemberAllocation& f) {
  return bj::object{{"contract", to_string(f.line.contract)},
                    {"reference", to_string(f.line.reference)},
                    {"standalone", to_string(f.line.standalone)},
                    {"savings", to_string(f.line.savings)},
                    {"pooling_effect", to_string(f.line.pooling_effect)},
                    {"competition_effect", to_string(f.line.competition_effect)},
                    {"shared_costs", to_string(f.shared_costs)},
                    {"subsidy", to_string(f.subsidy)},
                    {"fair_share", to_string(f.fair_share)},
                    {"transfer", to_string(f.transfer)}};
}

}  // namespace

void add_award_routes(Router& router) {
  // Computed once per version of its inputs (schema/0028): the first query reads the
  // tender's version; the evaluation is kept while it stays the same. The answer
  // depends neither on the clock nor on which officer asks; a caller limited to a
  // member (none may call this route today) is checked and served uncached.
  router.add(http::verb::get, "/v1/tenders/{id}/evaluation", {Role::officer}, [](RequestContext& c) {
    auto& cache = c.services.evaluations;
    std::optional<std::int64_t> version;
    std::string key;
    if (!member_scope(c)) {
      CANOPEE_TRY_RESPOND(id, path_id(c, "id"));
      CANOPEE_TRY_RESPOND(read, db::tender_derived_version(c.services.database, id));
      version = read;  // none: no such tender, answered below as always
      key = std::to_string(id);
    }
    // Computed by one request when several miss at once (DerivedCache::find_or_compute);
    // kept only if nothing changed meanwhile: the evaluation's snapshot lies between
    // the two reads of the version. An error is answered as it is.
    std::optional<Response> failed;
    const auto fail = [&failed](const Error& e) {
      failed = error(e);
      return DerivedCache::Computed{};
    };
    const auto compute = [&]() -> DerivedCache::Computed {
      auto tender = visible_tender(c);
      if (!tender) return fail(tender.error());
      auto evaluation = usecases::evaluate_tender(c.services.database, tender->id);
      if (!evaluation) return fail(evaluation.error());
      bj::array lots;
      for (const auto& [lot, e] : *evaluation) lots.push_back(evaluation_json(lot, e));
      auto body = DerivedCache::answer(bj::serialize(bj::object{{"tender_id", tender->id}, {"lots", std::move(lots)}}));
      if (!version) return {body, false};
      auto after = db::tender_derived_version(c.services.database, tender->id);
      if (!after) return fail(after.error());
      return {body, *after == version};
    };
    const auto body = version ? cache.find_or_compute(key, *version, compute) : compute().body;
    if (!body) return std::move(*failed);
    return kept_json(c, *body);
  });

  router.add(http::verb::post, "/v1/tenders/{id}/lots/{lot}/award", {Role::officer}, [](RequestContext& c) {
    if (auto r = require_json(c)) return *r;
    CANOPEE_TRY_RESPOND(tender, visible_tender(c));
    CANOPEE_TRY_RESPOND(lot_id, path_id(c, "lot"));
    CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(), {"bid_id", "unsuccessful", "reason"}));
    const auto unsuccessful = in.boolean("unsuccessful", false).value_or(false);
    const auto bid_id = in.integer("bid_id", !unsuccessful, 1, INT64_MAX);
    const auto reason = in.text("reason", unsuccessful, 2000);
    if (unsuccessful && in.has("bid_id"))
      in.fail("bid_id", "un lot infructueux n’a pas d’offre retenue", "award.unsuccessful.bid_given");
    CANOPEE_TRY_RESPOND_STATUS(in.finish());
    auto result = unsuccessful
                      ? usecases::declare_lot_unsuccessful(c.services.database, c.actor, tender.id, lot_id, *reason)
                      : usecases::award_lot(c.services.database, c.actor, tender.id, lot_id, *bid_id,
                                            c.services.today());
    return versioned(result, [](const Tender& t) { return formats::to_json(t); });
  });

  // Drawing lots among tied bids (procurement-rules.md "Ties"): recorded, append-only.
  router.add(http::verb::get, "/v1/tenders/{id}/lots/{lot}/draws", {Role::officer}, [](RequestContext& c) {
    CANOPEE_TRY_RESPOND(tender, visible_tender(c));
    CANOPEE_TRY_RESPOND(lot_id, path_id(c, "lot"));
    CANOPEE_TRY_RESPOND(draws, db::list_lot_draws(c.services.database, tender.id, lot_id));
    return json(http::status::ok, list_json(draws, draw_json));
  });

  router.add(http::verb::post, "/v1/tenders/{id}/lots/{lot}/draws", {Role::officer}, [](RequestContext& c) {
    if (auto r = require_json(c)) return *r;
    CANOPEE_TRY_RESPOND(tender, visible_tender(c));
    CANOPEE_TRY_RESPOND(lot_id, path_id(c, "lot"));
    CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(), {"method", "order", "minutes"}));
    auto request = read_draw(in);
    CANOPEE_TRY_RESPOND_STATUS(in.finish("le tirage au sort est incomplet ou mal formé"));
    CANOPEE_TRY_RESPOND(draw, usecases::record_draw(c.services.database, c.actor, tender.id, lot_id, *request));
    return json(http::status::created, draw_json(draw));
  });

  router.add(http::verb::get, "/v1/tenders/{id}/costs", {Role::officer}, [](RequestContext& c) {
    CANOPEE_TRY_RESPOND(tender, visible_tender(c));
    return respond(db::list_shared_costs(c.services.database, tender.id), costs_json);
  });

  router.add(http::verb::post, "/v1/tenders/{id}/costs", {Role::officer}, [](RequestContext& c) {
    if (auto r = require_json(c)) return *r;
    CANOPEE_TRY_RESPOND(tender, visible_tender(c));
    CANOPEE_TRY_RESPOND(in,
                        JsonInput::parse(c.request.body(), {"label", "amount", "key", "shares", "subsidy_eligible"}));
    SharedCost cost;
    cost.label = in.text("label", true, 200).value_or("");
    if (auto amount = in.decimal("amount", true)) {
      if (auto parsed = in.take(parse_amount(*amount, "amount"))) cost.amount = *parsed;
    }
    if (auto key = in.text("key", false, 30)) {
      if (auto parsed = in.take(parse_cost_key(*key, in.name("key")))) cost.key = *parsed;
    }
    if (const auto* shares = in.raw("shares")) {
      if (!shares->is_object()) {
        in.fail("shares", "doit être un objet {member_id: pourcentage}", "input.not_object");
      } else {
        for (const auto& [member, percent] : shares->as_object()) {
          const std::string field = "shares." + std::string(member);
          const auto id = parse_integer(member);
          if (!id || *id <= 0) {
            in.fail(field, "la clé doit être l’identifiant d’un membre", "cost.shares.member_id");
            continue;
          }
          auto text = percent.is_string() ? std::optional<std::string>(std::string(percent.as_string()))
                                          : number_as_decimal(percent);
          auto bp = text ? parse_percent(*text, field)
                         : Result<std::int64_t>(
                               Error::invalid(field, "doit être un pourcentage", "cost.percent.not_a_number"));
          if (auto share = in.take(std::move(bp))) cost.shares.push_back({*id, *share});
        }
      }
    }
    cost.subsidy_eligible = in.boolean("subsidy_eligible", false).value_or(false);
    CANOPEE_TRY_RESPOND_STATUS(in.finish());
    CANOPEE_TRY_RESPOND(stored, usecases::add_shared_cost(c.services.database, c.actor, tender.id, cost));
    return json(http::status::created, cost_json(stored));
  });

  // A cost recorded by mistake is removed (then recorded again to correct it);
  // the answer is the tender's costs left, split again.
  router.add(http::verb::delete_, "/v1/tenders/{id}/costs/{cost}", {Role::officer}, [](RequestContext& c) {
    if (!c.request.body().empty())
      return error(Error::invalid("body", "cette action ne prend pas de corps", "input.body_not_expected"));
    CANOPEE_TRY_RESPOND(tender, visible_tender(c));
    CANOPEE_TRY_RESPOND(cost_id, path_id(c, "cost"));
    return respond(usecases::remove_shared_cost(c.services.database, c.actor, tender.id, cost_id), costs_json);
  });

  // What each member's savings reference was computed from at the award (issue 19 item 2).
  router.add(http::verb::get, "/v1/tenders/{id}/lots/{lot}/savings-references",
             {Role::officer, Role::finance, Role::buyer}, [](RequestContext& c) {
               CANOPEE_TRY_RESPOND_STATUS(allowed_query(c, {}));
               CANOPEE_TRY_RESPOND(tender, visible_tender(c));
               CANOPEE_TRY_RESPOND(lot, lot_of(tender, c));
               CANOPEE_TRY_RESPOND(references, usecases::lot_references(c.services.database, lot->id));
               return json(http::status::ok, references_json(*lot, references, member_scope(c)));
             });

  router.add(http::verb::get, "/v1/tenders/{id}/allocation", {Role::officer, Role::finance}, [](RequestContext& c) {
    CANOPEE_TRY_RESPOND_STATUS(allowed_query(c, {"method", "csv"}));
    auto format = negotiate(c);
    if (!format) return not_acceptable();
    CANOPEE_TRY_RESPOND(method_text, query_param(c, "method"));
    CANOPEE_TRY_RESPOND(method, parse_fair_method(method_text.value_or("uniform"), "method"));
    CANOPEE_TRY_RESPOND(tender, visible_tender(c));
    const auto slot = c.services.allocations.try_acquire(c.user->id);
    if (!slot) return too_many_at_once("de calculs de répartition");
    CANOPEE_TRY_RESPOND(allocation,
                        reports::tender_allocation(c.services.database, tender, method, &c.services.allocation_cache));
    const auto& members = allocation.members;
    const auto& totals = allocation.totals;
    // A member's finance sees its own line and the totals.
    const auto scope = member_scope(c);
    bj::array lots;
    for (const auto& lot : allocation.lots) {
      bj::array lot_members;
      for (const auto& p : lot.share.players) {
        if (scope && *scope != p.member_id) continue;
        lot_members.push_back(bj::object{{"member_id", p.member_id},
                                         {"uniform", to_string(p.uniform)},
                                         {"share", to_string(p.share)},
                                         {"transfer", to_string(p.transfer)}});
      }
      bj::object o{{"lot_id", lot.lot_id},
                   {"number", lot.number},
                   {"gain", to_string(lot.share.gain)},
                   {"algorithm", to_string(lot.share.algorithm)},
                   {"members", std::move(lot_members)}};
      o["in_core"] = lot.share.uniform_in_core ? bj::value(*lot.share.uniform_in_core) : bj::value(nullptr);
      lots.push_back(std::move(o));
    }
    bj::array member_list;
    for (const auto& [id, f] : members) {
      if (scope && *scope != id) continue;
      auto o = figures_json(f).as_object();
      o["member_id"] = id;
      member_list.push_back(std::move(o));
    }
    if (*format != Format::json) {
      return table_response(c, reports::allocation_table(tender, allocation, method, scope), *format,
                            "repartition-" + tender.reference + "-" + std::string(to_string(method)));
    }
    bj::object body{{"tender_id", tender.id},
                    {"method", to_string(method)},
                    {"lots", std::move(lots)},
                    {"members", std::move(member_list)},
                    {"totals", figures_json(totals)}};
    body["in_core"] = allocation.in_core ? bj::value(*allocation.in_core) : bj::value(nullptr);
    if (const auto& sampling = allocation.sampling) {
      body["sampling"] = bj::object{{"samples", sampling->samples}, {"error_bound", to_string(sampling->error_bound)}};
    }
    return json(http::status::ok, body);
  });
}

}  // namespace canopee::api
