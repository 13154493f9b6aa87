#include "adapters/db/groupement_repository.hpp"

#include <soci/soci.h>

#include "adapters/clock.hpp"
#include "adapters/db/party_repository.hpp"
#include "adapters/formats/groupement_json.hpp"

namespace canopee::db {
namespace {

// ---- SQL ----
constexpr std::string_view kSelectGroupement =
    "SELECT id, name, reference, coordinator_member_id, mission, CAST(period_start AS TEXT), CAST(period_end AS TEXT), "
    "cost_key, version FROM groupements WHERE id = :id";
constexpr std::string_view kSelectGroupementIdsBefore = "SELECT id FROM groupements WHERE ";
constexpr std::string_view kAnyGroupement = "SELECT COUNT(*) FROM (SELECT 1 FROM groupements LIMIT 1) g";
constexpr std::string_view kSelectScope =
    "SELECT cpv_prefix FROM groupement_scope WHERE groupement_id = :id ORDER BY cpv_prefix";
constexpr std::string_view kSelectMembers =
    "SELECT gm.member_id, CAST(gm.signed_on AS TEXT), m.code, m.name FROM groupement_members gm "
    "JOIN members m ON m.id = gm.member_id WHERE gm.groupement_id = :id ORDER BY gm.member_id";
constexpr std::string_view kCountReference =
    "SELECT COUNT(*) FROM groupements WHERE reference = :reference AND id <> :id";
constexpr std::string_view kInsertGroupement =
    "INSERT INTO groupements (name, reference, coordinator_member_id, mission, period_start, period_end, cost_key, "
    "version, created_at, updated_at) VALUES (:name, :reference, :coordinator, :mission, :start, :end, :cost_key, 1, "
    ":now, :now2) RETURNING id";
constexpr std::string_view kUpdateGroupement =
    "UPDATE groupements SET name = :name, reference = :reference, coordinator_member_id = :coordinator, "
    "mission = :mission, period_start = :start, period_end = :end, cost_key = :cost_key, version = version + 1, "
    "updated_at = :now WHERE id = :id AND version = :version";
constexpr std::string_view kBumpGroupement =
    "UPDATE groupements SET version = version + 1, updated_at = :now WHERE id = :id AND version = :version";
constexpr std::string_view kInsertScope =
    "INSERT INTO groupement_scope (groupement_id, cpv_prefix) VALUES (:id, :prefix)";
constexpr std::string_view kDeleteScope = "DELETE FROM groupement_scope WHERE groupement_id = :id";
constexpr std::string_view kInsertMember =
    "INSERT INTO groupement_members (groupement_id, member_id, signed_on) VALUES (:id, :member, :signed_on)";
// Tenders still going (not cancelled) that name the groupement's coordinator.
constexpr std::string_view kTendersInUse =
    "SELECT COUNT(*) FROM tenders WHERE groupement_id = :id AND status <> 'cancelled'";

Error reference_taken(const std::string& reference) {
  return Error::rule_broken(ErrorCode::conflict, "groupement.reference_taken", "reference",
                            "La référence « " + reference + " » est déjà celle d'un autre groupement.");
}

// An active member, named in `field`; an unknown one is bad input, not a missing resource.
Status member_can_sign(soci::session& sql, std::int64_t member_id, const std::string& field, std::string_view what) {
  auto status = member_takes_part(sql, member_id, field, what);
  if (!status && status.error().code == ErrorCode::not_found) {
    return Error::rule_broken(ErrorCode::invalid, "groupement.member_unknown", field,
                              "Aucun membre n° " + std::to_string(member_id) + " dans le réseau.");
  }
  return status;
}

void insert_scope(soci::session& sql, long long id, const std::vector<std::string>& prefixes) {
  for (const auto& p : prefixes) sql << kInsertScope, soci::use(id), soci::use(p);
}

}  // namespace

std::optional<Groupement> load_groupement(soci::session& sql, std::int64_t id) {
  long long key = id, gid = 0, coordinator = 0, version = 0;
  std::string name, reference, mission, start, end, cost_key;
  sql << kSelectGroupement, soci::use(key), soci::into(gid), soci::into(name), soci::into(reference),
      soci::into(coordinator), soci::into(mission), soci::into(start), soci::into(end), soci::into(cost_key),
      soci::into(version);
  if (!sql.got_data()) return std::nullopt;
  Groupement g;
  g.id = gid;
  g.name = name;
  g.reference = reference;
  g.coordinator_member_id = coordinator;
  g.mission = parse_coordinator_mission(mission, "mission").value();
  g.period_start = stored_date(start);
  g.period_end = stored_date(end);
  g.cost_key = parse_cost_key(cost_key, "cost_key").value();
  g.version = version;
  {
    std::string prefix;
    soci::statement st = (sql.prepare << kSelectScope, soci::use(key), soci::into(prefix));
    st.execute();
    while (st.fetch()) g.cpv_prefixes.push_back(prefix);
  }
  {
    long long member = 0;
    std::string signed_on, code, member_name;
    soci::statement st = (sql.prepare << kSelectMembers, soci::use(key), soci::into(member), soci::into(signed_on),
                          soci::into(code), soci::into(member_name));
    st.execute();
    while (st.fetch()) {
      g.members.push_back({member, stored_date(signed_on), code, member_name});
    }
  }
  return g;
}

Result<PageOf<Groupement>> list_groupements(Database& database, const Page& page) {
  return with_connection<PageOf<Groupement>>(database, [&](soci::session& sql) -> Result<PageOf<Groupement>> {
    std::vector<long long> ids;
    {
      long long id = 0;
      long long before = before_key(page);
      soci::statement st = (sql.prepare << std::string(kSelectGroupementIdsBefore) + page_tail("id", page.limit),
                            soci::use(before), soci::into(id));
      st.execute();
      while (st.fetch()) ids.push_back(id);
    }
    auto id_page = to_id_page(std::move(ids), clamp_limit(page.limit));
    PageOf<Groupement> out;
    out.next_before_id = id_page.next_before_id;
    for (const auto id : id_page.items) {
      if (auto g = load_groupement(sql, id)) out.items.push_back(std::move(*g));
    }
    return out;
  });
}

Result<bool> any_groupement(Database& database) {
  return with_connection<bool>(database, [](soci::session& sql) -> Result<bool> {
    int count = 0;
    sql << kAnyGroupement, soci::into(count);
    return count > 0;
  });
}

Result<Groupement> get_groupement(Database& database, std::int64_t id) {
  return with_connection<Groupement>(database, [&](soci::session& sql) -> Result<Groupement> {
    auto g = load_groupement(sql, id);
    if (!g) return Error::of(ErrorCode::not_found, "ce groupement n’existe pas", "groupement.not_found");
    return *g;
  });
}

Result<Groupement> create_groupement(Database& database, const Actor& actor, const Groupement& groupement, Date today) {
  if (auto status = validate_groupement(groupement); !status) return std::move(status).error();
  for (std::size_t i = 0; i < groupement.members.size(); ++i) {
    if (auto status = check_signature_date(groupement.members[i].signed_on, today,
                                           "members[" + std::to_string(i) + "].signed_on");
        !status) {
      return std::move(status).error();
    }
  }
  return in_transaction<Groupement>(database, [&](soci::session& sql) -> Result<Groupement> {
    for (std::size_t i = 0; i < groupement.members.size(); ++i) {
      if (auto status = member_can_sign(sql, groupement.members[i].member_id,
                                        "members[" + std::to_string(i) + "].member_id",
                                        "signer la convention d’un groupement");
          !status) {
        return std::move(status).error();
      }
    }
    long long none = 0;
    int same = 0;
    sql << kCountReference, soci::use(groupement.reference), soci::use(none), soci::into(same);
    if (same > 0) return reference_taken(groupement.reference);
    const std::string now = utc_timestamp_now();
    const std::string mission(to_string(groupement.mission)), start = to_string(groupement.period_start),
                                                              end = to_string(groupement.period_end),
                                                              cost_key(to_string(groupement.cost_key));
    long long coordinator = groupement.coordinator_member_id, id = 0;
    sql << kInsertGroupement, soci::use(groupement.name), soci::use(groupement.reference), soci::use(coordinator),
        soci::use(mission), soci::use(start), soci::use(end), soci::use(cost_key), soci::use(now), soci::use(now),
        soci::into(id);
    insert_scope(sql, id, groupement.cpv_prefixes);
    for (const auto& m : groupement.members) {
      long long member = m.member_id;
      const std::string signed_on = to_string(m.signed_on);
      sql << kInsertMember, soci::use(id), soci::use(member), soci::use(signed_on);
    }
    auto created = load_groupement(sql, id);
    write_audit(sql, actor, "groupement", id, "create", "", formats::groupement_json_text(*created));
    return *created;
  });
}

Result<Groupement> update_groupement(Database& database, const Actor& actor, const Groupement& groupement) {
  return in_transaction<Groupement>(database, [&](soci::session& sql) -> Result<Groupement> {
    auto before = load_groupement(sql, groupement.id);
    if (!before) return Error::of(ErrorCode::not_found, "ce groupement n’existe pas", "groupement.not_found");
    if (groupement.version != before->version) {
      return Error::of(ErrorCode::stale, "le groupement a changé depuis sa lecture : le relire et réessayer",
                       "groupement.stale");
    }
    // The members are the stored ones: a signature is recorded, never edited here.
    Groupement after = groupement;
    after.members = before->members;
    if (auto status = validate_groupement(after); !status) return std::move(status).error();
    long long key = groupement.id;
    if (after.coordinator_member_id != before->coordinator_member_id) {
      int in_use = 0;
      sql << kTendersInUse, soci::use(key), soci::into(in_use);
      if (in_use > 0) {
        return Error::rule_broken(ErrorCode::conflict, "groupement.coordinator_locked", "coordinator_member_id",
                                  "Le groupement a des marchés en cours, passés par son coordonnateur actuel : le "
                                  "coordonnateur ne change pas en cours de procédure (L2113-7).");
      }
      if (auto status = member_can_sign(sql, after.coordinator_member_id, "coordinator_member_id",
                                        "coordonner un groupement");
          !status) {
        return std::move(status).error();
      }
    }
    int same = 0;
    sql << kCountReference, soci::use(after.reference), soci::use(key), soci::into(same);
    if (same > 0) return reference_taken(after.reference);
    const std::string now = utc_timestamp_now();
    const std::string mission(to_string(after.mission)),
        start = to_string(after.period_start), end = to_string(after.period_end), cost_key(to_string(after.cost_key));
    long long coordinator = after.coordinator_member_id, version = groupement.version;
    soci::statement st = (sql.prepare << kUpdateGroupement, soci::use(after.name), soci::use(after.reference),
                          soci::use(coordinator), soci::use(mission), soci::use(start), soci::use(end),
                          soci::use(cost_key), soci::use(now), soci::use(key), soci::use(version));
    st.execute(true);
    if (st.get_affected_rows() == 0)
      return Error::of(ErrorCode::stale, "le groupement a changé entre-temps : réessayer", "groupement.stale");
    sql << kDeleteScope, soci::use(key);
    insert_scope(sql, key, after.cpv_prefixes);
    auto stored = load_groupement(sql, key);
    write_audit(sql, actor, "groupement", key, "update", formats::groupement_json_text(*before),
                formats::groupement_json_text(*stored));
    return *stored;
  });
}

Result<Groupement> add_groupement_member(Database& database, const Actor& actor, std::int64_t groupement_id,
                                         const GroupementMember& member, std::optional<std::int64_t> version,
                                         Date today) {
  if (auto status = check_signature_date(member.signed_on, today, "signed_on"); !status)
    return std::move(status).error();
  return in_transaction<Groupement>(database, [&](soci::session& sql) -> Result<Groupement> {
    auto before = load_groupement(sql, groupement_id);
    if (!before) return Error::of(ErrorCode::not_found, "ce groupement n’existe pas", "groupement.not_found");
    if (version && *version != before->version) {
      return Error::of(ErrorCode::stale, "le groupement a changé depuis sa lecture : le relire et réessayer",
                       "groupement.stale");
    }
    if (auto signature = signed_on(*before, member.member_id)) {
      return Error::rule_broken(ErrorCode::conflict, "groupement.member_duplicate", "member_id",
                                "Ce membre a déjà signé la convention, le " + to_string(*signature) + ".");
    }
    if (auto status = member_can_sign(sql, member.member_id, "member_id", "signer la convention d’un groupement");
        !status) {
      return std::move(status).error();
    }
    const std::string now = utc_timestamp_now(), signed_text = to_string(member.signed_on);
    long long key = groupement_id, member_id = member.member_id, read_version = before->version;
    soci::statement st = (sql.prepare << kBumpGroupement, soci::use(now), soci::use(key), soci::use(read_version));
    st.execute(true);
    if (st.get_affected_rows() == 0)
      return Error::of(ErrorCode::stale, "le groupement a changé entre-temps : réessayer", "groupement.stale");
    sql << kInsertMember, soci::use(key), soci::use(member_id), soci::use(signed_text);
    auto after = load_groupement(sql, key);
    write_audit(sql, actor, "groupement", key, "member_signed", formats::groupement_json_text(*before),
                formats::groupement_json_text(*after));
    return *after;
  });
}

}  // namespace canopee::db
