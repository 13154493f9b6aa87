// Works, supplies or services from the CPV (issue 16 item 7): division 45 is works,
// 03–44 and 48 supplies, 49–98 services; a mixed consultation follows its main object
// (the largest estimated value); the advice warns on a mix and on a declared kind
// that disagrees, and applies the main object's thresholds.
#include <doctest/doctest.h>

#include <algorithm>

#include "engine/procedure.hpp"

using namespace canopee;

namespace {

Amount euros(const char* text) { return *parse_amount(text, "a"); }

LotValue lot(const char* key, const char* value, std::uint32_t cpv) {
  LotValue l{key, euros(value)};
  l.cpv_digits = cpv;
  return l;
}

ProcedureInput input(PurchaseKind declared, std::vector<LotValue> lots) {
  ProcedureInput in;
  in.kind = declared;
  in.launch_date = *parse_date("2026-06-01", "d");
  for (const auto& l : lots) in.estimated_total += l.value;
  in.lots = std::move(lots);
  in.criteria = std::vector<CriterionInfo>{{"prix", 60, false}, {"environnement", 40, true}};
  return in;
}

ProcedureAdvice advise(const ProcedureInput& in) {
  auto advice = advise_procedure(in, ThresholdTable::defaults());
  REQUIRE(advice.ok());
  return std::move(advice).value();
}

const Warning* warning(const ProcedureAdvice& a, std::string_view code) {
  const auto it = std::find_if(a.warnings.begin(), a.warnings.end(), [&](const Warning& w) { return w.code == code; });
  return it == a.warnings.end() ? nullptr : &*it;
}

}  // namespace

TEST_CASE("kind: the CPV division, at each boundary") {
  CHECK(purchase_kind_of_cpv(3'000'000) == PurchaseKind::supplies);   // 03000000 agricultural products
  CHECK(purchase_kind_of_cpv(9'310'000) == PurchaseKind::supplies);   // 09310000 electricity
  CHECK(purchase_kind_of_cpv(44'810'000) == PurchaseKind::supplies);  // 44810000 paints
  CHECK(purchase_kind_of_cpv(44'999'999) == PurchaseKind::supplies);
  CHECK(purchase_kind_of_cpv(45'000'000) == PurchaseKind::works);
  CHECK(purchase_kind_of_cpv(45'442'100) == PurchaseKind::works);  // painting work
  CHECK(purchase_kind_of_cpv(45'999'999) == PurchaseKind::works);
  CHECK(purchase_kind_of_cpv(48'000'000) == PurchaseKind::supplies);  // software packages
  CHECK(purchase_kind_of_cpv(49'000'000) == PurchaseKind::services);  // transport
  CHECK(purchase_kind_of_cpv(50'750'000) == PurchaseKind::services);  // lift maintenance
  CHECK(purchase_kind_of_cpv(98'000'000) == PurchaseKind::services);
}

TEST_CASE("kind: the main object decides a mixed consultation, and its thresholds apply") {
  // Works 5,000,000 € + paint 300,000 € (supplies): works are the main object. Total
  // 5,300,000 € is under the EU works threshold (5,404,000 € in 2026) although far over
  // the supplies one (216,000 €): adapted, not formal.
  const auto mixed = input(PurchaseKind::supplies,
                           {lot("1", "5000000.00", 45'442'100), lot("2", "300000.00", 44'810'000)});
  const auto advice = advise(mixed);
  CHECK(advice.kind == PurchaseKind::works);
  CHECK(advice.procedure == Procedure::adapted);
  CHECK(to_string(advice.eu_threshold) == "5404000.00");
  const auto* mix = warning(advice, "kind_mixed");
  REQUIRE(mix != nullptr);
  CHECK(mix->message.find("fournitures : lot(s) 2 ; travaux : lot(s) 1") != std::string::npos);
  CHECK(mix->message.find("ici les travaux") != std::string::npos);
  const auto* mismatch = warning(advice, "kind_mismatch");
  REQUIRE(mismatch != nullptr);
  CHECK(mismatch->message.find("La nature déclarée (fournitures)") == 0);

  // Declared works: the mix is still warned, the kind agrees.
  auto declared_works = mixed;
  declared_works.kind = PurchaseKind::works;
  CHECK(warning(advise(declared_works), "kind_mixed") != nullptr);
  CHECK(warning(advise(declared_works), "kind_mismatch") == nullptr);
}

TEST_CASE("kind: equal values keep the declared kind; one cent more decides") {
  const auto tie = input(PurchaseKind::services, {lot("1", "50000.00", 45'442'100), lot("2", "50000.00", 90'911'200)});
  CHECK(advise(tie).kind == PurchaseKind::services);
  CHECK(warning(advise(tie), "kind_mismatch") == nullptr);
  const auto works_more = input(PurchaseKind::services,
                                {lot("1", "50000.01", 45'442'100), lot("2", "50000.00", 90'911'200)});
  CHECK(advise(works_more).kind == PurchaseKind::works);
  CHECK(warning(advise(works_more), "kind_mismatch") != nullptr);
  // Declared supplies, not among the tied kinds: the first of supplies, services, works.
  const auto other = input(PurchaseKind::supplies,
                           {lot("1", "50000.00", 45'442'100), lot("2", "50000.00", 90'911'200)});
  CHECK(advise(other).kind == PurchaseKind::services);
}

TEST_CASE("kind: a declared kind that disagrees with a single-kind consultation is warned") {
  // Painting works declared as supplies: 80,000 € is under the 100,000 € works dispense
  // (R2122-8, from 2026-01-01) but over the 60,000 € supplies one.
  const auto works = input(PurchaseKind::supplies,
                           {lot("1", "40000.00", 45'442'100), lot("2", "40000.00", 45'442'100)});
  const auto advice = advise(works);
  CHECK(advice.kind == PurchaseKind::works);
  CHECK(advice.procedure == Procedure::no_competition);
  CHECK(warning(advice, "kind_mixed") == nullptr);
  CHECK(warning(advice, "kind_mismatch") != nullptr);
  CHECK(warning(advice, "kind_mismatch")->article == "L1111-2 à L1111-4");
  // Without CPV codes on the lots, the declared kind stands and nothing is warned.
  auto no_cpv = works;
  for (auto& l : no_cpv.lots) l.cpv_digits.reset();
  CHECK(advise(no_cpv).kind == PurchaseKind::supplies);
  CHECK(warning(advise(no_cpv), "kind_mismatch") == nullptr);
}
