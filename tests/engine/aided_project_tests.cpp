// Aided projects (CGLLS subsidy, issue 19 items 6 and 7): the rate, the eligible base
// HT or TTC, the caps and the status machine. Every figure computed by hand in the
// comment beside it; amounts in cents.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "engine/aided_project.hpp"

using namespace canopee;

namespace {

Date d(const char* text) { return *parse_date(text, "d"); }
const Date kToday = d("2027-06-30");

AidExpense expense(std::int64_t member, std::int64_t ht, std::int64_t vat = 0, bool recoverable = true) {
  AidExpense e;
  e.member_id = member;
  e.label = "Étude";
  e.amount_ht = Amount{ht};
  e.vat = Amount{vat};
  e.vat_recoverable = recoverable;
  return e;
}

AidedProject individual(std::int64_t ht = 1'000'000) {
  AidedProject p;
  p.title = "Étude thermique";
  p.members = {1};
  p.planned_on = d("2027-02-01");
  p.expenses = {expense(1, ht, ht / 5)};
  return p;
}

AidedProject collective(std::int64_t ht1 = 600'000, std::int64_t ht2 = 400'000) {
  AidedProject p;
  p.title = "Outil numérique commun";
  p.kind = AidKind::digital_tool;
  p.members = {1, 2};
  p.collective = true;
  p.planned_on = d("2027-02-01");
  p.expenses = {expense(1, ht1), expense(2, ht2)};
  return p;
}

std::string first_code(const Status& s) { return s ? "" : s.error().fields.at(0).code; }

}  // namespace

TEST_CASE("aided project: the rate at both defaults, split pro rata to the cent") {
  const AidSettings settings;  // 60 % collective, 40 % individual
  // Individual: base 1 000 000 (VAT recoverable: HT) × 40 % = 400 000.
  const auto one = compute_aid(individual(), settings, {});
  CHECK(one.rate_bp == 4000);
  CHECK(one.eligible_base.cents == 1'000'000);
  CHECK(one.projected.cents == 400'000);
  CHECK(one.limited_by == AidLimit::rate);
  CHECK(one.members.at(0).projected.cents == 400'000);
  // Collective: 600 000 + 400 000 = 1 000 000 × 60 % = 600 000; 60/40 → 360 000, 240 000.
  const auto two = compute_aid(collective(), settings, {});
  CHECK(two.rate_bp == 6000);
  CHECK(two.projected.cents == 600'000);
  CHECK(two.members.at(0).projected.cents == 360'000);
  CHECK(two.members.at(1).projected.cents == 240'000);
  // The network's own rates are settings: 50 % collective → 500 000.
  AidSettings network;
  network.collective_rate_bp = 5000;
  CHECK(compute_aid(collective(), network, {}).projected.cents == 500'000);
  // A project's own rate, with its reason: 35 % of 1 000 000 = 350 000.
  auto p = collective();
  p.rate_override_bp = 3500;
  p.rate_reason = "Décision CGLLS du 12/03/2027";
  CHECK(validate_aided_project(p));
  CHECK(compute_aid(p, settings, {}).projected.cents == 350'000);
}

TEST_CASE("aided project: largest remainder over three members sums to the cent") {
  AidedProject p;
  p.title = "Assistance";
  p.members = {1, 2, 3};
  p.collective = true;
  p.expenses = {expense(1, 334), expense(2, 334), expense(3, 333)};
  // 1 001 × 60 % = 600.6 → 601. Exact parts 601 × 334/1001 = 200.53, 200.53, 601 × 333/1001 = 199.93;
  // floors 200 + 200 + 199 = 599, the 2 cents left go to the largest remainders (.93, then the first .53).
  const auto c = compute_aid(p, AidSettings{}, {});
  CHECK(c.projected.cents == 601);
  CHECK(c.members.at(0).projected.cents == 201);
  CHECK(c.members.at(1).projected.cents == 200);
  CHECK(c.members.at(2).projected.cents == 200);
}

TEST_CASE("aided project: the eligible base is HT when VAT is recoverable, TTC when it is not") {
  // 12 345,67 € HT at 20 %: VAT 246 913.4 → 246 913 cents.
  CHECK(vat_from_rate(Amount{1'234'567}, 2000).cents == 246'913);
  // 5,5 % of 1 000 001 = 55 000.055 → 55 000.
  CHECK(vat_from_rate(Amount{1'000'001}, 550).cents == 55'000);
  auto p = individual();
  p.expenses = {expense(1, 1'234'567, 246'913, true)};
  // Recoverable: base 1 234 567 × 40 % = 493 826.8 → 493 827.
  auto c = compute_aid(p, AidSettings{}, {});
  CHECK(c.eligible_base.cents == 1'234'567);
  CHECK(c.projected.cents == 493'827);
  // Not recoverable: base 1 234 567 + 246 913 = 1 481 480 × 40 % = 592 592.
  p.expenses[0].vat_recoverable = false;
  c = compute_aid(p, AidSettings{}, {});
  CHECK(c.eligible_base.cents == 1'481'480);
  CHECK(c.projected.cents == 592'592);
}

TEST_CASE("aided project: the project cap bites") {
  AidSettings s;
  s.project_cap = Amount{500'000};
  // 600 000 at 60 % > 500 000: the cap; 60/40 → 300 000, 200 000.
  auto c = compute_aid(collective(), s, {});
  CHECK(c.at_rate.cents == 600'000);
  CHECK(c.projected.cents == 500'000);
  CHECK(c.limited_by == AidLimit::project_cap);
  CHECK(c.members.at(0).projected.cents == 300'000);
  CHECK(c.members.at(1).projected.cents == 200'000);
  // A cap above what the rate gives changes nothing.
  s.project_cap = Amount{700'000};
  c = compute_aid(collective(), s, {});
  CHECK(c.projected.cents == 600'000);
  CHECK(c.limited_by == AidLimit::rate);
}

TEST_CASE("aided project: the rolling cap per organisation bites exactly at its boundary") {
  AidSettings s;
  s.member_cap = Amount{1'000'000};
  s.member_cap_months = 36;
  auto p = individual();  // 1 000 000 × 40 % = 400 000
  p.status = AidStatus::requested;
  p.requested_on = d("2027-06-15");
  // The window: 2027-06-15 − 36 months = 2024-06-15 (outside); 2024-06-16 … 2027-06-15.
  SUBCASE("one day inside: 800 000 used, 200 000 left, the cap binds") {
    const std::vector<PriorAid> prior = {{1, d("2024-06-16"), Amount{800'000}}};
    const auto c = compute_aid(p, s, prior);
    CHECK(*c.window_from == d("2024-06-16"));
    CHECK(*c.window_to == d("2027-06-15"));
    CHECK(c.members.at(0).cap_used->cents == 800'000);
    CHECK(c.members.at(0).cap_left->cents == 200'000);
    CHECK(c.projected.cents == 200'000);
    CHECK(c.limited_by == AidLimit::member_cap);
  }
  SUBCASE("one day outside: nothing used, the rate gives 400 000") {
    const std::vector<PriorAid> prior = {{1, d("2024-06-15"), Amount{800'000}}};
    const auto c = compute_aid(p, s, prior);
    CHECK(c.members.at(0).cap_used->cents == 0);
    CHECK(c.projected.cents == 400'000);
    CHECK(c.limited_by == AidLimit::rate);
  }
  SUBCASE("the anchor day counts, the day after does not; other members' aid neither") {
    const std::vector<PriorAid> prior = {{1, d("2027-06-15"), Amount{700'000}},
                                         {1, d("2027-06-16"), Amount{900'000}},
                                         {2, d("2027-01-01"), Amount{1}}};
    const auto c = compute_aid(p, s, prior);
    CHECK(c.members.at(0).cap_used->cents == 700'000);
    CHECK(c.projected.cents == 300'000);  // 1 000 000 − 700 000
  }
  SUBCASE("planned: the window ends on the planned date") {
    p.status = AidStatus::planned;
    p.requested_on.reset();  // anchor 2027-02-01: window from 2024-02-02
    const std::vector<PriorAid> prior = {{1, d("2024-02-01"), Amount{999'999}}, {1, d("2024-02-02"), Amount{900'000}}};
    CHECK(compute_aid(p, s, prior).projected.cents == 100'000);
  }
  SUBCASE("collective: the tightest member binds the whole, split still pro rata") {
    auto q = collective();  // 600 000 at 60 % over bases 600 000 / 400 000
    // Member 2 has 100 000 left: the total is at most 100 000 × 1 000 000 / 400 000 = 250 000,
    // split 60/40 → 150 000 and 100 000 (member 2 exactly at its cap).
    const std::vector<PriorAid> prior = {{2, d("2026-01-01"), Amount{900'000}}};
    const auto c = compute_aid(q, s, prior);
    CHECK(c.projected.cents == 250'000);
    CHECK(c.limited_by == AidLimit::member_cap);
    CHECK(c.members.at(0).projected.cents == 150'000);
    CHECK(c.members.at(1).projected.cents == 100'000);
  }
  SUBCASE("no rolling cap without its months") {
    s.member_cap_months.reset();
    const std::vector<PriorAid> prior = {{1, d("2027-01-01"), Amount{1'000'000}}};
    CHECK(compute_aid(p, s, prior).projected.cents == 400'000);
  }
}

TEST_CASE("aided project: the granted amount, counted aid and linked shared costs") {
  auto p = individual();
  p.expenses = {expense(1, 600'000)};
  p.linked = {{7, 1, Amount{400'000}}};
  // Base 600 000 + 400 000 = 1 000 000 × 40 % = 400 000, spread 60/40 over the expense and
  // the linked cost: the cost 7 receives 160 000 (projected).
  auto c = compute_aid(p, AidSettings{}, {});
  CHECK(c.projected.cents == 400'000);
  auto linked = linked_cost_aid(p, c);
  REQUIRE(linked.size() == 1);
  CHECK(linked[0].shared_cost_id == 7);
  CHECK(linked[0].subsidy.cents == 160'000);
  // Granted 300 000 (less than computed): the cost 7 receives 40 % of it = 120 000.
  p.status = AidStatus::granted;
  p.granted_amount = Amount{300'000};
  c = compute_aid(p, AidSettings{}, {});
  CHECK(c.granted->cents == 300'000);
  CHECK(counted_aid(c, p.status, 1).cents == 300'000);
  CHECK(linked_cost_aid(p, c).at(0).subsidy.cents == 120'000);
  // Refused: nothing counts.
  p.status = AidStatus::refused;
  c = compute_aid(p, AidSettings{}, {});
  CHECK(counted_aid(c, p.status, 1).cents == 0);
  CHECK(linked_cost_aid(p, c).at(0).subsidy.cents == 0);
}

TEST_CASE("aided project: validation names every problem with its code") {
  CHECK(validate_aided_project(collective()));
  auto p = collective();
  p.members = {1};
  p.expenses = {expense(1, 100)};
  CHECK(first_code(validate_aided_project(p)) == "aided_project.collective.single_member");
  p = individual();
  p.title.clear();
  CHECK(first_code(validate_aided_project(p)) == "aided_project.title.length");
  p = individual();
  p.rate_override_bp = 5000;
  CHECK(first_code(validate_aided_project(p)) == "aided_project.rate.reason_missing");
  p.rate_override_bp = 10'001;
  p.rate_reason = "x";
  CHECK(first_code(validate_aided_project(p)) == "aided_project.rate.out_of_range");
  p = individual();
  p.rate_reason = "sans taux";
  CHECK(first_code(validate_aided_project(p)) == "aided_project.rate.reason_alone");
  p = individual();
  p.members = {1, 1};
  CHECK(first_code(validate_aided_project(p)) == "aided_project.members.duplicate");
  p = individual();
  p.members.clear();
  p.expenses.clear();
  CHECK(first_code(validate_aided_project(p)) == "aided_project.members.empty");
  p = individual();
  p.expenses = {expense(9, 100)};
  CHECK(first_code(validate_aided_project(p)) == "aided_project.expense.not_member");
  p.expenses = {expense(1, 0)};
  CHECK(first_code(validate_aided_project(p)) == "aided_project.expense.amount_not_positive");
  p.expenses = {expense(1, 100, -1)};
  CHECK(first_code(validate_aided_project(p)) == "aided_project.expense.vat_negative");
  CHECK(check_aid_editable(individual()));
  p = individual();
  p.status = AidStatus::requested;
  CHECK(check_aid_editable(p).error().code == ErrorCode::conflict);
  CHECK(first_code(check_aid_editable(p)) == "aided_project.not_planned");
}

TEST_CASE("aided project: every status transition, allowed and refused") {
  const Amount base{1'000'000};
  const auto t = [](AidAction action, std::optional<const char*> on, std::optional<std::int64_t> amount = {}) {
    AidTransition x;
    x.action = action;
    if (on) x.on = d(*on);
    if (amount) x.amount = Amount{*amount};
    return x;
  };
  auto planned = individual();  // planned on 2027-02-01

  // planned → requested: on or after the plan, not in the future, not twice.
  CHECK(check_aid_transition(planned, t(AidAction::request, "2027-02-01"), kToday, base));
  CHECK(first_code(check_aid_transition(planned, t(AidAction::request, "2027-01-31"), kToday, base)) ==
        "aided_project.date.before_previous");
  CHECK(first_code(check_aid_transition(planned, t(AidAction::request, "2027-07-01"), kToday, base)) ==
        "aided_project.date.future");
  CHECK(check_aid_transition(planned, t(AidAction::request, "2027-06-30"), kToday, base));
  CHECK(first_code(check_aid_transition(planned, t(AidAction::request, std::nullopt), kToday, base)) ==
        "aided_project.date.missing");
  CHECK(first_code(check_aid_transition(planned, t(AidAction::request, "2027-03-01", 5), kToday, base)) ==
        "aided_project.amount.not_expected");
  CHECK(first_code(check_aid_transition(planned, t(AidAction::request, "2027-03-01"), kToday, Amount{0})) ==
        "aided_project.request.no_expense");
  // From planned, no grant, payment nor refusal.
  for (auto action : {AidAction::grant, AidAction::pay, AidAction::refuse}) {
    const auto s = check_aid_transition(planned, t(action, "2027-03-01", 100), kToday, base);
    CHECK(s.error().code == ErrorCode::conflict);
    CHECK(first_code(s) == "aided_project.transition.not_allowed");
  }
  CHECK(check_aid_transition(planned, t(AidAction::abandon, "2027-03-01"), kToday, base));

  const auto requested = apply_aid_transition(planned, t(AidAction::request, "2027-03-01"));
  CHECK(requested.status == AidStatus::requested);
  CHECK(*requested.requested_on == d("2027-03-01"));
  CHECK(first_code(check_aid_transition(requested, t(AidAction::request, "2027-03-02"), kToday, base)) ==
        "aided_project.transition.not_allowed");
  // requested → granted: amount and date required, amount in (0, base], date on or after the request.
  CHECK(check_aid_transition(requested, t(AidAction::grant, "2027-03-01", 1'000'000), kToday, base));
  CHECK(first_code(check_aid_transition(requested, t(AidAction::grant, "2027-04-01"), kToday, base)) ==
        "aided_project.grant.amount_missing");
  CHECK(first_code(check_aid_transition(requested, t(AidAction::grant, std::nullopt, 100), kToday, base)) ==
        "aided_project.date.missing");
  CHECK(first_code(check_aid_transition(requested, t(AidAction::grant, "2027-04-01", 0), kToday, base)) ==
        "aided_project.grant.amount_not_positive");
  CHECK(first_code(check_aid_transition(requested, t(AidAction::grant, "2027-04-01", 1'000'001), kToday, base)) ==
        "aided_project.grant.exceeds_base");
  CHECK(first_code(check_aid_transition(requested, t(AidAction::grant, "2027-02-28", 100), kToday, base)) ==
        "aided_project.date.before_previous");
  CHECK(first_code(check_aid_transition(requested, t(AidAction::pay, "2027-04-01"), kToday, base)) ==
        "aided_project.transition.not_allowed");  // paid before granted
  CHECK(check_aid_transition(requested, t(AidAction::refuse, "2027-03-01"), kToday, base));
  CHECK(first_code(check_aid_transition(requested, t(AidAction::refuse, "2027-02-28"), kToday, base)) ==
        "aided_project.date.before_previous");
  CHECK(check_aid_transition(requested, t(AidAction::abandon, "2027-03-05"), kToday, base));

  const auto granted = apply_aid_transition(requested, t(AidAction::grant, "2027-04-10", 350'000));
  CHECK(granted.status == AidStatus::granted);
  CHECK(granted.granted_amount->cents == 350'000);
  CHECK(*granted.granted_on == d("2027-04-10"));
  // granted → paid: on or after the grant.
  CHECK(check_aid_transition(granted, t(AidAction::pay, "2027-04-10"), kToday, base));
  CHECK(first_code(check_aid_transition(granted, t(AidAction::pay, "2027-04-09"), kToday, base)) ==
        "aided_project.date.before_previous");
  CHECK(first_code(check_aid_transition(granted, t(AidAction::refuse, "2027-05-01"), kToday, base)) ==
        "aided_project.transition.not_allowed");
  CHECK(first_code(check_aid_transition(granted, t(AidAction::grant, "2027-05-01", 100), kToday, base)) ==
        "aided_project.transition.not_allowed");
  CHECK(check_aid_transition(granted, t(AidAction::abandon, "2027-05-01"), kToday, base));

  const auto paid = apply_aid_transition(granted, t(AidAction::pay, "2027-05-02"));
  CHECK(paid.status == AidStatus::paid);
  CHECK(*paid.paid_on == d("2027-05-02"));
  const auto refused = apply_aid_transition(requested, t(AidAction::refuse, "2027-03-20"));
  const auto abandoned = apply_aid_transition(planned, t(AidAction::abandon, "2027-03-20"));
  CHECK(*refused.closed_on == d("2027-03-20"));
  // Nothing leaves paid, refused or abandoned.
  for (const auto* p : {&paid, &refused, &abandoned}) {
    for (auto action : {AidAction::request, AidAction::grant, AidAction::pay, AidAction::refuse, AidAction::abandon}) {
      CHECK(first_code(check_aid_transition(*p, t(action, "2027-06-01", 100), kToday, base)) ==
            "aided_project.transition.not_allowed");
    }
  }
}

TEST_CASE("aided project: names of kinds, statuses and actions") {
  CHECK(to_string(AidKind::digital_tool) == "digital_tool");
  CHECK(*parse_aid_kind("engineering", "kind") == AidKind::engineering);
  CHECK(parse_aid_kind("Study", "kind").error().fields.at(0).code == "aided_project.kind.unknown");
  CHECK(*parse_aid_status("paid", "status") == AidStatus::paid);
  CHECK(*parse_aid_action("abandon", "a") == AidAction::abandon);
  CHECK(french_label(AidStatus::granted) == "accordé");
  CHECK(aid_is_granted(AidStatus::paid));
  CHECK(aid_is_projected(AidStatus::requested));
  CHECK(!aid_is_projected(AidStatus::refused));
}
