#include "engine/splitting.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include "engine/need.hpp"

namespace canopee {
namespace {

std::string procedure_fr(Procedure procedure) {
  switch (procedure) {
    case Procedure::no_competition: return "sans publicité ni mise en concurrence (R2122-8)";
    case Procedure::adapted: return "en procédure adaptée (MAPA, R2123-1)";
    case Procedure::formal: return "en procédure formalisée (appel d'offres, R2124-1)";
  }
  return "";
}

std::string family_fr(std::uint32_t family) {
  const std::string digits = cpv_digits_string(family);
  return "famille CPV " + digits.substr(0, 4) + " (classe " + digits + ")";
}

struct RowThresholds {
  Amount no_competition, publicity, eu;
  std::string no_competition_source, eu_source;
};

Result<RowThresholds> thresholds_at(PurchaseKind kind, Date date, const ThresholdTable& table) {
  const bool works = kind == PurchaseKind::works;
  auto free_below = table.at(works ? Threshold::no_competition_works : Threshold::no_competition_supplies_services,
                             date);
  if (!free_below) return std::move(free_below).error();
  auto eu = table.at(works ? Threshold::eu_works : Threshold::eu_supplies_services, date);
  if (!eu) return std::move(eu).error();
  auto publicity = table.at(Threshold::mapa_publicity, date);
  if (!publicity) return std::move(publicity).error();
  return RowThresholds{Amount{free_below->value}, Amount{publicity->value}, Amount{eu->value}, free_below->source,
                       eu->source};
}

Procedure required_by(Amount value, const RowThresholds& t) {
  if (value < t.no_competition) return Procedure::no_competition;
  if (value < t.eu) return Procedure::adapted;
  return Procedure::formal;
}

// A date the thresholds do not cover: a refusal on the field the caller names.
Error on_field(const Error& e, const std::string& field) {
  return Error::rule_broken(ErrorCode::invalid, "splitting.thresholds_unknown", field,
                            "aucun seuil n'est connu pour une date de cette année (" +
                                (e.fields.empty() ? e.message : e.fields.front().message) +
                                ") : ajoutez les seuils publiés dans les réglages des seuils");
}

// The 8 digits of a lot's grouping code ("NNNNNNNN-N", or 8 digits for a prefix).
std::optional<std::uint32_t> lot_digits(const Lot& lot) {
  if (lot.cpv.size() < 8) return std::nullopt;
  std::uint32_t digits = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    if (lot.cpv[i] < '0' || lot.cpv[i] > '9') return std::nullopt;
    digits = digits * 10 + static_cast<std::uint32_t>(lot.cpv[i] - '0');
  }
  return digits;
}

struct RowKey {
  SplittingScope scope;
  std::int64_t member_id;
  std::string grouping_key;
  std::uint32_t family;
  auto operator<=>(const RowKey&) const = default;
};

}  // namespace

Status validate_standalone_purchase(const StandalonePurchase& p) {
  std::vector<FieldError> errors;
  const std::string code = "standalone_purchase.invalid";
  if (p.member_id <= 0) errors.push_back({"member_id", "doit désigner un membre", code});
  const auto label = text_length(p.label, false);
  if (!label || *label == 0 || *label > kMaxStandaloneLabel || p.label.find_first_not_of(' ') == std::string::npos) {
    errors.push_back({"label", "libellé de 1 à 300 caractères, sans caractère de contrôle", code});
  }
  if (p.amount.cents <= 0 || p.amount.cents > kMaxAmount) {
    errors.push_back({"amount", "montant HT positif, au plus 1 000 000 000 000 €", code});
  }
  if (p.purchased_on < from_civil({kFirstSplittingYear, 1, 1}) ||
      p.purchased_on > from_civil({kLastSplittingYear, 12, 31})) {
    errors.push_back({"purchased_on", "date de commande entre le 2024-01-01 et le 2099-12-31", code});
  }
  for (const auto& [text, field] :
       {std::pair{&p.supplier_name, "supplier_name"}, std::pair{&p.supplier_reference, "supplier_reference"}}) {
    const auto length = text_length(*text, false);
    if (!length || *length > kMaxStandaloneSupplierText) {
      errors.push_back({field, "au plus 200 caractères, sans caractère de contrôle", code});
    }
  }
  if (errors.empty()) return ok_status();
  Error e{ErrorCode::invalid, "achat hors consultation groupée invalide", std::move(errors)};
  e.rule = code;
  return e;
}

Status validate_cancel_reason(std::string_view reason) {
  const auto length = text_length(reason, true);
  if (!length || *length > kMaxCancelReason || reason.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return Error::rule_broken(ErrorCode::invalid, "standalone_purchase.cancel_reason", "reason",
                              "motif d'annulation obligatoire, de 1 à 2000 caractères");
  }
  return ok_status();
}

int year_of(Date date) { return to_civil(date).year; }

std::optional<int> tender_year(const Tender& tender) {
  if (tender.launch_date) return year_of(*tender.launch_date);
  if (tender.created_on) return year_of(*tender.created_on);
  return std::nullopt;
}

std::string joint_grouping_key(const Tender& tender) {
  return tender.groupement_id ? "groupement:" + std::to_string(*tender.groupement_id) : "network";
}

std::uint32_t homogeneous_family(std::uint32_t cpv_digits) { return cpv_prefix(cpv_digits, CpvDepth::class_); }

std::string_view to_string(SplittingScope scope) { return scope == SplittingScope::member ? "member" : "joint"; }

std::string_view to_string(SplittingItem::Source source) {
  return source == SplittingItem::Source::joint_tender ? "joint_tender" : "standalone_purchase";
}

Result<Procedure> procedure_required(Amount value, PurchaseKind kind, Date date, const ThresholdTable& thresholds) {
  auto t = thresholds_at(kind, date, thresholds);
  if (!t) return std::move(t).error();
  return required_by(value, *t);
}

std::vector<std::pair<std::int64_t, Amount>> member_shares(const Lot& lot) {
  std::vector<std::pair<std::int64_t, Amount>> shares;
  auto lines = lot.members;
  std::sort(lines.begin(), lines.end(),
            [](const LotMemberLine& a, const LotMemberLine& b) { return a.member_id < b.member_id; });
  if (!lot.officer_estimate) {
    for (const auto& m : lines) shares.emplace_back(m.member_id, m.reference_value);
    return shares;
  }
  std::vector<std::int64_t> weights;
  weights.reserve(lines.size());
  bool any = false;
  for (const auto& m : lines) any = any || m.reference_value.cents > 0;
  for (const auto& m : lines) weights.push_back(any ? m.reference_value.cents : m.quantity.thousandths);
  auto parts = allocate_largest_remainder(lot.officer_estimate->cents, weights);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    shares.emplace_back(lines[i].member_id, Amount{parts ? (*parts)[i] : 0});
  }
  return shares;
}

Result<SplittingReport> splitting_report(const SplittingRequest& request, std::span<const Tender> tenders,
                                         std::span<const StandalonePurchase> purchases,
                                         const ThresholdTable& thresholds) {
  if (request.year < kFirstSplittingYear || request.year > kLastSplittingYear) {
    return Error::rule_broken(ErrorCode::invalid, "splitting.year", "year", "année entre 2024 et 2099");
  }
  std::map<RowKey, SplittingRow> rows;
  auto row_for = [&](const RowKey& key) -> SplittingRow& {
    auto [it, inserted] = rows.try_emplace(key);
    if (inserted) {
      it->second.scope = key.scope;
      if (key.scope == SplittingScope::member) it->second.member_id = key.member_id;
      it->second.grouping_key = key.grouping_key;
      it->second.family = key.family;
      it->second.kind = purchase_kind_of_cpv(key.family);
    }
    return it->second;
  };

  for (const auto& tender : tenders) {
    if (tender.status == TenderStatus::cancelled || tender_year(tender) != request.year) continue;
    const Date date = tender.launch_date ? *tender.launch_date : *tender.created_on;
    std::map<std::uint32_t, std::int64_t> whole;                               // family → value
    std::map<std::pair<std::int64_t, std::uint32_t>, std::int64_t> by_member;  // (member, family) → value
    for (const auto& lot : tender.lots) {
      const auto digits = lot_digits(lot);
      if (!digits) continue;
      const auto family = homogeneous_family(*digits);
      whole[family] += lot.estimate().cents;
      for (const auto& [member, share] : member_shares(lot)) by_member[{member, family}] += share.cents;
    }
    auto item = [&](Amount value) {
      SplittingItem i;
      i.source = SplittingItem::Source::joint_tender;
      i.id = tender.id;
      i.reference = tender.reference;
      i.label = tender.title;
      i.date = date;
      i.value = value;
      i.procedure = tender.procedure;
      return i;
    };
    if (request.joint_rows) {
      const auto key = joint_grouping_key(tender);
      for (const auto& [family, value] : whole) {
        auto& row = row_for({SplittingScope::joint, 0, key, family});
        row.joint_value += Amount{value};
        row.items.push_back(item(Amount{value}));
      }
    }
    for (const auto& [mf, value] : by_member) {
      if (request.member_id && mf.first != *request.member_id) continue;
      auto& row = row_for({SplittingScope::member, mf.first, "", mf.second});
      row.joint_value += Amount{value};
      row.items.push_back(item(Amount{value}));
    }
  }

  for (const auto& p : purchases) {
    if (p.cancelled || year_of(p.purchased_on) != request.year) continue;
    if (request.member_id && p.member_id != *request.member_id) continue;
    const auto family = homogeneous_family(p.cpv.digits);
    auto& row = row_for({SplittingScope::member, p.member_id, "", family});
    // Bought alone, a purchase is passed under the procedure its own amount requires.
    auto own = procedure_required(p.amount, row.kind, p.purchased_on, thresholds);
    if (!own) return on_field(own.error(), "year");
    SplittingItem i;
    i.source = SplittingItem::Source::standalone_purchase;
    i.id = p.id;
    i.reference = p.supplier_reference;
    i.label = p.label;
    i.date = p.purchased_on;
    i.value = p.amount;
    i.procedure = *own;
    row.standalone_value += p.amount;
    row.items.push_back(std::move(i));
  }

  SplittingReport report;
  report.year = request.year;
  for (auto& [key, row] : rows) {
    row.total = row.joint_value + row.standalone_value;
    std::sort(row.items.begin(), row.items.end(), [](const SplittingItem& a, const SplittingItem& b) {
      return std::tie(a.date, a.source, a.id) < std::tie(b.date, b.source, b.id);
    });
    bool first = true;
    std::vector<const SplittingItem*> lighter;
    for (auto& item : row.items) {
      auto t = thresholds_at(row.kind, item.date, thresholds);
      if (!t) return on_field(t.error(), "year");
      item.required = required_by(row.total, *t);
      item.lighter = item.procedure < item.required;
      if (item.lighter) lighter.push_back(&item);
      if (first || item.required > row.required_procedure) {
        row.required_procedure = item.required;
        row.thresholds = {item.date, t->no_competition, t->publicity, t->eu, t->no_competition_source, t->eu_source};
        first = false;
      }
    }
    if (!lighter.empty()) {
      std::string list;
      for (const auto* item : lighter) {
        const std::string name = item->source == SplittingItem::Source::joint_tender
                                     ? "consultation " +
                                           (item->reference.empty() ? std::to_string(item->id) : item->reference)
                                     : "achat « " + item->label + " » du " + to_french(item->date);
        list += (list.empty() ? "" : ", ") + name + " (" + to_french_euros(item->value) + ", " +
                procedure_fr(item->procedure) + ")";
      }
      const Amount crossed = row.required_procedure == Procedure::formal ? row.thresholds.eu
                                                                         : row.thresholds.no_competition;
      const std::string whose = row.scope == SplittingScope::member ? "de ce membre" : "des consultations groupées";
      if (row.kind == PurchaseKind::works) {
        // Works are valued per opération (R2121-5), not per family over the year: the
        // family total only points at purchases to look at together.
        row.alert = SplittingAlert{"splitting.works_operation", "R2121-5",
                                   "Travaux " + whose + " en " + std::to_string(request.year) + ", " +
                                       family_fr(row.family) + " : " + to_french_euros(row.total) +
                                       " HT au total, au moins le seuil de " + to_french_euros(crossed) +
                                       ". Pour des travaux, la "
                                       "valeur estimée est celle de l'opération (R2121-5) : vérifiez si " +
                                       list +
                                       " relèvent d'une même "
                                       "opération ; ce total par famille n'est qu'indicatif."};
        report.rows.push_back(std::move(row));
        continue;
      }
      row.alert = SplittingAlert{
          "splitting.threshold_crossed", "R2121-6, R2121-7",
          "Achats " + whose + " en " + std::to_string(request.year) + ", " + family_fr(row.family) + " : " +
              to_french_euros(row.total) + " HT au total, au moins le seuil de " + to_french_euros(crossed) +
              " : l'ensemble doit être passé " + procedure_fr(row.required_procedure) +
              ". Passé(s) sous une procédure plus légère : " + list +
              ". La valeur estimée compte toutes les fournitures ou services homogènes d'une même famille (R2121-6) "
              "sur l'année (R2121-7) : découper un besoin pour rester sous un seuil est interdit."};
    }
    report.rows.push_back(std::move(row));
  }
  // Member rows first (by member, family), then joint rows (by key, family): the map's order.
  return report;
}

std::vector<FamilyYearTotal> other_family_totals(std::span<const Tender> tenders, int year,
                                                 std::string_view grouping_key, std::optional<std::int64_t> self) {
  std::map<std::uint32_t, FamilyYearTotal> totals;
  for (const auto& tender : tenders) {
    if (tender.status == TenderStatus::cancelled || tender_year(tender) != year) continue;
    if (self && tender.id == *self) continue;
    if (joint_grouping_key(tender) != grouping_key) continue;
    std::map<std::uint32_t, bool> seen;
    for (const auto& lot : tender.lots) {
      const auto digits = lot_digits(lot);
      if (!digits) continue;
      auto& total = totals[homogeneous_family(*digits)];
      total.family = homogeneous_family(*digits);
      total.other_tenders_value += lot.estimate();
      if (!seen[total.family]) {
        seen[total.family] = true;
        ++total.other_tenders;
      }
    }
  }
  std::vector<FamilyYearTotal> out;
  out.reserve(totals.size());
  for (const auto& [family, total] : totals) out.push_back(total);
  return out;
}

Status add_family_year_warnings(ProcedureAdvice& advice, const ProcedureInput& input,
                                std::span<const FamilyYearTotal> others, const ThresholdTable& thresholds) {
  if (others.empty()) return ok_status();
  // The families of this tender at the class, whatever depth the proposal grouped them at.
  std::map<std::uint32_t, std::int64_t> mine;
  for (const auto& f : input.families) mine[homogeneous_family(f.cpv_digits)] += f.estimated_value.cents;
  auto t = thresholds_at(advice.kind, input.launch_date, thresholds);
  if (!t) return std::move(t).error();
  for (const auto& other : others) {
    const auto found = mine.find(other.family);
    if (found == mine.end() || other.other_tenders == 0) continue;
    const Amount value{found->second};
    const Amount total = value + other.other_tenders_value;
    const Procedure required = required_by(total, *t);
    if (required <= advice.procedure) continue;
    const Amount crossed = required == Procedure::formal ? t->eu : t->no_competition;
    advice.warnings.push_back(
        {"splitting.family_year_total", "R2121-6, R2121-7",
         "La " + family_fr(other.family) + " vaut " + to_french_euros(value) + " dans cette consultation, mais " +
             to_french_euros(total) + " avec les " + std::to_string(other.other_tenders) +
             " autre(s) consultation(s) groupée(s) non annulée(s) de " + std::to_string(year_of(input.launch_date)) +
             " : au moins le seuil de " + to_french_euros(crossed) + ", ce total requiert de passer " +
             procedure_fr(required) +
             ". Des fournitures ou services homogènes se comptent ensemble sur l'année (R2121-6, R2121-7) : "
             "découper un besoin pour rester sous un seuil est interdit. Si les besoins ne sont pas homogènes, "
             "justifier ce choix au dossier."});
  }
  return ok_status();
}

Status check_cancel_right(const StandalonePurchase& purchase, bool by_officer, Date today) {
  if (by_officer) return ok_status();
  const auto recorded = parse_date_time(purchase.created_at, "created_at");
  if (recorded && paris_date(*recorded) == today) return ok_status();
  return Error::rule_broken(
      ErrorCode::conflict, "standalone_purchase.cancel_by_officer", "",
      "un acheteur annule un achat le jour de sa saisie (erreur de saisie) ; ensuite, demandez "
      "l’annulation à l’acheteur du réseau : un achat réel ne s’efface pas du suivi annuel (R2121-6, "
      "R2121-7)");
}

}  // namespace canopee
