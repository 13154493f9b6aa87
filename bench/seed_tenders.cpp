// Seeds joint tenders for the API benchmark, through the repositories the server
// uses: for each tender, one need per demo member, the tender launched from them
// (adapters/joint_tender), three bids per lot, close, and the first lot awarded, its letters sent and its
// contracts signed and notified (so the savings report, the evaluation and the DECP have real rows to read).
// Run after `canopee demo`.
// With --closed the tenders are left closed and unawarded (the fault tests award
// them while the server is killed).
// Usage: canopee_bench_seed_tenders DATABASE_URL COUNT [--closed]
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "adapters/db/bid_repository.hpp"
#include "adapters/db/database.hpp"
#include "adapters/db/need_repository.hpp"
#include "adapters/db/party_repository.hpp"
#include "adapters/db/tender_repository.hpp"
#include "engine/tender.hpp"
#include "usecases/award.hpp"
#include "usecases/award_chain.hpp"
#include "usecases/bid_review.hpp"
#include "usecases/joint_tender.hpp"
#include "usecases/lot_evaluation.hpp"
#include "usecases/tender_lifecycle.hpp"

using namespace canopee;

namespace {

template <class T>
T must(Result<T> result, const char* what) {
  if (!result) {
    std::fprintf(stderr, "seed: %s: %s\n", what, result.error().message.c_str());
    std::exit(1);
  }
  return std::move(result).value();
}

}  // namespace

int main(int argc, char** argv) {
  const bool leave_closed = argc == 4 && std::string(argv[3]) == "--closed";
  if (argc != 3 && !leave_closed) {
    std::fprintf(stderr, "usage: %s DATABASE_URL COUNT [--closed]\n", argv[0]);
    return 2;
  }
  const int count = std::atoi(argv[2]);
  auto database = std::make_unique<db::Database>(must(db::parse_database_url(argv[1]), "url"),
                                                 db::PoolOptions{2, std::chrono::seconds(5)});
  const db::Actor actor{std::nullopt, std::nullopt, "bench-seed"};
  const auto nomenclature = CpvNomenclature::starter();
  const Date today = parse_date("2026-11-29", "today").value();
  const char* codes[] = {"44810000-1", "90911200-8", "50750000-7", "77311000-3", "30197630-1"};
  const char* units[] = {"l", "h", "u", "m2", "u"};
  std::vector<std::int64_t> members;
  for (const char* code : {"OPAL", "REIMS", "OISE", "AMIENS"})
    members.push_back(must(db::get_member_by_code(*database, code), "member").id);

  for (int i = 0; i < count; ++i) {
    std::vector<Need> needs;
    for (std::size_t m = 0; m < members.size(); ++m) {
      NeedDraft d;
      d.cpv = codes[i % 5];
      d.title = "Besoin du banc " + std::to_string(i);
      d.quantity = std::to_string(100 + (i * 37 + static_cast<int>(m) * 11) % 900);
      d.unit = units[i % 5];
      d.reference_unit_price = std::to_string(10 + (i + static_cast<int>(m)) % 7) + ".50";
      d.department = "02";
      d.period_start = "2027-01-01";
      d.period_end = "2027-12-31";
      auto need = must(validate_need(d, nomenclature), "need");
      need.member_id = members[m];
      need.status = NeedStatus::submitted;
      needs.push_back(must(db::create_need(*database, actor, need), "create need"));
    }
    JointTenderPlan plan;
    plan.title = "Consultation du banc " + std::to_string(i);
    plan.coordinator_member_id = members[0];
    plan.kind = PurchaseKind::supplies;
    plan.criteria = {{"prix", 60, true, false},
                     {"valeur technique", 25, false, false},
                     {"environnement", 15, false, true}};
    plan.contract_start = parse_date("2027-01-01", "d").value();
    plan.duration_months = 24;
    plan.bid_deadline = "2027-01-15T12:00:00Z";  // 47 days: above every minimum time limit
    plan.allotment_justification = "banc d'essai";
    plan.environmental_conditions = "banc d'essai : clause environnementale";
    plan.social_considerations = "banc d'essai : clause sociale";
    auto created = must(launch_joint_tender(*database, actor, needs, plan, nomenclature, today), "tender");
    std::vector<std::int64_t> bid_ids;
    for (const auto& lot : created.lots) {
      for (std::int64_t s = 1; s <= 3; ++s) {
        Bid b;
        b.supplier_id = s;
        b.received_at = "2026-11-29T14:00:00Z";  // after the notice, before the deadline
        b.tiers = {{parse_quantity("0", "q").value(), parse_unit_price(std::to_string(8 + s) + ".25", "p").value()}};
        b.scores = {{"valeur technique", parse_score(std::to_string(60 + 10 * s), "s").value()},
                    {"environnement", parse_score(std::to_string(90 - 10 * s), "s").value()}};
        bid_ids.push_back(must(db::create_bid(*database, actor, created.id, lot.id, b), "bid").id);
      }
    }
    usecases::TransitionFacts early;
    early.reason = "banc d'essai : fermeture avant la date limite";
    must(usecases::transition_tender(*database, actor, created.id, TenderStatus::closed, std::nullopt, today, early),
         "close");
    for (auto id : bid_ids)
      must(usecases::record_bid_decision(*database, actor, id, std::nullopt, {BidDecisionKind::valid}, today),
           "regular");
    if (leave_closed) continue;
    auto evaluation = must(usecases::evaluate_tender(*database, created.id), "evaluation");
    const auto lot_id = evaluation[0].first.id;
    for (const auto& b : evaluation[0].second.bids) {
      if (b.awardable) {
        must(usecases::award_lot(*database, actor, created.id, lot_id, b.bid_id, today), "award");
        break;
      }
    }
    // The chain after the award, the same day: a letter to every bidder, then, when no
    // standstill runs, each member contract signed and notified (in force, in the DECP).
    const Instant sent = parse_date_time("2026-11-29T16:00:00Z", "sent").value();
    auto chain = must(usecases::award_chain(*database, created.id, lot_id, today), "chain");
    const auto to_write = chain.letters_missing;  // chain is replaced by each letter's answer
    for (const auto bid : to_write) {
      const auto kind = bid == chain.winning_bid_id ? LetterKind::award : LetterKind::rejection;
      chain = must(usecases::prepare_and_record_letter(*database, actor, created.id, lot_id,
                                                       {bid, kind, SendingMeans::electronic, sent, {}}, sent, today),
                   "letter");
    }
    if (chain.stage != AwardStage::to_sign) continue;
    for (const auto& contract : chain.contracts) {
      must(usecases::sign_contract(*database, actor, contract.id, std::nullopt, today, today), "signature");
      must(usecases::notify_contract(*database, actor, contract.id, std::nullopt, today, today), "notification");
    }
  }
  std::printf("seeded %d tenders\n", count);
  return 0;
}
