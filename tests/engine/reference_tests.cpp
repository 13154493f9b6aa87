// The reference of the savings: its source, its date, its actualisation by an index and the
// average of the offers (issue 19 item 2). Every figure below is computed by hand in a comment.
#include <doctest/doctest.h>

#include "engine/need.hpp"
#include "engine/reference.hpp"
#include "tests/support/need_builder.hpp"

using namespace canopee;

namespace {

Date d(const char* text) { return *parse_date(text, "d"); }
YearMonth m(const char* text) { return *parse_year_month(text, "m"); }
UnitPrice price(const char* text) { return *parse_unit_price(text, "p"); }
Quantity qty(const char* text) { return *parse_quantity(text, "q"); }

// BT01: 1,100.0 in March 2025, 1,155.0 in January 2026 (values in 1/10,000 point).
IndexSeries bt01() {
  IndexSeries s;
  s["BT01"][m("2025-03")] = 11'000'000;
  s["BT01"][m("2026-01")] = 11'550'000;
  return s;
}

ReferenceNeed historical(std::int64_t id, const char* date, const char* index, std::int64_t value_weight,
                         std::int64_t quantity_weight = 1) {
  ReferenceNeed n;
  n.need_id = id;
  n.source = ReferenceSource::historical_price;
  n.reference_date = d(date);
  n.index_code = index;
  n.value_weight = value_weight;
  n.quantity_weight = quantity_weight;
  return n;
}

std::string field_code(const NeedDraft& draft) {
  const auto need = validate_need(draft, test::starter_cpv());
  return need ? std::string() : need.error().fields.at(0).code;
}

}  // namespace

TEST_CASE("reference sources: stable wire names and French labels") {
  CHECK(to_string(ReferenceSource::historical_price) == "historical_price");
  CHECK(to_string(ReferenceSource::other_buyer_price) == "other_buyer_price");
  CHECK(to_string(ReferenceSource::supplier_quotes) == "supplier_quotes");
  CHECK(to_string(ReferenceSource::average_of_offers) == "average_of_offers");
  CHECK(to_string(ReferenceSource::budget_estimate) == "budget_estimate");
  CHECK(french_label(ReferenceSource::supplier_quotes) == "Devis fournisseurs");
  CHECK(french_label(ReferenceSource::average_of_offers) == "Moyenne des offres reçues");
  CHECK(*parse_reference_source("budget_estimate", "s") == ReferenceSource::budget_estimate);
  for (const char* bad : {"", "Historical_price", "historical price", "devis", "0"}) {
    CAPTURE(bad);
    const auto parsed = parse_reference_source(bad, "reference_source");
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().fields.at(0).code == "need.reference.source_unknown");
    CHECK(parsed.error().fields.at(0).field == "reference_source");
  }
}

TEST_CASE("a need carries its reference source, date and index; bad ones are refused with a code") {
  auto draft = test::need_draft();
  const auto plain = validate_need(draft, test::starter_cpv());
  REQUIRE(plain.ok());
  CHECK(plain->reference_source == ReferenceSource::historical_price);  // the default
  CHECK_FALSE(plain->reference_date.has_value());                       // dated by the repository
  CHECK(plain->reference_index.empty());

  draft.reference_source = "supplier_quotes";
  draft.reference_date = "2025-03-15";
  draft.reference_index = "BT01";
  const auto full = validate_need(draft, test::starter_cpv());
  REQUIRE(full.ok());
  CHECK(full->reference_source == ReferenceSource::supplier_quotes);
  CHECK(*full->reference_date == d("2025-03-15"));
  CHECK(full->reference_index == "BT01");
  // The draft of a need gives it back unchanged.
  const auto again = validate_need(to_draft(*full), test::starter_cpv());
  REQUIRE(again.ok());
  CHECK(again->reference_date == full->reference_date);
  CHECK(again->reference_index == "BT01");

  auto bad = test::need_draft();
  bad.reference_source = "devis";
  CHECK(field_code(bad) == "need.reference.source_unknown");
  bad = test::need_draft();
  bad.reference_date = "2025-02-30";
  CHECK(field_code(bad) == "need.reference.date_invalid");
  bad.reference_date = "15/03/2025";
  CHECK(field_code(bad) == "need.reference.date_invalid");
  bad = test::need_draft();
  bad.reference_index = "bt01";  // lower case
  CHECK(field_code(bad) == "need.reference.index_invalid");
  bad.reference_index = "BT01'; DROP TABLE needs;--";
  CHECK(field_code(bad) == "need.reference.index_invalid");
  bad = test::need_draft();
  bad.reference_source = "average_of_offers";
  bad.reference_index = "BT01";
  CHECK(field_code(bad) == "need.reference.index_not_applicable");

  // Patching clears the index with an empty text.
  NeedDraft clear;
  clear.reference_index = "";
  const auto cleared = patch_need(*full, clear, test::starter_cpv());
  REQUIRE(cleared.ok());
  CHECK(cleared->reference_index.empty());
  CHECK(cleared->reference_source == ReferenceSource::supplier_quotes);
}

TEST_CASE("a zero reference is flagged unless the offers' average replaces it") {
  auto need = test::make_need(1, 1, test::need_draft("44810000-1", "10", "l", "0"));
  CHECK(reference_missing(need));
  need.reference_source = ReferenceSource::average_of_offers;
  CHECK_FALSE(reference_missing(need));
  CHECK_FALSE(reference_missing(test::make_need(2, 1, test::need_draft())));
}

TEST_CASE("actualisation: reference × I(award) / I(reference), half away from zero to the cent") {
  // 100.00 € × 1,155.0 / 1,100.0 = 100 × 1.05 = 105.00 €
  CHECK(actualise(Amount{10'000}, 11'000'000, 11'550'000)->cents == 10'500);
  // 0.10 € × 1,155 / 1,100 = 10.5 cents exactly → 11 cents (half away from zero)
  CHECK(actualise(Amount{10}, 11'000'000, 11'550'000)->cents == 11);
  // −0.10 € (a credit) → −10.5 → −11 cents, away from zero too
  CHECK(actualise(Amount{-10}, 11'000'000, 11'550'000)->cents == -11);
  // 0.30 € × 1,155 / 1,100 = 31.5 cents → 32; 0.29 € → 30.45 → 30
  CHECK(actualise(Amount{30}, 11'000'000, 11'550'000)->cents == 32);
  CHECK(actualise(Amount{29}, 11'000'000, 11'550'000)->cents == 30);
  // A fall of the index lowers the reference: 100 € × 1,045.0 / 1,100.0 = 95.00 €
  CHECK(actualise(Amount{10'000}, 11'000'000, 10'450'000)->cents == 9'500);
  CHECK(actualise(Amount{10'000}, 0, 11'550'000).error().rule == "reference.index_invalid");
}

TEST_CASE("index lookup: the reference month exactly, the award month or the latest published before it") {
  const auto s = bt01();
  CHECK(index_of_month(s, "BT01", m("2025-03"))->value == 11'000'000);
  CHECK_FALSE(index_of_month(s, "BT01", m("2025-04")).has_value());
  CHECK_FALSE(index_of_month(s, "TP01", m("2025-03")).has_value());
  // Award in April 2026: April not published yet, January 2026 is the latest.
  const auto latest = latest_index_on_or_before(s, "BT01", m("2026-04"));
  REQUIRE(latest);
  CHECK(latest->month == m("2026-01"));
  CHECK(latest->value == 11'550'000);
  CHECK_FALSE(latest_index_on_or_before(s, "BT01", m("2025-02")).has_value());
}

TEST_CASE("a member's reference is actualised need by need and explained in French") {
  // One need: 100 l at 1.00 € = 100.00 € dated 15/03/2025, BT01; award on 20/01/2026.
  const std::vector<MemberReferenceInput> lines = {
      {7, qty("100"), Amount{10'000}, {historical(11, "2025-03-15", "BT01", 10'000)}}};
  const auto refs = compute_references(lines, bt01(), d("2026-01-20"), std::nullopt);
  REQUIRE(refs.ok());
  REQUIRE(refs->size() == 1);
  const auto& r = refs->front();
  CHECK(r.member_id == 7);
  CHECK(r.raw.cents == 10'000);
  CHECK(r.actualised.cents == 10'500);  // 100 × 1,155 / 1,100 = 105.00 €
  REQUIRE(r.parts.size() == 1);
  CHECK(r.parts[0].base->month == m("2025-03"));
  CHECK(r.parts[0].current->month == m("2026-01"));
  CHECK(explain_reference(r.parts[0]) ==
        "Prix historique du 15/03/2025 actualisé par l’indice BT01 : 1\u00a0100,0 → 1\u00a0155,0 "
        "(mars 2025 → janvier 2026)");
}

TEST_CASE("two needs share the frozen line by their values; only the indexed one moves") {
  // Member line 300.01 €: needs of 100 € (BT01, 15/03/2025) and 200 € (no index).
  // Shares of 30,001 cents by weights 1 : 2 → 10,000.33 and 20,000.67 → largest remainder:
  // 10,000 + 20,000 = 30,000, one cent left to the larger remainder (0.67) → 10,000 and 20,001.
  // Actualised: 10,000 × 1.05 = 10,500; 20,001 unchanged. Total 30,501 cents.
  const std::vector<MemberReferenceInput> lines = {
      {3,
       qty("300"),
       Amount{30'001},
       {historical(21, "2025-03-15", "BT01", 100), historical(22, "2025-06-01", "", 200)}}};
  const auto refs = compute_references(lines, bt01(), d("2026-02-10"), std::nullopt);
  REQUIRE(refs.ok());
  const auto& r = refs->front();
  CHECK(r.parts[0].raw.cents == 10'000);
  CHECK(r.parts[1].raw.cents == 20'001);
  CHECK(r.parts[0].actualised.cents == 10'500);
  CHECK(r.parts[1].actualised.cents == 20'001);
  CHECK(r.actualised.cents == 30'501);
  CHECK(r.one_off_actualised.cents == 0);  // both recurring
  CHECK(explain_reference(r.parts[1]) == "Prix historique du 01/06/2025");

  // The second need one-off: the line's one-off reference is its part, 20,001 cents.
  auto mixed = lines;
  mixed[0].needs[1].one_off = true;
  const auto with_one_off = compute_references(mixed, bt01(), d("2026-02-10"), std::nullopt);
  REQUIRE(with_one_off.ok());
  CHECK(with_one_off->front().one_off_actualised.cents == 20'001);
}

TEST_CASE("a missing index month refuses the award, never a coefficient of 1") {
  // Reference dated April 2025: BT01 has no April 2025 value.
  const std::vector<MemberReferenceInput> lines = {
      {7, qty("100"), Amount{10'000}, {historical(11, "2025-04-02", "BT01", 10'000)}}};
  const auto refs = compute_references(lines, bt01(), d("2026-01-20"), std::nullopt);
  REQUIRE_FALSE(refs.ok());
  CHECK(refs.error().code == ErrorCode::conflict);
  CHECK(refs.error().rule == "reference.index_missing");
  CHECK(refs.error().message.find("BT01 d’avril 2025") != std::string::npos);
  // An index never loaded at all: the same.
  const std::vector<MemberReferenceInput> unknown = {
      {7, qty("100"), Amount{10'000}, {historical(11, "2025-03-15", "TP01", 10'000)}}};
  CHECK(compute_references(unknown, bt01(), d("2026-01-20"), std::nullopt).error().rule == "reference.index_missing");
  // Dated after the award: refused.
  const std::vector<MemberReferenceInput> later = {
      {7, qty("100"), Amount{10'000}, {historical(11, "2026-03-15", "BT01", 10'000)}}};
  CHECK(compute_references(later, bt01(), d("2026-01-20"), std::nullopt).error().rule == "reference.date_after_award");
}

TEST_CASE("average of the offers: 3 valid bids and a rejected one") {
  // Bids at 10.00, 11.00, 12.50 € (regular) and 5.00 € (irregular, rejected by a decision).
  const std::vector<Criterion> price_only = {{"prix", 100, true, false}};
  std::vector<BidInput> bids;
  const auto add = [&](std::int64_t id, const char* p, Regularity regularity) {
    BidInput b;
    b.bid_id = id;
    b.supplier_id = 100 + id;
    b.regularity = regularity;
    b.schedule = PriceSchedule::flat(price(p));
    bids.push_back(b);
  };
  add(1, "10", Regularity::valid);
  add(2, "11", Regularity::valid);
  add(3, "12.5", Regularity::valid);
  add(4, "5", Regularity::irregular);
  const auto evaluation = evaluate_lot(qty("300"), price_only, bids, {});
  REQUIRE(evaluation.ok());
  const auto average = average_of_offers(*evaluation);
  REQUIRE(average.ok());
  // (10 + 11 + 12.5) / 3 = 33.5 / 3 = 11.16666… → 11.1667 € (to 1/10,000, half away from zero)
  CHECK(average->unit_price == price("11.1667"));
  CHECK(average->bids == 3);

  // A member's need of 120 l out of its 300 l line, by the offers' average:
  // 300 l shared 120 : 180 → 120 l; 120 × 11.1667 = 1,340.004 → 1,340.00 €.
  ReferenceNeed by_offers;
  by_offers.need_id = 31;
  by_offers.source = ReferenceSource::average_of_offers;
  by_offers.reference_date = d("2026-01-05");
  by_offers.quantity_weight = 120;
  // The other need, 180 l at a historical 10.00 € = 1,800.00 €, no index.
  const std::vector<MemberReferenceInput> lines = {
      {5, qty("300"), Amount{180'000}, {by_offers, historical(32, "2025-09-01", "", 180'000, 180)}}};
  const auto refs = compute_references(lines, {}, d("2026-02-01"), *average);
  REQUIRE(refs.ok());
  const auto& r = refs->front();
  CHECK(r.parts[0].raw.cents == 0);  // its typed estimate was 0 (weight 0)
  CHECK(r.parts[0].actualised.cents == 134'000);
  CHECK_FALSE(r.parts[0].missing);
  CHECK(r.parts[1].actualised.cents == 180'000);
  CHECK(r.actualised.cents == 314'000);  // 1,340.00 + 1,800.00
  CHECK(explain_reference(r.parts[0]) == "Moyenne des offres reçues (3 offres) : 11,1667\u00a0€");

  // Every bid rejected: no average.
  for (auto& b : bids) b.regularity = Regularity::irregular;
  const auto none = evaluate_lot(qty("300"), price_only, bids, {});
  REQUIRE(none.ok());
  CHECK(average_of_offers(*none).error().rule == "reference.no_valid_offer");
  CHECK(compute_references(lines, {}, d("2026-02-01"), std::nullopt).error().rule == "reference.no_valid_offer");
}

TEST_CASE("a zero reference is kept, flagged as missing") {
  const std::vector<MemberReferenceInput> lines = {{9, qty("10"), Amount{0}, {historical(41, "2025-03-15", "", 0)}}};
  const auto refs = compute_references(lines, {}, d("2026-01-20"), std::nullopt);
  REQUIRE(refs.ok());
  CHECK(refs->front().actualised.cents == 0);
  CHECK(refs->front().parts[0].missing);
  CHECK(explain_reference(refs->front().parts[0]) == "Prix historique du 15/03/2025 — référence manquante (prix à 0)");
}
