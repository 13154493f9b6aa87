#include "engine/post_award.hpp"

#include <algorithm>
#include <string>

#include "engine/document.hpp"
#include "engine/enum_names.hpp"

namespace canopee {
namespace {

constexpr auto kLetterKinds = enum_names<LetterKind>("award", "rejection");
constexpr auto kMeans = enum_names<SendingMeans>("electronic", "post");
constexpr auto kStages = enum_names<AwardStage>("letters_to_send", "standstill", "to_sign", "to_notify", "in_force");
constexpr auto kStageLabels = enum_names<AwardStage>("courriers à envoyer", "délai de suspension en cours",
                                                     "marchés à signer", "marchés à notifier", "marchés en vigueur");

const Letter* letter_to(const AwardChainFacts& facts, std::int64_t bid_id) {
  const auto it = std::find_if(facts.letters.begin(), facts.letters.end(),
                               [&](const Letter& l) { return l.bid_id == bid_id; });
  return it == facts.letters.end() ? nullptr : &*it;
}

// The day a letter counts from: its Paris day of sending, or of recording when later.
Date counted_from(const Letter& letter) { return std::max(paris_date(letter.sent_at), paris_date(letter.recorded_at)); }

bool is_other_bid(const AwardChainFacts& facts, std::int64_t bid_id) {
  return std::find(facts.other_bid_ids.begin(), facts.other_bid_ids.end(), bid_id) != facts.other_bid_ids.end();
}

}  // namespace

std::string_view to_string(LetterKind kind) { return kLetterKinds(kind); }
Result<LetterKind> parse_letter_kind(std::string_view text, std::string_view field) {
  return parse_value(kLetterKinds, text, field);
}
std::string_view to_string(SendingMeans means) { return kMeans(means); }
Result<SendingMeans> parse_sending_means(std::string_view text, std::string_view field) {
  return parse_value(kMeans, text, field);
}
std::string_view to_string(AwardStage stage) { return kStages(stage); }
std::string_view french_label(AwardStage stage) { return kStageLabels(stage); }

int standstill_days(Procedure procedure, SendingMeans means, std::optional<int> chosen_days) {
  if (procedure == Procedure::formal)
    return means == SendingMeans::electronic ? kStandstillElectronicDays : kStandstillOtherDays;
  return chosen_days.value_or(0);
}

Status check_chosen_standstill(std::optional<int> chosen_days) {
  if (chosen_days && (*chosen_days < 1 || *chosen_days > kMaxChosenStandstillDays)) {
    return Error::rule_broken(ErrorCode::invalid, "standstill.days.out_of_range", "standstill_days",
                              "doit être compris entre 1 et " + std::to_string(kMaxChosenStandstillDays) + " jours");
  }
  return ok_status();
}

std::vector<std::int64_t> letters_missing(const AwardChainFacts& facts) {
  std::vector<std::int64_t> missing;
  if (letter_to(facts, facts.winning_bid_id) == nullptr) missing.push_back(facts.winning_bid_id);
  for (const auto id : facts.other_bid_ids) {
    if (letter_to(facts, id) == nullptr) missing.push_back(id);
  }
  return missing;
}

std::optional<Standstill> standstill_of(const AwardChainFacts& facts) {
  if (facts.other_bid_ids.empty() || !letters_missing(facts).empty()) return std::nullopt;
  std::optional<Standstill> standstill;
  for (const auto id : facts.other_bid_ids) {
    const Letter& letter = *letter_to(facts, id);
    const Date sent_on = counted_from(letter);
    const int days = standstill_days(facts.procedure, letter.means, facts.chosen_standstill_days);
    const Date from = add_days(sent_on, days);  // date to date, the day of sending included
    if (!standstill) standstill = Standstill{sent_on, from};
    standstill->last_sent_on = std::max(standstill->last_sent_on, sent_on);
    standstill->signature_from = std::max(standstill->signature_from, from);
  }
  if (standstill && standstill->signature_from == standstill->last_sent_on) return std::nullopt;  // no standstill
  return standstill;
}

Status check_letter(const AwardChainFacts& facts, const Letter& letter, Instant now) {
  const bool winner = letter.bid_id == facts.winning_bid_id;
  if (!winner && !is_other_bid(facts, letter.bid_id)) {
    return Error::rule_broken(ErrorCode::invalid, "letter.bid_not_of_lot", "bid_id",
                              "cette offre n’a pas été remise pour ce lot");
  }
  if (winner != (letter.kind == LetterKind::award)) {
    return Error::rule_broken(ErrorCode::invalid, "letter.kind_mismatch", "kind",
                              winner ? "l’attributaire reçoit le courrier d’attribution (award)"
                                     : "un candidat évincé reçoit un courrier de rejet (rejection), R2181-1");
  }
  if (letter_to(facts, letter.bid_id) != nullptr) {
    return Error::rule_broken(ErrorCode::conflict, "letter.already_sent", "bid_id",
                              "un courrier a déjà été envoyé pour cette offre");
  }
  if (letter.sent_at > now) {
    return Error::rule_broken(ErrorCode::invalid, "letter.sent_in_future", "sent_at",
                              "la date d’envoi ne peut pas être dans le futur");
  }
  if (paris_date(letter.sent_at) < facts.decided_on) {
    return Error::rule_broken(ErrorCode::invalid, "letter.before_decision", "sent_at",
                              "un courrier ne part pas avant la décision d’attribution du " +
                                  to_french(facts.decided_on));
  }
  return ok_status();
}

Status check_signature(const AwardChainFacts& facts, Date signed_on, Date today) {
  if (signed_on > today) {
    return Error::rule_broken(ErrorCode::invalid, "contract.signature.in_future", "signed_on",
                              "la date de signature ne peut pas être dans le futur");
  }
  if (signed_on < facts.decided_on) {
    return Error::rule_broken(ErrorCode::invalid, "contract.signature.before_decision", "signed_on",
                              "un marché ne se signe pas avant la décision d’attribution du " +
                                  to_french(facts.decided_on));
  }
  if (const auto missing = letters_missing(facts); !missing.empty()) {
    std::string names;
    for (const auto id : missing) {
      const auto name = facts.bidder_names.find(id);
      names += (names.empty() ? "" : ", ") +
               (name != facts.bidder_names.end() ? name->second : "offre n° " + std::to_string(id));
    }
    return Error::rule_broken(ErrorCode::conflict, "contract.signature.letters_missing", "letters",
                              "tous les soumissionnaires doivent avoir été informés avant la signature "
                              "(R2181-1 à R2181-4) ; courriers à envoyer : " +
                                  names);
  }
  Date last_letter_on = facts.decided_on;
  for (const auto& letter : facts.letters) last_letter_on = std::max(last_letter_on, counted_from(letter));
  if (signed_on < last_letter_on) {
    return Error::rule_broken(ErrorCode::conflict, "contract.signature.before_letters", "signed_on",
                              "un marché se signe après l’information des soumissionnaires (R2181-1 à R2181-4) : "
                              "dernier courrier du " +
                                  to_french(last_letter_on));
  }
  if (const auto standstill = standstill_of(facts); standstill && signed_on < standstill->signature_from) {
    return Error::rule_broken(ErrorCode::conflict, "contract.signature.in_standstill", "signed_on",
                              "délai de suspension (R2182-1) : courriers de rejet envoyés le " +
                                  to_french(standstill->last_sent_on) + ", signature possible à partir du " +
                                  to_french(standstill->signature_from));
  }
  return ok_status();
}

Status check_prepared(const std::optional<PreparedLetter>& prepared, const Letter& letter) {
  if (!prepared) {
    return Error::rule_broken(ErrorCode::conflict, "letter.not_prepared", "bid_id",
                              "préparez d’abord le courrier (il est conservé tel quel), envoyez-le, puis enregistrez "
                              "son envoi");
  }
  if (prepared->means != letter.means) {
    return Error::rule_broken(ErrorCode::conflict, "letter.means_mismatch", "means",
                              std::string("le courrier a été préparé pour un envoi ") +
                                  (prepared->means == SendingMeans::electronic ? "par voie électronique"
                                                                               : "par un autre moyen") +
                                  ", dont il annonce le délai de suspension : préparez-le à nouveau pour ce moyen");
  }
  if (letter.sent_at < prepared->prepared_at) {
    return Error::rule_broken(ErrorCode::invalid, "letter.sent_before_prepared", "sent_at",
                              "un courrier ne part pas avant d’avoir été préparé, le " +
                                  to_french(prepared->prepared_at));
  }
  return ok_status();
}

Status check_signatory(bool members_sign, std::optional<std::int64_t> acting_member, std::int64_t contract_member) {
  if (!acting_member) return ok_status();
  if (*acting_member != contract_member)
    return Error{ErrorCode::not_found, "marché introuvable", {}, "contract.not_found"};
  if (!members_sign) {
    return Error::rule_broken(ErrorCode::conflict, "contract.signatory.coordinator", "",
                              "la convention du groupement confie la signature et la notification des marchés au "
                              "coordonnateur (L2113-7) : elles s’enregistrent par ses acheteurs publics");
  }
  return ok_status();
}

Status check_notification(Date signed_on, Date notified_on, Date today) {
  if (notified_on > today) {
    return Error::rule_broken(ErrorCode::invalid, "contract.notification.in_future", "notified_on",
                              "la date de notification ne peut pas être dans le futur");
  }
  if (notified_on < signed_on) {
    return Error::rule_broken(ErrorCode::invalid, "contract.notification.before_signature", "notified_on",
                              "un marché se notifie après sa signature (R2182-4), signé le " + to_french(signed_on));
  }
  return ok_status();
}

std::optional<Date> award_notice_due(Procedure procedure, Date first_signed_on) {
  if (procedure != Procedure::formal) return std::nullopt;
  return add_days(first_signed_on, kAwardNoticeDays);
}

AwardStage award_stage(const AwardChainFacts& facts, const std::vector<MemberContractDates>& contracts, Date today) {
  if (!letters_missing(facts).empty()) return AwardStage::letters_to_send;
  const bool all_signed = !contracts.empty() &&
                          std::all_of(contracts.begin(), contracts.end(),
                                      [](const MemberContractDates& c) { return c.signed_on.has_value(); });
  if (!all_signed) {
    const auto standstill = standstill_of(facts);
    return standstill && today < standstill->signature_from ? AwardStage::standstill : AwardStage::to_sign;
  }
  const bool all_notified = std::all_of(contracts.begin(), contracts.end(),
                                        [](const MemberContractDates& c) { return c.notified_on.has_value(); });
  return all_notified ? AwardStage::in_force : AwardStage::to_notify;
}

Status check_award_notice_sent(std::optional<Date> first_signed_on, std::optional<Date> already_sent, Date sent_on,
                               Date today) {
  if (already_sent) {
    return Error::rule_broken(ErrorCode::conflict, "award_notice.already_sent", "sent_on",
                              "l’avis d’attribution de ce lot est déjà enregistré comme envoyé, le " +
                                  french_long_date(*already_sent));
  }
  if (!first_signed_on) {
    return Error::rule_broken(ErrorCode::conflict, "award_notice.not_signed", "sent_on",
                              "l’avis d’attribution suit la signature du marché (R2183-1) : aucun marché du lot "
                              "n’est signé");
  }
  if (sent_on < *first_signed_on) {
    return Error::rule_broken(ErrorCode::conflict, "award_notice.before_signature", "sent_on",
                              "l’avis d’attribution suit la signature du marché (R2183-1), signé le " +
                                  french_long_date(*first_signed_on));
  }
  if (sent_on > today) {
    return Error::rule_broken(ErrorCode::invalid, "award_notice.future", "sent_on",
                              "l’envoi de l’avis d’attribution s’enregistre une fois fait, pas à l’avance");
  }
  return ok_status();
}

}  // namespace canopee
