#include "adapters/db/threshold_repository.hpp"

#include <soci/soci.h>

#include <boost/json.hpp>

#include "adapters/clock.hpp"

namespace canopee::db {
namespace {

constexpr std::string_view kSelectSettings =
    "SELECT id, threshold, CAST(valid_from AS TEXT), CAST(valid_until AS TEXT), value, source, CAST(created_at AS TEXT) "
    "FROM threshold_settings ORDER BY threshold, valid_from";
constexpr std::string_view kCountSame =
    "SELECT COUNT(*) FROM threshold_settings WHERE threshold = :threshold AND valid_from = :valid_from";
constexpr std::string_view kInsertSetting =
    "INSERT INTO threshold_settings (threshold, valid_from, valid_until, value, source, created_at) "
    "VALUES (:threshold, :valid_from, :valid_until, :value, :source, :now) RETURNING id";

std::string setting_json(const ThresholdSetting& s) {
  boost::json::object o{{"id", s.id},
                        {"threshold", to_string(s.entry.threshold)},
                        {"from", to_string(s.entry.from)},
                        {"value", s.entry.value},
                        {"source", s.entry.source}};
  o["until"] = s.entry.until ? boost::json::value(to_string(*s.entry.until)) : boost::json::value(nullptr);
  return boost::json::serialize(o);
}

std::vector<ThresholdSetting> fetch_settings(soci::session& sql) {
  std::vector<ThresholdSetting> out;
  long long id = 0, value = 0;
  std::string threshold, from, until, source, created_at;
  soci::indicator until_ind = soci::i_null;
  soci::statement st = (sql.prepare << kSelectSettings, soci::into(id), soci::into(threshold), soci::into(from),
                        soci::into(until, until_ind), soci::into(value), soci::into(source), soci::into(created_at));
  st.execute();
  while (st.fetch()) {
    ThresholdSetting s;
    s.id = id;
    s.entry.threshold = parse_threshold(threshold, "threshold").value();
    s.entry.from = stored_date(from);
    if (until_ind == soci::i_ok && !until.empty()) s.entry.until = stored_date(until);
    s.entry.value = value;
    s.entry.source = source;
    s.created_at = normalize_timestamp(created_at);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

Result<std::vector<ThresholdSetting>> list_threshold_settings(Database& database) {
  return with_connection<std::vector<ThresholdSetting>>(
      database, [](soci::session& sql) -> Result<std::vector<ThresholdSetting>> { return fetch_settings(sql); });
}

Result<ThresholdSetting> add_threshold_setting(Database& database, const Actor& actor, const ThresholdEntry& entry) {
  if (auto status = validate_threshold_entry(entry); !status) return std::move(status).error();
  return in_transaction<ThresholdSetting>(database, [&](soci::session& sql) -> Result<ThresholdSetting> {
    const std::string threshold(to_string(entry.threshold)),
        from = to_string(entry.from), until = entry.until ? to_string(*entry.until) : std::string();
    soci::indicator until_ind = entry.until ? soci::i_ok : soci::i_null;
    int same = 0;
    sql << kCountSame, soci::use(threshold), soci::use(from), soci::into(same);
    if (same > 0) {
      return Error::rule_broken(ErrorCode::conflict, "thresholds.duplicate", "from",
                                "Une valeur de ce seuil commençant le " + from +
                                    " est déjà enregistrée : les réglages s'ajoutent, ils ne se réécrivent pas.");
    }
    const std::string now = utc_timestamp_now();
    long long value = entry.value, id = 0;
    sql << kInsertSetting, soci::use(threshold), soci::use(from), soci::use(until, until_ind), soci::use(value),
        soci::use(entry.source), soci::use(now), soci::into(id);
    ThresholdSetting created;
    created.id = id;
    created.entry = entry;
    created.created_at = now;
    write_audit(sql, actor, "threshold_setting", id, "create", "", setting_json(created));
    return created;
  });
}

Result<ThresholdTable> load_thresholds(Database& database, const ThresholdTable& base) {
  auto rows = list_threshold_settings(database);
  if (!rows) return std::move(rows).error();
  ThresholdTable table = base;
  for (const auto& row : *rows) {
    if (auto status = table.add(row.entry); !status) return std::move(status).error();
  }
  return table;
}

}  // namespace canopee::db
