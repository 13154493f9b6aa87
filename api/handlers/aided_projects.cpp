// Aided projects (CGLLS subsidy, issue 19 items 6 and 7): the list and one project with
// its subsidy computed (every reader), their creation and editing while planned, the
// expenses and linked shared costs, and the dated status steps (finance controllers and
// administrators; a member's finance user only for its own member's projects), through
// usecases/aided_projects.cpp.
#include <boost/json.hpp>

#include "api/handler_support.hpp"
#include "api/json_input.hpp"
#include "api/routes.hpp"
#include "usecases/aided_projects.hpp"

namespace canopee::api {
namespace {

namespace bj = boost::json;

std::string percent(std::int64_t bp) { return format_decimal(bp, 2, 2); }

bj::value amount_or_null(const std::optional<Amount>& a) { return a ? bj::value(to_string(*a)) : bj::value(nullptr); }

bj::value project_json(const usecases::AidedProjectView& v) {
  const auto& p = v.project;
  const auto& c = v.computation;
  bj::array members, expenses, costs, steps;
  for (const auto& m : c.members) {
    members.push_back(bj::object{{"member_id", m.member_id},
                                 {"eligible_base", to_string(m.eligible_base)},
                                 {"cap_used", amount_or_null(m.cap_used)},
                                 {"cap_left", amount_or_null(m.cap_left)},
                                 {"projected", to_string(m.projected)},
                                 {"granted", amount_or_null(m.granted)}});
  }
  for (const auto& e : p.expenses) {
    expenses.push_back(bj::object{{"id", e.id},
                                  {"member_id", e.member_id},
                                  {"label", e.label},
                                  {"amount_ht", to_string(e.amount_ht)},
                                  {"vat", to_string(e.vat)},
                                  {"vat_rate", e.vat_rate_bp ? bj::value(percent(*e.vat_rate_bp)) : bj::value(nullptr)},
                                  {"vat_recoverable", e.vat_recoverable},
                                  {"eligible_base", to_string(e.eligible_base())}});
  }
  for (const auto& l : v.costs) {
    costs.push_back(bj::object{{"shared_cost_id", l.shared_cost_id},
                               {"tender_id", l.tender_id},
                               {"tender_reference", l.tender_reference},
                               {"label", l.label},
                               {"amount", to_string(l.amount)}});
  }
  for (const auto& s : v.steps) {
    steps.push_back(bj::object{{"status", to_string(s.status)},
                               {"on", to_string(s.on)},
                               {"amount", amount_or_null(s.amount)},
                               {"recorded_at", s.recorded_at}});
  }
  const std::string_view rate_source = p.rate_override_bp ? "project" : p.collective ? "collective" : "individual";
  const std::string_view counted = aid_is_granted(p.status)     ? "granted"
                                   : aid_is_projected(p.status) ? "projected"
                                                                : "none";
  bj::object subsidy{{"eligible_base", to_string(c.eligible_base)},
                     {"rate", percent(c.rate_bp)},
                     {"rate_source", rate_source},
                     {"at_rate", to_string(c.at_rate)},
                     {"project_cap", amount_or_null(c.project_cap)},
                     {"member_cap", amount_or_null(v.settings.rolling_cap() ? v.settings.member_cap : std::nullopt)},
                     {"member_cap_months",
                      v.settings.rolling_cap() ? bj::value(*v.settings.member_cap_months) : bj::value(nullptr)},
                     {"window_from", date_or_null(c.window_from)},
                     {"window_to", date_or_null(c.window_to)},
                     {"projected", to_string(c.projected)},
                     {"limited_by", to_string(c.limited_by)},
                     {"granted", amount_or_null(c.granted)},
                     {"counted", counted}};
  return bj::object{{"id", p.id},
                    {"version", p.version},
                    {"kind", to_string(p.kind)},
                    {"title", p.title},
                    {"collective", p.collective},
                    {"rate_override",
                     p.rate_override_bp ? bj::value(percent(*p.rate_override_bp)) : bj::value(nullptr)},
                    {"rate_reason", p.rate_reason},
                    {"planned_on", to_string(p.planned_on)},
                    {"status", to_string(p.status)},
                    {"status_label", french_label(p.status)},
                    {"requested_on", date_or_null(p.requested_on)},
                    {"granted_on", date_or_null(p.granted_on)},
                    {"paid_on", date_or_null(p.paid_on)},
                    {"closed_on", date_or_null(p.closed_on)},
                    {"granted_amount", amount_or_null(p.granted_amount)},
                    {"members", std::move(members)},
                    {"expenses", std::move(expenses)},
                    {"shared_costs", std::move(costs)},
                    {"subsidy", std::move(subsidy)},
                    {"steps", std::move(steps)}};
}

Response project_response(const Result<usecases::AidedProjectView>& v, http::status status = http::status::ok) {
  return versioned(v, project_json, status);
}

std::optional<Date> read_date(JsonInput& in, std::string_view field, bool required) {
  auto v = in.text(field, required, 10);
  if (!v) return std::nullopt;
  return in.take(parse_date(*v, in.name(field)));
}

// A percentage "60" or "33.34" (a string or a number) in basis points, or none.
std::optional<std::int64_t> read_percent(JsonInput& in, std::string_view field) {
  auto text = in.decimal(field, false);
  if (!text) return std::nullopt;
  return in.take(parse_decimal(*text, 2, in.name(field)));
}

AidExpense read_expense(JsonInput& in) {
  AidExpense e;
  if (auto v = in.integer("member_id", true, 1, INT64_MAX)) e.member_id = *v;
  if (auto v = in.text("label", true, 4 * kMaxAidTitle)) e.label = *v;
  if (auto v = in.decimal("amount_ht", true)) {
    if (auto a = in.take(parse_amount(*v, in.name("amount_ht")))) e.amount_ht = *a;
  }
  if (auto v = in.boolean("vat_recoverable", true)) e.vat_recoverable = *v;
  const bool has_vat = in.has("vat") && !in.is_null("vat");
  const bool has_rate = in.has("vat_rate") && !in.is_null("vat_rate");
  if (has_vat && has_rate) {
    in.fail("vat", "la TVA se donne en montant (vat) ou en taux (vat_rate), pas les deux",
            "aided_project.expense.vat_twice");
  } else if (has_vat) {
    if (auto v = in.decimal("vat", true)) {
      if (auto a = in.take(parse_amount(*v, in.name("vat")))) e.vat = *a;
    }
  } else if (has_rate) {
    if (auto bp = read_percent(in, "vat_rate")) {
      e.vat_rate_bp = *bp;
      if (*bp >= 0 && *bp <= 10'000) e.vat = vat_from_rate(e.amount_ht, *bp);
    }
  }
  return e;
}

// The members list, as ids.
void read_members(JsonInput& in, AidedProject& p, bool required) {
  const auto* list = in.raw("members");
  if (!list) {
    if (required) in.fail("members", "est obligatoire : les membres qui portent le projet", "input.required");
    return;
  }
  if (!list->is_array()) {
    in.fail("members", "doit être une liste d’identifiants de membres", "input.not_list");
    return;
  }
  if (list->as_array().size() > kMaxAidMembers) {
    in.fail("members", "au plus 50 membres", "aided_project.members.too_many");
    return;
  }
  p.members.clear();
  for (std::size_t i = 0; i < list->as_array().size(); ++i) {
    const auto& item = list->as_array()[i];
    if (!item.is_int64() || item.as_int64() <= 0) {
      in.fail("members[" + std::to_string(i) + "]", "doit être l’identifiant d’un membre (entier positif)",
              "input.not_integer");
      continue;
    }
    p.members.push_back(item.as_int64());
  }
}

// The editable fields present in `in`, over `p` (kind, title, planned_on required when creating).
void read_fields(JsonInput& in, AidedProject& p, bool creating) {
  for (const auto* field : {"kind", "title", "collective", "planned_on", "members"}) {
    if (in.is_null(field)) in.fail(field, "ne peut pas être null", "input.null");
  }
  if (auto v = in.text("kind", creating, 40)) {
    if (auto k = in.take(parse_aid_kind(*v, in.name("kind")))) p.kind = *k;
  }
  if (auto v = in.text("title", creating, 4 * kMaxAidTitle)) p.title = *v;
  if (auto v = in.boolean("collective", creating)) p.collective = *v;
  if (auto d = read_date(in, "planned_on", creating)) p.planned_on = *d;
  read_members(in, p, creating);
  if (in.has("rate")) {
    if (in.is_null("rate")) {
      p.rate_override_bp.reset();
    } else if (auto bp = read_percent(in, "rate")) {
      p.rate_override_bp = *bp;
    }
  }
  if (in.has("rate_reason")) {
    if (in.is_null("rate_reason")) p.rate_reason.clear();
    else if (auto v = in.text("rate_reason", false, 4 * kMaxAidReason)) p.rate_reason = *v;
  }
}

Response no_body_expected(RequestContext& c) {
  (void)c;
  return error(Error::invalid("body", "cette action ne prend pas de corps", "input.body_not_expected"));
}

Response transition(RequestContext& c, AidAction action) {
  if (auto r = require_json(c)) return *r;
  CANOPEE_TRY_RESPOND(id, path_id(c, "id"));
  CANOPEE_TRY_RESPOND(expected, if_match(c));
  CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(), {"on", "amount"}));
  AidTransition t;
  t.action = action;
  if (in.is_null("on")) in.fail("on", "la date de l’étape est obligatoire", "aided_project.date.missing");
  t.on = read_date(in, "on", false);
  if (in.has("amount") && !in.is_null("amount")) {
    if (auto v = in.decimal("amount", true)) t.amount = in.take(parse_amount(*v, in.name("amount")));
  }
  CANOPEE_TRY_RESPOND_STATUS(in.finish());
  return project_response(usecases::transition_aided_project(c.services.database, c.actor, id, t, expected,
                                                             c.services.today(), member_scope(c)));
}

}  // namespace

void add_aided_project_routes(Router& router) {
  const std::vector<Role> readers = {Role::admin, Role::finance, Role::officer, Role::buyer};
  const std::vector<Role> writers = {Role::admin, Role::finance};

  router.add(http::verb::get, "/v1/aided-projects", readers, [](RequestContext& c) {
    CANOPEE_TRY_RESPOND_STATUS(allowed_query(c, {"limit", "cursor"}));
    CANOPEE_TRY_RESPOND(page, page_of(c));
    return page_response(usecases::list_aided_projects(c.services.database, member_scope(c), page), project_json);
  });

  router.add(http::verb::get, "/v1/aided-projects/{id}", readers, [](RequestContext& c) {
    CANOPEE_TRY_RESPOND(id, path_id(c, "id"));
    return project_response(usecases::get_aided_project(c.services.database, id, member_scope(c)));
  });

  router.add(http::verb::post, "/v1/aided-projects", writers, [](RequestContext& c) {
    if (auto r = require_json(c)) return *r;
    CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(), {"kind", "title", "collective", "planned_on", "members",
                                                                "rate", "rate_reason", "expenses"}));
    AidedProject p;
    read_fields(in, p, true);
    if (const auto* list = in.raw("expenses")) {
      if (!list->is_array()) {
        in.fail("expenses", "doit être une liste de dépenses", "input.not_list");
      } else if (list->as_array().size() > kMaxAidExpenses) {
        in.fail("expenses", "au plus 200 dépenses", "aided_project.expenses.too_many");
      } else {
        for (std::size_t i = 0; i < list->as_array().size(); ++i) {
          const std::string at = "expenses[" + std::to_string(i) + "]";
          auto item = JsonInput::from(list->as_array()[i],
                                      {"member_id", "label", "amount_ht", "vat", "vat_rate", "vat_recoverable"},
                                      at + ".");
          if (!item) {
            in.fail(at, "doit être un objet {member_id, label, amount_ht, vat ou vat_rate, vat_recoverable}",
                    "input.not_object");
            continue;
          }
          p.expenses.push_back(read_expense(*item));
          for (auto& e : item->errors()) in.errors().push_back(std::move(e));
        }
      }
    }
    CANOPEE_TRY_RESPOND_STATUS(in.finish());
    return project_response(usecases::create_aided_project(c.services.database, c.actor, p, c.services.today(),
                                                           member_scope(c)),
                            http::status::created);
  });

  router.add(http::verb::patch, "/v1/aided-projects/{id}", writers, [](RequestContext& c) {
    if (auto r = require_json(c)) return *r;
    CANOPEE_TRY_RESPOND(id, path_id(c, "id"));
    CANOPEE_TRY_RESPOND(expected, if_match(c));
    CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(), {"kind", "title", "collective", "planned_on", "members",
                                                                "rate", "rate_reason"}));
    // The fields are read over a blank project, then applied over the stored one.
    AidedProject read;
    read_fields(in, read, false);
    CANOPEE_TRY_RESPOND_STATUS(in.finish());
    const auto has = [&](std::string_view f) { return in.has(f); };
    return project_response(usecases::update_aided_project(
        c.services.database, c.actor, id, expected,
        [&](AidedProject& p) -> Status {
          if (has("kind")) p.kind = read.kind;
          if (has("title")) p.title = read.title;
          if (has("collective")) p.collective = read.collective;
          if (has("planned_on")) p.planned_on = read.planned_on;
          if (has("members")) {
            p.members = read.members;
            // An expense stays with its member: a member who bears one stays in the project.
            for (const auto& e : p.expenses) {
              if (std::find(p.members.begin(), p.members.end(), e.member_id) == p.members.end())
                return Error::invalid("members",
                                      "le membre " + std::to_string(e.member_id) +
                                          " porte une dépense du projet : retirer la dépense d’abord",
                                      "aided_project.members.has_expense");
            }
          }
          if (has("rate")) p.rate_override_bp = read.rate_override_bp;
          if (has("rate_reason")) p.rate_reason = read.rate_reason;
          return ok_status();
        },
        c.services.today(), member_scope(c)));
  });

  router.add(http::verb::post, "/v1/aided-projects/{id}/expenses", writers, [](RequestContext& c) {
    if (auto r = require_json(c)) return *r;
    CANOPEE_TRY_RESPOND(id, path_id(c, "id"));
    CANOPEE_TRY_RESPOND(expected, if_match(c));
    CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(), {"member_id", "label", "amount_ht", "vat", "vat_rate",
                                                                "vat_recoverable"}));
    const auto e = read_expense(in);
    CANOPEE_TRY_RESPOND_STATUS(in.finish());
    return project_response(usecases::add_aid_expense(c.services.database, c.actor, id, expected, e, member_scope(c)),
                            http::status::created);
  });

  router.add(http::verb::delete_, "/v1/aided-projects/{id}/expenses/{expense}", writers, [](RequestContext& c) {
    if (!c.request.body().empty()) return no_body_expected(c);
    CANOPEE_TRY_RESPOND(id, path_id(c, "id"));
    CANOPEE_TRY_RESPOND(expense, path_id(c, "expense"));
    CANOPEE_TRY_RESPOND(expected, if_match(c));
    return project_response(
        usecases::remove_aid_expense(c.services.database, c.actor, id, expense, expected, member_scope(c)));
  });

  router.add(http::verb::post, "/v1/aided-projects/{id}/shared-costs", writers, [](RequestContext& c) {
    if (auto r = require_json(c)) return *r;
    CANOPEE_TRY_RESPOND(id, path_id(c, "id"));
    CANOPEE_TRY_RESPOND(expected, if_match(c));
    CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(), {"shared_cost_id"}));
    const auto cost = in.integer("shared_cost_id", true, 1, INT64_MAX);
    CANOPEE_TRY_RESPOND_STATUS(in.finish());
    return project_response(usecases::link_shared_cost(c.services.database, c.actor, id, *cost, expected,
                                                       member_scope(c)),
                            http::status::created);
  });

  router.add(http::verb::delete_, "/v1/aided-projects/{id}/shared-costs/{cost}", writers, [](RequestContext& c) {
    if (!c.request.body().empty()) return no_body_expected(c);
    CANOPEE_TRY_RESPOND(id, path_id(c, "id"));
    CANOPEE_TRY_RESPOND(cost, path_id(c, "cost"));
    CANOPEE_TRY_RESPOND(expected, if_match(c));
    return project_response(
        usecases::unlink_shared_cost(c.services.database, c.actor, id, cost, expected, member_scope(c)));
  });

  router.add(http::verb::post, "/v1/aided-projects/{id}/request", writers,
             [](RequestContext& c) { return transition(c, AidAction::request); });
  router.add(http::verb::post, "/v1/aided-projects/{id}/grant", writers,
             [](RequestContext& c) { return transition(c, AidAction::grant); });
  router.add(http::verb::post, "/v1/aided-projects/{id}/pay", writers,
             [](RequestContext& c) { return transition(c, AidAction::pay); });
  router.add(http::verb::post, "/v1/aided-projects/{id}/refuse", writers,
             [](RequestContext& c) { return transition(c, AidAction::refuse); });
  router.add(http::verb::post, "/v1/aided-projects/{id}/abandon", writers,
             [](RequestContext& c) { return transition(c, AidAction::abandon); });
}

}  // namespace canopee::api
