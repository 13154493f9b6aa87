#include "usecases/realised_savings.hpp"

#include <boost/json.hpp>

#include <set>

#include "adapters/db/order_repository.hpp"
#include "adapters/db/party_repository.hpp"
#include "adapters/db/report_repository.hpp"
#include "adapters/db/unit_of_work.hpp"

namespace canopee::usecases {

const char* const kRealisedMethod =
    "Économie réalisée = quantité livrée × prix de référence du membre sur le lot − quantité livrée × prix du bon "
    "de commande, ligne par ligne, chaque montant arrondi au centime (hors taxes). Ce sont des montants réels, "
    "sur les livraisons de la période, sans annualisation : la base 12 mois ne vaut que pour la projection. "
    "Une ligne est comptée au mois de la dernière livraison de son bon ; « payée » est la part des bons payés. "
    "L’économie projetée à l’attribution est celle du rapport des gains achats (référence × volume − prix "
    "attribué × volume, sur toute la durée du marché), figée à l’attribution, pour les mêmes lots et membres. "
    "Chaque regroupement et les totaux sont des sommes de centimes des lignes.";

namespace {

namespace json = boost::json;

struct Read {
  std::vector<DeliveredLineFacts> facts;
  std::map<std::int64_t, std::string> names;
};

std::string category_of(const CpvNomenclature& cpv, std::uint32_t division) {
  if (const auto* entry = cpv.find(division * 1'000'000U)) return entry->label;
  return "Division " + cpv_digits_string(division * 1'000'000U).substr(0, 2);
}

std::string division_text(std::uint32_t division) { return cpv_digits_string(division * 1'000'000U).substr(0, 2); }

json::object figures_json(const RealisedFigures& f) {
  return json::object{{"delivered_value", to_string(f.delivered_value)},
                      {"at_reference", to_string(f.at_reference)},
                      {"realised", to_string(f.realised)},
                      {"paid", to_string(f.paid)},
                      {"lines", f.lines}};
}

json::value date_or_null(const std::optional<Date>& d) { return d ? json::value(to_string(*d)) : json::value(nullptr); }

}  // namespace

Result<RealisedReport> realised_savings(db::Database& database, const CpvNomenclature& cpv,
                                        const RealisedFilter& filter) {
  if (filter.from && filter.to && *filter.to < *filter.from)
    return Error::invalid("to", "ne doit pas précéder from", "report.period.reversed");
  CANOPEE_TRY(read, db::in_snapshot<Read>(database, [&](soci::session& sql) -> Result<Read> {
                Read out;
                for (auto& d : db::delivered_lines(sql, filter.member_id)) {
                  if (!d.delivered_on) continue;
                  if ((filter.from && *d.delivered_on < *filter.from) || (filter.to && *filter.to < *d.delivered_on))
                    continue;
                  DeliveredLineFacts f;
                  f.member_id = d.member_id;
                  f.lot_id = d.lot_id;
                  f.cpv_division = cpv_division_of(d.cpv).value_or(0);
                  f.delivered_on = *d.delivered_on;
                  f.paid = d.status == OrderStatus::paid;
                  f.line = std::move(d.line);
                  f.reference = d.reference_unit_price;
                  if (!out.names.contains(f.member_id)) {
                    const auto member = db::load_member(sql, f.member_id);
                    out.names.emplace(f.member_id, member ? member->name : std::to_string(f.member_id));
                  }
                  out.facts.push_back(std::move(f));
                }
                return out;
              }));
  const RealisedSavings computed = realised_savings(read.facts);

  // The projection at award: the savings report's frozen lines, for the lots delivered.
  std::map<std::int64_t, Amount> projected;
  if (!computed.member_lots.empty()) {
    CANOPEE_TRY(lines, db::report_lines(database, *parse_date("1900-01-01", "from"), *parse_date("2999-12-31", "to"),
                                        filter.member_id));
    for (const auto& l : lines) {
      if (std::binary_search(computed.member_lots.begin(), computed.member_lots.end(),
                             std::pair{l.member_id, l.lot_id}))
        projected[l.member_id] += l.figures.savings;
    }
  }

  RealisedReport report;
  report.filter = filter;
  for (const auto& [key, figures] : computed.rows) {
    const auto& [member, month, division] = key;
    report.lines.push_back({member, read.names[member], month, division, category_of(cpv, division), figures});
  }
  for (const auto& [member, figures] : computed.by_member) {
    const Amount p = projected.contains(member) ? projected[member] : Amount{};
    report.by_member.push_back({member, read.names[member], p, figures});
    report.projected += p;
  }
  for (const auto& [division, figures] : computed.by_division)
    report.by_category.push_back({division, category_of(cpv, division), figures});
  for (const auto& [month, figures] : computed.by_month) report.by_month.push_back({month, figures});
  report.totals = computed.totals;
  return report;
}

json::value realised_json(const RealisedReport& r) {
  json::array lines, members, categories, months;
  for (const auto& l : r.lines) {
    auto o = figures_json(l.figures);
    o["member_id"] = l.member_id;
    o["member_name"] = l.member_name;
    o["month"] = to_string(l.month);
    o["cpv_division"] = division_text(l.cpv_division);
    o["category"] = l.category;
    lines.push_back(std::move(o));
  }
  for (const auto& m : r.by_member) {
    auto o = figures_json(m.figures);
    o["member_id"] = m.member_id;
    o["member_name"] = m.member_name;
    o["projected"] = to_string(m.projected);
    members.push_back(std::move(o));
  }
  for (const auto& c : r.by_category) {
    auto o = figures_json(c.figures);
    o["cpv_division"] = division_text(c.cpv_division);
    o["category"] = c.category;
    categories.push_back(std::move(o));
  }
  for (const auto& m : r.by_month) {
    auto o = figures_json(m.figures);
    o["month"] = to_string(m.month);
    months.push_back(std::move(o));
  }
  auto totals = figures_json(r.totals);
  totals["projected"] = to_string(r.projected);
  json::object parameters{{"from", date_or_null(r.filter.from)}, {"to", date_or_null(r.filter.to)}};
  parameters["member_id"] = r.filter.member_id ? json::value(*r.filter.member_id) : json::value(nullptr);
  return json::object{{"method", kRealisedMethod},           {"basis", "actual"},
                      {"parameters", std::move(parameters)}, {"lines", std::move(lines)},
                      {"by_member", std::move(members)},     {"by_category", std::move(categories)},
                      {"by_month", std::move(months)},       {"totals", std::move(totals)}};
}

formats::Table realised_table(const RealisedReport& r) {
  using formats::CellKind;
  formats::Table t;
  t.title = "Gains réalisés";
  t.columns = {{"Membre", CellKind::text},
               {"Mois de livraison", CellKind::text},
               {"Division CPV", CellKind::text},
               {"Catégorie", CellKind::text},
               {"Livré au prix du bon HT", CellKind::money},
               {"Livré au prix de référence HT", CellKind::money},
               {"Économie réalisée HT", CellKind::money},
               {"dont bons payés HT", CellKind::money},
               {"Lignes", CellKind::integer}};
  const auto cells = [](const RealisedFigures& f) {
    return std::vector<formats::Cell>{f.delivered_value.cents, f.at_reference.cents, f.realised.cents, f.paid.cents,
                                      f.lines};
  };
  for (const auto& l : r.lines) {
    std::vector<formats::Cell> row{l.member_name, to_string(l.month), division_text(l.cpv_division), l.category};
    for (auto& c : cells(l.figures)) row.push_back(std::move(c));
    t.rows.push_back(std::move(row));
  }
  std::vector<formats::Cell> total{std::string("Total"), std::string(), std::string(), std::string()};
  for (auto& c : cells(r.totals)) total.push_back(std::move(c));
  t.totals.push_back(std::move(total));
  std::string projected;
  for (const auto& m : r.by_member) {
    projected += (projected.empty() ? "" : " ; ") + m.member_name + " : projetée " + to_french_euros(m.projected) +
                 ", réalisée " + to_french_euros(m.figures.realised);
  }
  t.notes = {{"Méthode", kRealisedMethod},
             {"Période", "livraisons du " + (r.filter.from ? to_string(*r.filter.from) : std::string("début")) +
                             " au " + (r.filter.to ? to_string(*r.filter.to) : std::string("dernier jour"))},
             {"Membre", r.filter.member_id ? std::to_string(*r.filter.member_id) : "tous"},
             {"Projetée à l’attribution (mêmes lots)", to_french_euros(r.projected)},
             {"Par membre", projected.empty() ? "aucune livraison" : projected}};
  return t;
}

}  // namespace canopee::usecases
