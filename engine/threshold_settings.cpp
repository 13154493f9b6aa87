#include "engine/threshold_settings.hpp"

namespace canopee {

Status validate_threshold_entry(const ThresholdEntry& entry) {
  std::vector<FieldError> errors;
  const Date first = from_civil({2024, 1, 1});
  const Date last = from_civil({2099, 12, 31});
  if (entry.from < first || entry.from > last) {
    errors.push_back({"from", "doit être compris entre 2024-01-01 et 2099-12-31", "threshold.from.out_of_range"});
  }
  if (entry.until && (*entry.until < entry.from || *entry.until > last)) {
    errors.push_back(
        {"until", "doit être postérieur ou égal à from, et au plus 2099-12-31", "threshold.until.out_of_range"});
  }
  if (entry.threshold == Threshold::small_lots_share_percent) {
    if (entry.value < 1 || entry.value > 100)
      errors.push_back({"value", "un pourcentage entre 1 et 100", "threshold.value.out_of_range"});
  } else if (entry.value <= 0 || entry.value > kMaxAmount) {
    errors.push_back({"value", "doit être un montant positif", "threshold.value.out_of_range"});
  }
  if (entry.source.empty() || entry.source.size() > 300) {
    errors.push_back(
        {"source", "doit citer le texte (décret, règlement) en 1 à 300 caractères", "threshold.source.length"});
  }
  if (errors.empty()) return ok_status();
  return Error{ErrorCode::invalid, "réglage de seuil invalide", std::move(errors), "threshold.invalid"};
}

}  // namespace canopee
