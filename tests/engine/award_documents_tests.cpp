// The documents of the award chain, as words (engine/award_documents.hpp,
// engine/presentation_report.hpp): what each letter tells its bidder, by the facts
// recorded. Dates counted on a calendar: 1 March 2027 is a Monday.
#include <doctest/doctest.h>

#include "engine/award_documents.hpp"
#include "engine/presentation_report.hpp"
#include "engine/text.hpp"

using namespace canopee;

namespace {

Date d(const char* text) { return *parse_date(text, "d"); }
bool has(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

DocumentContext paint_context(Procedure procedure) {
  DocumentContext c;
  Tender& t = c.tender;
  t.id = 7;
  t.reference = "CAN-2027-003";
  t.title = "Peintures";
  t.procedure = procedure;
  t.vehicle = Vehicle::groupement;
  t.coordinator_member_id = 1;
  t.contract_start = d("2027-06-01");
  t.duration_months = 24;
  t.criteria = {{"prix", 60, true, false, false},
                {"valeur technique", 30, false, false, false},
                {"environnement", 10, false, true, false}};
  Lot lot;
  lot.id = 70;
  lot.number = 2;
  lot.title = "Peinture intérieure";
  lot.cpv = "44810000-1";
  lot.unit = Unit::l;
  lot.quantity = Quantity{1'000'000};
  lot.estimated_value = Amount{1'000'000};
  lot.status = LotStatus::awarded;
  lot.members = {{1, Quantity{300'000}, Amount{300'000}, UnitPrice{100'000}},
                 {2, Quantity{700'000}, Amount{700'000}, UnitPrice{100'000}}};
  t.lots = {lot};
  c.buyer = {"OPAL", "27020001700011"};
  c.members = {{1, {"OPAL", "27020001700011"}}, {2, {"Reims Habitat", ""}}};
  c.dated = d("2027-03-01");
  return c;
}

BidderFacts bidder(std::int64_t id, const char* name, std::int64_t total_cents, std::int64_t price, std::int64_t tech,
                   std::int64_t env, std::int64_t weighted, std::optional<int> rank) {
  BidderFacts b;
  b.bid_id = id;
  b.supplier = {name, ""};
  b.evaluation.bid_id = id;
  b.evaluation.total_price = Amount{total_cents};
  b.evaluation.price_score = price;
  b.evaluation.scores = {{"valeur technique", tech}, {"environnement", env}};
  b.evaluation.weighted_total = weighted;
  b.evaluation.rank = rank;
  b.evaluation.regularity = Regularity::valid;
  return b;
}

LetterFacts letter(Procedure procedure, const BidderFacts& to, SendingMeans means) {
  LetterFacts f;
  f.context = paint_context(procedure);
  f.lot_id = 70;
  // Marks by hand: price 100 / 90 (proportional: 9,000 / 10,000 × 100); totals
  // 0.6 × 100 + 0.3 × 70 + 0.1 × 50 = 86.00 and 0.6 × 90 + 0.3 × 90 + 0.1 × 80 = 89.00:
  // the second ranks first.
  f.winner = bidder(21, "Couleurs du Nord", 1'000'000, 90'0000, 90'0000, 80'0000, 89'0000, 1);
  f.recipient = to;
  f.bids_received = 3;
  f.decided_on = d("2027-02-25");
  f.means = means;
  f.standstill_days = standstill_days(procedure, means, std::nullopt);
  f.shares = {{1, Quantity{300'000}, Amount{300'000}}, {2, Quantity{700'000}, Amount{700'000}}};
  return f;
}

const BidderFacts kSecond = bidder(20, "Peintures Picardes", 900'000, 100'0000, 70'0000, 50'0000, 86'0000, 2);

}  // namespace

TEST_CASE("a rejected admissible offer: its rank, the winner, the marks side by side, the signature date") {
  const auto doc = rejection_letter(letter(Procedure::formal, kSecond, SendingMeans::electronic));
  const auto text = plain_text(doc);
  CAPTURE(text);
  CHECK(doc.kind == DocumentKind::rejection_letter);
  CHECK(doc.reference == "CAN-2027-003/L2/REJ-20");
  CHECK(doc.recipient == std::vector<std::string>{"Peintures Picardes"});
  CHECK(doc.sender.at(1) == "Coordonnateur du groupement de commandes (article L2113-6) constitué avec Reims Habitat");
  CHECK(has(text, "classée au rang 2"));
  CHECK(has(text, "celle de Couleurs du Nord, pour un montant total de 10\u00a0000,00\u00a0€ HT"));
  CHECK(has(text, "prix (60 %)\n100,00\n90,00\n"));
  CHECK(has(text, "valeur technique (30 %)\n70,00\n90,00\n"));
  CHECK(has(text, "Note globale sur 100\n86,00\n89,00\n"));
  CHECK(has(text, "meilleure note sur : valeur technique et environnement."));
  // Electronic, formal: 11 days from 1 March, date to date: not before 12 March (R2182-1).
  CHECK(has(text, "ne sera pas signé avant le 12 mars 2027 (délai de suspension de 11 jours"));
  CHECK(has(text, "L551-1"));
  CHECK(has(text, "1er mars 2027"));

  // By post: 16 days, 17 March.
  const auto post = plain_text(rejection_letter(letter(Procedure::formal, kSecond, SendingMeans::post)));
  CHECK(has(post, "ne sera pas signé avant le 17 mars 2027 (délai de suspension de 16 jours"));
  // An adapted procedure without a chosen standstill: none, the day itself.
  const auto mapa = plain_text(rejection_letter(letter(Procedure::adapted, kSecond, SendingMeans::electronic)));
  CHECK(has(mapa, "Aucun délai de suspension"));
  CHECK(has(mapa, "à compter du 1er mars 2027"));
}

TEST_CASE("an eliminated offer: the decision and its reasons, no marks") {
  auto irregular = kSecond;
  irregular.evaluation.rank.reset();
  irregular.evaluation.regularity = Regularity::irregular;
  BidDecisionRecord record;
  record.decision = {BidDecisionKind::irregular, "attestation d’assurance absente"};
  irregular.decisions = {record};
  const auto text = plain_text(rejection_letter(letter(Procedure::formal, irregular, SendingMeans::electronic)));
  CHECK(has(text, "déclarée irrégulière (articles L2152-2 et R2152-1"));
  CHECK(has(text, "Motifs : attestation d’assurance absente"));
  CHECK(!has(text, "Note globale"));
  CHECK(has(text, "celle de Couleurs du Nord"));

  auto low = kSecond;
  low.evaluation.rank.reset();
  low.evaluation.price_review = PriceReview::refused;
  BidDecisionRecord refused;
  refused.decision.kind = BidDecisionKind::explanations_refused;
  refused.decision.reason = "prix inférieur au coût de la main-d’œuvre";
  refused.decision.grounds = {1, 4};
  low.decisions = {refused};
  const auto low_text = plain_text(rejection_letter(letter(Procedure::formal, low, SendingMeans::electronic)));
  CHECK(has(low_text, "anormalement basse"));
  CHECK(has(low_text, "prix inférieur au coût de la main-d’œuvre"));
  CHECK(has(low_text, std::string(explanation_ground_label(1))));
  CHECK(has(low_text, std::string(explanation_ground_label(4))));
}

TEST_CASE("the winner's letter: the amount, each member's contract, the standstill, no notification yet") {
  auto facts = letter(Procedure::formal, {}, SendingMeans::electronic);
  facts.recipient = facts.winner;
  const auto doc = letter_for(facts);
  CHECK(doc.kind == DocumentKind::award_letter);
  CHECK(doc.reference == "CAN-2027-003/L2/ATT-21");
  const auto text = plain_text(doc);
  CHECK(has(text, "par décision du 25 février 2027"));
  CHECK(has(text, "OPAL\n300 l\n3\u00a0000,00\u00a0€"));
  CHECK(has(text, "Reims Habitat\n700 l\n7\u00a0000,00\u00a0€"));
  CHECK(has(text, "délai de suspension de 11 jours"));
  CHECK(has(text, "ne vaut pas notification"));
  CHECK(
      has(text, "Le coordonnateur signe et vous notifie, au nom de chaque membre"));  // no convention: the coordinator
  facts.members_sign = true;  // the convention's mission stops at the award
  CHECK(has(plain_text(award_letter(facts)), "Chaque membre du groupement signe et vous notifie son propre marché"));
  facts.other_bidders = false;
  CHECK(!has(plain_text(award_letter(facts)), "délai de suspension"));
}

TEST_CASE("closure letters: unsuccessful lot or procedure without follow-up, with the reasons") {
  ClosureLetterFacts f;
  f.context = paint_context(Procedure::formal);
  f.lot_id = 70;
  f.bid_id = 20;
  f.recipient = {"Peintures Picardes", ""};
  f.reason = "aucune offre acceptable";
  const auto lot_text = plain_text(closure_letter(f));
  CHECK(has(lot_text, "lot n° 2 « Peinture intérieure »"));
  CHECK(has(lot_text, "déclaré infructueux"));
  CHECK(has(lot_text, "Motifs de cette décision (article R2185-2) : aucune offre acceptable"));
  f.lot_id.reset();
  f.closure = Closure::procedure_abandoned;
  const auto doc = closure_letter(f);
  CHECK(doc.reference == "CAN-2027-003/CLO-20");
  CHECK(has(plain_text(doc), "déclarée sans suite"));
}

TEST_CASE("award notice fields and the rapport de présentation state the recorded facts") {
  AwardNoticeFacts n;
  n.context = paint_context(Procedure::formal);
  n.lot_id = 70;
  n.winner = letter(Procedure::formal, kSecond, SendingMeans::electronic).winner;
  n.bids_received = 3;
  n.decided_on = d("2027-02-25");
  n.first_signed_on = d("2027-03-15");
  n.due = award_notice_due(Procedure::formal, *n.first_signed_on);
  std::map<std::string, std::string> by_code;
  for (const auto& field : award_notice_fields(n)) by_code[field.code] = field.value;
  CHECK(by_code["winner"] == "Couleurs du Nord");
  CHECK(by_code["amount"] == "10\u00a0000,00\u00a0€");
  CHECK(by_code["criteria"] == "prix : 60 % ; valeur technique : 30 % ; environnement : 10 %");
  CHECK(by_code["signed_on"] == "15 mars 2027");
  CHECK(by_code["due"] == "14 avril 2027");  // 30 days after 15 March
  CHECK(by_code["review_body"].empty());     // for the officer

  PresentationReportFacts r;
  r.context = paint_context(Procedure::formal);
  r.lots = {{70, {n.winner, kSecond}, 21, d("2027-02-25")}};
  const auto text = plain_text(presentation_report(r));
  CHECK(has(text, "OPAL, SIRET 27020001700011, coordonnateur du groupement de commandes"));
  CHECK(has(text, "Reims Habitat\nnon renseigné"));
  CHECK(has(text, "appel d’offres ouvert"));
  CHECK(has(text, "Attributaire (R2184-2) : Couleurs du Nord"));
  CHECK(has(text, "par décision du 25 février 2027"));
  CHECK(has(text, "Peintures Picardes\n9\u00a0000,00\u00a0€\n100,00\n70,00\n50,00\n86,00\n2"));
  CHECK(has(text, "conflits d’intérêts"));
}

TEST_CASE("marks and dates in French words") {
  CHECK(french_score(87'5000) == "87,50");
  CHECK(french_score(87'4950) == "87,50");  // half up
  CHECK(french_score(87'4949) == "87,49");
  CHECK(french_score(0) == "0,00");
  CHECK(french_score(100'0000) == "100,00");
  CHECK(french_long_date(d("2027-03-01")) == "1er mars 2027");
  CHECK(french_long_date(d("2026-12-31")) == "31 décembre 2026");
  CHECK(french_quantity(Quantity{12'500}, Unit::kg) == "12,5 kg");
}

TEST_CASE("a reason's letters and digits: spaces, no-break spaces and punctuation say nothing") {
  CHECK(word_characters("") == 0);
  CHECK(word_characters("  \t\n") == 0);
  CHECK(word_characters("\u00a0\u202f\u2009…«»") == 0);
  CHECK(word_characters(". - ; ,") == 0);
  CHECK(word_characters("besoin disparu") == 13);
  CHECK(word_characters("Œuvre née à Pâques") == 15);  // accented letters count
}
