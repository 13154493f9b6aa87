#include "engine/need.hpp"

#include "engine/enum_names.hpp"

#include <algorithm>
#include <array>

namespace canopee {
namespace {

constexpr auto kStatusNames = enum_names<NeedStatus>("draft", "submitted", "pooled", "tendered", "awarded",
                                                     "withdrawn");

bool valid_attribute_key(std::string_view key) {
  if (key.empty() || key.size() > 64) return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
  });
}

template <class T>
std::optional<T> take(Result<T>&& result, std::vector<FieldError>& errors) {
  if (result.ok()) return std::move(result).value();
  for (auto& f : std::move(result).error().fields) errors.push_back(std::move(f));
  return std::nullopt;
}

}  // namespace

bool is_blank(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n') {
      ++i;
    } else if (text.substr(i, 2) == "\xC2\xA0") {
      i += 2;
    } else if (text.substr(i, 3) == "\xE2\x80\xAF") {
      i += 3;
    } else {
      return false;
    }
  }
  return true;
}

std::optional<std::size_t> text_length(std::string_view text, bool allow_newlines) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = 0;
    if (c < 0x80) {
      if ((c < 0x20 && !(allow_newlines && (c == '\n' || c == '\r' || c == '\t'))) || c == 0x7F) return std::nullopt;
      len = 1;
    } else if ((c & 0xE0) == 0xC0 && c >= 0xC2) {
      len = 2;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
    } else if ((c & 0xF8) == 0xF0 && c <= 0xF4) {
      len = 4;
    } else {
      return std::nullopt;
    }
    if (i + len > text.size()) return std::nullopt;
    for (std::size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return std::nullopt;
    }
    i += len;
    ++count;
  }
  return count;
}

std::string_view to_string(NeedStatus status) { return kStatusNames(status); }

Result<NeedStatus> parse_need_status(std::string_view text, std::string_view field) {
  if (auto value = kStatusNames.parse(text)) return *value;
  return Error::invalid(std::string(field), "doit être l’un de " + kStatusNames.listed(), "need.status.unknown");
}

bool reference_missing(const Need& need) {
  return need.reference_unit_price.ten_thousandths == 0 && need.reference_source != ReferenceSource::average_of_offers;
}

bool need_is_editable(NeedStatus status) { return status == NeedStatus::draft || status == NeedStatus::submitted; }

std::string_view french_label(NeedStatus status) {
  constexpr auto labels = enum_names<NeedStatus>("brouillon", "soumis", "mutualisé", "en consultation", "attribué",
                                                 "retiré");
  return labels(status);
}

Status check_need_editable(const Need& need) {
  if (need_is_editable(need.status)) return ok_status();
  return Error::of(ErrorCode::conflict,
                   "le besoin est « " + std::string(french_label(need.status)) + " » : il ne peut plus changer",
                   "need.not_editable");
}

Status check_need_withdrawable(const Need& need) {
  if (need_is_editable(need.status)) return ok_status();
  return Error::of(ErrorCode::conflict,
                   "le besoin est « " + std::string(french_label(need.status)) + " » : il ne peut plus être retiré",
                   "need.not_withdrawable");
}

bool need_transition_allowed(NeedStatus from, NeedStatus to) {
  using S = NeedStatus;
  switch (from) {
    case S::draft: return to == S::submitted || to == S::withdrawn;
    case S::submitted: return to == S::draft || to == S::pooled || to == S::withdrawn;
    case S::pooled: return to == S::tendered || to == S::submitted;
    case S::tendered: return to == S::awarded || to == S::submitted;
    case S::awarded:
    case S::withdrawn: return false;
  }
  return false;
}

Result<Need> validate_need(const NeedDraft& draft, const CpvNomenclature& nomenclature) {
  std::vector<FieldError> errors;
  const auto required = [&](const std::optional<std::string>& value, const char* field) -> const std::string* {
    if (!value) {
      errors.push_back({field, "est obligatoire", "need.field.required"});
      return nullptr;
    }
    return &*value;
  };
  Need need;

  if (const auto* cpv = required(draft.cpv, "cpv")) {
    if (auto code = take(nomenclature.validate(*cpv, "cpv"), errors)) need.cpv = *code;
  }
  if (const auto* title = required(draft.title, "title")) {
    const auto length = text_length(*title, false);
    if (!length) {
      errors.push_back(
          {"title", "doit être un texte UTF-8 valide, sans caractère de contrôle", "need.title.invalid_text"});
    } else if (*length == 0 || title->find_first_not_of(" \t") == std::string::npos) {
      errors.push_back({"title", "ne doit pas être vide", "need.title.empty"});
    } else if (*length > kMaxTitleLength) {
      errors.push_back({"title", "200 caractères au plus", "need.title.length"});
    } else {
      need.title = *title;
    }
  }
  if (draft.description) {
    const auto length = text_length(*draft.description, true);
    if (!length) {
      errors.push_back({"description", "doit être un texte UTF-8 valide, sans caractère de contrôle",
                        "need.description.invalid_text"});
    } else if (*length > kMaxDescriptionLength) {
      errors.push_back({"description", "4000 caractères au plus", "need.description.length"});
    } else {
      need.description = *draft.description;
    }
  }
  if (const auto* text = required(draft.quantity, "quantity")) {
    if (auto q = take(parse_quantity(*text, "quantity"), errors)) {
      if (q->thousandths <= 0) {
        errors.push_back({"quantity", "doit être supérieure à zéro", "need.quantity.not_positive"});
      } else {
        need.quantity = *q;
      }
    }
  }
  if (const auto* text = required(draft.unit, "unit")) {
    if (auto unit = take(parse_unit(*text, "unit"), errors)) need.unit = *unit;
  }
  if (const auto* text = required(draft.reference_unit_price, "reference_unit_price")) {
    if (auto price = take(parse_unit_price(*text, "reference_unit_price"), errors)) {
      if (price->ten_thousandths < 0) {
        errors.push_back({"reference_unit_price", "ne doit pas être négatif", "need.reference_unit_price.negative"});
      } else {
        need.reference_unit_price = *price;
      }
    }
  }
  if (draft.reference_source) {
    if (auto source = take(parse_reference_source(*draft.reference_source, "reference_source"), errors))
      need.reference_source = *source;
  }
  if (draft.reference_date && !draft.reference_date->empty()) {
    if (auto day = parse_date(*draft.reference_date, "reference_date")) {
      need.reference_date = *day;
    } else {
      // The date's own reason: 2027-02-30 is well written but not in the calendar.
      errors.push_back({"reference_date", day.error().message, "need.reference.date_invalid"});
    }
  }
  if (draft.reference_index && !draft.reference_index->empty()) {
    if (!check_index_code(*draft.reference_index, "reference_index")) {
      errors.push_back({"reference_index", "code d’indice de 1 à 20 caractères parmi A–Z, 0–9, _ et - (ex. BT01)",
                        "need.reference.index_invalid"});
    } else if (need.reference_source == ReferenceSource::average_of_offers) {
      errors.push_back({"reference_index",
                        "la moyenne des offres reçues est déjà au prix du jour de l’attribution : pas d’indice",
                        "need.reference.index_not_applicable"});
    } else {
      need.reference_index = *draft.reference_index;
    }
  }
  if (const auto* text = required(draft.department, "department")) {
    if (auto d = take(parse_department(*text, "department"), errors)) need.department = *d;
  }
  std::optional<Date> start;
  std::optional<Date> end;
  if (const auto* text = required(draft.period_start, "period_start"))
    start = take(parse_date(*text, "period_start"), errors);
  if (const auto* text = required(draft.period_end, "period_end")) end = take(parse_date(*text, "period_end"), errors);
  if (start && end) {
    if (*start > *end) {
      errors.push_back({"period_end", "ne doit pas précéder le début de la période", "need.period.reversed"});
    } else {
      need.period_start = *start;
      need.period_end = *end;
    }
  }
  need.recurring = draft.recurring.value_or(false);

  const auto& attributes = draft.attributes ? *draft.attributes : decltype(draft.attributes)::value_type{};
  if (attributes.size() > kMaxAttributes) {
    errors.push_back({"attributes", "32 attributs au plus", "need.attributes.too_many"});
  } else {
    for (const auto& [key, value] : attributes) {
      const std::string field = "attributes." + key.substr(0, 64);
      if (!valid_attribute_key(key)) {
        errors.push_back(
            {"attributes", "un nom d’attribut compte 1 à 64 caractères parmi a–z, 0–9, _ - .", "need.attributes.name"});
        continue;
      }
      const auto length = text_length(value, false);
      if (!length || *length == 0 || *length > 200) {
        errors.push_back({field, "1 à 200 caractères de texte", "need.attributes.value"});
        continue;
      }
      need.attributes.push_back({key, value});
    }
    std::sort(need.attributes.begin(), need.attributes.end(),
              [](const Attribute& a, const Attribute& b) { return a.key < b.key; });
    const auto dup = std::adjacent_find(need.attributes.begin(), need.attributes.end(),
                                        [](const Attribute& a, const Attribute& b) { return a.key == b.key; });
    if (dup != need.attributes.end())
      errors.push_back({"attributes." + dup->key, "est donné deux fois", "need.attributes.duplicate"});
  }

  if (errors.empty()) {
    if (auto amount = line_amount(need.quantity, need.reference_unit_price); !amount) {
      errors.push_back({"quantity",
                        "quantité × prix unitaire de référence dépasse le plus grand montant pris en charge",
                        "need.amount.too_large"});
    }
  }
  if (!errors.empty()) {
    Error error{ErrorCode::invalid, "le besoin est invalide", std::move(errors), "need.invalid"};
    return error;
  }
  return need;
}

NeedDraft to_draft(const Need& need) {
  NeedDraft draft;
  draft.cpv = to_string(need.cpv);
  draft.title = need.title;
  draft.description = need.description;
  draft.quantity = to_string(need.quantity);
  draft.unit = std::string(to_string(need.unit));
  draft.reference_unit_price = to_string(need.reference_unit_price);
  draft.reference_source = std::string(to_string(need.reference_source));
  if (need.reference_date) draft.reference_date = to_string(*need.reference_date);
  draft.reference_index = need.reference_index;
  draft.department = to_string(need.department);
  draft.period_start = to_string(need.period_start);
  draft.period_end = to_string(need.period_end);
  draft.recurring = need.recurring;
  draft.attributes.emplace();
  for (const auto& a : need.attributes) draft.attributes->emplace_back(a.key, a.value);
  return draft;
}

Result<Need> patch_need(const Need& need, const NeedDraft& patch, const CpvNomenclature& nomenclature) {
  NeedDraft merged = to_draft(need);
  const auto over = [](std::optional<std::string>& target, const std::optional<std::string>& value) {
    if (value) target = value;
  };
  over(merged.cpv, patch.cpv);
  over(merged.title, patch.title);
  over(merged.description, patch.description);
  over(merged.quantity, patch.quantity);
  over(merged.unit, patch.unit);
  over(merged.reference_unit_price, patch.reference_unit_price);
  over(merged.reference_source, patch.reference_source);
  over(merged.reference_date, patch.reference_date);
  over(merged.reference_index, patch.reference_index);
  over(merged.department, patch.department);
  over(merged.period_start, patch.period_start);
  over(merged.period_end, patch.period_end);
  if (patch.recurring) merged.recurring = patch.recurring;
  if (patch.attributes) merged.attributes = patch.attributes;
  auto validated = validate_need(merged, nomenclature);
  if (!validated) return validated;
  validated->id = need.id;
  validated->member_id = need.member_id;
  validated->status = need.status;
  validated->version = need.version;
  return validated;
}

}  // namespace canopee
