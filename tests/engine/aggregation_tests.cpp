#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "engine/aggregation.hpp"
#include "engine/tender.hpp"
#include "tests/support/need_builder.hpp"

using namespace canopee;
using test::make_need;
using test::need_draft;

namespace {

AggregationOptions two_years_from_2026() {
  AggregationOptions options;
  options.contract_start = *parse_date("2026-01-01", "x");
  options.duration_months = 24;
  return options;
}

NeedDraft with_period(NeedDraft d, const char* start, const char* end) {
  d.period_start = start;
  d.period_end = end;
  return d;
}

NeedDraft recurring(NeedDraft d) {
  d.recurring = true;
  return d;
}

NeedDraft with_attributes(NeedDraft d, std::vector<std::pair<std::string, std::string>> attributes) {
  d.attributes = std::move(attributes);
  return d;
}

// The hand-computed scenario of docs/aggregation (three members, paint and electricity).
std::vector<Need> scenario() {
  return {
      make_need(10, 1, need_draft("44810000-1", "100", "l", "5.0000", "02")),
      make_need(11, 2, need_draft("44810000-1", "0.2", "m3", "4000.0000", "51")),
      make_need(12, 2, need_draft("44810000-1", "50", "l", "6.0000", "51")),
      make_need(13, 3, need_draft("44810000-1", "30", "kg", "3.0000", "60")),
      make_need(14, 1, recurring(need_draft("09310000-5", "1000", "MWh", "150.0000", "02"))),
      make_need(15, 3, recurring(need_draft("09310000-5", "500000", "kWh", "0.1600", "60"))),
      make_need(16, 2, need_draft("45442100-8", "100", "m2", "20.0000", "51")),
      make_need(17, 3, with_period(need_draft("44810000-1", "10", "l", "5.0000", "60"), "2030-01-01", "2030-12-31")),
  };
}

std::string describe(const Proposal& p) {
  std::string out;
  for (const auto& lot : p.lots) {
    out += lot.key + " " + to_string(lot.quantity) + " " + to_string(lot.estimated_value) + ":";
    for (const auto& m : lot.members) {
      out += " m" + std::to_string(m.member_id) + "=" + to_string(m.quantity) + "/" + to_string(m.reference_value) +
             "/" + to_string(m.reference_unit_price) + "[";
      for (auto id : lot.need_ids_of(m)) out += std::to_string(id) + ",";
      out += "]";
    }
    out += "\n";
  }
  for (const auto& n : p.not_pooled)
    out += "not " + std::to_string(n.need_id) + " " + std::string(to_string(n.reason)) + "\n";
  out += "total " + to_string(p.estimated_total) + "\n";
  for (const auto& f : p.families)
    out += "family " + cpv_digits_string(f.cpv_digits) + " " + to_string(f.estimated_value) + "\n";
  return out;
}

}  // namespace

TEST_CASE("a hand-computed proposal: conversions, recurrence, reasons, totals") {
  const auto needs = scenario();
  auto proposal = propose_aggregation(needs, two_years_from_2026());
  REQUIRE(proposal.ok());
  REQUIRE(proposal->lots.size() == 2);

  // Electricity: recurring over 24 months counts twice; MWh converted to kWh.
  const auto& power = proposal->lots[0];
  CHECK(power.key == "09310000-kWh");
  CHECK(power.unit == Unit::kWh);
  CHECK(to_string(power.quantity) == "3000000");           // 2,000,000 + 1,000,000 kWh
  CHECK(to_string(power.estimated_value) == "460000.00");  // 300,000 + 160,000
  REQUIRE(power.members.size() == 2);
  CHECK(power.members[0].member_id == 1);
  CHECK(to_string(power.members[0].quantity) == "2000000");
  CHECK(to_string(power.members[0].reference_value) == "300000.00");    // 2,000 MWh × 150 €
  CHECK(to_string(power.members[0].reference_unit_price) == "0.1500");  // per kWh
  CHECK(to_string(power.members[1].reference_value) == "160000.00");    // 1,000,000 kWh × 0.16 €
  CHECK(std::vector<std::int64_t>(power.need_ids_of(power.members[1]).begin(),
                                  power.need_ids_of(power.members[1]).end()) == std::vector<std::int64_t>{15});

  // Paint: m3 converted to litres; member 2's two needs merge at a weighted price.
  const auto& paint = proposal->lots[1];
  CHECK(paint.key == "44810000-l");
  CHECK(to_string(paint.quantity) == "350");
  CHECK(to_string(paint.estimated_value) == "1600.00");
  REQUIRE(paint.members.size() == 2);
  CHECK(to_string(paint.members[1].quantity) == "250");             // 200 l + 50 l
  CHECK(to_string(paint.members[1].reference_value) == "1100.00");  // 800 + 300
  CHECK(to_string(paint.members[1].reference_unit_price) == "4.4000");
  const auto paint_needs = paint.need_ids_of(paint.members[1]);
  CHECK(std::vector<std::int64_t>(paint_needs.begin(), paint_needs.end()) == std::vector<std::int64_t>{11, 12});

  REQUIRE(proposal->not_pooled.size() == 3);
  CHECK(proposal->not_pooled[0].need_id == 13);
  CHECK(proposal->not_pooled[0].reason == NotPooledReason::incompatible_unit);
  CHECK(proposal->not_pooled[1].need_id == 16);
  CHECK(proposal->not_pooled[1].reason == NotPooledReason::single_member);
  CHECK(proposal->not_pooled[2].need_id == 17);
  CHECK(proposal->not_pooled[2].reason == NotPooledReason::outside_period);

  CHECK(to_string(proposal->estimated_total) == "461600.00");
  REQUIRE(proposal->families.size() == 2);
  CHECK(proposal->families[0].cpv_digits == 9310000);
  CHECK(to_string(proposal->families[0].estimated_value) == "460000.00");
  CHECK(proposal->families[1].cpv_digits == 44810000);
}

TEST_CASE("a recurring need over 48 months counts four times, a one-off need once") {
  AggregationOptions options = two_years_from_2026();
  options.duration_months = 48;
  const std::vector<Need> needs = {
      make_need(1, 1, recurring(need_draft("44810000-1", "10", "l", "1.0000"))),
      make_need(2, 2, need_draft("44810000-1", "10", "l", "1.0000")),
  };
  auto proposal = propose_aggregation(needs, options);
  REQUIRE(proposal.ok());
  REQUIRE(proposal->lots.size() == 1);
  CHECK(to_string(proposal->lots[0].members[0].quantity) == "40");
  CHECK(to_string(proposal->lots[0].members[1].quantity) == "10");
  CHECK(to_string(proposal->lots[0].estimated_value) == "50.00");
}

TEST_CASE("splitting by département makes one lot per département") {
  AggregationOptions options = two_years_from_2026();
  options.split_by_department = true;
  const std::vector<Need> needs = {
      make_need(1, 1, need_draft("44810000-1", "10", "l", "1.0000", "02")),
      make_need(2, 2, need_draft("44810000-1", "10", "l", "1.0000", "02")),
      make_need(3, 3, need_draft("44810000-1", "10", "l", "1.0000", "80")),
      make_need(4, 4, need_draft("44810000-1", "10", "l", "1.0000", "80")),
      make_need(5, 4, need_draft("44810000-1", "10", "l", "1.0000", "60")),
  };
  auto proposal = propose_aggregation(needs, options);
  REQUIRE(proposal.ok());
  REQUIRE(proposal->lots.size() == 2);
  CHECK(proposal->lots[0].key == "44810000-l-02");
  CHECK(proposal->lots[1].key == "44810000-l-80");
  CHECK(to_string(*proposal->lots[1].department) == "80");
  REQUIRE(proposal->not_pooled.size() == 1);
  CHECK(proposal->not_pooled[0].need_id == 5);
  CHECK(proposal->not_pooled[0].reason == NotPooledReason::single_member);
}

TEST_CASE("coarser CPV depth pools related codes under their common prefix") {
  AggregationOptions options = two_years_from_2026();
  options.cpv_depth = CpvDepth::class_;
  const std::vector<Need> needs = {
      make_need(1, 1, need_draft("45442100-8", "10", "m2", "10.0000")),
      make_need(2, 2, need_draft("45442110-1", "20", "m2", "10.0000")),
  };
  auto proposal = propose_aggregation(needs, options);
  REQUIRE(proposal.ok());
  REQUIRE(proposal->lots.size() == 1);
  CHECK(proposal->lots[0].cpv_digits == 45440000);
  CHECK(proposal->lots[0].key == "45440000-m2");
  options.cpv_depth = CpvDepth::code;
  auto exact = propose_aggregation(needs, options);
  CHECK(exact->lots.empty());
  CHECK(exact->not_pooled.size() == 2);
}

TEST_CASE("conflicting attributes split variants; a need without the attribute joins the largest") {
  const std::vector<Need> needs = {
      make_need(1, 1, with_attributes(need_draft("44810000-1", "100"), {{"teinte", "blanc"}})),
      make_need(2, 2, with_attributes(need_draft("44810000-1", "300"), {{"teinte", "blanc"}, {"finition", "mat"}})),
      make_need(3, 3, with_attributes(need_draft("44810000-1", "50"), {{"teinte", "gris"}})),
      make_need(4, 4, need_draft("44810000-1", "10")),  // no preference: joins the blanc lot (400 l)
  };
  auto proposal = propose_aggregation(needs, two_years_from_2026());
  REQUIRE(proposal.ok());
  REQUIRE(proposal->lots.size() == 1);
  CHECK(proposal->lots[0].key == "44810000-l[teinte=blanc]");
  CHECK(proposal->lots[0].members.size() == 3);
  CHECK(to_string(proposal->lots[0].quantity) == "410");
  REQUIRE(proposal->not_pooled.size() == 1);
  CHECK(proposal->not_pooled[0].need_id == 3);
  CHECK(proposal->not_pooled[0].reason == NotPooledReason::conflicting_attribute);
  CHECK(proposal->detail_of(proposal->not_pooled[0]).find("teinte=gris") != std::string::npos);
}

TEST_CASE("min_members above two reports smaller groups") {
  AggregationOptions options = two_years_from_2026();
  options.min_members = 3;
  const std::vector<Need> needs = {
      make_need(1, 1, need_draft()),
      make_need(2, 2, need_draft()),
  };
  auto proposal = propose_aggregation(needs, options);
  REQUIRE(proposal.ok());
  CHECK(proposal->lots.empty());
  REQUIRE(proposal->not_pooled.size() == 2);
  CHECK(proposal->not_pooled[0].reason == NotPooledReason::single_member);
  CHECK(proposal->detail_of(proposal->not_pooled[0]).find("3") != std::string::npos);
}

TEST_CASE("invalid options are refused naming the option") {
  AggregationOptions options;
  options.duration_months = 0;
  options.min_members = 1;
  auto r = propose_aggregation({}, options);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().fields.size() == 2);
  CHECK(r.error().fields[0].field == "options.duration_months");
  options = AggregationOptions{};
  options.duration_months = 121;
  CHECK_FALSE(propose_aggregation({}, options).ok());
  CHECK(propose_aggregation({}, AggregationOptions{})->lots.empty());
}

TEST_CASE("the filter selects by CPV prefix, département, member and period") {
  const Need need = make_need(1, 5, need_draft("45442100-8", "1", "m2", "1.0000", "80"));
  AggregationFilter filter;
  CHECK(matches(filter, need));
  filter.cpv_prefix = "4544";
  CHECK(matches(filter, need));
  filter.cpv_prefix = "4481";
  CHECK_FALSE(matches(filter, need));
  filter = {};
  filter.departments = {*parse_department("02", "d")};
  CHECK_FALSE(matches(filter, need));
  filter = {};
  filter.member_ids = {4, 5};
  CHECK(matches(filter, need));
  filter = {};
  filter.from = *parse_date("2027-01-01", "d");
  CHECK_FALSE(matches(filter, need));
  filter.from = *parse_date("2026-12-31", "d");
  CHECK(matches(filter, need));
}

// ---- properties over random needs ----

namespace {

std::vector<Need> random_needs(std::mt19937_64& rng, int count) {
  static const char* codes[] = {"44810000-1", "45442100-8", "09310000-5", "44111000-1", "90911200-8", "45442110-1"};
  static const char* units[] = {"l", "m3", "kg", "t", "u", "kWh", "MWh", "m2"};
  static const char* departments[] = {"02", "51", "60", "80"};
  static const char* tints[] = {"blanc", "gris", "beige"};
  std::vector<Need> needs;
  for (int i = 0; i < count; ++i) {
    auto draft = need_draft(codes[rng() % 6], "1", units[rng() % 8], "1.0000", departments[rng() % 4]);
    draft.quantity = std::to_string(1 + rng() % 5000) + "." + std::to_string(rng() % 1000);
    draft.reference_unit_price = std::to_string(rng() % 300) + "." + std::to_string(1000 + rng() % 9000);
    draft.recurring = rng() % 3 == 0;
    if (rng() % 4 == 0) draft.attributes = {{{"teinte", tints[rng() % 3]}}};
    if (rng() % 10 == 0) draft = with_period(draft, "2029-01-01", "2029-06-30");
    needs.push_back(make_need(1000 + i, static_cast<std::int64_t>(1 + rng() % 7), draft));
  }
  return needs;
}

}  // namespace

TEST_CASE("property: every need is in exactly one lot or reported, and lot sums are exact") {
  std::mt19937_64 rng(20261129);
  for (int round = 0; round < 60; ++round) {
    auto needs = random_needs(rng, 1 + static_cast<int>(rng() % 300));
    AggregationOptions options = two_years_from_2026();
    options.split_by_department = rng() % 2 == 0;
    options.cpv_depth = rng() % 2 == 0 ? CpvDepth::code : CpvDepth::group;
    options.duration_months = 1 + static_cast<int>(rng() % 60);
    auto proposal = propose_aggregation(needs, options);
    REQUIRE(proposal.ok());
    std::map<std::int64_t, const Need*> by_id;
    for (const auto& n : needs) by_id[n.id] = &n;
    std::multiset<std::int64_t> seen;
    std::int64_t total = 0;
    for (const auto& lot : proposal->lots) {
      std::set<std::int64_t> members;
      std::map<std::string, std::string> attributes;
      int128 lot_quantity = 0;
      for (const auto& m : lot.members) {
        members.insert(m.member_id);
        int128 q = 0;
        std::int64_t value = 0;
        for (auto id : lot.need_ids_of(m)) {
          seen.insert(id);
          const Need& n = *by_id.at(id);
          REQUIRE(n.member_id == m.member_id);
          REQUIRE(cpv_prefix(n.cpv.digits, options.cpv_depth) == lot.cpv_digits);
          REQUIRE(dimension_of(n.unit) == dimension_of(lot.unit));
          if (options.split_by_department) REQUIRE(n.department == *lot.department);
          for (const auto& a : n.attributes) {
            const auto [it, inserted] = attributes.emplace(a.key, a.value);
            REQUIRE(it->second == a.value);  // no conflicting attribute inside a lot
          }
          // independent recomputation: effective quantity, then scaled to the lot unit
          const int128 effective =
              n.recurring ? (static_cast<int128>(n.quantity.thousandths) * options.duration_months * 2 + 12) / 24
                          : n.quantity.thousandths;
          q += effective * finest_unit_factor(n.unit) / finest_unit_factor(lot.unit);
          value += line_amount(Quantity{static_cast<std::int64_t>(effective)}, n.reference_unit_price)->cents;
        }
        REQUIRE(q == m.quantity.thousandths);
        REQUIRE(value == m.reference_value.cents);
        lot_quantity += q;
      }
      REQUIRE(members.size() >= 2);
      REQUIRE(lot_quantity == lot.quantity.thousandths);
      total += lot.estimated_value.cents;
    }
    for (const auto& n : proposal->not_pooled) seen.insert(n.need_id);
    REQUIRE(seen.size() == needs.size());
    for (const auto& n : needs) REQUIRE(seen.count(n.id) == 1);
    REQUIRE(total == proposal->estimated_total.cents);
  }
}

TEST_CASE("property: the proposal does not depend on the order of the needs") {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 40; ++round) {
    auto needs = random_needs(rng, 1 + static_cast<int>(rng() % 200));
    AggregationOptions options = two_years_from_2026();
    options.split_by_department = round % 2 == 0;
    const auto reference = describe(*propose_aggregation(needs, options));
    for (int shuffle = 0; shuffle < 3; ++shuffle) {
      std::shuffle(needs.begin(), needs.end(), rng);
      REQUIRE(describe(*propose_aggregation(needs, options)) == reference);
    }
  }
}

TEST_CASE("regression: needs outside the period among needs with attributes") {
  // A need excluded by its period used to leave its attribute range unset.
  const std::vector<Need> needs = {
      make_need(1, 1, with_attributes(need_draft(), {{"teinte", "blanc"}, {"finition", "mat"}})),
      make_need(2, 2, with_period(with_attributes(need_draft(), {{"teinte", "gris"}}), "2031-01-01", "2031-12-31")),
      make_need(3, 2, with_attributes(need_draft(), {{"teinte", "blanc"}})),
      make_need(4, 3, with_period(need_draft(), "2031-01-01", "2031-12-31")),
  };
  auto proposal = propose_aggregation(needs, two_years_from_2026());
  REQUIRE(proposal.ok());
  REQUIRE(proposal->lots.size() == 1);
  CHECK(proposal->lots[0].key == "44810000-l");  // no attribute differs among the pooled needs
  CHECK(proposal->lots[0].members.size() == 2);
  REQUIRE(proposal->not_pooled.size() == 2);
  CHECK(proposal->not_pooled[0].reason == NotPooledReason::outside_period);
}

// Issue 14, item 2: the tender pools each need on the version the proposal read.
TEST_CASE("a proposal's lots carry each need's version as read, beside its id") {
  using test::make_need;
  using test::need_draft;
  auto a = make_need(11, 1, need_draft("44810000-1", "100"));
  a.version = 3;
  auto b = make_need(12, 2, need_draft("44810000-1", "50"));
  b.version = 7;
  const std::vector<Need> needs = {b, a};
  auto proposal = propose_aggregation(needs, {});
  REQUIRE(proposal.ok());
  REQUIRE(proposal->lots.size() == 1);
  const auto lots = lots_from_proposal(*proposal, test::starter_cpv());
  REQUIRE(lots.size() == 1);
  CHECK(lots[0].need_ids == std::vector<std::int64_t>{11, 12});
  CHECK(lots[0].need_versions == std::vector<std::int64_t>{3, 7});
}
