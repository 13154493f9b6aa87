#include "adapters/formats/needs_csv.hpp"

#include <algorithm>
#include <array>
#include <optional>

#include "adapters/formats/csv.hpp"

namespace canopee::formats {
namespace {

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

// The columns, by their API name (the errors' field names), in this order.
enum NeedColumn : std::size_t {
  cpv,
  title,
  description,
  quantity,
  unit,
  reference_unit_price,
  department,
  period_start,
  period_end,
  recurring,
  reference_source,
  reference_date,
  reference_index
};
constexpr std::array<std::string_view, 13> kKnown{"cpv",
                                                  "title",
                                                  "description",
                                                  "quantity",
                                                  "unit",
                                                  "reference_unit_price",
                                                  "department",
                                                  "period_start",
                                                  "period_end",
                                                  "recurring",
                                                  "reference_source",
                                                  "reference_date",
                                                  "reference_index"};
// The template's French headers, named in the errors about a missing column.
constexpr std::array<std::string_view, 13> kFrench{"Code CPV",
                                                   "Intitulé",
                                                   "Description",
                                                   "Quantité",
                                                   "Unité",
                                                   "Prix unitaire estimé HT",
                                                   "Département",
                                                   "Date de début",
                                                   "Date de fin",
                                                   "Récurrent",
                                                   "Source de la référence",
                                                   "Date de la référence",
                                                   "Indice"};

struct Alias {
  std::string_view name;  // folded (fold_header)
  NeedColumn column;
};
constexpr std::array<Alias, 44> kAliases{{
    {"code_cpv", cpv},
    {"cpv", cpv},
    {"intitule", title},
    {"titre", title},
    {"libelle", title},
    {"designation", title},
    {"objet", title},
    {"description", description},
    {"quantite", quantity},
    {"quantite_annuelle", quantity},
    {"qte", quantity},
    {"unite", unit},
    {"prix_unitaire_estime_ht", reference_unit_price},
    {"prix_unitaire_estime", reference_unit_price},
    {"prix_unitaire_ht", reference_unit_price},
    {"prix_unitaire", reference_unit_price},
    {"prix_unitaire_de_reference_ht", reference_unit_price},
    {"prix_unitaire_de_reference", reference_unit_price},
    {"prix_de_reference_ht", reference_unit_price},
    {"pu_ht", reference_unit_price},
    {"departement", department},
    {"dept", department},
    {"date_de_debut", period_start},
    {"date_debut", period_start},
    {"debut", period_start},
    {"debut_de_periode", period_start},
    {"date_de_fin", period_end},
    {"date_fin", period_end},
    {"fin", period_end},
    {"fin_de_periode", period_end},
    {"recurrent", recurring},
    {"besoin_recurrent", recurring},
    {"source_de_la_reference", reference_source},
    {"source_de_reference", reference_source},
    {"source_du_prix", reference_source},
    {"origine_du_prix", reference_source},
    {"date_de_la_reference", reference_date},
    {"date_de_reference", reference_date},
    {"date_du_prix", reference_date},
    {"indice", reference_index},
    {"indice_de_reference", reference_index},
    {"indice_de_revision", reference_index},
    {"indice_d_actualisation", reference_index},
    {"indice_dactualisation", reference_index},
}};

std::optional<NeedColumn> column_of(std::string_view header) {
  const std::string folded = fold_header(header);
  for (std::size_t k = 0; k < kKnown.size(); ++k) {
    if (kKnown[k] == folded) return static_cast<NeedColumn>(k);
  }
  for (const auto& alias : kAliases) {
    if (alias.name == folded) return alias.column;
  }
  return std::nullopt;
}

bool optional_column(std::size_t k) {
  return k == description || k == recurring || k == reference_source || k == reference_date || k == reference_index;
}

FieldError cell_error(const std::string& at, std::string_view column, std::string message, std::string code,
                      std::string_view value) {
  return {at + std::string(column), std::move(message), std::move(code), quoted_value(value)};
}

}  // namespace

Result<std::vector<Need>> parse_needs_csv(std::string_view bytes, const CpvNomenclature& nomenclature,
                                          std::int64_t member_id, NeedStatus status) {
  auto decoded = decode_spreadsheet_text(bytes);
  if (!decoded) return std::move(decoded).error();
  const std::string_view text = decoded->text;
  const char separator = detect_separator(text);
  auto table = parse_csv(text, separator);
  if (!table) return std::move(table).error();

  std::vector<FieldError> errors;
  std::array<std::size_t, kKnown.size()> column{};
  column.fill(kNone);
  std::vector<std::pair<std::size_t, std::string>> attribute_columns;
  for (std::size_t i = 0; i < table->header.size(); ++i) {
    const std::string& header = table->header[i];
    const std::string name = lower_ascii(header);
    if (name.rfind("attr.", 0) == 0 && name.size() > 5) {
      attribute_columns.emplace_back(i, name.substr(5));
    } else if (const auto known = column_of(header); !known) {
      errors.push_back({"header", "colonne inconnue « " + header + " »", "needs_import.column.unknown", header});
    } else if (column[*known] != kNone) {
      errors.push_back({"header",
                        "colonne en double : « " + table->header[column[*known]] + " » et « " + header +
                            " » disent tous deux « " + std::string(kFrench[*known]) + " »",
                        "needs_import.column.duplicate", header});
    } else {
      column[*known] = i;
    }
  }
  for (std::size_t k = 0; k < kKnown.size(); ++k) {
    if (!optional_column(k) && column[k] == kNone) {
      errors.push_back({"header",
                        "colonne manquante « " + std::string(kFrench[k]) + " » (ou « " + std::string(kKnown[k]) + " »)",
                        "needs_import.column.missing"});
    }
  }
  if (!errors.empty())
    return Error{ErrorCode::invalid, "l’en-tête du CSV n’est pas utilisable", std::move(errors), "needs_import.header"};
  if (table->rows.empty())
    return Error::invalid("file", "ne contient aucun besoin après son en-tête", "needs_import.empty");

  const bool french = separator == ';';
  std::vector<Need> needs;
  needs.reserve(table->rows.size());
  for (const auto& row : table->rows) {
    const auto field = [&](std::size_t k) -> std::optional<std::string> {
      if (column[k] == kNone) return std::nullopt;
      return row.fields[column[k]];
    };
    const std::string at = "line " + std::to_string(row.line) + ".";
    std::vector<std::string_view> reported;  // the columns whose error is already given
    // A date JJ/MM/AAAA or AAAA-MM-JJ, handed on as AAAA-MM-JJ.
    const auto day = [&](NeedColumn k) -> std::optional<std::string> {
      auto cell = field(k);
      if (!cell || cell->empty()) return cell;
      auto parsed = parse_spreadsheet_date(trim_spaces(*cell), kKnown[k]);
      if (parsed) return to_string(*parsed);
      // The reference's date keeps the code the JSON route gives it.
      errors.push_back(cell_error(at, kKnown[k], parsed.error().message,
                                  k == reference_date ? "need.reference.date_invalid" : parsed.error().rule, *cell));
      reported.push_back(kKnown[k]);
      return std::nullopt;
    };
    NeedDraft draft;
    draft.cpv = field(cpv);
    draft.title = field(title);
    draft.description = field(description);
    if (auto q = field(quantity)) draft.quantity = french_decimal(spreadsheet_number(*q, false), french);
    draft.unit = field(unit);
    if (auto p = field(reference_unit_price))
      draft.reference_unit_price = french_decimal(spreadsheet_number(*p, true), french);
    draft.department = field(department);
    draft.period_start = day(period_start);
    draft.period_end = day(period_end);
    if (auto r = field(recurring)) {
      const auto flag = parse_yes_no(trim_spaces(*r));
      if (!flag) {
        errors.push_back(
            cell_error(at, "recurring", "doit valoir oui ou non (true ou false)", "needs_import.recurring", *r));
      } else {
        draft.recurring = *flag;
      }
    }
    // The reference's source, date and index: optional columns, an empty cell is the default.
    if (auto source = field(reference_source); source && !source->empty()) draft.reference_source = *source;
    if (auto date = day(reference_date); date && !date->empty()) draft.reference_date = *date;
    if (auto index = field(reference_index); index && !index->empty()) draft.reference_index = *index;
    draft.attributes.emplace();
    for (const auto& [index, name] : attribute_columns) {
      if (!row.fields[index].empty()) draft.attributes->emplace_back(name, row.fields[index]);
    }
    auto need = validate_need(draft, nomenclature);
    if (!need) {
      for (const auto& e : need.error().fields) {
        if (std::find(reported.begin(), reported.end(), e.field) != reported.end()) continue;
        const auto k = std::find(kKnown.begin(), kKnown.end(), e.field);
        std::optional<std::string> value;
        if (k != kKnown.end()) {
          if (const auto cell = field(static_cast<std::size_t>(k - kKnown.begin()))) value = quoted_value(*cell);
        }
        // The engine's example is written for the JSON API (« 12.5 »); a French file writes « 12,5 ».
        std::string message = e.message;
        if (french && e.code == "money.decimal.not_a_number") {
          message = e.field == "reference_unit_price"
                        ? "doit être un montant, par exemple « 12,5 », « 1 234,50 » ou « 1 234,50 € »"
                        : "doit être un nombre décimal, par exemple « 12,5 » ou « 1 234,5 »";
        }
        errors.push_back({at + e.field, std::move(message), e.code, std::move(value)});
      }
    } else {
      need->member_id = member_id;
      need->status = status;
      needs.push_back(std::move(need).value());
    }
    if (errors.size() >= kMaxImportErrors) break;
  }
  if (!errors.empty()) {
    return Error{ErrorCode::invalid,
                 std::to_string(errors.size()) + (errors.size() >= kMaxImportErrors ? "+" : "") +
                     (errors.size() == 1 ? " problème" : " problèmes") + " dans le fichier : rien n’a été importé",
                 std::move(errors), "needs_import.invalid_rows"};
  }
  return needs;
}

Table needs_import_template() {
  Table t;
  t.title = "Besoins";
  t.notes_title = "Mode d’emploi";
  for (std::size_t k = 0; k <= recurring; ++k) {
    t.columns.push_back({std::string(kFrench[k]), k == quantity               ? CellKind::quantity
                                                  : k == reference_unit_price ? CellKind::price
                                                                              : CellKind::text});
  }
  t.rows.push_back({std::string("44810000-1"), std::string("Peinture acrylique façade"),
                    std::string("Blanc cassé, seaux de 15 l"), std::int64_t{120000}, std::string("l"),
                    std::int64_t{62000}, std::string("69"), std::string("01/01/2027"), std::string("31/12/2027"),
                    std::string("non")});
  t.notes = {
      {"Une ligne par besoin", "Remplacez la ligne d’exemple ; tout le fichier est importé, ou rien."},
      {"Code CPV", "Le code du vocabulaire commun des marchés, chiffres et clé : 44810000-1."},
      {"Intitulé", "Obligatoire, ce que l’acheteur achète."},
      {"Description", "Facultative."},
      {"Quantité", "Positive, au plus 3 décimales ; annuelle si le besoin est récurrent. 1 234,5 est accepté."},
      {"Unité", "u, kg, t, l, m, m2 (m²), m3 (m³), h, jour, mois, forfait, kWh, MWh…"},
      {"Prix unitaire estimé HT", "En euros HT, au plus 4 décimales ; « 1 234,50 € » est accepté."},
      {"Département", "Le département de livraison : 69, 2A, 971…"},
      {"Date de début, Date de fin", "JJ/MM/AAAA (ou AAAA-MM-JJ) ; la fin ne précède pas le début."},
      {"Récurrent", "oui ou non (vide : non)."},
      {"Colonnes facultatives",
       "Source de la référence, Date de la référence, Indice (BT01…), et attr.<nom> "
       "pour une caractéristique."},
      {"Enregistrement", "CSV UTF-8, CSV (séparateur : point-virgule) ou ce classeur XLSX tel quel."},
  };
  return t;
}

}  // namespace canopee::formats
