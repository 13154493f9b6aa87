#pragma once
// Groupements de commandes (schema/0011): the convention, its scope and each member's
// signature. Every write is one transaction with its audit row ("groupement":
// create, update, member_signed).
#include <optional>
#include <vector>

#include "adapters/db/database.hpp"
#include "adapters/db/page.hpp"
#include "adapters/db/unit_of_work.hpp"
#include "engine/groupement.hpp"

namespace canopee::db {

// The groupements by page, newest first.
Result<PageOf<Groupement>> list_groupements(Database& database, const Page& page);
// Whether the network recorded any convention yet.
Result<bool> any_groupement(Database& database);
Result<Groupement> get_groupement(Database& database, std::int64_t id);

// After validate_groupement and check_signature_date (on `today`) of each member; the
// coordinator and the members must be active members (invalid otherwise); a reference
// already used is a conflict (groupement.reference_taken).
Result<Groupement> create_groupement(Database& database, const Actor& actor, const Groupement& groupement, Date today);

// Name, reference, coordinator, mission, scope, period and key; `groupement.version`
// as read (stale otherwise). The coordinator cannot change while a tender of the
// groupement that is not cancelled names the old one (groupement.coordinator_locked),
// and must be a member of the groupement.
Result<Groupement> update_groupement(Database& database, const Actor& actor, const Groupement& groupement);

// Records a member's signature of the convention (dated `today` at the latest); a
// member who already signed is a conflict (groupement.member_duplicate). `version`
// as read, if given.
Result<Groupement> add_groupement_member(Database& database, const Actor& actor, std::int64_t groupement_id,
                                         const GroupementMember& member, std::optional<std::int64_t> version,
                                         Date today);

// Inside another unit of work (a tender's creation or publication).
std::optional<Groupement> load_groupement(soci::session& sql, std::int64_t id);

}  // namespace canopee::db
