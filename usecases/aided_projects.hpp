#pragma once
// Aided projects (CGLLS subsidy; engine/aided_project.hpp, adapters/db/aided_project_repository):
// one function per user action, each one unit of work with its audit row. The subsidy
// is computed again on every change and saved (the project's projected total, each
// member's part, and each linked shared cost's split rows), so that the savings report
// reads it from cost_splits: granted when the project is granted or paid, projected
// when it is planned or requested.
#include <soci/soci.h>

#include <functional>
#include <optional>
#include <vector>

#include "adapters/db/actor.hpp"
#include "adapters/db/aided_project_repository.hpp"
#include "adapters/db/database.hpp"
#include "engine/aided_project.hpp"

namespace canopee::usecases {

struct AidedProjectView {
  AidedProject project;
  AidSettings settings;
  AidComputation computation;
  std::vector<db::AidStep> steps;
  std::vector<db::LinkedCost> costs;
  std::int64_t version = 1;  // the project's, for the ETag
};

// `member_scope`: a member's user sees the projects of its member only (not_found otherwise).
Result<AidedProjectView> get_aided_project(db::Database& database, std::int64_t id,
                                           std::optional<std::int64_t> member_scope);
// The projects by page, newest first; only the member's when scoped.
Result<db::PageOf<AidedProjectView>> list_aided_projects(db::Database& database,
                                                         std::optional<std::int64_t> member_scope,
                                                         const db::Page& page);

// A new project, planned on `project.planned_on` (not after today); its members must exist and be active.
Result<AidedProjectView> create_aided_project(db::Database& database, const db::Actor& actor, AidedProject project,
                                              Date today, std::optional<std::int64_t> member_scope);
// Title, kind, members, collective, rate, planned date: a planned project only; `changed`
// receives the stored project and returns it edited. `expected` is the If-Match version.
Result<AidedProjectView> update_aided_project(db::Database& database, const db::Actor& actor, std::int64_t id,
                                              std::optional<std::int64_t> expected,
                                              const std::function<Status(AidedProject&)>& changed, Date today,
                                              std::optional<std::int64_t> member_scope);
Result<AidedProjectView> add_aid_expense(db::Database& database, const db::Actor& actor, std::int64_t id,
                                         std::optional<std::int64_t> expected, const AidExpense& expense,
                                         std::optional<std::int64_t> member_scope);
Result<AidedProjectView> remove_aid_expense(db::Database& database, const db::Actor& actor, std::int64_t id,
                                            std::int64_t expense_id, std::optional<std::int64_t> expected,
                                            std::optional<std::int64_t> member_scope);
// A subsidy-eligible shared cost of a joint tender joins the project (it belongs to one project at most).
Result<AidedProjectView> link_shared_cost(db::Database& database, const db::Actor& actor, std::int64_t id,
                                          std::int64_t shared_cost_id, std::optional<std::int64_t> expected,
                                          std::optional<std::int64_t> member_scope);
Result<AidedProjectView> unlink_shared_cost(db::Database& database, const db::Actor& actor, std::int64_t id,
                                            std::int64_t shared_cost_id, std::optional<std::int64_t> expected,
                                            std::optional<std::int64_t> member_scope);
// request, grant, pay, refuse, abandon: checked by check_aid_transition, dated, audited,
// appended to the status history.
Result<AidedProjectView> transition_aided_project(db::Database& database, const db::Actor& actor, std::int64_t id,
                                                  const AidTransition& transition, std::optional<std::int64_t> expected,
                                                  Date today, std::optional<std::int64_t> member_scope);

// Inside a unit of work: the project's subsidy computed again and saved (figures and
// linked cost rows). Called after any change of the project and after a tender's costs
// are split again (usecases/shared_costs.cpp: resplit_costs).
void refresh_aid(soci::session& sql, std::int64_t project_id);

}  // namespace canopee::usecases
