#pragma once
// Savings realised on the orders of framework agreements (issue 18 item 6): for every
// order line delivered, what the delivered quantity would have cost at the member's
// reference price minus what it costs at the price of the order (engine/orders.hpp:
// realised_saving), to the cent, grouped by member, by CPV division and by month of
// delivery. Actual figures over the deliveries counted, never annualised: the
// 12-month basis of the savings report is for the projection at award only. Every
// group and the totals are sums of the lines' cents, so they agree to the cent.
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "engine/date.hpp"
#include "engine/orders.hpp"
#include "engine/price_revision.hpp"  // YearMonth, month_of

namespace canopee {

// One delivered order line with what it is counted by.
struct DeliveredLineFacts {
  std::int64_t member_id = 0;
  std::int64_t lot_id = 0;
  std::uint32_t cpv_division = 0;  // the lot's CPV code's first two digits: 44 for 44810000
  Date delivered_on;               // the month it is counted in
  bool paid = false;               // its order is paid
  OrderLine line;                  // quantity delivered and the price of the order
  UnitPrice reference;             // the member's reference price on the lot
};

struct RealisedFigures {
  Amount delivered_value;  // delivered × price of the order
  Amount at_reference;     // delivered × reference price
  Amount realised;         // at_reference − delivered_value
  Amount paid;             // the part of `realised` on paid orders
  std::int64_t lines = 0;
  RealisedFigures& operator+=(const RealisedFigures& other);
  bool operator==(const RealisedFigures&) const = default;
};

// A line's figures (line_amount of each side, half away from zero to the cent).
RealisedFigures realised_figures(const DeliveredLineFacts& line);

struct RealisedSavings {
  // The finest grouping: (member, month, division), in that order.
  std::map<std::tuple<std::int64_t, YearMonth, std::uint32_t>, RealisedFigures> rows;
  std::map<std::int64_t, RealisedFigures> by_member;
  std::map<std::uint32_t, RealisedFigures> by_division;
  std::map<YearMonth, RealisedFigures> by_month;
  std::vector<std::pair<std::int64_t, std::int64_t>> member_lots;  // (member, lot) delivered, sorted, unique
  RealisedFigures totals;
};

RealisedSavings realised_savings(std::span<const DeliveredLineFacts> lines);

// The division of a CPV code written "44810000-1" (or its digits): 44; none when the
// text does not start with two digits.
std::optional<std::uint32_t> cpv_division_of(std::string_view cpv);

}  // namespace canopee
