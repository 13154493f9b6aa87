#pragma once
// The groupement de commandes convention (L2113-6 to L2113-8): the members who
// signed it and when, the coordinator and its mission, the scope (CPV families and
// a period) and the key the members agreed for sharing common costs; and the rules
// a tender of the groupement must keep: its coordinator is the groupement's, its
// CPV codes and launch date lie within the scope, and only members who signed by
// the launch date have needs pooled into it ("a member joining after launch cannot
// benefit from that procedure").
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/aggregation.hpp"
#include "engine/cost_split.hpp"
#include "engine/date.hpp"
#include "engine/need.hpp"
#include "engine/result.hpp"
#include "engine/tender.hpp"

namespace canopee {

// What the coordinator does in the members' name (L2113-7): the procedure up to the
// award decision; also the signature and notification of each member's contract; or
// also its execution.
enum class CoordinatorMission : std::uint8_t { procedure, notification, execution };
std::string_view to_string(CoordinatorMission mission);
Result<CoordinatorMission> parse_coordinator_mission(std::string_view text, std::string_view field);

struct GroupementMember {
  std::int64_t member_id = 0;
  Date signed_on;      // the day the member signed the convention (joined)
  std::string code{};  // read from the store, for display
  std::string name{};
};

struct Groupement {
  std::int64_t id = 0;
  std::string name;
  std::string reference;
  std::int64_t coordinator_member_id = 0;
  CoordinatorMission mission = CoordinatorMission::procedure;
  std::vector<std::string> cpv_prefixes;  // the families covered: 2 to 8 digits each
  Date period_start;
  Date period_end;
  // The key for the common costs (the product's shared-cost keys, engine/cost_split.hpp);
  // with `fixed`, the percentages are set on each shared cost of a tender.
  CostKey cost_key = CostKey::equal;
  std::vector<GroupementMember> members;  // by member id
  std::int64_t version = 1;
};

inline constexpr std::size_t kMaxGroupementPrefixes = 100;
inline constexpr std::size_t kMaxGroupementMembers = 500;

// Name 1–200 and reference 1–50 characters (valid UTF-8, no control character), at
// least one CPV prefix of 2 to 8 digits without duplicates, a period that ends on or
// after its start, no member twice, and the coordinator among the members. Errors
// name the field; every problem is listed.
Status validate_groupement(const Groupement& groupement);

// A signature recorded on `today` is not dated later (groupement.signed_in_future):
// the day it was signed is a fact, not a plan.
Status check_signature_date(Date signed_on, Date today, std::string_view field);

// The member's signature, if the member signed the convention.
std::optional<Date> signed_on(const Groupement& groupement, std::int64_t member_id);

// Why a member's needs cannot be pooled into a tender of the groupement launched
// on `launch`: not a member, or signed after the launch (L2113-6). None: allowed.
enum class PoolingExclusion : std::uint8_t { not_member, signed_after_launch };
std::string_view to_string(PoolingExclusion exclusion);  // "groupement.not_member", "groupement.member_not_joined"
std::optional<PoolingExclusion> pooling_exclusion(const Groupement& groupement, std::int64_t member_id, Date launch);

// A need left out of a groupement tender at its creation, and why.
struct ExcludedNeed {
  std::int64_t need_id = 0;
  std::int64_t member_id = 0;
  PoolingExclusion reason = PoolingExclusion::not_member;
};
// Keeps in `needs` only those of members who signed by `launch` (the planned launch,
// or the day of creation) and returns the others, in their order.
std::vector<ExcludedNeed> keep_poolable_needs(std::vector<Need>& needs, const Groupement& groupement, Date launch);
std::vector<ExcludedNeed> keep_poolable_needs(PoolableNeeds& needs, const Groupement& groupement, Date launch);

// Whether a CPV code ("NNNNNNNN-N" or digits) lies within the groupement's families.
bool within_scope(const Groupement& groupement, std::string_view cpv);

// The tender's vehicle and groupement agree: a `groupement` tender names one and has
// its coordinator (groupement.required, groupement.coordinator_mismatch); a `centrale`
// tender names none (groupement.not_for_centrale). `groupement` is the tender's, if any.
Status check_tender_vehicle(const Tender& tender, const Groupement* groupement);

// What a groupement tender launched on `launch` requires (at publication, launch =
// the day the notice is sent): the coordinator is the groupement's, every lot's CPV
// within the scope (groupement.out_of_scope), the launch within the period
// (groupement.out_of_period), and every member with a lot line signed on or before
// the launch (groupement.member_not_joined, L2113-6). Conflict, listing each problem.
Status check_groupement_launch(const Groupement& groupement, const Tender& tender, Date launch);

}  // namespace canopee
