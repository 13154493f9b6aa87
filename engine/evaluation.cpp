#include "engine/evaluation.hpp"

#include "engine/enum_names.hpp"

#include "engine/need.hpp"
#include "engine/procedure.hpp"

#include <algorithm>
#include <array>
#include <set>

namespace canopee {
namespace {

constexpr auto kFormulas = enum_names<PriceFormula>("proportional", "linear");
constexpr auto kTieBreaks = enum_names<TieBreak>("heaviest_criterion", "lowest_price");
constexpr auto kTieOutcomes = enum_names<TieOutcome>("none", "heaviest_criterion", "lowest_price", "draw",
                                                     "draw_needed");
constexpr auto kMethods = enum_names<AbnormallyLowMethod>("two_pass_mean", "mean_minus_stddev", "estimate_ratio");
constexpr auto kRegularities = enum_names<Regularity>("received", "regularisation_requested", "valid", "irregular",
                                                      "unacceptable", "inappropriate");
constexpr auto kPriceReviews = enum_names<PriceReview>("none", "questioned", "requested", "answered", "accepted",
                                                       "refused");

// A non-negative fraction, compared exactly (numerators stay below 2^127 for
// prices up to kMaxAmount: see the bounds in evaluate_lot).
struct Fraction {
  uint128 num = 0;
  uint128 den = 1;
  bool operator<(const Fraction& o) const { return num * o.den < o.num * den; }
  bool operator==(const Fraction& o) const { return num * o.den == o.num * den; }
  std::int64_t rounded() const { return static_cast<std::int64_t>((num + den / 2) / den); }
};

// The reason shown for an eliminated bid, by Regularity (only the rejections are read).
constexpr std::pair<std::string_view, std::string_view> kRejections[] = {
    {},
    {},
    {},
    {"bid.excluded.irregular", "offre irrégulière : éliminée (L2152-2, R2152-1)"},
    {"bid.excluded.unacceptable", "offre inacceptable : éliminée (L2152-3, R2152-1)"},
    {"bid.excluded.inappropriate", "offre inappropriée : éliminée (L2152-4, R2152-1)"},
};

struct Working {
  const BidInput* input;
  BidEvaluation result;
  Fraction total;            // in 1/10,000 point
  std::int64_t tie_key = 0;  // the tie-break's mark: greater is better
  bool ranked = false;
  bool too_large = false;  // its total is beyond kMaxAmount (recorded before check_bid_fits_lot)
};

}  // namespace

Result<std::int64_t> parse_score(std::string_view text, std::string_view field) {
  auto value = parse_decimal(text, kScoreScale, field);
  if (!value) return value;
  if (*value < 0 || *value > kMaxScore) {
    return Error::invalid(std::string(field), "doit être compris entre 0 et 100", "evaluation.score.out_of_range");
  }
  return value;
}

std::string format_score(std::int64_t score) { return format_decimal(score, kScoreScale, kScoreScale); }

std::string_view to_string(PriceFormula v) { return kFormulas(v); }
std::string_view to_string(TieBreak v) { return kTieBreaks(v); }
std::string_view to_string(TieOutcome v) { return kTieOutcomes(v); }
Result<TieBreak> parse_tie_break(std::string_view t, std::string_view f) { return parse_value(kTieBreaks, t, f); }
std::string_view to_string(AbnormallyLowMethod v) { return kMethods(v); }
std::string_view to_string(Regularity v) { return kRegularities(v); }
std::string_view to_string(PriceReview v) { return kPriceReviews(v); }
bool is_rejection(Regularity r) {
  return r == Regularity::irregular || r == Regularity::unacceptable || r == Regularity::inappropriate;
}
bool is_pending(PriceReview r) {
  return r == PriceReview::questioned || r == PriceReview::requested || r == PriceReview::answered;
}
Result<PriceFormula> parse_price_formula(std::string_view t, std::string_view f) {
  return parse_value(kFormulas, t, f);
}
Result<AbnormallyLowMethod> parse_abnormally_low_method(std::string_view t, std::string_view f) {
  return parse_value(kMethods, t, f);
}
Result<Regularity> parse_regularity(std::string_view t, std::string_view f) { return parse_value(kRegularities, t, f); }
Result<PriceReview> parse_price_review(std::string_view t, std::string_view f) {
  return parse_value(kPriceReviews, t, f);
}

Status validate_criteria(std::span<const Criterion> criteria, std::string_view field) {
  const std::string base(field);
  std::vector<FieldError> errors;
  if (criteria.empty()) errors.push_back({base, "il faut au moins le critère prix", "criteria.empty"});
  if (criteria.size() > 20) errors.push_back({base, "20 critères au plus", "criteria.too_many"});
  int sum = 0;
  int price_criteria = 0;
  std::set<std::string> names;
  for (std::size_t i = 0; i < criteria.size(); ++i) {
    const auto& c = criteria[i];
    const std::string at = base + "[" + std::to_string(i) + "]";
    if (c.name.empty() || c.name.size() > 100)
      errors.push_back({at + ".name", "1 à 100 caractères", "criteria.name.length"});
    if (!names.insert(c.name).second)
      errors.push_back({at + ".name", "est employé deux fois", "criteria.name.duplicate"});
    if (c.weight < 1 || c.weight > 100)
      errors.push_back({at + ".weight", "doit être compris entre 1 et 100", "criteria.weight.out_of_range"});
    sum += c.weight;
    if (c.is_cost()) ++price_criteria;
    if (c.is_price && c.life_cycle_cost) {
      errors.push_back({at + ".life_cycle_cost", "un critère est le prix ou le coût du cycle de vie, pas les deux",
                        "criteria.price_and_life_cycle_cost"});
    }
  }
  if (price_criteria != 1)
    errors.push_back(
        {base, "un critère et un seul doit être le prix ou le coût du cycle de vie (R2152-7)", "criteria.price_count"});
  if (sum != 100 && !criteria.empty()) {
    errors.push_back({base, "les pondérations totalisent " + std::to_string(sum) + " ; elles doivent totaliser 100",
                      "criteria.weights.sum"});
  }
  if (errors.empty()) return ok_status();
  return Error{ErrorCode::invalid, "critères d’attribution invalides", std::move(errors), "criteria.invalid"};
}

std::vector<FieldError> award_criteria_rule_errors(std::span<const Criterion> criteria,
                                                   std::optional<Date> launch_date) {
  std::vector<FieldError> errors;
  for (std::size_t i = 0; i < criteria.size(); ++i) {
    if (criteria[i].is_price && criteria[i].environmental) {
      errors.push_back({"criteria[" + std::to_string(i) + "].environmental",
                        "Le critère prix ne peut pas être le critère environnemental : un prix noté par formule ne "
                        "prend en compte aucune caractéristique environnementale. Ajouter un critère environnemental "
                        "distinct, ou choisir le coût du cycle de vie (L2152-7, R2152-7, R2152-9).",
                        "criteria.price_environmental"});
    }
  }
  if (!launch_date || *launch_date < environmental_criterion_date()) return errors;
  if (criteria.size() == 1 && !criteria.front().life_cycle_cost) {
    errors.push_back({"criteria",
                      "Lancée à partir du 21/08/2026, une consultation ne peut avoir un critère unique que s'il s'agit "
                      "du coût déterminé selon une approche globale, tel le coût du cycle de vie (R2152-7 modifié par "
                      "le décret 2022-767, R2152-9 et R2152-10) ; sinon plusieurs critères, dont le prix ou le coût et "
                      "un critère environnemental (L2152-7 modifié par la loi 2021-1104, art. 35).",
                      "criteria.single_not_life_cycle_cost"});
  } else if (criteria.size() > 1 && std::none_of(criteria.begin(), criteria.end(), [](const Criterion& c) {
               return c.takes_environment_into_account() && !c.is_price;
             })) {
    errors.push_back({"criteria",
                      "Lancée à partir du 21/08/2026, la consultation doit avoir au moins un critère d'attribution "
                      "prenant en compte les caractéristiques environnementales de l'offre (L2152-7 modifié par la "
                      "loi 2021-1104, art. 35 ; R2152-7).",
                      "criteria.environmental_missing"});
  }
  return errors;
}

Status check_bid_fits_lot(const PriceSchedule& schedule, Quantity lot_quantity) {
  // Within tier i the cost grows with the quantity: its largest is at the last
  // quantity the tier prices (just below the next tier, or the lot's quantity).
  const auto& tiers = schedule.tiers();
  for (std::size_t i = 0; i < tiers.size() && tiers[i].min_quantity <= lot_quantity; ++i) {
    const bool next_within = i + 1 < tiers.size() && tiers[i + 1].min_quantity <= lot_quantity;
    const Quantity last = next_within ? Quantity{tiers[i + 1].min_quantity.thousandths - 1} : lot_quantity;
    if (!line_amount(last, tiers[i].unit_price)) {
      const std::string field = schedule.is_flat() ? "unit_price" : "tiers[" + std::to_string(i) + "].unit_price";
      return Error::invalid(field,
                            "porte le prix de la quantité du lot au-delà du plus grand montant (1 000 000 000 000 €) : "
                            "vérifier le prix unitaire",
                            "bid.price.too_large");
    }
  }
  return ok_status();
}

namespace {

// "n° 3 et n° 5", "n° 3, n° 5 et n° 8": the bids of a tie, by id.
std::string id_list(std::int64_t self, const std::vector<std::int64_t>& others) {
  std::vector<std::int64_t> ids = others;
  ids.push_back(self);
  std::sort(ids.begin(), ids.end());
  std::string out;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    out += (i == 0 ? "" : i + 1 == ids.size() ? " et " : ", ") + std::string("n° ") + std::to_string(ids[i]);
  }
  return out;
}

// The tie-break's mark of a bid, greater is better: minus the total on a cost
// criterion or the lowest price, the officer's mark otherwise (−1 when missing).
std::int64_t tie_key(const Working& w, const Criterion* heaviest, TieBreak rule) {
  if (rule == TieBreak::lowest_price || heaviest == nullptr || heaviest->is_cost()) return -w.result.total_price.cents;
  for (const auto& s : w.input->scores) {
    if (s.criterion == heaviest->name) return std::clamp<std::int64_t>(s.score, 0, kMaxScore);
  }
  return -1;
}

// The latest draw that holds every bid of the group, or none.
const TieDraw* draw_for(const std::vector<Working*>& group, std::span<const TieDraw> draws) {
  for (auto it = draws.rbegin(); it != draws.rend(); ++it) {
    const bool holds_all = std::all_of(group.begin(), group.end(), [&](const Working* w) {
      return std::find(it->order.begin(), it->order.end(), w->result.bid_id) != it->order.end();
    });
    if (holds_all) return &*it;
  }
  return nullptr;
}

std::ptrdiff_t position(const TieDraw& draw, std::int64_t bid_id) {
  return std::find(draw.order.begin(), draw.order.end(), bid_id) - draw.order.begin();
}

// Sorts the ranked bids and gives each its rank: the weighted total, then the
// announced tie-break, then the recorded draw; bids still equal share a rank.
void rank_with_ties(std::vector<Working*>& ranked, std::span<const Criterion> criteria,
                    const EvaluationOptions& options, LotEvaluation& evaluation) {
  const Criterion* heaviest = nullptr;
  for (const auto& c : criteria) {
    if (heaviest == nullptr || c.weight > heaviest->weight) heaviest = &c;
  }
  const TieOutcome separated = options.tie_break == TieBreak::lowest_price ||
                                       (heaviest != nullptr && heaviest->is_cost())
                                   ? TieOutcome::lowest_price
                                   : TieOutcome::heaviest_criterion;
  for (auto* w : ranked) w->tie_key = tie_key(*w, heaviest, options.tie_break);
  std::sort(ranked.begin(), ranked.end(), [](const Working* a, const Working* b) {
    if (!(a->total == b->total)) return b->total < a->total;
    if (a->tie_key != b->tie_key) return a->tie_key > b->tie_key;
    return a->result.bid_id < b->result.bid_id;
  });
  // Bids with an equal weighted total: say how each was placed.
  for (std::size_t i = 0; i < ranked.size();) {
    std::size_t end = i + 1;
    while (end < ranked.size() && ranked[end]->total == ranked[i]->total) ++end;
    for (std::size_t k = i; end - i > 1 && k < end; ++k) {
      for (std::size_t m = i; m < end; ++m) {
        if (m != k) ranked[k]->result.tied_with.push_back(ranked[m]->result.bid_id);
      }
      std::sort(ranked[k]->result.tied_with.begin(), ranked[k]->result.tied_with.end());
      ranked[k]->result.tie = separated;
    }
    i = end;
  }
  // Groups equal on the tie-break too: the draw, or a shared rank.
  for (std::size_t i = 0; i < ranked.size();) {
    std::size_t end = i + 1;
    while (end < ranked.size() && ranked[end]->total == ranked[i]->total && ranked[end]->tie_key == ranked[i]->tie_key)
      ++end;
    std::vector<Working*> group(ranked.begin() + static_cast<std::ptrdiff_t>(i),
                                ranked.begin() + static_cast<std::ptrdiff_t>(end));
    if (group.size() > 1) {
      if (const TieDraw* draw = draw_for(group, options.draws)) {
        std::sort(ranked.begin() + static_cast<std::ptrdiff_t>(i), ranked.begin() + static_cast<std::ptrdiff_t>(end),
                  [&](const Working* a, const Working* b) {
                    return position(*draw, a->result.bid_id) < position(*draw, b->result.bid_id);
                  });
        for (auto* w : group) {
          w->result.tie = TieOutcome::draw;
          w->result.draw_id = draw->id;
        }
        for (std::size_t k = i; k < end; ++k) ranked[k]->result.rank = static_cast<int>(k + 1);
      } else {
        std::vector<std::int64_t> ids;
        ids.reserve(group.size());
        for (auto* w : group) ids.push_back(w->result.bid_id);
        for (auto* w : group) {
          w->result.tie = TieOutcome::draw_needed;
          w->result.rank = static_cast<int>(i + 1);
          w->result.tied_with.clear();  // only the bids it is still tied with
          for (auto id : ids) {
            if (id != w->result.bid_id) w->result.tied_with.push_back(id);
          }
        }
        evaluation.ties_to_draw.push_back(std::move(ids));
      }
    } else {
      group.front()->result.rank = static_cast<int>(i + 1);
    }
    i = end;
  }
}

// Whether `price` is abnormally low among the total prices of `field` (which holds
// it), by the tender's method; exact integer tests.
bool abnormally_low_among(Amount price, const std::vector<std::int64_t>& field, const EvaluationOptions& options) {
  const auto n = static_cast<int128>(field.size());
  if (n == 0) return false;
  const auto p = static_cast<int128>(price.cents);
  int128 sum = 0;
  int128 sum_squares = 0;
  for (const auto x : field) {
    sum += x;
    sum_squares += static_cast<int128>(x) * x;
  }
  if (options.method == AbnormallyLowMethod::two_pass_mean) {
    // m1 = mean of all; m2 = mean of the bids ≤ 1.2 × m1; flag bids < 0.9 × m2.
    int128 sum2 = 0;
    int128 n2 = 0;
    for (const auto x : field) {
      if (10 * static_cast<int128>(x) * n <= 12 * sum) {
        sum2 += x;
        ++n2;
      }
    }
    return n2 > 0 && 10 * p * n2 < 9 * sum2;
  }
  if (options.method == AbnormallyLowMethod::mean_minus_stddev) {
    // P < μ − σ  ⇔  S − nP > 0 and (S − nP)² > nΣx² − S²   (μ = S/n, σ² = Σx²/n − μ²)
    const int128 spread = n * sum_squares - sum * sum;
    const int128 gap = sum - n * p;
    return gap > 0 && gap * gap > spread;
  }
  if (!options.estimate) return false;
  return p * 100 < static_cast<int128>(options.estimate->cents) * options.estimate_ratio_percent;
}

// The bid's price score (against `p_min`, `p_max`), its exact weighted total and its
// rounded one; the non-price criteria it has no mark for, in the tender's order.
// Bounds: prices ≤ 10^14 cents, weights·scores ≤ 10^8, so numerators stay below
// ~2·10^22 and denominators below 10^16: cross products fit in 128 bits.
std::vector<std::string> mark(Working& w, std::span<const Criterion> criteria, const Criterion& price,
                              PriceFormula formula, std::int64_t p_min, std::int64_t p_max) {
  const auto p = static_cast<uint128>(w.result.total_price.cents);
  const auto weight = static_cast<uint128>(price.weight);
  Fraction price_part;  // weight × score / 100, in 1/10,000 point
  if (formula == PriceFormula::proportional) {
    // score = 100 × Pmin / P; a zero price scores 100.
    price_part = p == 0 ? Fraction{weight * kMaxScore / 100, 1}
                        : Fraction{weight * static_cast<uint128>(p_min) * 10'000, p};
    w.result.price_score = p == 0 ? kMaxScore : Fraction{static_cast<uint128>(p_min) * kMaxScore, p}.rounded();
  } else {
    // score = 100 × (Pmax − P) / (Pmax − Pmin); all get 100 when Pmax = Pmin.
    const auto range = static_cast<uint128>(p_max - p_min);
    const auto above = static_cast<uint128>(p_max) - p;
    price_part = range == 0 ? Fraction{weight * 10'000, 1} : Fraction{weight * above * 10'000, range};
    w.result.price_score = range == 0 ? kMaxScore : Fraction{above * kMaxScore, range}.rounded();
  }
  // Non-price criteria: Σ weight × score / 100.
  uint128 others = 0;
  std::vector<std::string> missing;
  for (const auto& c : criteria) {
    if (c.is_cost()) continue;
    const auto it = std::find_if(w.input->scores.begin(), w.input->scores.end(),
                                 [&](const CriterionScore& s) { return s.criterion == c.name; });
    if (it == w.input->scores.end()) {
      missing.push_back(c.name);
    } else {
      others += static_cast<uint128>(c.weight) *
                static_cast<uint128>(std::clamp<std::int64_t>(it->score, 0, kMaxScore));
    }
  }
  // total = others / 100 + price_part
  w.total = Fraction{others * price_part.den + 100 * price_part.num, 100 * price_part.den};
  w.result.weighted_total = w.total.rounded();
  return missing;
}

}  // namespace

Result<LotEvaluation> evaluate_lot(Quantity lot_quantity, std::span<const Criterion> criteria,
                                   std::span<const BidInput> bids, const EvaluationOptions& options) {
  if (auto status = validate_criteria(criteria); !status) return std::move(status).error();
  if (lot_quantity.thousandths <= 0)
    return Error::invalid("quantity", "la quantité du lot doit être positive", "lot.quantity.not_positive");
  const Criterion& price = *std::find_if(criteria.begin(), criteria.end(),
                                         [](const Criterion& c) { return c.is_cost(); });

  LotEvaluation evaluation;
  std::vector<Working> all;
  all.reserve(bids.size());
  std::set<std::int64_t> ids;
  for (const auto& bid : bids) {
    if (!ids.insert(bid.bid_id).second)
      return Error::invalid("bids", "l’offre " + std::to_string(bid.bid_id) + " apparaît deux fois",
                            "evaluation.bids.duplicate");
    Working w{&bid, {}, {}, false};
    w.result.bid_id = bid.bid_id;
    w.result.supplier_id = bid.supplier_id;
    w.result.unit_price = bid.schedule.unit_price_at(lot_quantity);
    // A total beyond the largest amount excludes that bid alone: the lot stays
    // evaluable and awardable to the others.
    auto total = line_amount(lot_quantity, w.result.unit_price);
    if (total) w.result.total_price = *total;
    else w.too_large = true;
    w.result.scores = bid.scores;
    w.result.regularity = bid.regularity;
    w.result.price_review = bid.price_review;
    all.push_back(std::move(w));
  }

  // Excluded from ranking: eliminated bids (irregular, unacceptable, inappropriate)
  // and those whose explanations of an abnormally low price were refused.
  std::vector<Working*> ranked;
  for (auto& w : all) {
    if (w.too_large) {
      w.result.reason_code = "bid.excluded.beyond_largest_amount";
      w.result.reason =
          "prix total au-delà du plus grand montant admis (1 000 000 000 000 €) : offre écartée du classement";
    } else if (is_rejection(w.input->regularity)) {
      const auto& [code, text] = kRejections[static_cast<std::size_t>(w.input->regularity)];
      w.result.reason_code = code;
      w.result.reason = text;
    } else if (w.input->price_review == PriceReview::refused) {
      w.result.reason_code = "bid.excluded.abnormally_low";
      w.result.reason = "offre anormalement basse dont les explications ont été refusées : rejetée (R2152-4)";
    } else {
      w.ranked = true;
      ranked.push_back(&w);
    }
  }

  // Abnormally low flags, on the total prices of the ranked bids; exact integer tests.
  // An eliminated bid keeps, for the record, the flag and the marks it had among the
  // ranked bids (its own price among theirs), without entering the ranking.
  std::vector<std::int64_t> ranked_prices;
  ranked_prices.reserve(ranked.size());
  for (const auto* w : ranked) ranked_prices.push_back(w->result.total_price.cents);
  if (!ranked.empty() && options.method == AbnormallyLowMethod::estimate_ratio && !options.estimate) {
    evaluation.warnings.emplace_back(
        "la méthode « part de l’estimation » demande l’estimation du lot : aucune offre n’a été signalée");
  }
  for (auto* w : ranked) w->result.abnormally_low = abnormally_low_among(w->result.total_price, ranked_prices, options);
  for (auto& w : all) {
    if (w.ranked || w.too_large) continue;
    w.result.eliminated = true;
    auto field = ranked_prices;
    field.push_back(w.result.total_price.cents);
    w.result.abnormally_low = abnormally_low_among(w.result.total_price, field, options);
  }

  // Price scores and exact weighted totals (in 1/10,000 point).
  std::int64_t p_min = INT64_MAX;
  std::int64_t p_max = 0;
  for (const auto* w : ranked) {
    p_min = std::min(p_min, w->result.total_price.cents);
    p_max = std::max(p_max, w->result.total_price.cents);
  }
  for (auto* w : ranked) {
    auto missing = mark(*w, criteria, price, options.formula, p_min, p_max);
    if (!missing.empty()) {
      w->result.scores_complete = false;
      std::string list;
      for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
      w->result.reason_code = "bid.scores_missing";
      w->result.reason = "notes manquantes : " + list;
      w->result.missing_scores = std::move(missing);
    }
  }
  for (auto& w : all) {
    if (w.ranked) continue;
    if (w.too_large) {
      w.result.eliminated = true;
      continue;
    }
    const auto own = w.result.total_price.cents;
    auto missing = mark(w, criteria, price, options.formula, std::min(p_min, own), std::max(p_max, own));
    w.result.scores_complete = missing.empty();
    w.result.missing_scores = std::move(missing);
  }

  rank_with_ties(ranked, criteria, options, evaluation);
  for (auto* w : ranked) {
    auto& r = w->result;
    if (!r.reason.empty()) continue;  // scores missing
    const BidInput& in = *w->input;
    if (in.regularity == Regularity::received || in.regularity == Regularity::regularisation_requested) {
      r.reason_code = "bid.regularity.undecided";
      r.reason = in.regularity == Regularity::received
                     ? "régularité non examinée : déclarez l’offre régulière, ou éliminez-la (R2152-1)"
                     : "régularisation demandée : statuez sur l’offre régularisée (R2152-2)";
    } else if (is_pending(in.price_review) || (r.abnormally_low && in.price_review == PriceReview::none)) {
      r.reason_code = in.price_review == PriceReview::none ? "bid.price_review.not_requested"
                                                           : "bid.price_review.undecided";
      r.reason =
          in.price_review == PriceReview::none
              ? "prix apparemment anormalement bas : demandez par écrit des explications au soumissionnaire (L2152-6, R2152-3)"
              : "explications sur le prix en cours d’examen : acceptez-les ou refusez-les (R2152-3, R2152-4)";
    } else if (r.tie == TieOutcome::draw_needed) {
      r.reason_code = "bid.tie.draw_needed";
      r.reason = "ex aequo après la règle de départage annoncée : départagez les offres " +
                 id_list(r.bid_id, r.tied_with) + " par tirage au sort, consigné au procès-verbal";
    } else {
      r.awardable = true;
    }
  }

  if (options.formula == PriceFormula::linear && ranked.size() < 3) {
    evaluation.warnings.emplace_back(
        "la formule linéaire donne mécaniquement les notes extrêmes avec moins de trois offres "
        "(CE, 29 octobre 2013, n° 370789) : préférez la formule proportionnelle");
  }
  for (const auto* w : ranked) evaluation.bids.push_back(w->result);
  std::vector<const Working*> excluded;
  for (const auto& w : all) {
    if (!w.ranked) excluded.push_back(&w);
  }
  std::sort(excluded.begin(), excluded.end(), [](auto* a, auto* b) { return a->input->bid_id < b->input->bid_id; });
  for (const auto* w : excluded) evaluation.bids.push_back(w->result);
  return evaluation;
}

Result<std::vector<std::int64_t>> bids_to_draw(const LotEvaluation& evaluation, std::span<const std::int64_t> named) {
  if (!named.empty() || evaluation.ties_to_draw.empty()) return std::vector<std::int64_t>(named.begin(), named.end());
  if (evaluation.ties_to_draw.size() > 1) {
    return Error::rule_broken(ErrorCode::invalid, "draw.order_required", "order",
                              "le lot compte plusieurs égalités : indiquez les offres ex aequo à départager");
  }
  return evaluation.ties_to_draw.front();
}

Status check_draw(const LotEvaluation& evaluation, std::span<const std::int64_t> order, std::string_view minutes) {
  const auto length = text_length(minutes, true);
  if (!length) {
    return Error::rule_broken(ErrorCode::invalid, "text.malformed", "minutes",
                              "doit être un texte UTF-8 sans caractère de contrôle");
  }
  if (is_blank(minutes)) {
    return Error::rule_broken(
        ErrorCode::invalid, "draw.minutes_missing", "minutes",
        "le procès-verbal du tirage est obligatoire : date, lieu, personnes présentes, façon de tirer");
  }
  if (*length > kMaxDrawMinutes)
    return Error::rule_broken(ErrorCode::invalid, "text.too_long", "minutes", "doit faire au plus 4000 caractères");
  if (evaluation.ties_to_draw.empty()) {
    return Error::rule_broken(
        ErrorCode::conflict, "draw.not_a_tie", "order",
        "aucune égalité à départager sur ce lot : le tirage au sort ne s’applique qu’à des offres "
        "ex aequo après la règle de départage annoncée");
  }
  if (order.size() < 2) {
    return Error::rule_broken(ErrorCode::invalid, "draw.order_too_short", "order",
                              "un tirage au sort départage au moins deux offres ex aequo");
  }
  std::vector<std::int64_t> drawn(order.begin(), order.end());
  std::sort(drawn.begin(), drawn.end());
  if (std::adjacent_find(drawn.begin(), drawn.end()) != drawn.end()) {
    return Error::rule_broken(ErrorCode::invalid, "draw.order_duplicate", "order",
                              "une offre figure deux fois dans le tirage");
  }
  const auto tie = std::find_if(evaluation.ties_to_draw.begin(), evaluation.ties_to_draw.end(), [&](auto group) {
    std::sort(group.begin(), group.end());
    return group == drawn;
  });
  if (tie == evaluation.ties_to_draw.end()) {
    std::string ties;
    for (const auto& group : evaluation.ties_to_draw) {
      std::vector<std::int64_t> others(group.begin() + 1, group.end());
      ties += (ties.empty() ? "" : " ; ") + id_list(group.front(), others);
    }
    return Error::rule_broken(ErrorCode::conflict, "draw.not_a_tie", "order",
                              "ces offres ne forment pas une égalité à départager ; égalités en attente : " + ties);
  }
  Error undecided = Error::of(ErrorCode::conflict,
                              "statuez d’abord sur chaque offre ex aequo (régularité, prix, notes) : le tirage au sort "
                              "départage des offres qui peuvent toutes être retenues");
  undecided.rule = "draw.bids_undecided";
  for (const auto id : drawn) {
    const auto bid = std::find_if(evaluation.bids.begin(), evaluation.bids.end(),
                                  [&](const BidEvaluation& b) { return b.bid_id == id; });
    if (bid->reason_code != "bid.tie.draw_needed") {
      undecided.fields.push_back({"bids[" + std::to_string(id) + "]", bid->reason, bid->reason_code});
    }
  }
  if (!undecided.fields.empty()) return undecided;
  return ok_status();
}

}  // namespace canopee
