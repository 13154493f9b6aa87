#pragma once
// Aided projects (CGLLS subsidy, engine/aided_project.hpp; migration 0022): the project,
// its members and expenses, the shared costs linked to it, its status history and the
// subsidy as last computed. Every function runs inside the caller's unit of work
// (usecases/aided_projects.cpp); the use case checks, this only loads and saves.
#include <soci/soci.h>

#include <optional>
#include <string>
#include <vector>

#include "adapters/db/actor.hpp"
#include "adapters/db/page.hpp"
#include "engine/aided_project.hpp"

namespace canopee::db {

struct AidStep {
  AidStatus status = AidStatus::planned;
  Date on;
  std::optional<Amount> amount;
  std::string recorded_at;
  std::optional<std::int64_t> recorded_by;
};

struct LinkedCost {
  std::int64_t shared_cost_id = 0;
  std::int64_t tender_id = 0;
  std::string tender_reference;
  std::string label;
  Amount amount;
  bool subsidy_eligible = false;
};

// The project with its members, expenses and the members' parts of its linked costs.
std::optional<AidedProject> load_aided_project(soci::session& sql, std::int64_t id);
// The ids of the projects, newest first; of one member's projects when given.
std::vector<std::int64_t> aided_project_ids(soci::session& sql, std::optional<std::int64_t> member_id);
// One page of those ids.
PageOf<long long> aided_project_id_page(soci::session& sql, std::optional<std::int64_t> member_id, const Page& page);
std::vector<AidStep> load_aid_steps(soci::session& sql, std::int64_t project_id);
std::vector<LinkedCost> load_linked_costs(soci::session& sql, std::int64_t project_id);

// The settings the computation reads (defaults in engine/aided_project.hpp; no cap unless set).
AidSettings load_aid_settings(soci::session& sql);
// Whether a member exists and is active.
bool member_is_active(soci::session& sql, std::int64_t member_id);

// Inserts the project (status planned), its members and expenses; returns its id.
std::int64_t insert_aided_project(soci::session& sql, const AidedProject& project, const std::string& now);
// Title, kind, collective, rate and members, when `project.version` is the stored one;
// false otherwise (stale). Bumps the version.
bool update_aided_project(soci::session& sql, const AidedProject& project, const std::string& now);
// The status and its dates and amount, on the version read; false when stale. Bumps the version.
bool save_aid_status(soci::session& sql, const AidedProject& project, const std::string& now);
// A change of expenses or linked costs: the version bumped on the version read; false when stale.
bool bump_aid_version(soci::session& sql, std::int64_t project_id, std::int64_t version, const std::string& now);
void insert_aid_step(soci::session& sql, std::int64_t project_id, AidStatus status, Date on,
                     std::optional<Amount> amount, const Actor& actor, const std::string& now);

std::int64_t insert_aid_expense(soci::session& sql, std::int64_t project_id, const AidExpense& expense);
bool delete_aid_expense(soci::session& sql, std::int64_t project_id, std::int64_t expense_id);

// The project a shared cost belongs to, if any.
std::optional<std::int64_t> project_of_cost(soci::session& sql, std::int64_t shared_cost_id);
// The shared cost (any tender), or none.
std::optional<LinkedCost> load_shared_cost(soci::session& sql, std::int64_t shared_cost_id);
void link_cost(soci::session& sql, std::int64_t project_id, std::int64_t shared_cost_id);
bool unlink_cost(soci::session& sql, std::int64_t project_id, std::int64_t shared_cost_id);
// The projects the costs of a tender belong to.
std::vector<std::int64_t> projects_of_tender(soci::session& sql, std::int64_t tender_id);

// Other projects' aid to `member_id`: each dated by its anchor (request, else plan),
// counting the granted part when granted or paid, the projected part when planned or
// requested, nothing when refused or abandoned; only projects anchored before
// `project` (or the same day with a smaller id).
std::vector<PriorAid> prior_aid(soci::session& sql, const AidedProject& project);

// The computed figures: the project's projected total, each member's parts, and the
// subsidy of each linked cost's split rows (cost_splits.subsidy and its rate).
void save_aid_figures(soci::session& sql, std::int64_t project_id, const AidComputation& computation,
                      const std::vector<LinkedCostAid>& linked);

}  // namespace canopee::db
