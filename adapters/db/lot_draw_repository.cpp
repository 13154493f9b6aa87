#include "adapters/db/lot_draw_repository.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include "adapters/clock.hpp"
#include "engine/enum_names.hpp"

namespace canopee::db {
namespace {

constexpr std::string_view kSelectTenderDraws =
    "SELECT d.id, d.lot_id, d.bid_order, d.method, d.minutes, d.author_user_id, u.name, CAST(d.recorded_at AS TEXT) "
    "FROM lot_draws d JOIN lots l ON l.id = d.lot_id LEFT JOIN users u ON u.id = d.author_user_id "
    "WHERE l.tender_id = :tender ORDER BY d.id";
constexpr std::string_view kInsertDraw =
    "INSERT INTO lot_draws (lot_id, bid_order, method, minutes, author_user_id, recorded_at) "
    "VALUES (:lot, :bid_order, :method, :minutes, :author, :at) RETURNING id";
constexpr std::string_view kCountLotDraws = "SELECT COUNT(*) FROM lot_draws WHERE lot_id = :lot";
constexpr std::string_view kLotOfTender = "SELECT COUNT(*) FROM lots WHERE id = :lot AND tender_id = :tender";

constexpr auto kMethods = enum_names<DrawMethod>("manual", "electronic");

std::string order_text(const std::vector<std::int64_t>& order) {
  std::string text;
  for (const auto id : order) text += (text.empty() ? "" : ",") + std::to_string(id);
  return text;
}

std::vector<std::int64_t> parse_order(std::string_view text) {
  std::vector<std::int64_t> order;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const auto part = text.substr(0, comma);
    std::int64_t id = 0;
    std::from_chars(part.data(), part.data() + part.size(), id);
    order.push_back(id);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return order;
}

}  // namespace

std::string_view to_string(DrawMethod method) { return kMethods(method); }

Result<DrawMethod> parse_draw_method(std::string_view text, std::string_view field) {
  if (auto value = kMethods.parse(text)) return *value;
  return Error::rule_broken(
      ErrorCode::invalid, "input.not_in_list", std::string(field),
      "mode de tirage inconnu : manual (tiré par l’acheteur) ou electronic (tiré par le serveur)");
}

std::map<std::int64_t, std::vector<LotDraw>> load_tender_draws(soci::session& sql, std::int64_t tender_id) {
  long long tender = tender_id, id = 0, lot = 0, author = 0;
  std::string order, method, minutes, name, at;
  soci::indicator author_ind, name_ind;
  std::map<std::int64_t, std::vector<LotDraw>> draws;
  soci::statement st = (sql.prepare << kSelectTenderDraws, soci::use(tender), soci::into(id), soci::into(lot),
                        soci::into(order), soci::into(method), soci::into(minutes), soci::into(author, author_ind),
                        soci::into(name, name_ind), soci::into(at));
  st.execute();
  while (st.fetch()) {
    LotDraw d;
    d.id = id;
    d.lot_id = lot;
    d.order = parse_order(order);
    d.method = parse_draw_method(method, "method").value();
    d.minutes = minutes;
    d.author_user_id = author_ind == soci::i_ok ? author : 0;
    d.author_name = name_ind == soci::i_ok ? name : "";
    d.recorded_at = normalize_timestamp(at);
    draws[lot].push_back(std::move(d));
  }
  return draws;
}

bool lot_has_draw(soci::session& sql, std::int64_t lot_id) {
  long long lot = lot_id;
  int count = 0;
  sql << kCountLotDraws, soci::use(lot), soci::into(count);
  return count > 0;
}

std::vector<TieDraw> tie_draws(const std::vector<LotDraw>& draws) {
  std::vector<TieDraw> out;
  for (const auto& d : draws) out.push_back({d.id, d.order});
  return out;
}

LotDraw insert_draw(soci::session& sql, const Actor& actor, std::int64_t lot_id, DrawMethod method,
                    const std::vector<std::int64_t>& order, const std::string& minutes) {
  LotDraw d;
  d.lot_id = lot_id;
  d.order = order;
  d.method = method;
  d.minutes = minutes;
  d.author_user_id = actor.user_id.value_or(0);
  d.recorded_at = utc_timestamp_now();
  long long lot = lot_id, author = d.author_user_id, id = 0;
  soci::indicator author_ind = actor.user_id ? soci::i_ok : soci::i_null;
  const std::string text = order_text(order), method_text(to_string(method));
  sql << kInsertDraw, soci::use(lot), soci::use(text), soci::use(method_text), soci::use(d.minutes),
      soci::use(author, author_ind), soci::use(d.recorded_at), soci::into(id);
  d.id = id;
  return d;
}

Result<std::vector<LotDraw>> list_lot_draws(Database& database, std::int64_t tender_id, std::int64_t lot_id) {
  return with_connection<std::vector<LotDraw>>(database, [&](soci::session& sql) -> Result<std::vector<LotDraw>> {
    long long lot = lot_id, tender = tender_id;
    int found = 0;
    sql << kLotOfTender, soci::use(lot), soci::use(tender), soci::into(found);
    if (found == 0)
      return Error{ErrorCode::not_found, "ce lot n’est pas un lot de cette consultation", {}, "lot.not_found"};
    auto draws = load_tender_draws(sql, tender_id);
    return draws[lot_id];
  });
}

}  // namespace canopee::db
