#include "usecases/tender_lifecycle.hpp"

#include "adapters/db/groupement_repository.hpp"
#include "adapters/db/tender_repository.hpp"
#include "adapters/db/threshold_repository.hpp"
#include "adapters/formats/json_mapping.hpp"
#include "engine/tender_transition.hpp"

namespace canopee::usecases {

Result<Tender> transition_tender(db::Database& database, const db::Actor& actor, std::int64_t id, TenderStatus to,
                                 std::optional<std::int64_t> version, Date today, const TransitionFacts& facts) {
  // Without the caller's clock, the transition happens at the start of `today` in Paris.
  const Instant at = facts.now ? *facts.now
                               : add_seconds(utc_instant(today),
                                             -std::int64_t{paris_offset_minutes(utc_instant(today))} * 60);
  std::optional<ThresholdTable> in_force;  // read before the unit of work: it holds the write lock
  if (to == TenderStatus::published && facts.built_in != nullptr) {
    CANOPEE_TRY(loaded, db::load_thresholds(database, *facts.built_in));
    in_force = std::move(loaded);
  }
  return db::in_transaction<Tender>(database, [&](soci::session& sql) -> Result<Tender> {
    auto before = db::load_tender(sql, id);
    if (!before) return db::tender_not_found();
    if (to == TenderStatus::cancelled) {
      // An award under way on one of its lots holds that lot's lock: it finishes first,
      // and the tender read again shows it (no cancelled tender with an awarded lot).
      for (const auto& lot : before->lots) db::lock_lot(sql, lot.id);
      before = db::load_tender(sql, id);
    }
    if (version && *version != before->version) return db::tender_changed();
    std::optional<Groupement> groupement;
    if (before->groupement_id) groupement = db::load_groupement(sql, *before->groupement_id);
    TransitionContext context{today, at, facts.reason, groupement ? &*groupement : nullptr,
                              in_force ? &*in_force : nullptr};
    auto advice = check_transition(*before, to, context);
    if (!advice) return std::move(advice).error();
    db::TransitionRecord record{at, today, facts.reason, std::nullopt};
    if (*advice) record.procedure = (*advice)->procedure;
    if (!db::save_transition(sql, *before, to, record)) return db::tender_changed();
    auto after = db::load_tender(sql, id);
    db::write_audit(sql, actor, "tender", id, std::string(to_string(to)), formats::to_json_text(*before),
                    formats::to_json_text(*after));
    return *after;
  });
}

}  // namespace canopee::usecases
