#include "engine/spaser.hpp"

#include <optional>

namespace canopee {

std::string_view to_string(Reservation reservation) {
  switch (reservation) {
    case Reservation::none: return "none";
    case Reservation::esat_ea: return "esat_ea";
    case Reservation::siae: return "siae";
    case Reservation::ess: return "ess";
  }
  return "none";
}

Result<Reservation> parse_reservation(std::string_view text, std::string_view field) {
  for (auto r : {Reservation::none, Reservation::esat_ea, Reservation::siae, Reservation::ess}) {
    if (text == to_string(r)) return r;
  }
  return Error::invalid(std::string(field), "doit être none, esat_ea (L2113-12), siae (L2113-13) ou ess (L2113-15)",
                        "tender.reserved.unknown");
}

std::string_view legal_basis(Reservation reservation) {
  switch (reservation) {
    case Reservation::none: return "";
    case Reservation::esat_ea: return "L2113-12";
    case Reservation::siae: return "L2113-13";
    case Reservation::ess: return "L2113-15";
  }
  return "";
}

std::string_view french_label(Reservation reservation) {
  switch (reservation) {
    case Reservation::none: return "non réservé";
    case Reservation::esat_ea: return "réservé aux ESAT et entreprises adaptées";
    case Reservation::siae: return "réservé aux structures d’insertion par l’activité économique";
    case Reservation::ess: return "réservé aux entreprises de l’économie sociale et solidaire";
  }
  return "";
}

std::int64_t share_bp(std::int64_t part, std::int64_t whole) {
  if (whole == 0) return 0;
  return static_cast<std::int64_t>(divide_round_half_away(static_cast<int128>(part) * 10'000, whole));
}

namespace {

void add(SpaserShare& share, Amount amount) {
  ++share.count;
  share.amount += amount;
}

void finish(SpaserShare& share, const SpaserYear& year) {
  share.count_bp = share_bp(share.count, year.contracts);
  share.amount_bp = share_bp(share.amount.cents, year.amount.cents);
}

}  // namespace

std::vector<SpaserYear> spaser_figures(std::span<const SpaserContract> contracts, Amount threshold,
                                       std::optional<int> year) {
  std::map<std::pair<std::int64_t, int>, SpaserYear> by_key;
  for (const auto& c : contracts) {
    const int y = to_civil(c.counted_on()).year;
    if (year && *year != y) continue;
    auto& row = by_key[{c.member_id, y}];
    row.member_id = c.member_id;
    row.year = y;
    ++row.contracts;
    row.amount += c.amount;
    if (c.environmental) add(row.environmental, c.amount);
    if (c.social) add(row.social, c.amount);
    if (c.sme) add(row.sme, c.amount);
    if (c.reserved != Reservation::none) add(row.reserved, c.amount);
  }
  std::vector<SpaserYear> out;
  out.reserve(by_key.size());
  for (auto& [key, row] : by_key) {
    for (auto* share : {&row.environmental, &row.social, &row.sme, &row.reserved}) finish(*share, row);
    row.threshold_exceeded = row.amount > threshold;
    out.push_back(row);
  }
  return out;
}

Result<Amount> parse_spaser_threshold(std::string_view text, std::string_view field) {
  auto parsed = parse_amount(text, field);
  if (!parsed || parsed->cents <= 0 || parsed->cents > kMaxAmount)
    return Error::invalid(std::string(field), "doit être un montant positif en euros HT", "spaser.threshold.invalid");
  return *parsed;
}

}  // namespace canopee
