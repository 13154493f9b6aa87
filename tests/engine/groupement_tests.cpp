// The groupement de commandes convention (issue 16 item 13, L2113-6 to L2113-8): who
// signed and when, the coordinator, the scope and the period, checked at the exact dates.
#include <doctest/doctest.h>

#include "engine/groupement.hpp"

using namespace canopee;

namespace {

Date day(const char* text) { return *parse_date(text, "d"); }

// OPAL (1) coordinates; REIMS (2) signed on 2026-03-10; OISE (3) on 2026-03-11.
Groupement groupement() {
  Groupement g;
  g.id = 7;
  g.name = "Groupement Canopée 2026";
  g.reference = "GC-2026";
  g.coordinator_member_id = 1;
  g.mission = CoordinatorMission::notification;
  g.cpv_prefixes = {"0931", "4481", "9091"};
  g.period_start = day("2026-01-01");
  g.period_end = day("2027-12-31");
  g.cost_key = CostKey::contract_value;
  g.members = {{1, day("2026-01-15"), "OPAL", "OPAL"},
               {2, day("2026-03-10"), "REIMS", "Reims"},
               {3, day("2026-03-11"), "OISE", "Oise"}};
  return g;
}

Tender tender_of(std::vector<std::int64_t> members, const char* cpv = "09310000-5") {
  Tender t;
  t.vehicle = Vehicle::groupement;
  t.coordinator_member_id = 1;
  t.groupement_id = 7;
  Lot lot;
  lot.number = 1;
  lot.cpv = cpv;
  for (const auto m : members) lot.members.push_back({m, Quantity{1000}, Amount{100}, UnitPrice{1000}});
  t.lots.push_back(lot);
  return t;
}

std::vector<std::string> codes(const Status& status) {
  std::vector<std::string> out;
  if (!status) {
    for (const auto& e : status.error().fields) out.push_back(e.code);
  }
  return out;
}

}  // namespace

TEST_CASE("groupement: a member who signed on the launch day takes part; the day after, not (L2113-6)") {
  const auto g = groupement();
  CHECK_FALSE(pooling_exclusion(g, 2, day("2026-03-10")));  // signed on the launch date
  CHECK(pooling_exclusion(g, 2, day("2026-03-09")) == PoolingExclusion::signed_after_launch);
  CHECK(pooling_exclusion(g, 3, day("2026-03-10")) == PoolingExclusion::signed_after_launch);  // signed the day after
  CHECK_FALSE(pooling_exclusion(g, 3, day("2026-03-11")));
  CHECK(pooling_exclusion(g, 4, day("2026-06-01")) == PoolingExclusion::not_member);
  CHECK(to_string(PoolingExclusion::not_member) == "groupement.not_member");
  CHECK(to_string(PoolingExclusion::signed_after_launch) == "groupement.member_not_joined");
}

TEST_CASE("groupement: the launch check at the exact dates") {
  const auto g = groupement();
  // REIMS signed on 2026-03-10: a launch that day is allowed.
  CHECK(check_groupement_launch(g, tender_of({1, 2}), day("2026-03-10")));
  // OISE signed on 2026-03-11, the day after the launch: refused, with the article.
  const auto refused = check_groupement_launch(g, tender_of({1, 2, 3}), day("2026-03-10"));
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::conflict);
  CHECK(refused.error().rule == "groupement.member_not_joined");
  CHECK(codes(refused) == std::vector<std::string>{"groupement.member_not_joined"});
  CHECK(refused.error().fields[0].field == "lots[0].members");
  CHECK(refused.error().message.find("OISE") != std::string::npos);
  CHECK(refused.error().message.find("2026-03-11") != std::string::npos);
  CHECK(refused.error().message.find("L2113-6") != std::string::npos);
  // A member who never signed.
  const auto stranger = check_groupement_launch(g, tender_of({1, 4}), day("2026-06-01"));
  CHECK(codes(stranger) == std::vector<std::string>{"groupement.member_not_joined"});
  CHECK(stranger.error().message.find("n'a pas signé") != std::string::npos);
}

TEST_CASE("groupement: the launch lies within the period, its first and last days included") {
  const auto g = groupement();
  CHECK(check_groupement_launch(g, tender_of({1}), day("2026-01-15")));
  CHECK(check_groupement_launch(g, tender_of({1}), day("2027-12-31")));
  const auto late = check_groupement_launch(g, tender_of({1}), day("2028-01-01"));
  CHECK(codes(late) == std::vector<std::string>{"groupement.out_of_period"});
  CHECK(late.error().fields[0].field == "launch_date");
  auto early = g;
  early.members[0].signed_on = day("2025-12-01");
  CHECK(codes(check_groupement_launch(early, tender_of({1}), day("2025-12-31"))) ==
        std::vector<std::string>{"groupement.out_of_period"});
  CHECK(check_groupement_launch(early, tender_of({1}), day("2026-01-01")));
}

TEST_CASE("groupement: every lot's CPV within the families of the scope") {
  const auto g = groupement();
  CHECK(within_scope(g, "09310000-5"));
  CHECK(within_scope(g, "44810000-1"));
  CHECK(within_scope(g, "09310000"));
  CHECK_FALSE(within_scope(g, "09320000-8"));
  CHECK_FALSE(within_scope(g, "093"));
  CHECK_FALSE(within_scope(g, ""));
  const auto refused = check_groupement_launch(g, tender_of({1}, "50750000-7"), day("2026-06-01"));
  CHECK(codes(refused) == std::vector<std::string>{"groupement.out_of_scope"});
  CHECK(refused.error().fields[0].field == "lots[0].cpv");
  // Several problems at once are all listed, the first naming the whole.
  const auto many = check_groupement_launch(g, tender_of({1, 3}, "50750000-7"), day("2028-02-01"));
  CHECK(codes(many) == std::vector<std::string>{"groupement.out_of_period", "groupement.out_of_scope"});
  const auto all = check_groupement_launch(g, tender_of({1, 4}, "50750000-7"), day("2028-02-01"));
  CHECK(codes(all) == std::vector<std::string>{"groupement.out_of_period", "groupement.out_of_scope",
                                               "groupement.member_not_joined"});
  CHECK(all.error().rule == "groupement.out_of_period");
}

TEST_CASE("groupement: the tender's coordinator is the groupement's; a centrale has no groupement") {
  const auto g = groupement();
  auto t = tender_of({1});
  CHECK(check_tender_vehicle(t, &g));
  t.coordinator_member_id = 2;
  const auto mismatch = check_tender_vehicle(t, &g);
  REQUIRE_FALSE(mismatch);
  CHECK(mismatch.error().rule == "groupement.coordinator_mismatch");
  CHECK(mismatch.error().code == ErrorCode::invalid);
  CHECK(codes(check_groupement_launch(g, t, day("2026-06-01"))) ==
        std::vector<std::string>{"groupement.coordinator_mismatch"});
  t.coordinator_member_id = 1;
  CHECK(check_tender_vehicle(t, nullptr).error().rule == "groupement.required");
  t.vehicle = Vehicle::centrale;
  CHECK(check_tender_vehicle(t, &g).error().rule == "groupement.not_for_centrale");
  t.groupement_id.reset();
  CHECK(check_tender_vehicle(t, nullptr));
}

TEST_CASE("groupement: validation lists every problem with its code") {
  CHECK(validate_groupement(groupement()));
  auto g = groupement();
  g.name = "";
  g.reference = std::string(51, 'x');
  g.cpv_prefixes = {"0", "0931", "0931", "12a4", "123456789"};
  g.period_end = day("2025-12-31");
  g.members.push_back({2, day("2026-04-01")});
  g.coordinator_member_id = 9;
  const auto refused = validate_groupement(g);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::invalid);
  CHECK(codes(refused) == std::vector<std::string>{"groupement.text.invalid", "groupement.text.invalid",
                                                   "groupement.scope.invalid", "groupement.scope.duplicate",
                                                   "groupement.scope.invalid", "groupement.scope.invalid",
                                                   "groupement.period.invalid", "groupement.member_duplicate",
                                                   "groupement.coordinator_not_member"});
  g = groupement();
  g.cpv_prefixes.clear();
  CHECK(validate_groupement(g).error().rule == "groupement.scope.empty");
  g = groupement();
  g.period_end = g.period_start;  // one day
  CHECK(validate_groupement(g));
  g.name = "bad\x01name";
  CHECK(validate_groupement(g).error().fields[0].field == "name");
  g.name = "\xff";
  CHECK(validate_groupement(g).error().fields[0].field == "name");
}

TEST_CASE("groupement: missions parse by name, anything else is refused in French") {
  CHECK(*parse_coordinator_mission("procedure", "m") == CoordinatorMission::procedure);
  CHECK(*parse_coordinator_mission("notification", "m") == CoordinatorMission::notification);
  CHECK(*parse_coordinator_mission("execution", "m") == CoordinatorMission::execution);
  for (const auto* bad : {"", "Procedure", "exécution", "procedure "}) {
    const auto refused = parse_coordinator_mission(bad, "mission");
    REQUIRE_FALSE(refused);
    CHECK(refused.error().rule == "groupement.mission.unknown");
    CHECK(refused.error().fields[0].field == "mission");
  }
  CHECK(to_string(CoordinatorMission::notification) == "notification");
}

TEST_CASE("groupement: a signature is dated today at the latest") {
  CHECK(check_signature_date(day("2026-12-02"), day("2026-12-02"), "signed_on"));
  const auto refused = check_signature_date(day("2026-12-03"), day("2026-12-02"), "signed_on");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().rule == "groupement.signed_in_future");
  CHECK(refused.error().fields[0].field == "signed_on");
}

TEST_CASE("groupement: needs of members who had not signed by the planned launch are left out, with the reason") {
  const auto g = groupement();
  std::vector<Need> needs(4);
  needs[0].id = 11, needs[0].member_id = 1;
  needs[1].id = 12, needs[1].member_id = 3;  // OISE signed on 2026-03-11
  needs[2].id = 13, needs[2].member_id = 4;  // never signed
  needs[3].id = 14, needs[3].member_id = 2;  // REIMS signed on 2026-03-10
  auto kept = needs;
  const auto excluded = keep_poolable_needs(kept, g, day("2026-03-10"));
  REQUIRE(kept.size() == 2);
  CHECK(kept[0].id == 11);
  CHECK(kept[1].id == 14);
  REQUIRE(excluded.size() == 2);
  CHECK(excluded[0].need_id == 12);
  CHECK(excluded[0].member_id == 3);
  CHECK(excluded[0].reason == PoolingExclusion::signed_after_launch);
  CHECK(excluded[1].need_id == 13);
  CHECK(excluded[1].reason == PoolingExclusion::not_member);
  kept = needs;
  CHECK(keep_poolable_needs(kept, g, day("2026-03-11")).size() == 1);  // OISE in on the day it signed
  CHECK(kept.size() == 3);
}
