#pragma once
// Launching a joint tender from needs in one call, as an officer would through
// the API: the proposal over the needs, its lots, the procedure the cumulated
// value requires, the tender created, then published. For the demo network and
// the benchmark and fault-test seeds (the API composes the same steps itself).
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "adapters/db/database.hpp"
#include "adapters/db/unit_of_work.hpp"
#include "engine/cpv.hpp"
#include "engine/date.hpp"
#include "engine/evaluation.hpp"
#include "engine/need.hpp"
#include "engine/tender.hpp"

namespace canopee {

struct JointTenderPlan {
  std::string title;
  std::int64_t coordinator_member_id = 0;
  std::optional<std::int64_t> groupement_id{};  // the groupement de commandes (its coordinator's)
  PurchaseKind kind = PurchaseKind::supplies;
  std::vector<Criterion> criteria;
  Date contract_start;
  int duration_months = 12;
  std::string bid_deadline;  // RFC 3339
  std::string allotment_justification;
  // The execution conditions (L2112-2, L2112-2-1), required from 2026-08-21.
  std::string environmental_conditions;
  std::string social_considerations;
  std::string social_exception;
};

Result<Tender> launch_joint_tender(db::Database& database, const db::Actor& actor, std::span<const Need> needs,
                                   const JointTenderPlan& plan, const CpvNomenclature& nomenclature, Date today);

}  // namespace canopee
