#include "adapters/db/aided_project_repository.hpp"

#include <algorithm>

#include "adapters/db/unit_of_work.hpp"

namespace canopee::db {
namespace {

// ---- SQL ----
constexpr std::string_view kSelectProject =
    "SELECT kind, title, collective, rate_override_bp, rate_reason, CAST(planned_on AS TEXT), status, "
    "CAST(requested_on AS TEXT), CAST(granted_on AS TEXT), CAST(paid_on AS TEXT), CAST(closed_on AS TEXT), "
    "granted_amount, version FROM aided_projects WHERE id = :id";
constexpr std::string_view kSelectMembers =
    "SELECT member_id FROM aided_project_members WHERE project_id = :id ORDER BY member_id";
constexpr std::string_view kSelectExpenses =
    "SELECT id, member_id, label, amount_ht, vat, vat_rate_bp, vat_recoverable FROM aided_project_expenses "
    "WHERE project_id = :id ORDER BY id";
constexpr std::string_view kSelectLinkedShares =
    "SELECT s.shared_cost_id, s.member_id, s.share FROM aided_project_costs l "
    "JOIN cost_splits s ON s.shared_cost_id = l.shared_cost_id WHERE l.project_id = :id "
    "ORDER BY s.shared_cost_id, s.member_id";
constexpr std::string_view kSelectIds = "SELECT id FROM aided_projects ORDER BY id DESC";
constexpr std::string_view kSelectIdsBefore = "SELECT id FROM aided_projects WHERE ";
constexpr std::string_view kSelectIdsOfMemberBefore =
    "SELECT p.id FROM aided_projects p JOIN aided_project_members m ON m.project_id = p.id "
    "WHERE m.member_id = :member AND ";
constexpr std::string_view kSelectIdsOfMember =
    "SELECT p.id FROM aided_projects p JOIN aided_project_members m ON m.project_id = p.id "
    "WHERE m.member_id = :member ORDER BY p.id DESC";
constexpr std::string_view kSelectSteps =
    "SELECT status, CAST(step_on AS TEXT), amount, CAST(recorded_at AS TEXT), recorded_by FROM aided_project_steps "
    "WHERE project_id = :id ORDER BY id";
constexpr std::string_view kSelectLinkedCosts =
    "SELECT c.id, c.tender_id, t.reference, c.label, c.amount, c.subsidy_eligible FROM aided_project_costs l "
    "JOIN shared_costs c ON c.id = l.shared_cost_id JOIN tenders t ON t.id = c.tender_id "
    "WHERE l.project_id = :id ORDER BY c.id";
constexpr std::string_view kSelectSharedCost =
    "SELECT c.id, c.tender_id, t.reference, c.label, c.amount, c.subsidy_eligible FROM shared_costs c "
    "JOIN tenders t ON t.id = c.tender_id WHERE c.id = :id";
constexpr std::string_view kSelectSettings = "SELECT key, value FROM settings";
constexpr std::string_view kMemberActive = "SELECT COUNT(*) FROM members WHERE id = :id AND active = 1";
constexpr std::string_view kInsertProject =
    "INSERT INTO aided_projects (kind, title, collective, rate_override_bp, rate_reason, planned_on, status, "
    "version, created_at, updated_at) VALUES (:kind, :title, :collective, :rate, :reason, :planned_on, 'planned', 1, "
    ":now, :now2) RETURNING id";
constexpr std::string_view kInsertMember =
    "INSERT INTO aided_project_members (project_id, member_id) VALUES (:project, :member)";
constexpr std::string_view kDeleteMembers = "DELETE FROM aided_project_members WHERE project_id = :project";
constexpr std::string_view kUpdateProject =
    "UPDATE aided_projects SET kind = :kind, title = :title, collective = :collective, rate_override_bp = :rate, "
    "rate_reason = :reason, planned_on = :planned_on, version = version + 1, updated_at = :now "
    "WHERE id = :id AND version = :version";
constexpr std::string_view kUpdateStatus =
    "UPDATE aided_projects SET status = :status, requested_on = :requested_on, granted_on = :granted_on, "
    "paid_on = :paid_on, closed_on = :closed_on, granted_amount = :granted_amount, version = version + 1, "
    "updated_at = :now WHERE id = :id AND version = :version";
constexpr std::string_view kBumpVersion =
    "UPDATE aided_projects SET version = version + 1, updated_at = :now WHERE id = :id AND version = :version";
constexpr std::string_view kInsertStep =
    "INSERT INTO aided_project_steps (project_id, status, step_on, amount, recorded_at, recorded_by) "
    "VALUES (:project, :status, :on, :amount, :now, :by)";
constexpr std::string_view kInsertExpense =
    "INSERT INTO aided_project_expenses (project_id, member_id, label, amount_ht, vat, vat_rate_bp, vat_recoverable) "
    "VALUES (:project, :member, :label, :ht, :vat, :rate, :recoverable) RETURNING id";
constexpr std::string_view kDeleteExpense =
    "DELETE FROM aided_project_expenses WHERE id = :id AND project_id = :project";
constexpr std::string_view kProjectOfCost = "SELECT project_id FROM aided_project_costs WHERE shared_cost_id = :cost";
constexpr std::string_view kLinkCost =
    "INSERT INTO aided_project_costs (shared_cost_id, project_id) VALUES (:cost, :project)";
constexpr std::string_view kUnlinkCost =
    "DELETE FROM aided_project_costs WHERE shared_cost_id = :cost AND project_id = :project";
constexpr std::string_view kProjectsOfTender =
    "SELECT DISTINCT l.project_id FROM aided_project_costs l JOIN shared_costs c ON c.id = l.shared_cost_id "
    "WHERE c.tender_id = :tender ORDER BY l.project_id";
constexpr std::string_view kPriorAid =
    "SELECT p.id, p.status, CAST(COALESCE(p.requested_on, p.planned_on) AS TEXT), m.projected, m.granted "
    "FROM aided_project_members m JOIN aided_projects p ON p.id = m.project_id "
    "WHERE m.member_id = :member AND p.id <> :id";
constexpr std::string_view kSaveProjected = "UPDATE aided_projects SET projected = :projected WHERE id = :id";
constexpr std::string_view kSaveMemberFigures =
    "UPDATE aided_project_members SET projected = :projected, granted = :granted "
    "WHERE project_id = :project AND member_id = :member";
// A linked cost's parts of members outside the project get no subsidy from it.
constexpr std::string_view kClearLinkedSubsidy =
    "UPDATE cost_splits SET subsidy = 0 WHERE shared_cost_id IN "
    "(SELECT shared_cost_id FROM aided_project_costs WHERE project_id = :project)";
constexpr std::string_view kSaveCostSubsidy =
    "UPDATE cost_splits SET subsidy = :subsidy, subsidy_rate_bp = :rate "
    "WHERE shared_cost_id = :cost AND member_id = :member";

std::optional<Date> optional_date(const std::string& text, soci::indicator ind) {
  if (ind != soci::i_ok) return std::nullopt;
  return stored_date(text);
}

// A bound optional date: its text, and null when absent.
struct BoundDate {
  std::string text;
  soci::indicator ind = soci::i_null;
  explicit BoundDate(const std::optional<Date>& date) {
    if (date) {
      text = to_string(*date);
      ind = soci::i_ok;
    }
  }
};

std::vector<LinkedCost> read_costs(soci::session& sql, std::string_view query, long long key) {
  long long id = 0, tender = 0, amount = 0;
  int eligible = 0;
  std::string reference, label;
  std::vector<LinkedCost> out;
  soci::statement st = (sql.prepare << query, soci::use(key), soci::into(id), soci::into(tender), soci::into(reference),
                        soci::into(label), soci::into(amount), soci::into(eligible));
  st.execute();
  while (st.fetch()) out.push_back({id, tender, reference, label, Amount{amount}, eligible != 0});
  return out;
}

void insert_members(soci::session& sql, long long project, const std::vector<std::int64_t>& members) {
  for (const auto m : members) {
    long long member = m;
    sql << kInsertMember, soci::use(project), soci::use(member);
  }
}

}  // namespace

std::optional<AidedProject> load_aided_project(soci::session& sql, std::int64_t id) {
  long long key = id, rate = 0, granted = 0, version = 0;
  int collective = 0;
  std::string kind, status, planned_on, requested_on, granted_on, paid_on, closed_on;
  soci::indicator rate_ind = soci::i_null, requested_ind = soci::i_null, granted_on_ind = soci::i_null,
                  paid_ind = soci::i_null, closed_ind = soci::i_null, granted_ind = soci::i_null;
  AidedProject p;
  sql << kSelectProject, soci::use(key), soci::into(kind), soci::into(p.title), soci::into(collective),
      soci::into(rate, rate_ind), soci::into(p.rate_reason), soci::into(planned_on), soci::into(status),
      soci::into(requested_on, requested_ind), soci::into(granted_on, granted_on_ind), soci::into(paid_on, paid_ind),
      soci::into(closed_on, closed_ind), soci::into(granted, granted_ind), soci::into(version);
  if (!sql.got_data()) return std::nullopt;
  p.id = id;
  p.kind = parse_aid_kind(kind, "kind").value();
  p.collective = collective != 0;
  if (rate_ind == soci::i_ok) p.rate_override_bp = rate;
  p.planned_on = stored_date(planned_on);
  p.status = parse_aid_status(status, "status").value();
  p.requested_on = optional_date(requested_on, requested_ind);
  p.granted_on = optional_date(granted_on, granted_on_ind);
  p.paid_on = optional_date(paid_on, paid_ind);
  p.closed_on = optional_date(closed_on, closed_ind);
  if (granted_ind == soci::i_ok) p.granted_amount = Amount{granted};
  p.version = version;
  {
    long long member = 0;
    soci::statement st = (sql.prepare << kSelectMembers, soci::use(key), soci::into(member));
    st.execute();
    while (st.fetch()) p.members.push_back(member);
  }
  {
    long long expense = 0, member = 0, ht = 0, vat = 0, vat_rate = 0;
    int recoverable = 0;
    std::string label;
    soci::indicator vat_rate_ind = soci::i_null;
    soci::statement st = (sql.prepare << kSelectExpenses, soci::use(key), soci::into(expense), soci::into(member),
                          soci::into(label), soci::into(ht), soci::into(vat), soci::into(vat_rate, vat_rate_ind),
                          soci::into(recoverable));
    st.execute();
    while (st.fetch()) {
      AidExpense e;
      e.id = expense;
      e.member_id = member;
      e.label = label;
      e.amount_ht = Amount{ht};
      e.vat = Amount{vat};
      if (vat_rate_ind == soci::i_ok) e.vat_rate_bp = vat_rate;
      e.vat_recoverable = recoverable != 0;
      p.expenses.push_back(std::move(e));
    }
  }
  {
    long long cost = 0, member = 0, share = 0;
    soci::statement st = (sql.prepare << kSelectLinkedShares, soci::use(key), soci::into(cost), soci::into(member),
                          soci::into(share));
    st.execute();
    while (st.fetch()) p.linked.push_back({cost, member, Amount{share}});
  }
  return p;
}

std::vector<std::int64_t> aided_project_ids(soci::session& sql, std::optional<std::int64_t> member_id) {
  long long id = 0, member = member_id.value_or(0);
  std::vector<std::int64_t> out;
  if (member_id) {
    soci::statement st = (sql.prepare << kSelectIdsOfMember, soci::use(member), soci::into(id));
    st.execute();
    while (st.fetch()) out.push_back(id);
  } else {
    soci::statement st = (sql.prepare << kSelectIds, soci::into(id));
    st.execute();
    while (st.fetch()) out.push_back(id);
  }
  return out;
}

PageOf<long long> aided_project_id_page(soci::session& sql, std::optional<std::int64_t> member_id, const Page& page) {
  long long id = 0, member = member_id.value_or(0), before = before_key(page);
  std::vector<long long> ids;
  const auto read = [&](soci::statement st) {
    st.execute();
    while (st.fetch()) ids.push_back(id);
  };
  if (member_id) {
    read((sql.prepare << std::string(kSelectIdsOfMemberBefore) + page_tail("p.id", page.limit), soci::use(member),
          soci::use(before), soci::into(id)));
  } else {
    read((sql.prepare << std::string(kSelectIdsBefore) + page_tail("id", page.limit), soci::use(before),
          soci::into(id)));
  }
  return to_id_page(std::move(ids), clamp_limit(page.limit));
}

std::vector<AidStep> load_aid_steps(soci::session& sql, std::int64_t project_id) {
  long long key = project_id, amount = 0, by = 0;
  std::string status, on, at;
  soci::indicator amount_ind = soci::i_null, by_ind = soci::i_null;
  std::vector<AidStep> out;
  soci::statement st = (sql.prepare << kSelectSteps, soci::use(key), soci::into(status), soci::into(on),
                        soci::into(amount, amount_ind), soci::into(at), soci::into(by, by_ind));
  st.execute();
  while (st.fetch()) {
    AidStep s;
    s.status = parse_aid_status(status, "status").value();
    s.on = stored_date(on);
    if (amount_ind == soci::i_ok) s.amount = Amount{amount};
    s.recorded_at = normalize_timestamp(at);
    if (by_ind == soci::i_ok) s.recorded_by = by;
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<LinkedCost> load_linked_costs(soci::session& sql, std::int64_t project_id) {
  return read_costs(sql, kSelectLinkedCosts, project_id);
}

std::optional<LinkedCost> load_shared_cost(soci::session& sql, std::int64_t shared_cost_id) {
  auto costs = read_costs(sql, kSelectSharedCost, shared_cost_id);
  if (costs.empty()) return std::nullopt;
  return costs.front();
}

AidSettings load_aid_settings(soci::session& sql) {
  AidSettings s;
  std::string key, value;
  soci::statement st = (sql.prepare << kSelectSettings, soci::into(key), soci::into(value));
  st.execute();
  while (st.fetch()) {
    // A setting that does not read as a number is ignored (the default stays).
    const auto number = [&]() -> std::optional<long long> {
      try {
        std::size_t used = 0;
        const long long n = std::stoll(value, &used);
        if (used != value.size() || n < 0) return std::nullopt;
        return n;
      } catch (const std::exception&) {
        return std::nullopt;
      }
    }();
    if (!number) continue;
    if (key == "subsidy.collective_rate_bp" && *number <= 10'000) s.collective_rate_bp = *number;
    if (key == "subsidy.single_rate_bp" && *number <= 10'000) s.individual_rate_bp = *number;
    if (key == "aid.project_cap_cents" && *number <= kMaxAmount) s.project_cap = Amount{*number};
    if (key == "aid.member_cap_cents" && *number <= kMaxAmount) s.member_cap = Amount{*number};
    if (key == "aid.member_cap_months" && *number <= 600) s.member_cap_months = static_cast<int>(*number);
  }
  return s;
}

bool member_is_active(soci::session& sql, std::int64_t member_id) {
  long long key = member_id;
  int count = 0;
  sql << kMemberActive, soci::use(key), soci::into(count);
  return count > 0;
}

std::int64_t insert_aided_project(soci::session& sql, const AidedProject& p, const std::string& now) {
  const std::string kind(to_string(p.kind)), planned_on = to_string(p.planned_on);
  int collective = p.collective ? 1 : 0;
  long long rate = p.rate_override_bp.value_or(0), id = 0;
  soci::indicator rate_ind = p.rate_override_bp ? soci::i_ok : soci::i_null;
  sql << kInsertProject, soci::use(kind), soci::use(p.title), soci::use(collective), soci::use(rate, rate_ind),
      soci::use(p.rate_reason), soci::use(planned_on), soci::use(now), soci::use(now), soci::into(id);
  insert_members(sql, id, p.members);
  for (const auto& e : p.expenses) insert_aid_expense(sql, id, e);
  return id;
}

bool update_aided_project(soci::session& sql, const AidedProject& p, const std::string& now) {
  const std::string kind(to_string(p.kind)), planned_on = to_string(p.planned_on);
  int collective = p.collective ? 1 : 0;
  long long rate = p.rate_override_bp.value_or(0), key = p.id, version = p.version;
  soci::indicator rate_ind = p.rate_override_bp ? soci::i_ok : soci::i_null;
  soci::statement st = (sql.prepare << kUpdateProject, soci::use(kind), soci::use(p.title), soci::use(collective),
                        soci::use(rate, rate_ind), soci::use(p.rate_reason), soci::use(planned_on), soci::use(now),
                        soci::use(key), soci::use(version));
  st.execute(true);
  if (st.get_affected_rows() == 0) return false;
  sql << kDeleteMembers, soci::use(key);
  insert_members(sql, key, p.members);
  return true;
}

bool save_aid_status(soci::session& sql, const AidedProject& p, const std::string& now) {
  const std::string status(to_string(p.status));
  BoundDate requested(p.requested_on), granted_on(p.granted_on), paid(p.paid_on), closed(p.closed_on);
  long long granted = p.granted_amount ? p.granted_amount->cents : 0, key = p.id, version = p.version;
  soci::indicator granted_ind = p.granted_amount ? soci::i_ok : soci::i_null;
  soci::statement st = (sql.prepare << kUpdateStatus, soci::use(status), soci::use(requested.text, requested.ind),
                        soci::use(granted_on.text, granted_on.ind), soci::use(paid.text, paid.ind),
                        soci::use(closed.text, closed.ind), soci::use(granted, granted_ind), soci::use(now),
                        soci::use(key), soci::use(version));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

bool bump_aid_version(soci::session& sql, std::int64_t project_id, std::int64_t version, const std::string& now) {
  long long key = project_id, read = version;
  soci::statement st = (sql.prepare << kBumpVersion, soci::use(now), soci::use(key), soci::use(read));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

void insert_aid_step(soci::session& sql, std::int64_t project_id, AidStatus status, Date on,
                     std::optional<Amount> amount, const Actor& actor, const std::string& now) {
  long long key = project_id, cents = amount ? amount->cents : 0, by = actor.user_id.value_or(0);
  soci::indicator amount_ind = amount ? soci::i_ok : soci::i_null, by_ind = actor.user_id ? soci::i_ok : soci::i_null;
  const std::string name(to_string(status)), day = to_string(on);
  sql << kInsertStep, soci::use(key), soci::use(name), soci::use(day), soci::use(cents, amount_ind), soci::use(now),
      soci::use(by, by_ind);
}

std::int64_t insert_aid_expense(soci::session& sql, std::int64_t project_id, const AidExpense& e) {
  long long key = project_id, member = e.member_id, ht = e.amount_ht.cents, vat = e.vat.cents,
            rate = e.vat_rate_bp.value_or(0), id = 0;
  soci::indicator rate_ind = e.vat_rate_bp ? soci::i_ok : soci::i_null;
  int recoverable = e.vat_recoverable ? 1 : 0;
  sql << kInsertExpense, soci::use(key), soci::use(member), soci::use(e.label), soci::use(ht), soci::use(vat),
      soci::use(rate, rate_ind), soci::use(recoverable), soci::into(id);
  return id;
}

bool delete_aid_expense(soci::session& sql, std::int64_t project_id, std::int64_t expense_id) {
  long long key = expense_id, project = project_id;
  soci::statement st = (sql.prepare << kDeleteExpense, soci::use(key), soci::use(project));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

std::optional<std::int64_t> project_of_cost(soci::session& sql, std::int64_t shared_cost_id) {
  long long key = shared_cost_id, project = 0;
  sql << kProjectOfCost, soci::use(key), soci::into(project);
  if (!sql.got_data()) return std::nullopt;
  return project;
}

void link_cost(soci::session& sql, std::int64_t project_id, std::int64_t shared_cost_id) {
  long long cost = shared_cost_id, project = project_id;
  sql << kLinkCost, soci::use(cost), soci::use(project);
}

bool unlink_cost(soci::session& sql, std::int64_t project_id, std::int64_t shared_cost_id) {
  long long cost = shared_cost_id, project = project_id;
  soci::statement st = (sql.prepare << kUnlinkCost, soci::use(cost), soci::use(project));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

std::vector<std::int64_t> projects_of_tender(soci::session& sql, std::int64_t tender_id) {
  long long key = tender_id, project = 0;
  std::vector<std::int64_t> out;
  soci::statement st = (sql.prepare << kProjectsOfTender, soci::use(key), soci::into(project));
  st.execute();
  while (st.fetch()) out.push_back(project);
  return out;
}

std::vector<PriorAid> prior_aid(soci::session& sql, const AidedProject& project) {
  std::vector<PriorAid> out;
  const Date anchor = project.cap_anchor();
  for (const auto m : project.members) {
    long long member = m, key = project.id, other = 0, projected = 0, granted = 0;
    std::string status, on;
    soci::indicator granted_ind = soci::i_null;
    soci::statement st = (sql.prepare << kPriorAid, soci::use(member), soci::use(key), soci::into(other),
                          soci::into(status), soci::into(on), soci::into(projected), soci::into(granted, granted_ind));
    st.execute();
    while (st.fetch()) {
      const Date day = stored_date(on);
      if (day > anchor || (day == anchor && other > project.id)) continue;  // not before this project
      const auto s = parse_aid_status(status, "status").value();
      Amount counted{0};
      if (aid_is_granted(s)) counted = Amount{granted_ind == soci::i_ok ? granted : 0};
      if (aid_is_projected(s)) counted = Amount{projected};
      if (counted.cents > 0) out.push_back({m, day, counted});
    }
  }
  return out;
}

void save_aid_figures(soci::session& sql, std::int64_t project_id, const AidComputation& c,
                      const std::vector<LinkedCostAid>& linked) {
  long long key = project_id, total = c.projected.cents;
  sql << kSaveProjected, soci::use(total), soci::use(key);
  for (const auto& m : c.members) {
    long long member = m.member_id, projected = m.projected.cents, granted = m.granted ? m.granted->cents : 0;
    soci::indicator granted_ind = m.granted ? soci::i_ok : soci::i_null;
    sql << kSaveMemberFigures, soci::use(projected), soci::use(granted, granted_ind), soci::use(key), soci::use(member);
  }
  sql << kClearLinkedSubsidy, soci::use(key);
  int rate = static_cast<int>(c.rate_bp);
  for (const auto& l : linked) {
    long long subsidy = l.subsidy.cents, cost = l.shared_cost_id, member = l.member_id;
    sql << kSaveCostSubsidy, soci::use(subsidy), soci::use(rate), soci::use(cost), soci::use(member);
  }
}

}  // namespace canopee::db
