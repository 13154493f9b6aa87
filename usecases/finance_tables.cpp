#include "usecases/finance_tables.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "engine/reference.hpp"

namespace canopee::reports {

namespace {

const char* pooling_text(PoolingStatus status) {
  switch (status) {
    case PoolingStatus::measured: return "mesuré (prix par paliers)";
    case PoolingStatus::not_measurable: return "non mesurable (prix unique)";
    case PoolingStatus::partly_measured: return "mesuré en partie (certains prix uniques)";
  }
  return "";
}

std::vector<formats::Cell> figure_cells(const std::string& key, const std::string& label, const ReportFigures& f) {
  return {key,
          label,
          f.reference.cents,
          f.contract.cents,
          f.savings.cents,
          f.savings_pct_bp(),
          f.pooling_effect.cents,
          f.lines_pooling_measured + f.lines_pooling_not_measurable == 0
              ? std::string()
              : std::string(pooling_text(f.pooling_status())),
          f.competition_effect.cents,
          f.shared_costs.cents,
          f.subsidy.cents,
          f.net_savings.cents,
          f.reference_ttc.cents,
          f.contract_ttc.cents,
          f.savings_ttc.cents,
          f.contract_one_off.cents,
          f.lots,
          f.savings_notified.cents,
          f.savings_award_only.cents,
          f.lines_notified,
          f.lines_award_only,
          f.subsidy_projected.cents};
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
               {"Gains HT", CellKind::money},
               {"Gains (%)", CellKind::percent},
               {"Effet mutualisation HT", CellKind::money},
               {"Effet mutualisation", CellKind::text},
               {"Effet mise en concurrence HT", CellKind::money},
               {"Frais mutualisés HT", CellKind::money},
               {"Subvention", CellKind::money},
               {"Gains nets HT", CellKind::money},
               {"Référence TTC", CellKind::money},
               {"Marché TTC", CellKind::money},
               {"Gains TTC", CellKind::money},
               {"Dont marché ponctuel HT", CellKind::money},
               {"Lots", CellKind::integer},
               {"Gains comptés depuis la notification", CellKind::money},
               {"Gains comptés depuis la décision d'attribution", CellKind::money},
               {"Lignes notifiées", CellKind::integer},
               {"Lignes non notifiées", CellKind::integer},
               {"Subvention projetée (hors gains nets)", CellKind::money}};
  for (const auto& r : report.rows) t.rows.push_back(figure_cells(r.key, r.label, r.figures));
  t.totals.push_back(figure_cells("Total", "", report.totals));
  t.notes = savings_method_notes(report, p);
  return t;
}

std::string money_text(const std::optional<Amount>& amount) {
  if (!amount) return "aucun";
  auto text = to_string(*amount);
  std::replace(text.begin(), text.end(), '.', ',');
  return text + " €";
}

// The CGLLS subsidy as counted: granted aid only, with the rates and caps in force.
std::string subsidy_text(const SavingsReport& report) {
  std::string text =
      "subvention CGLLS accordée (projets aidés au statut accordé ou versé) sur les frais rattachés à un projet ; "
      "elle seule entre dans les gains nets";
  if (const auto& s = report.subsidy_settings) {
    text += " ; taux : " + format_decimal(s->collective_rate_bp, 2, 0) +
            " % pour une action collective (inter-organismes), " + format_decimal(s->individual_rate_bp, 2, 0) +
            " % pour une action d'un seul organisme ; plafond par projet : " + money_text(s->project_cap) +
            " ; plafond par organisme : " +
            (s->rolling_cap()
                 ? money_text(s->member_cap) + " sur " + std::to_string(*s->member_cap_months) + " mois glissants"
                 : std::string("aucun"));
  }
  return text;
}

// The period as the reader reads it: the dates asked for (JJ/MM/AAAA), and where a
// bound was left open, the first or last counting day of the lines actually counted.
std::string period_text(const SavingsReport& report, const SavingsParameters& p) {
  const bool open_from = p.from <= *parse_date("1900-01-01", "from");
  const bool open_to = p.to >= *parse_date("2999-12-31", "to");
  std::optional<Date> first;
  std::optional<Date> last;
  for (const auto& l : report.lines) {
    if (!first || l.counted_on < *first) first = l.counted_on;
    if (!last || *last < l.counted_on) last = l.counted_on;
  }
  const char* rule = " (date de notification du contrat, sinon date de la décision d'attribution)";
  if (!first) {  // no line counted
    if (!open_from && !open_to)
      return "gains comptés du " + to_french(p.from) + " au " + to_french(p.to) + rule + " ; aucune ligne comptée";
    std::string text = "aucune ligne comptée";
    if (!open_from) text += " à partir du " + to_french(p.from);
    if (!open_to) text += " jusqu'au " + to_french(p.to);
    if (open_from && open_to) text += ", toutes dates confondues";
    return text + rule;
  }
  std::string text = "gains comptés du " + to_french(open_from ? *first : p.from) + " au " +
                     to_french(open_to ? *last : p.to) + rule;
  if (open_from && open_to) text += " ; aucune date demandée : de la première à la dernière ligne comptée";
  else if (open_from) text += " ; pas de date de début demandée : à partir de la première ligne comptée";
  else if (open_to) text += " ; pas de date de fin demandée : jusqu'à la dernière ligne comptée";
  return text;
}

std::vector<std::pair<std::string, std::string>> savings_method_notes(const SavingsReport& report,
                                                                      const SavingsParameters& p) {
  const char* group_names[] = {"membre", "catégorie (classe CPV)", "consultation",
                               "mois de comptage (notification, sinon décision d'attribution)"};
  std::set<std::int64_t> rates;
  for (const auto& l : report.lines) rates.insert(l.vat_rate_bp);
  std::string rates_text;
  for (const auto r : rates) rates_text += (rates_text.empty() ? "" : ", ") + format_decimal(r, 2, 2) + " %";
  if (rates_text.empty()) rates_text = "aucun lot dans la période";
  return {
      {"Méthode",
       "gains achats selon la méthode de la Direction des Achats de l'État (DAE, document de référence mis à jour "
       "en décembre 2024, en vigueur pour 2025) : gain = (prix de référence − prix obtenu) × volume"},
      {"Montants",
       "tous les montants sont hors taxes (HT), sauf les colonnes « TTC » ; les seuils de procédure "
       "sont appréciés HT"},
      {"Période", period_text(report, p)},
      {"Dates",
       "règle " + std::string(kSavingsDateRule) +
           " : les gains d'un membre sur un lot sont comptés à partir de la notification de son contrat "
           "quand elle est enregistrée (le marché prend effet à sa notification, R2182-4 ; convention de la DAE), "
           "sinon à partir de la décision d'attribution ; les lignes pas encore notifiées sont comprises et "
           "comptées à part (colonnes « Gains comptés depuis la décision d'attribution » et « Lignes non "
           "notifiées »)"},
      {"Regroupement", group_names[static_cast<int>(p.group)]},
      {"Base", p.basis == ReportBasis::contract
                   ? "sur toute la durée des marchés"
                   : "sur 12 mois (règle " + std::string(kRecurrenceRule) +
                         ") : la part récurrente de chaque ligne × 12 / durée en mois, arrondie au centime ; la part "
                         "ponctuelle comptée une fois, jamais annualisée"},
      {"Achats ponctuels et récurrents",
       "chaque besoin porte l'indicateur « récurrent » ; la ligne d'un membre sur un lot garde la part de ses "
       "besoins ponctuels (quantité, référence, marché au prix obtenu) : un achat ponctuel compte une fois sur "
       "les deux bases ; les frais mutualisés et la subvention d'une ligne suivent la même règle, au prorata de "
       "la part ponctuelle de son montant de marché (colonne « Dont marché ponctuel HT »)"},
      {"Membre", p.member_id ? std::to_string(*p.member_id) : "tous"},
      {"Gains achats", "référence − marché : prix de référence du membre × volume − prix obtenu × volume"},
      {"Référence",
       std::string(kReferenceRule) +
           " ; sources : prix historique, prix payé par un autre acheteur, devis fournisseurs, moyenne des offres "
           "reçues, estimation budgétaire ; une référence à 0 est signalée « référence manquante »"},
      {"Effet mutualisation",
       "prix que le membre aurait payé seul au même titulaire (grille par paliers de l'offre retenue) − marché ; "
       "règle " +
           std::string(kPoolingRule) +
           " : quand l'offre retenue a un prix unique, l'effet est nul par construction et le rapport le dit "
           "« non mesurable (prix unique) » au lieu d'un 0 mesuré"},
      {"Effet mise en concurrence",
       "référence − prix seul au titulaire ; gains = mutualisation + mise en concurrence ; cet effet porte aussi "
       "l'inflation entre la date de la référence et l'attribution et les changements de spécification"},
      {"Marchés mutualisés",
       "règle de la DAE pour les marchés mutualisés : les gains sont attribués aux membres qui achètent par le "
       "marché, chacun sur ses propres volumes (une ligne par membre et par lot)"},
      {"TVA",
       "colonnes TTC = montant HT × (1 + taux du lot), arrondi au centime ligne par ligne puis additionné ; "
       "taux des lots du rapport : " +
           rates_text +
           " (20 % ; 10 % travaux d'amélioration et d'entretien de logements de plus de deux ans, CGI 279-0 bis ; "
           "5,5 % travaux de rénovation énergétique, CGI 278-0 bis A ; taux réduits du logement social, CGI 278 sexies)"},
      {"Frais mutualisés",
       "part du membre dans les frais de la consultation (clé de répartition), répartie sur ses lots "
       "au prorata du montant du marché"},
      {"Subvention", subsidy_text(report)},
      {"Subvention projetée",
       "projets aidés prévus ou demandés, et frais éligibles rattachés à aucun projet (« sans projet », estimés "
       "au taux collectif si plusieurs membres les partagent) : montrée à part, jamais dans les gains nets"},
      {"Gains nets", "gains − frais mutualisés + subvention accordée"},
      {"Arrondis", "montants exacts au centime ; chaque ligne et le total sont des sommes de centimes"}};
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
