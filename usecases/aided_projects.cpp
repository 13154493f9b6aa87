#include "usecases/aided_projects.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <tuple>

#include "adapters/clock.hpp"
#include "adapters/db/tender_repository.hpp"
#include "adapters/db/unit_of_work.hpp"
#include "usecases/shared_costs.hpp"

namespace canopee::usecases {
namespace {

namespace bj = boost::json;

Error project_not_found() {
  return Error::of(ErrorCode::not_found, "ce projet aidé n’existe pas", "aided_project.not_found");
}

Error stale() {
  return Error::of(ErrorCode::stale, "le projet a changé depuis sa lecture : le relire et réessayer",
                   "aided_project.stale");
}

std::string project_json(const AidedProject& p) {
  bj::array members, expenses;
  for (auto m : p.members) members.push_back(m);
  for (const auto& e : p.expenses) {
    expenses.push_back(bj::object{{"id", e.id},
                                  {"member_id", e.member_id},
                                  {"label", e.label},
                                  {"amount_ht", to_string(e.amount_ht)},
                                  {"vat", to_string(e.vat)},
                                  {"vat_recoverable", e.vat_recoverable}});
  }
  bj::object o{{"kind", to_string(p.kind)},     {"title", p.title},
               {"members", std::move(members)}, {"collective", p.collective},
               {"rate_reason", p.rate_reason},  {"planned_on", to_string(p.planned_on)},
               {"status", to_string(p.status)}, {"expenses", std::move(expenses)}};
  o["rate_override_bp"] = p.rate_override_bp ? bj::value(*p.rate_override_bp) : bj::value(nullptr);
  o["granted_amount"] = p.granted_amount ? bj::value(to_string(*p.granted_amount)) : bj::value(nullptr);
  return bj::serialize(o);
}

// A loaded project the caller may see.
Result<AidedProject> visible(soci::session& sql, std::int64_t id, std::optional<std::int64_t> member_scope) {
  auto p = db::load_aided_project(sql, id);
  if (!p) return project_not_found();
  if (member_scope && std::find(p->members.begin(), p->members.end(), *member_scope) == p->members.end())
    return project_not_found();
  return std::move(*p);
}

AidedProjectView view_of(soci::session& sql, AidedProject p) {
  AidedProjectView v;
  v.settings = db::load_aid_settings(sql);
  const auto prior = db::prior_aid(sql, p);
  v.computation = compute_aid(p, v.settings, prior);
  v.steps = db::load_aid_steps(sql, p.id);
  v.costs = db::load_linked_costs(sql, p.id);
  v.version = p.version;
  v.project = std::move(p);
  return v;
}

Status check_members(soci::session& sql, const AidedProject& p) {
  for (std::size_t i = 0; i < p.members.size(); ++i) {
    if (!db::member_is_active(sql, p.members[i])) {
      return Error::rule_broken(ErrorCode::invalid, "aided_project.members.unknown",
                                "members[" + std::to_string(i) + "]", "n’est pas un membre actif du réseau");
    }
  }
  return ok_status();
}

// The project's subsidy computed and saved, then the projects of the same members that
// are still projections, in the order of their anchors (each counts those before it).
void refresh_with_followers(soci::session& sql, const AidedProject& p) {
  refresh_aid(sql, p.id);
  std::vector<std::tuple<Date, std::int64_t>> others;
  for (const auto member : p.members) {
    for (const auto id : db::aided_project_ids(sql, member)) {
      if (id == p.id) continue;
      const auto other = db::load_aided_project(sql, id);
      if (other && aid_is_projected(other->status) && other->cap_anchor() >= p.cap_anchor())
        others.emplace_back(other->cap_anchor(), id);
    }
  }
  std::sort(others.begin(), others.end());
  others.erase(std::unique(others.begin(), others.end()), others.end());
  for (const auto& [anchor, id] : others) refresh_aid(sql, id);
}

// The common frame of a change: load (visible), check the version and that the project
// is planned, run `change`, bump the version, refresh, audit, return the view.
Result<AidedProjectView> planned_change(db::Database& database, const db::Actor& actor, std::int64_t id,
                                        std::optional<std::int64_t> expected, std::optional<std::int64_t> member_scope,
                                        std::string_view action,
                                        const std::function<Status(soci::session&, AidedProject&)>& change) {
  return db::in_transaction<AidedProjectView>(database, [&](soci::session& sql) -> Result<AidedProjectView> {
    CANOPEE_TRY(before, visible(sql, id, member_scope));
    if (expected && *expected != before.version) return stale();
    CANOPEE_TRY_STATUS(check_aid_editable(before));
    auto after = before;
    CANOPEE_TRY_STATUS(change(sql, after));
    if (!db::bump_aid_version(sql, id, before.version, utc_timestamp_now())) return stale();
    auto stored = db::load_aided_project(sql, id);
    refresh_with_followers(sql, *stored);
    stored = db::load_aided_project(sql, id);
    db::write_audit(sql, actor, "aided_project", id, action, project_json(before), project_json(*stored));
    return view_of(sql, std::move(*stored));
  });
}

}  // namespace

void refresh_aid(soci::session& sql, std::int64_t project_id) {
  const auto p = db::load_aided_project(sql, project_id);
  if (!p) return;
  const auto settings = db::load_aid_settings(sql);
  const auto computation = compute_aid(*p, settings, db::prior_aid(sql, *p));
  db::save_aid_figures(sql, p->id, computation, linked_cost_aid(*p, computation));
}

Result<AidedProjectView> get_aided_project(db::Database& database, std::int64_t id,
                                           std::optional<std::int64_t> member_scope) {
  return db::in_snapshot<AidedProjectView>(database, [&](soci::session& sql) -> Result<AidedProjectView> {
    CANOPEE_TRY(p, visible(sql, id, member_scope));
    return view_of(sql, std::move(p));
  });
}

Result<db::PageOf<AidedProjectView>> list_aided_projects(db::Database& database,
                                                         std::optional<std::int64_t> member_scope,
                                                         const db::Page& page) {
  using Out = db::PageOf<AidedProjectView>;
  return db::in_snapshot<Out>(database, [&](soci::session& sql) -> Result<Out> {
    const auto ids = db::aided_project_id_page(sql, member_scope, page);
    Out out;
    out.next_before_id = ids.next_before_id;
    for (const auto id : ids.items) {
      if (auto p = db::load_aided_project(sql, id)) out.items.push_back(view_of(sql, std::move(*p)));
    }
    return out;
  });
}

Result<AidedProjectView> create_aided_project(db::Database& database, const db::Actor& actor, AidedProject project,
                                              Date today, std::optional<std::int64_t> member_scope) {
  project.status = AidStatus::planned;
  CANOPEE_TRY_STATUS(validate_aided_project(project));
  if (project.planned_on > today)
    return Error::invalid("planned_on", "ne peut pas être dans le futur", "aided_project.date.future");
  if (member_scope && std::find(project.members.begin(), project.members.end(), *member_scope) == project.members.end())
    return Error::invalid("members", "un utilisateur d’un membre ne crée que des projets de son membre",
                          "aided_project.members.not_own");
  return db::in_transaction<AidedProjectView>(database, [&](soci::session& sql) -> Result<AidedProjectView> {
    CANOPEE_TRY_STATUS(check_members(sql, project));
    const auto now = utc_timestamp_now();
    const auto id = db::insert_aided_project(sql, project, now);
    db::insert_aid_step(sql, id, AidStatus::planned, project.planned_on, std::nullopt, actor, now);
    refresh_aid(sql, id);
    auto stored = db::load_aided_project(sql, id);
    db::write_audit(sql, actor, "aided_project", id, "create", "", project_json(*stored));
    return view_of(sql, std::move(*stored));
  });
}

Result<AidedProjectView> update_aided_project(db::Database& database, const db::Actor& actor, std::int64_t id,
                                              std::optional<std::int64_t> expected,
                                              const std::function<Status(AidedProject&)>& changed, Date today,
                                              std::optional<std::int64_t> member_scope) {
  return db::in_transaction<AidedProjectView>(database, [&](soci::session& sql) -> Result<AidedProjectView> {
    CANOPEE_TRY(before, visible(sql, id, member_scope));
    if (expected && *expected != before.version) return stale();
    CANOPEE_TRY_STATUS(check_aid_editable(before));
    auto after = before;
    CANOPEE_TRY_STATUS(changed(after));
    CANOPEE_TRY_STATUS(validate_aided_project(after));
    if (after.planned_on > today)
      return Error::invalid("planned_on", "ne peut pas être dans le futur", "aided_project.date.future");
    if (member_scope && std::find(after.members.begin(), after.members.end(), *member_scope) == after.members.end())
      return Error::invalid("members", "un utilisateur d’un membre reste membre de ses projets",
                            "aided_project.members.not_own");
    CANOPEE_TRY_STATUS(check_members(sql, after));
    after.version = before.version;
    if (!db::update_aided_project(sql, after, utc_timestamp_now())) return stale();
    auto stored = db::load_aided_project(sql, id);
    refresh_with_followers(sql, *stored);
    stored = db::load_aided_project(sql, id);
    db::write_audit(sql, actor, "aided_project", id, "update", project_json(before), project_json(*stored));
    return view_of(sql, std::move(*stored));
  });
}

Result<AidedProjectView> add_aid_expense(db::Database& database, const db::Actor& actor, std::int64_t id,
                                         std::optional<std::int64_t> expected, const AidExpense& expense,
                                         std::optional<std::int64_t> member_scope) {
  return planned_change(database, actor, id, expected, member_scope, "add_expense",
                        [&](soci::session& sql, AidedProject& p) -> Status {
                          CANOPEE_TRY_STATUS(validate_aid_expense(expense, p.members, ""));
                          if (p.expenses.size() >= kMaxAidExpenses)
                            return Error::invalid("expenses", "au plus 200 dépenses",
                                                  "aided_project.expenses.too_many");
                          db::insert_aid_expense(sql, p.id, expense);
                          return ok_status();
                        });
}

Result<AidedProjectView> remove_aid_expense(db::Database& database, const db::Actor& actor, std::int64_t id,
                                            std::int64_t expense_id, std::optional<std::int64_t> expected,
                                            std::optional<std::int64_t> member_scope) {
  return planned_change(database, actor, id, expected, member_scope, "remove_expense",
                        [&](soci::session& sql, AidedProject& p) -> Status {
                          if (!db::delete_aid_expense(sql, p.id, expense_id))
                            return Error::of(ErrorCode::not_found, "cette dépense n’est pas une dépense du projet",
                                             "aided_project.expense.not_found");
                          return ok_status();
                        });
}

Result<AidedProjectView> link_shared_cost(db::Database& database, const db::Actor& actor, std::int64_t id,
                                          std::int64_t shared_cost_id, std::optional<std::int64_t> expected,
                                          std::optional<std::int64_t> member_scope) {
  return planned_change(
      database, actor, id, expected, member_scope, "link_cost", [&](soci::session& sql, AidedProject& p) -> Status {
        const auto cost = db::load_shared_cost(sql, shared_cost_id);
        if (!cost)
          return Error::rule_broken(ErrorCode::invalid, "aided_project.cost.not_found", "shared_cost_id",
                                    "aucun frais mutualisé ne porte ce numéro");
        if (!cost->subsidy_eligible)
          return Error::rule_broken(ErrorCode::invalid, "aided_project.cost.not_eligible", "shared_cost_id",
                                    "ce frais mutualisé n’est pas déclaré éligible à la subvention CGLLS");
        if (const auto owner = db::project_of_cost(sql, shared_cost_id)) {
          return Error::rule_broken(ErrorCode::conflict, "aided_project.cost.taken", "shared_cost_id",
                                    *owner == p.id
                                        ? "ce frais est déjà rattaché à ce projet"
                                        : "ce frais est déjà rattaché au projet n° " + std::to_string(*owner) +
                                              " : un frais appartient à un seul projet");
        }
        db::link_cost(sql, p.id, shared_cost_id);
        return ok_status();
      });
}

Result<AidedProjectView> unlink_shared_cost(db::Database& database, const db::Actor& actor, std::int64_t id,
                                            std::int64_t shared_cost_id, std::optional<std::int64_t> expected,
                                            std::optional<std::int64_t> member_scope) {
  return planned_change(database, actor, id, expected, member_scope, "unlink_cost",
                        [&](soci::session& sql, AidedProject& p) -> Status {
                          const auto cost = db::load_shared_cost(sql, shared_cost_id);
                          if (!cost || !db::unlink_cost(sql, p.id, shared_cost_id))
                            return Error::of(ErrorCode::not_found, "ce frais n’est pas rattaché à ce projet",
                                             "aided_project.cost.not_linked");
                          // The cost goes back to its tender's own split ("sans projet", projected).
                          if (const auto tender = db::load_tender(sql, cost->tender_id)) resplit_costs(sql, *tender);
                          return ok_status();
                        });
}

Result<AidedProjectView> transition_aided_project(db::Database& database, const db::Actor& actor, std::int64_t id,
                                                  const AidTransition& transition, std::optional<std::int64_t> expected,
                                                  Date today, std::optional<std::int64_t> member_scope) {
  return db::in_transaction<AidedProjectView>(database, [&](soci::session& sql) -> Result<AidedProjectView> {
    CANOPEE_TRY(before, visible(sql, id, member_scope));
    if (expected && *expected != before.version) return stale();
    const auto base = compute_aid(before, db::load_aid_settings(sql), {}).eligible_base;
    CANOPEE_TRY_STATUS(check_aid_transition(before, transition, today, base));
    const auto after = apply_aid_transition(before, transition);
    const auto now = utc_timestamp_now();
    if (!db::save_aid_status(sql, after, now)) return stale();
    db::insert_aid_step(sql, id, after.status, *transition.on, transition.amount, actor, now);
    auto stored = db::load_aided_project(sql, id);
    refresh_with_followers(sql, *stored);
    stored = db::load_aided_project(sql, id);
    db::write_audit(sql, actor, "aided_project", id, std::string(to_string(transition.action)), project_json(before),
                    project_json(*stored));
    return view_of(sql, std::move(*stored));
  });
}

}  // namespace canopee::usecases
