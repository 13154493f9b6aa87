#include "usecases/spaser.hpp"

#include <boost/json.hpp>

#include <map>

#include "adapters/clock.hpp"
#include "adapters/db/budget_repository.hpp"
#include "adapters/db/party_repository.hpp"
#include "adapters/db/unit_of_work.hpp"

namespace canopee::usecases {

const char* const kSpaserMethod =
    "Par membre et par année civile, les marchés (contrats par membre) comptés à la date de leur notification "
    "quand elle est enregistrée, sinon à celle de la décision d’attribution (même règle que le rapport des gains). "
    "Montants hors taxes, tels qu’attribués. Considérations environnementales : la consultation porte des "
    "conditions d’exécution environnementales (L2112-2) ; sociales : elle porte des considérations sociales "
    "(L2112-2-1) ; PME : le titulaire est une PME ; réservés : marché réservé aux ESAT et entreprises adaptées "
    "(L2113-12), aux SIAE (L2113-13) ou aux entreprises de l’ESS (L2113-15). Parts en nombre et en montant, en "
    "points de base arrondis au plus proche (la moitié s’éloignant de zéro). Le schéma (SPASER) est obligatoire "
    "lorsque le montant total annuel des achats est « supérieur à » 50 millions d’euros HT (L2111-3, D2111-3) : "
    "strictement au-dessus, 50 000 000,00 € ne suffit pas. Seuls les achats passés par Canopée sont comptés : "
    "l’organisme doit y ajouter ses autres achats de l’année pour apprécier le seuil.";

namespace {

namespace json = boost::json;

// ---- SQL ----
constexpr std::string_view kTenderReservation = "SELECT status, reserved, version FROM tenders WHERE id = :id";
constexpr std::string_view kSaveReservation =
    "UPDATE tenders SET reserved = :reserved, version = version + 1, updated_at = :now "
    "WHERE id = :id AND version = :version";

std::string bp_text(std::int64_t bp) {
  // 6667 → "66.67"
  const std::string digits = std::to_string(bp / 100) + "." + (bp % 100 < 10 ? "0" : "") + std::to_string(bp % 100);
  return digits;
}

json::object share_json(const SpaserShare& s) {
  return json::object{
      {"count", s.count},         {"amount_ht", to_string(s.amount)},     {"count_bp", s.count_bp},
      {"amount_bp", s.amount_bp}, {"count_percent", bp_text(s.count_bp)}, {"amount_percent", bp_text(s.amount_bp)}};
}

struct Read {
  std::vector<SpaserContract> contracts;
  Amount threshold;
  std::map<std::int64_t, std::string> names;
};

}  // namespace

Result<SpaserReport> spaser_report(db::Database& database, const SpaserFilter& filter) {
  CANOPEE_TRY(read, db::in_snapshot<Read>(database, [&](soci::session& sql) -> Result<Read> {
                Read out;
                out.contracts = db::spaser_contracts(sql, filter.member_id);
                out.threshold = db::spaser_threshold(sql);
                for (const auto& c : out.contracts) {
                  if (out.names.contains(c.member_id)) continue;
                  const auto member = db::load_member(sql, c.member_id);
                  out.names.emplace(c.member_id, member ? member->name : std::to_string(c.member_id));
                }
                return out;
              }));
  SpaserReport report;
  report.filter = filter;
  report.threshold = read.threshold;
  for (auto& y : spaser_figures(read.contracts, read.threshold, filter.year))
    report.rows.push_back({y, read.names[y.member_id]});
  return report;
}

json::value spaser_json(const SpaserReport& r) {
  json::array rows;
  for (const auto& row : r.rows) {
    const auto& f = row.figures;
    rows.push_back(json::object{{"member_id", f.member_id},
                                {"member_name", row.member_name},
                                {"year", f.year},
                                {"contracts", f.contracts},
                                {"amount_ht", to_string(f.amount)},
                                {"environmental", share_json(f.environmental)},
                                {"social", share_json(f.social)},
                                {"sme", share_json(f.sme)},
                                {"reserved", share_json(f.reserved)},
                                {"spaser_mandatory", f.threshold_exceeded}});
  }
  json::object parameters{{"year", r.filter.year ? json::value(*r.filter.year) : json::value(nullptr)},
                          {"member_id", r.filter.member_id ? json::value(*r.filter.member_id) : json::value(nullptr)},
                          {"threshold_ht", to_string(r.threshold)},
                          {"threshold_rule", "amount > threshold (L2111-3 « supérieur à », D2111-3)"},
                          {"date_rule", "notification_else_award"}};
  return json::object{{"method", kSpaserMethod},
                      {"amounts", "HT"},
                      {"parameters", std::move(parameters)},
                      {"rows", std::move(rows)}};
}

formats::Table spaser_table(const SpaserReport& r) {
  using formats::CellKind;
  formats::Table t;
  t.title = "Achats responsables";
  t.columns = {{"Membre", CellKind::text},
               {"Année", CellKind::integer},
               {"Marchés", CellKind::integer},
               {"Montant HT", CellKind::money},
               {"Environnement (nombre)", CellKind::integer},
               {"Environnement part nombre", CellKind::percent},
               {"Environnement HT", CellKind::money},
               {"Environnement part montant", CellKind::percent},
               {"Social (nombre)", CellKind::integer},
               {"Social part nombre", CellKind::percent},
               {"Social HT", CellKind::money},
               {"Social part montant", CellKind::percent},
               {"PME (nombre)", CellKind::integer},
               {"PME part nombre", CellKind::percent},
               {"PME HT", CellKind::money},
               {"PME part montant", CellKind::percent},
               {"Réservés (nombre)", CellKind::integer},
               {"Réservés part nombre", CellKind::percent},
               {"Réservés HT", CellKind::money},
               {"Réservés part montant", CellKind::percent},
               {"SPASER obligatoire", CellKind::text}};
  for (const auto& row : r.rows) {
    const auto& f = row.figures;
    std::vector<formats::Cell> cells{row.member_name, std::int64_t{f.year}, f.contracts, f.amount.cents};
    for (const auto* s : {&f.environmental, &f.social, &f.sme, &f.reserved}) {
      cells.emplace_back(s->count);
      cells.emplace_back(s->count_bp);
      cells.emplace_back(s->amount.cents);
      cells.emplace_back(s->amount_bp);
    }
    cells.emplace_back(std::string(f.threshold_exceeded ? "oui" : "non"));
    t.rows.push_back(std::move(cells));
  }
  t.notes = {{"Méthode", kSpaserMethod},
             {"Seuil SPASER HT", to_french_euros(r.threshold) + " (réglage spaser_threshold ; D2111-3 : 50 M€)"},
             {"Année", r.filter.year ? std::to_string(*r.filter.year) : "toutes"},
             {"Membre", r.filter.member_id ? std::to_string(*r.filter.member_id) : "tous"}};
  return t;
}

Result<TenderReservation> tender_reservation(db::Database& database, std::int64_t tender_id) {
  return db::with_connection<TenderReservation>(database, [&](soci::session& sql) -> Result<TenderReservation> {
    long long id = tender_id, version = 0;
    std::string status, reserved;
    sql << kTenderReservation, soci::use(id), soci::into(status), soci::into(reserved), soci::into(version);
    if (!sql.got_data()) return Error::of(ErrorCode::not_found, "consultation introuvable", "tender.not_found");
    return TenderReservation{tender_id, parse_reservation(reserved, "reserved").value_or(Reservation::none), version};
  });
}

Result<TenderReservation> set_tender_reservation(db::Database& database, const db::Actor& actor, std::int64_t tender_id,
                                                 Reservation reserved, std::optional<std::int64_t> version) {
  return db::in_transaction<TenderReservation>(database, [&](soci::session& sql) -> Result<TenderReservation> {
    long long id = tender_id, read_version = 0;
    std::string status, before;
    sql << kTenderReservation, soci::use(id), soci::into(status), soci::into(before), soci::into(read_version);
    if (!sql.got_data()) return Error::of(ErrorCode::not_found, "consultation introuvable", "tender.not_found");
    if (status != "draft")
      return Error::rule_broken(ErrorCode::conflict, "tender.not_draft", "reserved",
                                "la réservation du marché se fixe tant que la consultation est un brouillon");
    const auto stale = [] {
      return Error::rule_broken(ErrorCode::stale, "tender.stale", "",
                                "la consultation a changé depuis votre lecture : relisez-la et recommencez");
    };
    if (version && *version != read_version) return stale();
    const std::string value(to_string(reserved)), now = utc_timestamp_now();
    soci::statement st = (sql.prepare << kSaveReservation, soci::use(value), soci::use(now), soci::use(id),
                          soci::use(read_version));
    st.execute(true);
    if (st.get_affected_rows() != 1) return stale();
    const auto json_of = [](std::string_view r) { return json::serialize(json::object{{"reserved", r}}); };
    db::write_audit(sql, actor, "tender", tender_id, "reservation", json_of(before), json_of(value));
    return TenderReservation{tender_id, reserved, read_version + 1};
  });
}

}  // namespace canopee::usecases
