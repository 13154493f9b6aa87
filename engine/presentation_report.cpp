#include "engine/presentation_report.hpp"

#include <algorithm>

namespace canopee {
namespace {

std::string decision_words(BidDecisionKind kind) {
  switch (kind) {
    case BidDecisionKind::valid: return "offre déclarée régulière";
    case BidDecisionKind::regularisation_requested: return "régularisation demandée (R2152-2)";
    case BidDecisionKind::irregular: return "offre irrégulière (L2152-2)";
    case BidDecisionKind::unacceptable: return "offre inacceptable (L2152-3)";
    case BidDecisionKind::inappropriate: return "offre inappropriée (L2152-4)";
    case BidDecisionKind::price_questioned: return "prix paraissant anormalement bas (L2152-5)";
    case BidDecisionKind::explanations_requested: return "explications demandées (R2152-3)";
    case BidDecisionKind::explanations_received: return "explications reçues";
    case BidDecisionKind::explanations_accepted: return "explications acceptées";
    case BidDecisionKind::explanations_refused: return "offre anormalement basse rejetée (L2152-6)";
  }
  return "";
}

// How the winner was separated from bids of the same weighted total, if it was.
std::string tie_words(TieOutcome tie) {
  switch (tie) {
    case TieOutcome::heaviest_criterion: return " (départagée par la note du critère le plus pondéré, règle annoncée)";
    case TieOutcome::lowest_price: return " (départagée par le prix le plus bas, règle annoncée)";
    case TieOutcome::draw: return " (départagée par tirage au sort, procès-verbal enregistré)";
    default: return "";
  }
}

std::string paris_day(const std::string& rfc3339) {
  if (auto at = parse_date_time(rfc3339, "at")) return french_long_date(paris_date(*at));
  return rfc3339;
}

void buyer_section(Document& d, const DocumentContext& context) {
  const auto& tender = context.tender;
  d.heading("1. L’acheteur (R2184-2)");
  d.paragraph(context.buyer.name + (context.buyer.siret.empty() ? "" : ", SIRET " + context.buyer.siret) +
              (tender.vehicle == Vehicle::groupement
                   ? ", coordonnateur du groupement de commandes (article L2113-6) qui réunit :"
                   : ", pour la centrale d’achat du GIE Canopée (article L2113-2), au bénéfice de :"));
  DocumentTable members{{"Membre", "SIRET"}, {}, {false, false}};
  for (const auto& [id, member] : context.members) {
    members.rows.push_back({member.name, member.siret.empty() ? "non renseigné" : member.siret});
  }
  d.table(std::move(members));
}

void object_section(Document& d, const DocumentContext& context) {
  const auto& tender = context.tender;
  d.heading("2. L’objet et la valeur estimée du marché (R2184-2)");
  d.paragraph(tender.title + " : marché de " +
              std::string(tender.kind == PurchaseKind::supplies   ? "fournitures"
                          : tender.kind == PurchaseKind::services ? "services"
                                                                  : "travaux") +
              (tender.framework_agreement ? ", passé sous forme d’accord-cadre" : "") + ", d’une durée de " +
              std::to_string(tender.duration_months) + " mois à compter du " + french_long_date(tender.contract_start) +
              ".");
  DocumentTable lots{{"Lot", "Intitulé", "CPV", "Quantité", "Estimation HT"}, {}, {false, false, false, true, true}};
  Amount total{0};
  for (const auto& lot : tender.lots) {
    lots.rows.push_back({std::to_string(lot.number), lot.title, lot.cpv, french_quantity(lot.quantity, lot.unit),
                         to_french_euros(lot.estimate())});
    total = Amount{total.cents + lot.estimate().cents};
  }
  lots.rows.push_back({"", "Total", "", "", to_french_euros(total)});
  d.table(std::move(lots));
  if (tender.lots.size() == 1 && !tender.allotment_justification.empty()) {
    d.paragraph("Marché non alloti (article L2113-11) : " + tender.allotment_justification);
  }
  d.paragraph("Besoins des membres, par lot (estimation sincère de l’ensemble du besoin, article R2121-1) :");
  DocumentTable needs{{"Lot", "Membre", "Quantité", "Valeur de référence HT"}, {}, {false, false, true, true}};
  for (const auto& lot : tender.lots) {
    for (const auto& line : lot.members) {
      const auto member = context.members.find(line.member_id);
      needs.rows.push_back({std::to_string(lot.number),
                            member == context.members.end() ? std::to_string(line.member_id) : member->second.name,
                            french_quantity(line.quantity, lot.unit), to_french_euros(line.reference_value)});
    }
  }
  d.table(std::move(needs));
}

void procedure_section(Document& d, const DocumentContext& context) {
  const auto& tender = context.tender;
  d.heading("3. La procédure");
  std::string text = "Procédure : " + procedure_words(tender.procedure) + ".";
  if (tender.published_at)
    text += " Avis d’appel public envoyé le " + french_long_date(paris_date(*tender.published_at)) + ".";
  if (!tender.bid_deadline.empty())
    text += " Date limite de remise des offres : " + paris_day(tender.bid_deadline) + ".";
  d.paragraph(text);
  if (!tender.environmental_conditions.empty()) {
    d.paragraph("Considérations environnementales (article L2112-2) : " + tender.environmental_conditions);
  }
  if (!tender.social_considerations.empty()) {
    d.paragraph("Considérations sociales (article L2112-2-1) : " + tender.social_considerations);
  } else if (!tender.social_exception.empty()) {
    d.paragraph("Absence de considérations sociales (article L2112-2-1, alinéa 2) : " + tender.social_exception);
  }
  DocumentTable criteria{{"Critère d’attribution (article R2152-7)", "Pondération"}, {}, {false, true}};
  for (const auto& c : tender.criteria) {
    criteria.rows.push_back({c.name + (c.life_cycle_cost ? " (coût du cycle de vie)" : "") +
                                 (c.environmental ? " (critère environnemental)" : ""),
                             std::to_string(c.weight) + " %"});
  }
  d.table(std::move(criteria));
}

void lot_section(Document& d, const DocumentContext& context, const ReportLot& report) {
  const Lot& lot = lot_in(context, report.lot_id);
  const auto& tender = context.tender;
  d.heading("Lot n° " + std::to_string(lot.number) + " — " + lot.title);
  if (report.bidders.empty()) {
    d.paragraph("Aucune offre reçue.");
  } else {
    d.paragraph(std::to_string(report.bidders.size()) + " offre(s) reçue(s) (R2184-2) :");
    std::vector<std::string> header{"Soumissionnaire", "Montant HT"};
    std::vector<bool> numeric{false, true};
    for (const auto& c : tender.criteria) {
      header.push_back(c.name + " (" + std::to_string(c.weight) + " %)");
      numeric.push_back(true);
    }
    header.insert(header.end(), {"Note globale", "Rang"});
    numeric.insert(numeric.end(), {true, true});
    DocumentTable bids{header, {}, numeric};
    for (const auto& b : report.bidders) {
      const auto& e = b.evaluation;
      std::vector<std::string> row{b.supplier.name, to_french_euros(e.total_price)};
      for (const auto& c : tender.criteria) {
        std::string mark = "—";
        if (c.is_cost()) mark = french_score(e.price_score);
        for (const auto& s : e.scores) {
          if (!c.is_cost() && s.criterion == c.name) mark = french_score(s.score);
        }
        row.push_back(e.rank ? mark : "—");
      }
      row.push_back(e.rank ? french_score(e.weighted_total) : "—");
      row.push_back(e.rank ? std::to_string(*e.rank) : "éliminée");
      bids.rows.push_back(std::move(row));
    }
    d.table(std::move(bids));
    for (const auto& b : report.bidders) {
      if (b.decisions.empty()) continue;
      std::string text = "Décisions sur l’offre de " + b.supplier.name + " (R2184-2) : ";
      for (std::size_t i = 0; i < b.decisions.size(); ++i) {
        const auto& rec = b.decisions[i];
        text += (i > 0 ? " ; " : "") + decision_words(rec.decision.kind) + " le " + paris_day(rec.recorded_at);
        if (!rec.decision.reason.empty()) text += " (motifs : " + rec.decision.reason + ")";
      }
      d.paragraph(text + ".");
    }
  }
  if (lot.status == LotStatus::awarded && report.winning_bid_id) {
    const auto winner = std::find_if(report.bidders.begin(), report.bidders.end(),
                                     [&](const BidderFacts& b) { return b.bid_id == *report.winning_bid_id; });
    if (winner != report.bidders.end()) {
      d.paragraph("Attributaire (R2184-2) : " + winner->supplier.name +
                  (winner->supplier.siret.empty() ? "" : " (SIRET " + winner->supplier.siret + ")") +
                  ", offre économiquement la plus avantageuse classée au rang " +
                  (winner->evaluation.rank ? std::to_string(*winner->evaluation.rank) : std::string("—")) +
                  tie_words(winner->evaluation.tie) + " au regard des critères annoncés, pour un montant de " +
                  to_french_euros(winner->evaluation.total_price) + " HT, par décision du " +
                  (report.decided_on ? french_long_date(*report.decided_on) : std::string("—")) + ".");
    }
  } else if (lot.status == LotStatus::unsuccessful) {
    d.paragraph("Lot déclaré infructueux (R2184-2 ; R2185-1). Motifs : " + lot.unsuccessful_reason);
  } else {
    d.paragraph("Lot non encore attribué à la date du rapport.");
  }
}

}  // namespace

Document presentation_report(const PresentationReportFacts& facts) {
  const auto& context = facts.context;
  Document d;
  d.kind = DocumentKind::presentation_report;
  start_document(d, context, "Rapport de présentation de la procédure", "RP");
  d.subject = "Consultation " + context.tender.title + " (référence " + context.tender.reference +
              ") — articles R2184-1 à R2184-6 du code de la commande publique";
  buyer_section(d, context);
  object_section(d, context);
  procedure_section(d, context);
  d.heading("4. L’examen des offres et le choix des attributaires");
  for (const auto& lot : facts.lots) lot_section(d, context, lot);
  d.heading("5. À compléter par l’acheteur");
  d.to_complete("Part du marché que le titulaire a l’intention de sous-traiter, si elle est connue (R2184-2).");
  d.to_complete("Mesures prises pour prévenir, détecter et corriger les conflits d’intérêts (R2184-2).");
  if (context.tender.procedure == Procedure::formal) {
    d.to_complete(
        "Le cas échéant, les raisons pour lesquelles d’autres moyens que les moyens électroniques ont été "
        "utilisés pour la remise des offres (R2184-2).");
  }
  return d;
}

}  // namespace canopee
