#include "engine/award_documents.hpp"

#include <algorithm>
#include <stdexcept>

namespace canopee {
namespace {

std::string kind_words(PurchaseKind kind) {
  switch (kind) {
    case PurchaseKind::supplies: return "fournitures";
    case PurchaseKind::services: return "services";
    case PurchaseKind::works: return "travaux";
  }
  return "";
}

std::string unit_words(Unit unit) {
  switch (unit) {
    case Unit::u: return "unité(s)";
    case Unit::day: return "jour(s)";
    case Unit::month: return "mois";
    case Unit::lot: return "lot(s)";
    default: return std::string(to_string(unit));
  }
}

std::string identity_line(const Identity& identity) {
  return identity.siret.empty() ? identity.name : identity.name + " (SIRET " + identity.siret + ")";
}

std::string quoted(std::string_view text) { return "« " + std::string(text) + " »"; }

const BidDecisionRecord* latest_decision(const BidderFacts& bidder, BidDecisionKind kind) {
  const auto it = std::find_if(bidder.decisions.rbegin(), bidder.decisions.rend(),
                               [&](const BidDecisionRecord& d) { return d.decision.kind == kind; });
  return it == bidder.decisions.rend() ? nullptr : &*it;
}

std::string with_reason(std::string sentence, const BidDecisionRecord* decision) {
  if (decision != nullptr && !decision->decision.reason.empty()) {
    sentence += " Motifs : " + decision->decision.reason;
  }
  return sentence;
}

// After an award: the référé précontractuel until the signature, then the référé contractuel
// (31 days from the award notice, six months without one: CJA R551-7) and the challenge of
// the contract's validity (two months from the publicity).
std::string remedies() {
  return "Voies et délais de recours : un référé précontractuel peut être introduit devant le tribunal administratif "
         "compétent jusqu’à la signature du marché (article L551-1 du code de justice administrative) ; après la "
         "signature, un référé contractuel (article L551-13 du même code) dans un délai de trente et un jours à compter "
         "de la publication de l’avis d’attribution, ou de six mois à compter de la conclusion du marché à défaut d’avis "
         "(article R551-7), et un recours en contestation de la validité du contrat dans un délai de deux mois à compter "
         "de la publication de l’avis d’attribution.";
}

// Without an award there is no contract to challenge: the decision itself may be annulled.
std::string closure_remedies() {
  return "Voies et délais de recours : cette décision peut faire l’objet d’un recours pour excès de pouvoir devant le "
         "tribunal administratif compétent dans un délai de deux mois à compter de la réception de la présente lettre "
         "(article R421-1 du code de justice administrative).";
}

// The marks of the recipient and the winner side by side, criterion by criterion,
// then the weighted total and the price.
DocumentTable comparison(const Tender& tender, const BidderFacts& recipient, const BidderFacts& winner) {
  DocumentTable table{{"Critère (pondération)", "Votre offre", "Offre retenue"}, {}, {false, true, true}};
  const auto mark = [](const BidderFacts& bidder, const Criterion& criterion) -> std::string {
    if (criterion.is_cost()) return french_score(bidder.evaluation.price_score);
    for (const auto& s : bidder.evaluation.scores) {
      if (s.criterion == criterion.name) return french_score(s.score);
    }
    return "—";
  };
  for (const auto& criterion : tender.criteria) {
    table.rows.push_back({criterion.name + " (" + std::to_string(criterion.weight) + " %)", mark(recipient, criterion),
                          mark(winner, criterion)});
  }
  table.rows.push_back({"Note globale sur 100", french_score(recipient.evaluation.weighted_total),
                        french_score(winner.evaluation.weighted_total)});
  table.rows.push_back({"Montant total HT", to_french_euros(recipient.evaluation.total_price),
                        to_french_euros(winner.evaluation.total_price)});
  return table;
}

// The criteria on which the retained offer scored better: its relative advantages.
std::vector<std::string> advantages(const Tender& tender, const BidderFacts& recipient, const BidderFacts& winner) {
  std::vector<std::string> better;
  const auto score_of = [](const BidderFacts& bidder, const Criterion& criterion) -> std::int64_t {
    if (criterion.is_cost()) return bidder.evaluation.price_score;
    for (const auto& s : bidder.evaluation.scores) {
      if (s.criterion == criterion.name) return s.score;
    }
    return 0;
  };
  for (const auto& criterion : tender.criteria) {
    if (score_of(winner, criterion) > score_of(recipient, criterion)) better.push_back(criterion.name);
  }
  return better;
}

std::string joined(const std::vector<std::string>& items, std::string_view last = " et ") {
  std::string text;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) text += i + 1 == items.size() ? std::string(last) : ", ";
    text += items[i];
  }
  return text;
}

std::string signatory(const DocumentContext& context) {
  return context.tender.vehicle == Vehicle::groupement
             ? "Pour le coordonnateur du groupement de commandes, le représentant du pouvoir adjudicateur"
             : "Pour la centrale d’achat, le représentant du pouvoir adjudicateur";
}

std::string standstill_sentence(Date sent_on, int days, SendingMeans means) {
  if (days <= 0) {
    return "Aucun délai de suspension ne s’impose à cette procédure (article R2182-1 du code de la commande publique) : "
           "le marché peut être signé à compter du " +
           french_long_date(sent_on) + ".";
  }
  return "Conformément aux articles R2181-3 et R2182-1 du code de la commande publique, le marché ne sera pas signé "
         "avant le " +
         french_long_date(add_days(sent_on, days)) + " (délai de suspension de " + std::to_string(days) +
         " jours à compter de l’envoi de la présente lettre " +
         (means == SendingMeans::electronic ? "par voie électronique" : "par un autre moyen que la voie électronique") +
         ") ; cette date est reportée d’autant si un autre courrier de rejet part plus tard.";
}

std::string letter_suffix(const Lot& lot, std::string_view code, std::int64_t bid_id) {
  return "L" + std::to_string(lot.number) + "/" + std::string(code) + "-" + std::to_string(bid_id);
}

}  // namespace

std::string procedure_words(Procedure procedure) {
  switch (procedure) {
    case Procedure::formal: return "appel d’offres ouvert (articles L2124-2, R2124-2 et R2161-2 à R2161-5)";
    case Procedure::adapted: return "procédure adaptée (articles L2123-1 et R2123-1)";
    case Procedure::no_competition:
      return "procédure sans publicité ni mise en concurrence préalables (article R2122-8)";
  }
  return "";
}

std::string procedure_with_article(Procedure procedure) {
  return (procedure == Procedure::formal ? "un " : "une ") + procedure_words(procedure);
}

std::string french_score(std::int64_t score) {
  const bool negative = score < 0;
  const std::int64_t hundredths = ((negative ? -score : score) + 50) / 100;  // 1/10,000 → 1/100, half up
  const auto cents = hundredths % 100;
  return std::string(negative ? "-" : "") + std::to_string(hundredths / 100) + "," + (cents < 10 ? "0" : "") +
         std::to_string(cents);
}

std::string french_quantity(Quantity quantity, Unit unit) {
  std::string text = to_string(quantity);
  std::replace(text.begin(), text.end(), '.', ',');
  return text + " " + unit_words(unit);
}

std::string rejection_reasons(const BidderFacts& bidder) {
  const auto& e = bidder.evaluation;
  switch (e.regularity) {
    case Regularity::irregular:
      return with_reason(
          "Votre offre a été déclarée irrégulière (articles L2152-2 et R2152-1 du code de la commande publique) et "
          "éliminée.",
          latest_decision(bidder, BidDecisionKind::irregular));
    case Regularity::unacceptable:
      return with_reason(
          "Votre offre a été déclarée inacceptable (articles L2152-3 et R2152-1 du code de la commande publique) et "
          "éliminée.",
          latest_decision(bidder, BidDecisionKind::unacceptable));
    case Regularity::inappropriate:
      return with_reason(
          "Votre offre a été déclarée inappropriée (articles L2152-4 et R2152-1 du code de la commande publique) et "
          "éliminée.",
          latest_decision(bidder, BidDecisionKind::inappropriate));
    default: break;
  }
  if (e.price_review == PriceReview::refused) {
    const auto* refused = latest_decision(bidder, BidDecisionKind::explanations_refused);
    std::string text = with_reason(
        "Votre offre a été rejetée comme anormalement basse, les explications fournies ne justifiant pas le niveau du "
        "prix (articles L2152-6 et R2152-3 du code de la commande publique).",
        refused);
    if (refused != nullptr && !refused->decision.grounds.empty()) {
      std::vector<std::string> grounds;
      for (const auto g : refused->decision.grounds) grounds.emplace_back(explanation_ground_label(g));
      text += " Éléments non justifiés : " + joined(grounds, " ; ") + ".";
    }
    return text;
  }
  if (!e.rank && !e.reason.empty()) return "Votre offre n’a pas pu être classée : " + e.reason + ".";
  return "";
}

const Lot& lot_in(const DocumentContext& context, std::int64_t lot_id) {
  const Lot* lot = find_lot(context.tender, lot_id);
  if (lot == nullptr) throw std::logic_error("document of a lot not in its tender");
  return *lot;
}

std::string lot_words(const Lot& lot) { return "lot n° " + std::to_string(lot.number) + " " + quoted(lot.title); }

void start_document(Document& document, const DocumentContext& context, std::string_view title,
                    std::string_view reference_suffix) {
  const auto& tender = context.tender;
  document.title = std::string(title);
  document.reference = tender.reference + (reference_suffix.empty() ? "" : "/" + std::string(reference_suffix));
  document.dated = context.dated;
  document.sender = {identity_line(context.buyer)};
  if (tender.vehicle == Vehicle::groupement) {
    std::vector<std::string> others;  // the members besides the coordinator
    for (const auto& [id, member] : context.members) {
      if (id != tender.coordinator_member_id) others.push_back(member.name);
    }
    document.sender.push_back("Coordonnateur du groupement de commandes (article L2113-6)" +
                              (others.empty() ? std::string() : " constitué avec " + joined(others)));
  } else {
    document.sender.emplace_back("Centrale d’achat du GIE Canopée (article L2113-2)");
  }
  document.sender.emplace_back("Réseau Canopée, groupement d’intérêt économique");
  document.signature = signatory(context);
}

Document award_letter(const LetterFacts& facts) {
  const auto& context = facts.context;
  const Lot& lot = lot_in(context, facts.lot_id);
  Document d;
  d.kind = DocumentKind::award_letter;
  start_document(d, context, "Information de l’attribution du marché",
                 letter_suffix(lot, "ATT", facts.recipient.bid_id));
  d.recipient = {identity_line(facts.recipient.supplier)};
  d.subject = "Objet : consultation " + quoted(context.tender.title) + " (référence " + context.tender.reference +
              "), " + lot_words(lot);
  d.paragraph("Madame, Monsieur,");
  d.paragraph("Nous avons l’honneur de vous informer que, par décision du " + french_long_date(facts.decided_on) +
              ", votre offre pour le " + lot_words(lot) + " a été retenue, pour un montant total de " +
              to_french_euros(facts.winner.evaluation.total_price) + " HT (" + french_quantity(lot.quantity, lot.unit) +
              "), à l’issue d’" + procedure_with_article(context.tender.procedure) + ".");
  if (!facts.shares.empty()) {
    DocumentTable shares{{"Membre", "Quantité", "Montant HT"}, {}, {false, true, true}};
    for (const auto& share : facts.shares) {
      const auto member = context.members.find(share.member_id);
      shares.rows.push_back({member == context.members.end() ? std::to_string(share.member_id) : member->second.name,
                             french_quantity(share.quantity, lot.unit), to_french_euros(share.amount)});
    }
    d.paragraph(facts.members_sign
                    ? "Chaque membre du groupement signe et vous notifie son propre marché, pour sa part du lot :"
                    : "Le coordonnateur signe et vous notifie, au nom de chaque membre du groupement (article "
                      "L2113-7), le marché de celui-ci, pour sa part du lot :");
    d.table(std::move(shares));
  }
  if (facts.other_bidders && context.tender.procedure == Procedure::formal) {
    d.paragraph(
        "Les autres soumissionnaires sont informés du rejet de leur offre. Le marché ne sera pas signé avant "
        "l’expiration d’un délai de suspension de 11 jours à compter de l’envoi du dernier de ces courriers par "
        "voie électronique, 16 jours s’il part par un autre moyen (article R2182-1 du code de la commande "
        "publique).");
  } else if (facts.other_bidders && facts.standstill_days > 0) {
    d.paragraph(
        "Les autres soumissionnaires sont informés du rejet de leur offre. Le marché ne sera pas signé avant "
        "l’expiration d’un délai de suspension de " +
        std::to_string(facts.standstill_days) + " jours à compter de l’envoi du dernier de ces courriers.");
  }
  d.paragraph(
      "La présente lettre ne vaut pas notification : le marché prendra effet à la notification du marché signé "
      "(article R2182-4 du code de la commande publique).");
  d.paragraph("Nous vous prions d’agréer, Madame, Monsieur, l’expression de nos salutations distinguées.");
  return d;
}

Document rejection_letter(const LetterFacts& facts) {
  const auto& context = facts.context;
  const Lot& lot = lot_in(context, facts.lot_id);
  Document d;
  d.kind = DocumentKind::rejection_letter;
  start_document(d, context, "Notification du rejet de votre offre", letter_suffix(lot, "REJ", facts.recipient.bid_id));
  d.recipient = {identity_line(facts.recipient.supplier)};
  d.subject = "Objet : consultation " + quoted(context.tender.title) + " (référence " + context.tender.reference +
              "), " + lot_words(lot);
  d.paragraph("Madame, Monsieur,");
  d.paragraph(
      "Nous vous remercions de l’offre que vous avez remise pour le " + lot_words(lot) +
      ". Nous avons le regret de vous informer qu’elle n’a pas été retenue (articles R2181-1 et R2181-3 du code "
      "de la commande publique).");
  const std::string eliminated = rejection_reasons(facts.recipient);
  if (!eliminated.empty()) {
    d.paragraph(eliminated);
  } else {
    const auto& e = facts.recipient.evaluation;
    d.paragraph("Votre offre, régulière, acceptable et appropriée, a été classée au rang " +
                (e.rank ? std::to_string(*e.rank) : std::string("—")) +
                " au regard des critères annoncés dans le règlement de la consultation (" +
                std::to_string(facts.bids_received) + " offres reçues pour ce lot).");
  }
  d.paragraph("L’offre retenue, par décision du " + french_long_date(facts.decided_on) + ", est celle de " +
              facts.winner.supplier.name + ", pour un montant total de " +
              to_french_euros(facts.winner.evaluation.total_price) + " HT.");
  if (eliminated.empty()) {
    d.paragraph("Caractéristiques et avantages relatifs de l’offre retenue, notes sur 100 par critère :");
    d.table(comparison(context.tender, facts.recipient, facts.winner));
    const auto better = advantages(context.tender, facts.recipient, facts.winner);
    if (!better.empty()) d.paragraph("L’offre retenue obtient une meilleure note sur : " + joined(better) + ".");
  }
  d.paragraph(standstill_sentence(context.dated, facts.standstill_days, facts.means));
  d.paragraph(remedies());
  d.paragraph("Nous vous prions d’agréer, Madame, Monsieur, l’expression de nos salutations distinguées.");
  return d;
}

Document letter_for(const LetterFacts& facts) {
  return facts.recipient.bid_id == facts.winner.bid_id ? award_letter(facts) : rejection_letter(facts);
}

std::vector<NoticeField> award_notice_fields(const AwardNoticeFacts& facts) {
  const auto& context = facts.context;
  const auto& tender = context.tender;
  const Lot& lot = lot_in(context, facts.lot_id);
  std::vector<std::string> members;
  for (const auto& [id, member] : context.members) members.push_back(identity_line(member));
  std::string criteria;
  for (const auto& c : tender.criteria) {
    criteria += (criteria.empty() ? "" : " ; ") + c.name + " : " + std::to_string(c.weight) + " %";
  }
  return {
      {"buyer", "Acheteur", identity_line(context.buyer)},
      {"groupement", "Groupement de commandes", tender.vehicle == Vehicle::groupement ? joined(members, " ; ") : ""},
      {"object", "Objet du marché", tender.title + " — " + lot_words(lot)},
      {"cpv", "Code CPV principal", lot.cpv},
      {"nature", "Type de marché", kind_words(tender.kind) + (tender.framework_agreement ? " (accord-cadre)" : "")},
      {"procedure", "Procédure", procedure_words(tender.procedure)},
      {"criteria", "Critères d’attribution", criteria},
      {"bids_received", "Nombre d’offres reçues", std::to_string(facts.bids_received)},
      {"decided_on", "Date de la décision d’attribution", french_long_date(facts.decided_on)},
      {"signed_on", "Date de signature du marché",
       facts.first_signed_on ? french_long_date(*facts.first_signed_on) : ""},
      {"winner", "Titulaire", identity_line(facts.winner.supplier)},
      {"amount", "Montant total HT", to_french_euros(facts.winner.evaluation.total_price)},
      {"duration", "Durée",
       std::to_string(tender.duration_months) + " mois à compter du " + french_long_date(tender.contract_start)},
      {"review_body", "Instance chargée des procédures de recours", ""},
      {"due", "Date limite d’envoi de l’avis (R2183-1)",
       facts.due                               ? french_long_date(*facts.due)
       : tender.procedure != Procedure::formal ? "sans objet : procédure non formalisée, avis facultatif"
                                               : ""},
  };
}

Document award_notice(const AwardNoticeFacts& facts) {
  const Lot& lot = lot_in(facts.context, facts.lot_id);
  Document d;
  d.kind = DocumentKind::award_notice;
  start_document(d, facts.context, "Avis d’attribution", "L" + std::to_string(lot.number) + "/AVIS");
  d.subject = "Contenu de l’avis d’attribution du " + lot_words(lot) +
              " (article R2183-1 du code de la commande publique)";
  DocumentTable fields{{"Rubrique", "Contenu"}, {}, {false, false}};
  for (const auto& field : award_notice_fields(facts)) {
    if (field.code == "groupement" && field.value.empty()) continue;
    fields.rows.push_back({field.label, field.value.empty() ? "à compléter" : field.value});
  }
  d.table(std::move(fields));
  d.to_complete(
      "Instance chargée des procédures de recours et service auprès duquel des renseignements peuvent être "
      "obtenus sur l’introduction des recours.");
  return d;
}

Document contract_summary(const ContractSummaryFacts& facts) {
  const auto& context = facts.context;
  const auto& tender = context.tender;
  const Lot& lot = lot_in(context, facts.lot_id);
  const auto member = context.members.find(facts.member_id);
  const Identity member_identity = member == context.members.end() ? Identity{std::to_string(facts.member_id), ""}
                                                                   : member->second;
  Document d;
  d.kind = DocumentKind::contract_summary;
  start_document(d, context, "Acte d’engagement — synthèse",
                 "L" + std::to_string(lot.number) + "/AE-" + std::to_string(facts.contract_id));
  d.subject = "Marché n° " + std::to_string(facts.contract_id) + " : " + tender.title + ", " + lot_words(lot);
  d.heading("Les parties");
  d.paragraph("Pouvoir adjudicateur : " + identity_line(member_identity) +
              (tender.vehicle == Vehicle::groupement
                   ? ", membre du groupement de commandes coordonné par " + context.buyer.name
                   : ""));
  d.paragraph("Titulaire : " + identity_line(facts.supplier));
  d.heading("L’objet et le prix");
  d.paragraph("Procédure : " + procedure_words(tender.procedure) + ". Code CPV : " + lot.cpv + ".");
  DocumentTable price{{"Quantité", "Prix unitaire HT", "Montant HT"}, {}, {true, true, true}};
  std::string unit_price = to_string(facts.unit_price);
  std::replace(unit_price.begin(), unit_price.end(), '.', ',');
  price.rows.push_back(
      {french_quantity(facts.quantity, lot.unit), unit_price + "\u00a0€", to_french_euros(facts.amount)});
  d.table(std::move(price));
  d.heading("La durée et les dates");
  d.paragraph("Durée : " + std::to_string(tender.duration_months) + " mois à compter du " +
              french_long_date(tender.contract_start) + (tender.framework_agreement ? " (accord-cadre)." : "."));
  d.paragraph(
      "Signature : " + (facts.signed_on ? french_long_date(*facts.signed_on) : std::string("à venir")) +
      ". Notification : " + (facts.notified_on ? french_long_date(*facts.notified_on) : std::string("à venir")) +
      ". Le marché prend effet à sa notification (article R2182-4 du code de la commande publique).");
  d.signature.clear();  // each party signs in the boxes below
  d.to_complete("Signature du titulaire, précédée de la mention « lu et approuvé ».");
  d.to_complete("Signature pour " + member_identity.name +
                " : son représentant, ou le coordonnateur en son nom lorsque la convention du groupement lui en "
                "confie la mission (article L2113-7).");
  return d;
}

Document closure_letter(const ClosureLetterFacts& facts) {
  const auto& context = facts.context;
  Document d;
  d.kind = DocumentKind::closure_letter;
  const Lot* lot = facts.lot_id ? &lot_in(context, *facts.lot_id) : nullptr;
  const std::string suffix = (lot != nullptr ? "L" + std::to_string(lot->number) + "/" : std::string()) + "CLO-" +
                             std::to_string(facts.bid_id);
  const bool unsuccessful = facts.closure == Closure::lot_unsuccessful;
  start_document(d, context,
                 unsuccessful ? "Information : lot déclaré infructueux" : "Information : procédure sans suite", suffix);
  d.recipient = {identity_line(facts.recipient)};
  d.subject = "Objet : consultation " + quoted(context.tender.title) + " (référence " + context.tender.reference + ")" +
              (lot != nullptr ? ", " + lot_words(*lot) : std::string());
  d.paragraph("Madame, Monsieur,");
  if (unsuccessful) {
    d.paragraph("Nous vous informons que le " + (lot != nullptr ? lot_words(*lot) : std::string("lot")) +
                ", pour lequel vous avez remis une offre, a été déclaré infructueux (article R2185-1 du code de la "
                "commande publique). Aucun marché ne sera attribué à l’issue de cette procédure pour ce lot.");
  } else {
    d.paragraph(
        "Nous vous informons que la procédure, pour laquelle vous avez remis une offre, a été déclarée sans "
        "suite (article R2185-1 du code de la commande publique). Aucun marché ne sera attribué à son issue.");
  }
  d.paragraph("Motifs de cette décision (article R2185-2) : " + facts.reason);
  d.paragraph(
      "Le besoin pourra faire l’objet d’une nouvelle procédure, à laquelle vous pourrez le cas échéant "
      "participer.");
  d.paragraph(closure_remedies());
  d.paragraph("Nous vous prions d’agréer, Madame, Monsieur, l’expression de nos salutations distinguées.");
  return d;
}

}  // namespace canopee
