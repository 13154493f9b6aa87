#include "engine/bid_review.hpp"

#include "engine/enum_names.hpp"

#include <algorithm>
#include <array>
#include <optional>

#include "engine/need.hpp"

namespace canopee {
namespace {

constexpr auto kKinds = enum_names<BidDecisionKind>("valid", "regularisation_requested", "irregular", "unacceptable",
                                                    "inappropriate", "price_questioned", "explanations_requested",
                                                    "explanations_received", "explanations_accepted",
                                                    "explanations_refused");

constexpr std::array<std::string_view, kExplanationGrounds> kGrounds = {
    "1° le mode de fabrication des produits, les modalités de la prestation des services, le procédé de construction",
    "2° les solutions techniques adoptées ou les conditions exceptionnellement favorables dont dispose le soumissionnaire",
    "3° l’originalité de l’offre",
    "4° la réglementation applicable en matière d’environnement, sociale et du travail en vigueur là où la prestation "
    "est réalisée",
    "5° l’obtention éventuelle d’une aide d’État par le soumissionnaire",
};

constexpr auto kRegularityLabels = enum_names<Regularity>("reçue", "en régularisation", "régulière", "irrégulière",
                                                          "inacceptable", "inappropriée");

std::string label(Regularity r) { return std::string(kRegularityLabels(r)); }

// Blank: nothing but spaces, tabs, line breaks and no-break spaces (U+00A0, U+202F).

Error refused(std::string code, std::string message) {
  return Error::rule_broken(ErrorCode::conflict, std::move(code), "decision", std::move(message));
}

// A required free text: present, well-formed, at most kMaxDecisionText code points.
void require_text(const std::string& text, const char* field, const char* what, std::vector<FieldError>& errors) {
  const auto length = text_length(text, true);
  if (!length) {
    errors.push_back({field, "doit être un texte UTF-8 sans caractère de contrôle", "text.malformed"});
  } else if (is_blank(text)) {
    errors.push_back({field, std::string(what) + " est obligatoire pour cette décision",
                      "bid.decision." + std::string(field) + "_missing"});
  } else if (*length > kMaxDecisionText) {
    errors.push_back({field, "doit faire au plus 4000 caractères", "text.too_long"});
  }
}

// Fields a decision does not take must be absent: a stray value is a mistake.
void forbid(bool present, const char* field, std::vector<FieldError>& errors) {
  if (present) errors.push_back({field, "ne s’applique pas à cette décision", "bid.decision.field_not_applicable"});
}

Status check_fields(const BidDecision& d, const BidReview& current, const DecisionContext& context) {
  std::vector<FieldError> errors;
  const bool takes_reason = d.kind != BidDecisionKind::valid && d.kind != BidDecisionKind::regularisation_requested &&
                            d.kind != BidDecisionKind::explanations_requested &&
                            d.kind != BidDecisionKind::explanations_received;
  const bool takes_request = d.kind == BidDecisionKind::regularisation_requested ||
                             d.kind == BidDecisionKind::explanations_requested;
  const bool takes_received = d.kind == BidDecisionKind::explanations_received;
  const bool takes_grounds = d.kind == BidDecisionKind::explanations_refused;

  const bool forbids_reason = !takes_reason && d.kind != BidDecisionKind::valid &&
                              d.kind != BidDecisionKind::explanations_received;
  if (forbids_reason) {
    forbid(!d.reason.empty(), "reason", errors);
  } else if (takes_reason || (!d.reason.empty() && !is_blank(d.reason))) {
    require_text(d.reason, "reason", "le motif", errors);  // required, or an optional remark
  }

  if (takes_request) {
    require_text(d.request, "request", "le texte de la demande écrite", errors);
    if (!d.deadline) {
      errors.push_back({"deadline", "la date limite de réponse est obligatoire", "bid.decision.deadline_missing"});
    } else if (*d.deadline <= context.today) {
      errors.push_back(
          {"deadline",
           "la date limite de réponse doit être postérieure à aujourd’hui (" + to_french(context.today) + ")",
           "bid.decision.deadline_not_future"});
    }
  } else {
    forbid(!d.request.empty(), "request", errors);
    forbid(d.deadline.has_value(), "deadline", errors);
  }

  if (takes_received) {
    if (!d.received_on) {
      errors.push_back(
          {"received_on", "la date de réception des explications est obligatoire", "bid.decision.received_on_missing"});
    } else if (*d.received_on > context.today) {
      errors.push_back(
          {"received_on", "la date de réception ne peut pas être dans le futur", "bid.decision.received_on_future"});
    }
  } else {
    forbid(d.received_on.has_value(), "received_on", errors);
  }

  if (takes_grounds) {
    // Explanations received are refused for what they fail to account for; with no
    // answer by the deadline there is nothing to weigh, the reason says so.
    if (d.grounds.empty() && current.price_review == PriceReview::answered) {
      errors.push_back({"grounds",
                        "indiquez les éléments de l’article R2152-3 (1° à 5°) que les explications ne justifient pas",
                        "bid.decision.grounds_missing"});
    }
    for (std::size_t i = 0; i < d.grounds.size(); ++i) {
      if (d.grounds[i] < 1 || d.grounds[i] > kExplanationGrounds) {
        errors.push_back({"grounds[" + std::to_string(i) + "]", "doit être un élément de l’article R2152-3, de 1 à 5",
                          "bid.decision.ground_unknown"});
      } else if (i > 0 && d.grounds[i] <= d.grounds[i - 1]) {
        errors.push_back({"grounds[" + std::to_string(i) + "]",
                          "les éléments se donnent une fois chacun, dans l’ordre croissant",
                          "bid.decision.grounds_unordered"});
      }
    }
  } else {
    forbid(!d.grounds.empty(), "grounds", errors);
  }
  if (errors.empty()) return ok_status();
  return Error{ErrorCode::invalid, "la décision est incomplète ou mal formée", std::move(errors),
               "bid.decision.invalid"};
}

void clear_request(BidReview& review) {
  review.requested_on.reset();
  review.deadline.reset();
}

}  // namespace

std::string_view to_string(BidDecisionKind kind) { return kKinds(kind); }

Result<BidDecisionKind> parse_bid_decision_kind(std::string_view text, std::string_view field) {
  if (auto value = kKinds.parse(text)) return *value;
  return Error::invalid(std::string(field), "doit être l’une des décisions : " + kKinds.listed(),
                        "bid.decision.unknown");
}

std::string_view explanation_ground_label(int ground) {
  return ground >= 1 && ground <= kExplanationGrounds ? kGrounds[static_cast<std::size_t>(ground - 1)]
                                                      : std::string_view{};
}

Result<BidReview> decide(const BidReview& current, const BidDecision& d, const DecisionContext& context) {
  if (!context.tender_closed) {
    return refused("bid.decision.tender_not_closed",
                   "les offres s’examinent une fois la réception close et les plis ouverts : clôturez d’abord la "
                   "réception des offres");
  }
  if (!context.lot_open) {
    return refused("bid.decision.lot_settled",
                   "le lot est déjà attribué ou déclaré infructueux : ses offres ne changent plus");
  }
  if (auto fields = check_fields(d, current, context); !fields) return std::move(fields).error();

  BidReview next = current;
  const Regularity r = current.regularity;
  const PriceReview p = current.price_review;
  if (p == PriceReview::refused) {
    return refused(
        "bid.decision.bid_rejected",
        "les explications ont été refusées et l’offre rejetée comme anormalement basse (R2152-4) : plus aucune "
        "décision ne s’y applique");
  }
  // An irregular offer may still be invited to regularise (R2152-2); an
  // unacceptable or inappropriate one is eliminated for good (R2152-1).
  if (is_rejection(r) && !(r == Regularity::irregular && d.kind == BidDecisionKind::regularisation_requested)) {
    return refused("bid.decision.bid_eliminated", "l’offre est éliminée comme " + label(r) +
                                                      " (R2152-1) : seule une offre irrégulière peut encore être "
                                                      "invitée à se régulariser (R2152-2)");
  }

  switch (d.kind) {
    case BidDecisionKind::valid:
      if (r != Regularity::received && r != Regularity::regularisation_requested) {
        return refused("bid.decision.not_pending", "la régularité de l’offre est déjà décidée : " + label(r));
      }
      // A regularised offer must not be abnormally low (R2152-2): its price first.
      if (r == Regularity::regularisation_requested &&
          ((context.flagged_abnormally_low && p != PriceReview::accepted) || is_pending(p))) {
        return refused(
            "bid.decision.regularisation_abnormally_low",
            "une offre qui paraît anormalement basse ne peut pas être régularisée (R2152-2) : statuez d’abord "
            "sur son prix");
      }
      next.regularity = Regularity::valid;
      if (r == Regularity::regularisation_requested) clear_request(next);
      return next;
    case BidDecisionKind::regularisation_requested:
      if (r != Regularity::received && r != Regularity::irregular) {
        return refused(
            "bid.decision.not_pending",
            "une régularisation se demande pour une offre irrégulière, avant ou après l’avoir déclarée telle (R2152-2)");
      }
      // R2152-2: only an offer that is not abnormally low may be regularised.
      if ((context.flagged_abnormally_low && p != PriceReview::accepted) || is_pending(p)) {
        return refused(
            "bid.decision.regularisation_abnormally_low",
            "une offre qui paraît anormalement basse ne peut pas être régularisée (R2152-2) : examinez d’abord son prix");
      }
      next.regularity = Regularity::regularisation_requested;
      next.requested_on = context.today;
      next.deadline = d.deadline;
      return next;
    case BidDecisionKind::irregular:
    case BidDecisionKind::unacceptable:
    case BidDecisionKind::inappropriate:
      if (d.kind != BidDecisionKind::irregular && r == Regularity::regularisation_requested) {
        // A regularised offer is judged on what was asked: it stays or becomes irregular.
        return refused("bid.decision.after_regularisation",
                       "après une demande de régularisation, l’offre est déclarée régulière ou irrégulière (R2152-2)");
      }
      // The bidder keeps its whole "délai approprié" (R2152-2) to regularise.
      if (r == Regularity::regularisation_requested && current.deadline && context.today <= *current.deadline) {
        return refused(
            "bid.decision.deadline_not_passed",
            "le soumissionnaire a jusqu’au " + to_french(*current.deadline) +
                " pour régulariser son offre : déclarez-la régulière dès réception, irrégulière après ce délai");
      }
      next.regularity = d.kind == BidDecisionKind::irregular      ? Regularity::irregular
                        : d.kind == BidDecisionKind::unacceptable ? Regularity::unacceptable
                                                                  : Regularity::inappropriate;
      if (r == Regularity::regularisation_requested) clear_request(next);
      return next;
    case BidDecisionKind::price_questioned:
      if (p != PriceReview::none) {
        return refused("bid.decision.price_review_started",
                       "le prix de cette offre est déjà en cours d’examen ou jugé");
      }
      if (context.flagged_abnormally_low) {
        return refused(
            "bid.decision.already_flagged",
            "l’offre est déjà signalée anormalement basse : demandez directement des explications (L2152-6)");
      }
      next.price_review = PriceReview::questioned;
      return next;
    case BidDecisionKind::explanations_requested:
      if (r == Regularity::regularisation_requested) {
        return refused("bid.decision.request_pending", "une demande de régularisation est en cours sur cette offre");
      }
      if (p == PriceReview::none && !context.flagged_abnormally_low) {
        return refused(
            "bid.decision.not_flagged",
            "l’offre n’est pas signalée anormalement basse : si son prix vous paraît tel, exprimez d’abord votre "
            "doute avec ses motifs (décision « price_questioned », CE, 29 mai 2013, n° 366606)");
      }
      if (p != PriceReview::none && p != PriceReview::questioned) {
        return refused("bid.decision.price_review_started", "des explications ont déjà été demandées pour cette offre");
      }
      next.price_review = PriceReview::requested;
      next.requested_on = context.today;
      next.deadline = d.deadline;
      return next;
    case BidDecisionKind::explanations_received:
      if (p != PriceReview::requested) {
        return refused("bid.decision.nothing_requested",
                       "aucune demande d’explications n’attend de réponse sur cette offre");
      }
      if (current.requested_on && *d.received_on < *current.requested_on) {
        return Error::rule_broken(ErrorCode::invalid, "bid.decision.received_before_request", "received_on",
                                  "les explications ne peuvent pas être reçues avant la demande (" +
                                      to_french(*current.requested_on) + ")");
      }
      next.price_review = PriceReview::answered;
      return next;
    case BidDecisionKind::explanations_accepted:
      if (p != PriceReview::answered) {
        return refused("bid.decision.no_answer",
                       "les explications s’acceptent une fois reçues : enregistrez d’abord leur réception");
      }
      next.price_review = PriceReview::accepted;
      clear_request(next);
      return next;
    case BidDecisionKind::explanations_refused:
      if (p == PriceReview::requested) {
        // Without an answer, the offer is rejected only once the deadline has passed
        // (a request without a known deadline, from before decisions were recorded,
        // waits for its answer).
        if (!current.deadline || context.today <= *current.deadline) {
          return refused("bid.decision.deadline_not_passed",
                         current.deadline
                             ? "le soumissionnaire a jusqu’au " + to_french(*current.deadline) +
                                   " pour s’expliquer : attendez sa réponse ou la fin du délai (L2152-6, R2152-3)"
                             : "la demande d’explications n’a pas de date limite connue : enregistrez la réponse "
                               "du soumissionnaire avant de statuer (L2152-6, R2152-3)");
        }
      } else if (p != PriceReview::answered) {
        return refused(
            "bid.decision.nothing_requested",
            "une offre n’est rejetée comme anormalement basse qu’après avoir demandé des explications (L2152-6, R2152-4 ; CJUE C-599/10)");
      }
      next.price_review = PriceReview::refused;
      clear_request(next);
      return next;
  }
  return refused("bid.decision.unknown", "décision inconnue");
}

Status check_score_change(const std::vector<CriterionScore>& before, const std::vector<CriterionScore>& after,
                          bool opened, bool lot_drawn, std::string_view reason) {
  const auto mark = [](const std::vector<CriterionScore>& scores,
                       const std::string& criterion) -> std::optional<std::int64_t> {
    for (const auto& s : scores) {
      if (s.criterion == criterion) return s.score;
    }
    return std::nullopt;
  };
  bool changed = before.size() != after.size();
  bool given_changed = false;  // a mark already given, changed or removed
  for (const auto& s : before) {
    const auto now = mark(after, s.criterion);
    if (now != s.score) given_changed = changed = true;
  }
  for (const auto& s : after) {
    if (!mark(before, s.criterion)) changed = true;
  }
  if (!changed) return ok_status();
  if (lot_drawn) {
    return Error::rule_broken(
        ErrorCode::conflict, "bid.scores_frozen_by_draw", "scores",
        "les notes des offres d’un lot départagé par tirage au sort ne changent plus : le tirage a "
        "arrêté le classement sur ces notes");
  }
  if (opened && given_changed && is_blank(reason)) {
    return Error::rule_broken(
        ErrorCode::invalid, "bid.scores.reason_required", "reason",
        "modifier une note déjà attribuée après l’ouverture des plis demande un motif, consigné au "
        "journal (égalité de traitement des candidats)");
  }
  return ok_status();
}

}  // namespace canopee
