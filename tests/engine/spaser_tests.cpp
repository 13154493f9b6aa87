// Responsible-purchasing figures (engine/spaser.hpp) with figures computed by hand.
#include <doctest/doctest.h>

#include "engine/spaser.hpp"

using namespace canopee;

namespace {

SpaserContract contract(std::int64_t member, const char* awarded, const char* notified, std::int64_t cents,
                        bool environmental, bool social, bool sme, Reservation reserved = Reservation::none) {
  SpaserContract c;
  c.member_id = member;
  c.awarded_on = *parse_date(awarded, "a");
  if (notified != nullptr) c.notified_on = *parse_date(notified, "n");
  c.amount = Amount{cents};
  c.environmental = environmental;
  c.social = social;
  c.sme = sme;
  c.reserved = reserved;
  return c;
}

}  // namespace

TEST_CASE("spaser: counts, amounts and shares per member and year, shares half away from zero") {
  // Member 1, year 2027 — three contracts:
  //   A 1,000.00 € environmental + SME;          B 2,000.00 € social, reserved SIAE;
  //   C   500.00 € environmental + social + SME (awarded 2026-12-20, notified 2027-01-05: counted 2027).
  // Year total: 3 contracts, 3,500.00 €.
  //   environmental: A + C = 2 contracts, 1,500.00 €: 2/3 = 6666.67 bp → 6667; 1500/3500 = 4285.71 → 4286.
  //   social: B + C = 2, 2,500.00 €: 6667 bp; 2500/3500 = 7142.857 → 7143.
  //   SME: A + C = 2, 1,500.00 €: 6667, 4286.   reserved: B = 1, 2,000.00 €: 1/3 = 3333.33 → 3333; 2000/3500 =
  //   5714.29 → 5714.
  // Member 1, year 2026 — D 300.00 €, awarded 2026-06-01, not notified: counted 2026 (award decision), nothing else.
  // Member 2, year 2027 — E 100.00 €, SME only: 1/1 = 10000 bp.
  const std::vector<SpaserContract> all{
      contract(1, "2027-02-01", "2027-03-01", 100'000, true, false, true),
      contract(1, "2027-04-01", nullptr, 200'000, false, true, false, Reservation::siae),
      contract(1, "2026-12-20", "2027-01-05", 50'000, true, true, true),
      contract(1, "2026-06-01", nullptr, 30'000, false, false, false),
      contract(2, "2027-05-01", nullptr, 10'000, false, false, true),
  };
  const auto rows = spaser_figures(all, kDefaultSpaserThreshold);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].member_id == 1);
  CHECK(rows[0].year == 2026);
  CHECK(rows[0].contracts == 1);
  CHECK(rows[0].amount == Amount{30'000});
  CHECK(rows[0].environmental.count == 0);
  CHECK(rows[0].environmental.count_bp == 0);

  const auto& y = rows[1];
  CHECK(y.member_id == 1);
  CHECK(y.year == 2027);
  CHECK(y.contracts == 3);
  CHECK(y.amount == Amount{350'000});
  CHECK(y.environmental.count == 2);
  CHECK(y.environmental.amount == Amount{150'000});
  CHECK(y.environmental.count_bp == 6667);
  CHECK(y.environmental.amount_bp == 4286);
  CHECK(y.social.count == 2);
  CHECK(y.social.amount == Amount{250'000});
  CHECK(y.social.count_bp == 6667);
  CHECK(y.social.amount_bp == 7143);
  CHECK(y.sme.count_bp == 6667);
  CHECK(y.sme.amount_bp == 4286);
  CHECK(y.reserved.count == 1);
  CHECK(y.reserved.amount == Amount{200'000});
  CHECK(y.reserved.count_bp == 3333);
  CHECK(y.reserved.amount_bp == 5714);
  CHECK_FALSE(y.threshold_exceeded);

  CHECK(rows[2].member_id == 2);
  CHECK(rows[2].sme.count_bp == 10'000);
  CHECK(rows[2].sme.amount_bp == 10'000);
  CHECK(rows[2].social.amount_bp == 0);

  // One year only: 2027 keeps the two rows of 2027.
  const auto only = spaser_figures(all, kDefaultSpaserThreshold, 2027);
  REQUIRE(only.size() == 2);
  CHECK(only[0].year == 2027);
  CHECK(only[1].member_id == 2);
}

TEST_CASE("spaser: a half basis point rounds away from zero") {
  // 1 of 8 contracts: 10000 / 8 = 1250 bp exactly; amount 1 cent of 20,000 cents: 0.5 bp → 1.
  // 1 cent of 20,001 cents: 0.49998 bp → 0.
  CHECK(share_bp(1, 8) == 1250);
  CHECK(share_bp(1, 20'000) == 1);
  CHECK(share_bp(1, 20'001) == 0);
  CHECK(share_bp(0, 0) == 0);
}

TEST_CASE("spaser: the threshold is « supérieur à » 50 M€ HT (L2111-3, D2111-3), strictly") {
  // 49,999,999.99 € and 50,000,000.00 € do not make the schéma mandatory; 50,000,000.01 € does.
  for (const auto& [cents, mandatory] : std::vector<std::pair<std::int64_t, bool>>{{4'999'999'999, false},
                                                                                   {5'000'000'000, false},
                                                                                   {5'000'000'001, true}}) {
    CAPTURE(cents);
    const std::vector<SpaserContract> one{contract(7, "2027-01-10", nullptr, cents, false, false, false)};
    const auto rows = spaser_figures(one, kDefaultSpaserThreshold);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].threshold_exceeded == mandatory);
  }
  // Two contracts of 25,000,000.00 € make 50,000,000.00 €: not above; a third cent makes it.
  const std::vector<SpaserContract> two{contract(7, "2027-01-10", nullptr, 2'500'000'000, false, false, false),
                                        contract(7, "2027-11-10", nullptr, 2'500'000'000, false, false, false)};
  CHECK_FALSE(spaser_figures(two, kDefaultSpaserThreshold)[0].threshold_exceeded);
  // A threshold set to 40 M€: 50 M€ is above it.
  CHECK(spaser_figures(two, Amount{4'000'000'000})[0].threshold_exceeded);
}

TEST_CASE("spaser: reservations and their articles, the threshold setting") {
  CHECK(legal_basis(Reservation::esat_ea) == "L2113-12");
  CHECK(legal_basis(Reservation::siae) == "L2113-13");
  CHECK(legal_basis(Reservation::ess) == "L2113-15");
  CHECK(legal_basis(Reservation::none).empty());
  CHECK(*parse_reservation("siae", "reserved") == Reservation::siae);
  const auto bad = parse_reservation("ESAT", "reserved");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().rule == "tender.reserved.unknown");
  CHECK(*parse_spaser_threshold("50000000.00", "t") == Amount{5'000'000'000});
  for (const char* wrong : {"0", "-1", "abc", "", "1e9"}) {
    CAPTURE(wrong);
    const auto r = parse_spaser_threshold(wrong, "t");
    REQUIRE_FALSE(r);
    CHECK(r.error().rule == "spaser.threshold.invalid");
  }
}
