// Framework agreements in execution (issue 18): the maxima derived from the estimate
// with renewals and a margin, or set (R2162-4); the 4-year limit (L2125-1) at its edge;
// orders against a maximum at the exact cent, their steps and dates; the ledger and
// its pace; the saving an order line realises. Every figure is worked out by hand in
// the comments.
#include <doctest/doctest.h>

#include <vector>

#include "engine/framework.hpp"
#include "engine/orders.hpp"
#include "engine/procedure.hpp"
#include "engine/tender.hpp"

using namespace canopee;

namespace {

Date day(const char* text) { return *parse_date(text, "d"); }
Amount euros(const char* text) { return *parse_amount(text, "a"); }
Quantity units(const char* text) { return *parse_quantity(text, "q"); }

// One paint lot: member 1 300 l (3,000 € at its 10 € reference), member 2 700 l (7,000 €).
Tender paint(int duration = 12) {
  Tender t;
  t.duration_months = duration;
  t.framework_agreement = true;
  Lot lot;
  lot.id = 10;
  lot.number = 1;
  lot.cpv = "44810000-1";
  lot.quantity = units("1000");
  lot.estimated_value = euros("10000");
  lot.members = {{1, units("300"), euros("3000"), UnitPrice{100'000}},
                 {2, units("700"), euros("7000"), UnitPrice{100'000}}};
  t.lots = {lot};
  return t;
}

std::int64_t maximum_of(const LotMaximum& m, std::int64_t member) {
  for (const auto& x : m.members)
    if (x.member_id == member) return x.maximum;
  FAIL("member missing");
  return 0;
}

Order sent_order(std::int64_t cents, Date sent) {
  Order o;
  o.status = OrderStatus::sent;
  o.ordered_on = sent;
  o.sent_on = sent;
  o.delivery_place = "Laon";
  o.lines = {{"Peinture", units("1"), UnitPrice{cents * 100}, Amount{cents}, Quantity{}, {}}};
  o.total = Amount{cents};
  return o;
}

}  // namespace

TEST_CASE("framework maxima: the estimate over the whole duration with renewals and the margin") {
  auto t = paint();
  auto m = lot_maximum(t, t.lots[0]);
  CHECK(m.basis == MaximumBasis::value);
  CHECK(maximum_of(m, 1) == 300'000);  // 3,000.00 €, no renewal, no margin
  CHECK(maximum_of(m, 2) == 700'000);
  CHECK(m.members[0].from_estimate);
  CHECK(m.value == euros("10000"));

  // 3 renewals of 12 months: 48 months; +10 %: 3,000 × 4 × 1.1 = 13,200 €; 7,000 × 4 × 1.1 = 30,800 €.
  t.framework_terms.renewals = 3;
  t.framework_terms.renewal_months = 12;
  t.framework_terms.margin_bp = 1000;
  CHECK(total_duration_months(t) == 48);
  m = lot_maximum(t, t.lots[0]);
  CHECK(maximum_of(m, 1) == 1'320'000);
  CHECK(maximum_of(m, 2) == 3'080'000);
  CHECK(m.maximum == 4'400'000);
  // The procedure is chosen on the maximum (R2121-8): 44,000 €.
  CHECK(lot_procedure_value(t, t.lots[0]) == euros("44000"));
  // Not a framework agreement: the estimate over 48 months, without margin: 40,000 €.
  t.framework_agreement = false;
  CHECK(lot_procedure_value(t, t.lots[0]) == euros("40000"));
  t.framework_agreement = true;

  // In quantity: 300 l × 4 × 1.1 = 1,320 l, valued at its 10 € estimate: 13,200 €.
  t.framework_terms.lots = {{10, MaximumBasis::quantity, {{1, 500'000, 100'000}}}};
  m = lot_maximum(t, t.lots[0]);
  CHECK(m.basis == MaximumBasis::quantity);
  CHECK(maximum_of(m, 1) == 500'000);  // set: 500 l
  CHECK_FALSE(m.members[0].from_estimate);
  CHECK(m.members[0].minimum == 100'000);
  CHECK(m.members[0].value == euros("5000"));  // 500 l at 3,000 € / 300 l
  CHECK(maximum_of(m, 2) == 3'080'000);        // 700 × 4 × 1.1 = 3,080 l
  CHECK(m.members[1].value == euros("30800"));
}

TEST_CASE("framework maxima: the officer's estimate split to the cent, rounding half away from zero") {
  auto t = paint();
  // 10,000.01 € over references 3,000 / 7,000: exact shares 3,000.003 and 7,000.007 → the
  // remaining cent goes to the larger remainder (0.7): 3,000.00 and 7,000.01.
  t.lots[0].officer_estimate = euros("10000.01");
  auto m = lot_maximum(t, t.lots[0]);
  CHECK(maximum_of(m, 1) == 300'000);
  CHECK(maximum_of(m, 2) == 700'001);
  CHECK(m.value == euros("10000.01"));
  // 1.01 € over 12 months, one renewal of 6: 101 × 18 / 12 = 151.5 cents → 152 (half away).
  Tender small = paint();
  small.lots[0].members = {{1, units("1"), euros("1.01"), UnitPrice{10'100}}};
  small.lots[0].estimated_value = euros("1.01");
  small.framework_terms.renewals = 1;
  small.framework_terms.renewal_months = 6;
  CHECK(maximum_of(lot_maximum(small, small.lots[0]), 1) == 152);
}

TEST_CASE("L2125-1: a framework agreement lasts 48 months at most, renewals included, unless justified") {
  auto t = paint(24);
  t.framework_terms.renewals = 2;
  t.framework_terms.renewal_months = 12;  // 48: allowed
  CHECK(check_framework_duration(t).ok());
  t.framework_terms.renewal_months = 13;  // 50
  auto refused = check_framework_duration(t);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().rule == "framework.duration.too_long");
  CHECK(refused.error().message.find("50 mois") != std::string::npos);
  t.framework_terms.duration_justification = "123456789";  // 9 characters: says nothing
  CHECK_FALSE(check_framework_duration(t).ok());
  t.framework_terms.duration_justification = "1234567890";  // 10
  CHECK(check_framework_duration(t).ok());
  t.framework_terms.duration_justification.clear();
  t.framework_agreement = false;  // not a framework agreement: L2125-1 does not apply
  CHECK(check_framework_duration(t).ok());
  // The advice warns on the total.
  t.framework_agreement = true;
  t.criteria = {{"prix", 100, true, false}};
  CHECK(procedure_input(t, day("2026-06-01")).duration_months == 50);
}

TEST_CASE("framework terms are validated against the tender") {
  const auto t = paint();
  const auto code = [&](const FrameworkTerms& terms) {
    const auto status = validate_framework_terms(t, terms);
    return status.ok() ? std::string() : status.error().fields.at(0).code;
  };
  FrameworkTerms terms;
  CHECK(code(terms).empty());
  terms.renewals = 11;
  CHECK(code(terms) == "framework.renewals.range");
  terms.renewals = 1;
  CHECK(code(terms) == "framework.renewal_months.range");  // a renewal of 0 months
  terms.renewal_months = 12;
  terms.margin_bp = kMaxMarginBp + 1;
  CHECK(code(terms) == "framework.margin.range");
  terms.margin_bp = kMaxMarginBp;
  CHECK(code(terms).empty());
  terms.lots = {{99, MaximumBasis::value, {}}};
  CHECK(code(terms) == "framework.lot.unknown");
  terms.lots = {{10, MaximumBasis::value, {{3, 100, {}}}}};
  CHECK(code(terms) == "framework.member.unknown");
  terms.lots = {{10, MaximumBasis::value, {{1, 0, {}}}}};
  CHECK(code(terms) == "framework.maximum.range");
  terms.lots = {{10, MaximumBasis::value, {{1, 100, 101}}}};
  CHECK(code(terms) == "framework.minimum.above_maximum");
  terms.lots = {{10, MaximumBasis::value, {{1, 100, 100}}}};
  CHECK(code(terms).empty());
  // A minimum above the derived maximum (3,000 € × 2 × 11 = 66,000.00 €, margin 1,000 %) is refused too.
  terms.lots = {{10, MaximumBasis::value, {{1, {}, 6'600'001}}}};
  CHECK(code(terms) == "framework.minimum.above_maximum");
  terms.lots = {{10, MaximumBasis::value, {{1, {}, 6'600'000}}}};
  CHECK(code(terms).empty());
}

TEST_CASE("orders: the maximum at the exact cent, the warning at the exact share") {
  // Maximum 3,000.00 €, 2,430.00 € ordered.
  auto ok = check_against_maximum(MaximumBasis::value, 300'000, 243'000, 57'000, 8000);
  REQUIRE(ok.ok());
  CHECK(ok->remaining_after == 0);
  auto over = check_against_maximum(MaximumBasis::value, 300'000, 243'000, 57'001, 8000);
  REQUIRE_FALSE(over.ok());
  CHECK(over.error().rule == "order.maximum_exceeded");
  CHECK(over.error().code == ErrorCode::conflict);
  CHECK(over.error().message.find("570,00") != std::string::npos);
  CHECK(over.error().message.find("R2162-4") != std::string::npos);
  // 80 % of 3,000 € is 2,400 €: warned at 2,400.00, not at 2,399.99.
  CHECK(check_against_maximum(MaximumBasis::value, 300'000, 200'000, 40'000, 8000)->warning);
  CHECK_FALSE(check_against_maximum(MaximumBasis::value, 300'000, 200'000, 39'999, 8000)->warning);
  // In quantity: 1,320 l, 1,000 l ordered, 320.001 l more is over.
  CHECK_FALSE(check_against_maximum(MaximumBasis::quantity, 1'320'000, 1'000'000, 320'001, 8000).ok());
  CHECK(french_in_basis(MaximumBasis::quantity, 1'320'500) == "1\u00a0320,5");
  CHECK(french_in_basis(MaximumBasis::value, 132'050) == "1\u00a0320,50\u00a0€");
}

TEST_CASE("orders: placed only while the contract is in force, from its notification to its end") {
  const ContractPeriod none{std::nullopt, 12};
  CHECK(check_order_period(none, day("2027-01-01")).error().rule == "order.contract_not_in_force");
  // Notified 2026-11-29 for 12 months: the last day is 2027-11-28.
  const ContractPeriod period{day("2026-11-29"), 12};
  CHECK(period.end() == day("2027-11-28"));
  CHECK(check_order_period(period, day("2026-11-28")).error().rule == "order.contract_not_in_force");
  CHECK(check_order_period(period, day("2026-11-29")).ok());
  CHECK(check_order_period(period, day("2027-11-28")).ok());
  CHECK(check_order_period(period, day("2027-11-29")).error().rule == "order.contract_ended");
}

TEST_CASE("orders: deliveries in part then whole, never beyond; invoice, payment, cancel with a reason") {
  Order o = sent_order(13'950, day("2027-01-04"));
  o.lines = {{"Blanc", units("10"), UnitPrice{90'000}, Amount{9'000}, Quantity{}, {}},
             {"Gris", units("5.5"), UnitPrice{90'000}, Amount{4'950}, Quantity{}, {}}};
  REQUIRE(price_order(o).ok());
  CHECK(o.total == euros("139.50"));
  const std::vector<Quantity> part{units("10"), units("0")};
  auto partly = apply_delivery(o, part, day("2027-01-05"), day("2027-01-10"));
  REQUIRE(partly.ok());
  CHECK(partly->status == OrderStatus::partially_delivered);
  const std::vector<Quantity> beyond{units("0.001"), units("0")};
  CHECK(apply_delivery(*partly, beyond, day("2027-01-06"), day("2027-01-10")).error().rule ==
        "order.delivery.beyond_ordered");
  const std::vector<Quantity> before{units("0"), units("1")};
  CHECK(apply_delivery(*partly, before, day("2027-01-04"), day("2027-01-10")).error().rule ==
        "order.date.before_previous");
  CHECK(apply_delivery(*partly, before, day("2027-01-11"), day("2027-01-10")).error().rule == "order.date.future");
  const std::vector<Quantity> rest{units("0"), units("5.5")};
  auto whole = apply_delivery(*partly, rest, day("2027-01-06"), day("2027-01-10"));
  REQUIRE(whole.ok());
  CHECK(whole->status == OrderStatus::delivered);
  CHECK(check_cancel(*whole, "Erreur de saisie du bon", day("2027-01-10")).error().rule == "order.transition");
  CHECK(check_invoice(*whole, day("2027-01-07"), Amount{0}, "F-1", day("2027-01-10")).error().rule ==
        "order.invoice.amount");
  CHECK(check_invoice(*whole, day("2027-01-07"), euros("139.50"), " ", day("2027-01-10")).error().rule ==
        "order.invoice.reference");
  CHECK(check_invoice(*whole, day("2027-01-07"), euros("139.50"), "F-1", day("2027-01-10")).ok());
  CHECK(check_payment(*whole, day("2027-01-08"), day("2027-01-10")).error().rule == "order.transition");
  CHECK(check_cancel(sent_order(100, day("2027-01-04")), "trop court", day("2027-01-10")).error().rule ==
        "order.cancel.reason_required");
  CHECK(check_cancel(sent_order(100, day("2027-01-04")), "Commande saisie en double", day("2027-01-10")).ok());
}

TEST_CASE("the ledger of a contract: sums to the cent, by month, and the pace against the term") {
  const ContractPeriod period{day("2027-01-01"), 12};  // to 2027-12-31
  std::vector<Order> orders{sent_order(100'000, day("2027-01-15")), sent_order(50'050, day("2027-02-03")),
                            sent_order(99'999, day("2027-02-20"))};
  orders.push_back(sent_order(70'000, day("2027-02-21")));
  orders.back().status = OrderStatus::cancelled;  // counts nowhere
  Order draft = sent_order(10'000, day("2027-03-01"));
  draft.status = OrderStatus::draft;
  draft.sent_on.reset();
  orders.push_back(draft);
  orders[0].lines[0].delivered = units("1");
  orders[0].status = OrderStatus::paid;
  orders[0].delivered_on = day("2027-01-20");
  orders[0].invoiced_on = day("2027-02-01");
  orders[0].paid_on = day("2027-03-02");
  orders[0].invoiced_amount = euros("1000");

  // Maximum 6,000.00 €, minimum 3,000.00 €; on 2027-03-01 (day 60 since 2027-01-01).
  const auto l = contract_ledger(7, MaximumBasis::value, 600'000, 300'000, period, orders, day("2027-03-01"));
  CHECK(l.ordered == 250'049);  // 1,000.00 + 500.50 + 999.99
  CHECK(l.remaining == 349'951);
  CHECK(l.minimum_due == 49'951);
  CHECK(l.orders == 3);
  CHECK(l.delivered_value == euros("1000"));
  CHECK(l.invoiced_value == euros("1000"));
  CHECK(l.paid_value == euros("1000"));
  REQUIRE(l.months.size() == 3);  // January (ordered, delivered), February (ordered, invoiced), March (paid)
  CHECK(l.months[0].ordered == euros("1000"));
  CHECK(l.months[0].delivered == euros("1000"));
  CHECK(l.months[1].ordered == euros("1500.49"));
  CHECK(l.months[1].invoiced == euros("1000"));
  CHECK(l.months[2].paid == euros("1000"));
  // 2,500.49 € in 60 days: 6,000 € in 60 × 600,000 / 250,049 = 143.97… → 143 whole days,
  // the 143rd day since 2027-01-01 is 2027-05-23, before the end (2027-12-31): flagged.
  CHECK(l.projected_exhaustion == day("2027-05-23"));
  CHECK(l.exhausts_before_end);
  // A slow member: 100 € in 60 days → 3,600 days, far beyond the end: not flagged.
  const std::vector<Order> slow{sent_order(10'000, day("2027-01-15"))};
  const auto s = contract_ledger(8, MaximumBasis::value, 600'000, std::nullopt, period, slow, day("2027-03-01"));
  CHECK_FALSE(s.exhausts_before_end);
  CHECK(s.minimum_due == 0);
}

TEST_CASE("the saving an order line realises: delivered quantity at the reference minus at the price paid") {
  // 10.5 l delivered at 9.2521 €: 97.14705 → 97.15 €; at the 10 € reference: 105.00 €; saved 7.85 €.
  const OrderLine line{"Blanc", units("12"), UnitPrice{92'521}, Amount{11'103}, units("10.5"), {}, {}, {}};
  CHECK(realised_saving(line, UnitPrice{100'000}) == euros("7.85"));
  // Nothing delivered, nothing realised; a price above the reference is a negative saving.
  OrderLine none = line;
  none.delivered = Quantity{};
  CHECK(realised_saving(none, UnitPrice{100'000}) == Amount{});
  CHECK(realised_saving(line, UnitPrice{90'000}) == euros("-2.65"));  // 94.50 − 97.15
}
