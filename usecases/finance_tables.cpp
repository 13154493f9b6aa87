#include "usecases/finance_tables.hpp"

#include <string>
#include <vector>

namespace canopee::reports {

namespace {

std::vector<formats::Cell> figure_cells(const std::string& key, const std::string& label, const ReportFigures& f) {
  return {key,
          label,
          f.reference.cents,
          f.contract.cents,
          f.savings.cents,
          f.savings_pct_bp(),
          f.pooling_effect.cents,
          f.competition_effect.cents,
          f.shared_costs.cents,
          f.subsidy.cents,
          f.net_savings.cents,
          f.lots,
          f.savings_notified.cents,
          f.savings_award_only.cents,
          f.lines_notified,
          f.lines_award_only};
}

std::vector<formats::Cell> allocation_cells(const std::string& label, const MemberAllocation& f) {
  return {label,
          f.line.contract.cents,
          f.line.reference.cents,
          f.line.standalone.cents,
          f.line.savings.cents,
          f.line.pooling_effect.cents,
          f.line.competition_effect.cents,
          f.shared_costs.cents,
          f.subsidy.cents,
          f.fair_share.cents,
          f.transfer.cents};
}

}  // namespace

formats::Table savings_table(const SavingsReport& report, const SavingsParameters& p) {
  using formats::CellKind;
  formats::Table t;
  t.title = "Gains achats";
  t.columns = {{"Clé", CellKind::text},
               {"Libellé", CellKind::text},
               {"Référence HT", CellKind::money},
               {"Marché HT", CellKind::money},
               {"Gains", CellKind::money},
               {"Gains (%)", CellKind::percent},
               {"Effet mutualisation", CellKind::money},
               {"Effet mise en concurrence", CellKind::money},
               {"Frais mutualisés", CellKind::money},
               {"Subvention", CellKind::money},
               {"Gains nets", CellKind::money},
               {"Lots", CellKind::integer},
               {"Gains comptés depuis la notification", CellKind::money},
               {"Gains comptés depuis la décision d'attribution", CellKind::money},
               {"Lignes notifiées", CellKind::integer},
               {"Lignes non notifiées", CellKind::integer}};
  for (const auto& r : report.rows) t.rows.push_back(figure_cells(r.key, r.label, r.figures));
  t.totals.push_back(figure_cells("Total", "", report.totals));
  const char* group_names[] = {"membre", "catégorie (classe CPV)", "consultation",
                               "mois de comptage (notification, sinon décision d'attribution)"};
  t.notes = {
      {"Période", "gains comptés du " + to_string(p.from) + " au " + to_string(p.to) +
                      " (date de notification du contrat, sinon date de la décision d'attribution)"},
      {"Dates",
       "règle " + std::string(kSavingsDateRule) +
           " : les gains d'un membre sur un lot sont comptés à partir de la notification de son contrat "
           "quand elle est enregistrée (le marché prend effet à sa notification, R2182-4 ; convention de la "
           "Direction des Achats de l'État), sinon à partir de la décision d'attribution ; les lignes pas encore "
           "notifiées sont comprises et comptées à part (colonnes « Gains comptés depuis la décision "
           "d'attribution » et « Lignes non notifiées »)"},
      {"Regroupement", group_names[static_cast<int>(p.group)]},
      {"Base", p.basis == ReportBasis::contract ? "sur toute la durée des marchés"
                                                : "sur 12 mois (montants × 12 / durée en mois, arrondis au centime)"},
      {"Membre", p.member_id ? std::to_string(*p.member_id) : "tous"},
      {"Gains achats",
       "référence − marché : prix de référence du membre × volume − prix obtenu × volume "
       "(méthode de la Direction des Achats de l'État)"},
      {"Effet mutualisation",
       "prix que le membre aurait payé seul au même titulaire (grille de l'offre retenue) − marché"},
      {"Effet mise en concurrence", "référence − prix seul au titulaire ; gains = mutualisation + mise en concurrence"},
      {"Frais mutualisés",
       "part du membre dans les frais de la consultation (clé de répartition), répartie sur ses lots "
       "au prorata du montant du marché"},
      {"Subvention", "part subventionnée des frais éligibles (taux collectif si plusieurs membres les partagent)"},
      {"Gains nets", "gains − frais mutualisés + subvention"},
      {"Arrondis", "montants exacts au centime ; chaque ligne et le total sont des sommes de centimes"}};
  return t;
}

formats::Table allocation_table(const Tender& tender, const TenderAllocation& allocation, FairMethod method,
                                std::optional<std::int64_t> member_id) {
  using formats::CellKind;
  formats::Table table;
  table.title = "Répartition";
  table.columns = {{"Membre", CellKind::text},
                   {"Marché HT", CellKind::money},
                   {"Référence HT", CellKind::money},
                   {"Seul au titulaire", CellKind::money},
                   {"Gains", CellKind::money},
                   {"Effet mutualisation", CellKind::money},
                   {"Effet mise en concurrence", CellKind::money},
                   {"Frais mutualisés", CellKind::money},
                   {"Subvention", CellKind::money},
                   {"Part équitable", CellKind::money},
                   {"Transfert", CellKind::money}};
  for (const auto& [id, f] : allocation.members) {
    if (member_id && *member_id != id) continue;
    table.rows.push_back(allocation_cells(std::to_string(id), f));
  }
  table.totals.push_back(allocation_cells("Total", allocation.totals));
  table.notes = {
      {"Consultation", tender.reference + " — " + tender.title},
      {"Méthode",
       std::string(to_string(method)) +
           " : uniform = effet mutualisation de chaque membre ; shapley = valeur de Shapley du jeu "
           "de mutualisation de chaque lot ; proportional = au prorata des quantités ; equal = à parts égales"},
      {"Transfert", "part équitable − effet mutualisation : ce que le membre devrait recevoir (négatif : verser)"},
      {"Membre", "identifiant du membre"}};
  return table;
}

}  // namespace canopee::reports
