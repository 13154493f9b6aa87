#include "usecases/budget.hpp"

#include <boost/json.hpp>

#include <map>

#include "adapters/db/party_repository.hpp"
#include "adapters/db/unit_of_work.hpp"
#include "engine/report.hpp"

namespace canopee::usecases {
namespace {

namespace json = boost::json;

Error code_not_found() {
  return Error::of(ErrorCode::not_found, "code budgétaire introuvable", "budget_code.not_found");
}
Error need_not_found() { return Error::of(ErrorCode::not_found, "besoin introuvable", "need.not_found"); }

json::value optional_text(const std::optional<std::string>& text) {
  return text ? json::value(*text) : json::value(nullptr);
}

std::string code_json(const BudgetCode& c) {
  return json::serialize(json::object{{"id", c.id},
                                      {"member_id", c.member_id},
                                      {"kind", to_string(c.kind)},
                                      {"code", c.code},
                                      {"label", c.label},
                                      {"active", c.active}});
}

std::string codes_json(const db::NeedCodes& c) {
  return json::serialize(
      json::object{{"budget_nature", optional_text(c.nature)}, {"budget_analytic", optional_text(c.analytic)}});
}

Status check_codes(std::span<const BudgetCode> member_codes, const db::NeedCodes& codes, const std::string& prefix) {
  std::vector<FieldError> errors;
  Error first;
  const auto check = [&](const std::optional<std::string>& code, BudgetCodeKind kind, const char* field) {
    if (!code) return;
    auto status = check_budget_code(member_codes, kind, *code, prefix + field);
    if (!status) {
      if (errors.empty()) first = status.error();
      for (auto& f : status.error().fields) errors.push_back(f);
    }
  };
  check(codes.nature, BudgetCodeKind::nature, "budget_nature");
  check(codes.analytic, BudgetCodeKind::analytic, "budget_analytic");
  if (errors.empty()) return ok_status();
  first.fields = std::move(errors);
  return first;
}

}  // namespace

Result<std::vector<BudgetCode>> list_budget_codes(db::Database& database, std::optional<std::int64_t> member_id) {
  return db::with_connection<std::vector<BudgetCode>>(database,
                                                      [&](soci::session& sql) -> Result<std::vector<BudgetCode>> {
                                                        return db::list_budget_codes(sql, member_id);
                                                      });
}

Result<BudgetCode> create_budget_code(db::Database& database, const db::Actor& actor, BudgetCode code) {
  {
    std::vector<FieldError> errors;
    Error first;
    for (auto status : {validate_budget_code_text(code.code, "code"), validate_budget_label(code.label, "label")}) {
      if (!status) {
        if (errors.empty()) first = status.error();
        for (auto& f : status.error().fields) errors.push_back(f);
      }
    }
    if (!errors.empty()) {
      first.fields = std::move(errors);
      return first;
    }
  }
  return db::in_transaction<BudgetCode>(database, [&](soci::session& sql) -> Result<BudgetCode> {
    const auto member = db::load_member(sql, code.member_id);
    if (!member) return Error::of(ErrorCode::not_found, "membre introuvable", "member.not_found");
    if (db::budget_code_exists(sql, code.member_id, code.kind, code.code))
      return Error::rule_broken(ErrorCode::conflict, "budget_code.duplicate", "code",
                                "le membre a déjà le code " + code.code + " (" + std::string(to_string(code.kind)) +
                                    ") : modifiez son libellé ou réactivez-le");
    db::insert_budget_code(sql, code);
    db::write_audit(sql, actor, "budget_code", code.id, "create", "", code_json(code));
    return code;
  });
}

Result<BudgetCode> update_budget_code(db::Database& database, const db::Actor& actor, std::int64_t id,
                                      std::optional<std::int64_t> version, const BudgetCodePatch& patch,
                                      std::optional<std::int64_t> scope) {
  if (patch.label) CANOPEE_TRY_STATUS(validate_budget_label(*patch.label, "label"));
  return db::in_transaction<BudgetCode>(database, [&](soci::session& sql) -> Result<BudgetCode> {
    auto read = db::load_budget_code(sql, id);
    if (!read || (scope && *scope != read->member_id)) return code_not_found();
    if (version && *version != read->version)
      return Error::rule_broken(ErrorCode::stale, "budget_code.stale", "",
                                "le code a changé depuis votre lecture : relisez-le et recommencez");
    BudgetCode after = *read;
    if (patch.label) after.label = *patch.label;
    if (patch.active) after.active = *patch.active;
    if (!db::save_budget_code(sql, after))
      return Error::rule_broken(ErrorCode::stale, "budget_code.stale", "",
                                "le code a changé depuis votre lecture : relisez-le et recommencez");
    ++after.version;
    db::write_audit(sql, actor, "budget_code", id, "update", code_json(*read), code_json(after));
    return after;
  });
}

Result<NeedCodesView> need_codes(db::Database& database, std::int64_t need_id, std::optional<std::int64_t> scope) {
  return db::with_connection<NeedCodesView>(database, [&](soci::session& sql) -> Result<NeedCodesView> {
    const auto member = db::need_member(sql, need_id);
    if (!member || (scope && *scope != *member)) return need_not_found();
    return NeedCodesView{need_id, *member, db::load_need_codes(sql, need_id)};
  });
}

Result<NeedCodesView> set_need_codes(db::Database& database, const db::Actor& actor, std::int64_t need_id,
                                     const db::NeedCodes& codes, std::optional<std::int64_t> scope) {
  return db::in_transaction<NeedCodesView>(database, [&](soci::session& sql) -> Result<NeedCodesView> {
    const auto member = db::need_member(sql, need_id);
    if (!member || (scope && *scope != *member)) return need_not_found();
    CANOPEE_TRY_STATUS(check_codes(db::list_budget_codes(sql, *member), codes, ""));
    const auto before = db::load_need_codes(sql, need_id);
    db::save_need_codes(sql, need_id, codes);
    db::write_audit(sql, actor, "need_budget_codes", need_id, "update", codes_json(before), codes_json(codes));
    return NeedCodesView{need_id, *member, codes};
  });
}

db::NeedCodes default_line_codes(soci::session& sql, std::int64_t lot_id, std::int64_t member_id) {
  std::vector<std::optional<std::string>> natures, analytics;
  for (auto& c : db::lot_need_codes(sql, lot_id, member_id)) {
    natures.push_back(std::move(c.nature));
    analytics.push_back(std::move(c.analytic));
  }
  return {agreed_code(natures), agreed_code(analytics)};
}

Status check_line_codes(std::span<const BudgetCode> member_codes, const db::NeedCodes& codes,
                        const std::string& field_prefix) {
  if (!codes.nature && !codes.analytic) return ok_status();
  return check_codes(member_codes, codes, field_prefix);
}

// ---- The exports ----

namespace {

struct ExportRead {
  std::vector<db::CodedLine> lines;
  std::vector<db::ContractFacts> contracts;
  std::vector<BudgetCode> codes;
  std::map<std::int64_t, std::string> names;
};

bool within(const std::optional<Date>& day, const BudgetFilter& f) {
  if (!day) return false;
  return !(f.from && *day < *f.from) && !(f.to && *f.to < *day);
}

const char* const kCommitmentsMethod =
    "Engagements = lignes des bons de commande envoyés (ni brouillons, ni annulés) dont l’envoi tombe dans la "
    "période, au montant de la ligne hors taxes (quantité × prix du bon, arrondi au centime), regroupées par membre, "
    "code de nature et code analytique ; « dont payé » est la part des bons déjà payés. Le code d’une ligne est celui "
    "choisi sur le bon, sinon celui sur lequel s’accordent tous les besoins du membre dans le lot, sinon aucun. "
    "Les montants des marchés non encore commandés (montant attribué HT − lignes envoyées non annulées, jamais "
    "négatif, toutes dates) sont listés à part : ils ne sont pas des engagements.";
const char* const kSpendMethod =
    "Réalisé = lignes des bons facturés ou payés dont la facture tombe dans la période, au montant de la ligne hors "
    "taxes (quantité × prix du bon, arrondi au centime ; le montant facturé est porté par le bon, pas par la ligne), "
    "regroupées par membre, code de nature et code analytique ; « dont payé » est la part des bons payés.";

std::string period_text(const BudgetFilter& f) {
  return "du " + (f.from ? to_string(*f.from) : std::string("début")) + " au " +
         (f.to ? to_string(*f.to) : std::string("dernier jour"));
}

}  // namespace

Result<BudgetExport> budget_export(db::Database& database, BudgetExportKind kind, const BudgetFilter& filter) {
  if (filter.from && filter.to && *filter.to < *filter.from)
    return Error::invalid("to", "ne doit pas précéder from", "report.period.reversed");
  CANOPEE_TRY(read, db::in_snapshot<ExportRead>(database, [&](soci::session& sql) -> Result<ExportRead> {
                ExportRead out;
                out.lines = db::coded_lines(sql, filter.member_id);
                if (kind == BudgetExportKind::commitments) out.contracts = db::member_contracts(sql, filter.member_id);
                out.codes = db::list_budget_codes(sql, filter.member_id);
                const auto name = [&](std::int64_t id) {
                  if (out.names.contains(id)) return;
                  const auto member = db::load_member(sql, id);
                  out.names.emplace(id, member ? member->name : std::to_string(id));
                };
                for (const auto& l : out.lines) name(l.member_id);
                for (const auto& c : out.contracts) name(c.member_id);
                return out;
              }));
  std::vector<BudgetLineFacts> facts;
  std::map<std::int64_t, Amount> ordered;  // by contract, whatever the period
  for (const auto& l : read.lines) {
    ordered[l.contract_id] += l.amount;
    const bool invoiced = l.status == OrderStatus::invoiced || l.status == OrderStatus::paid;
    const bool counted = kind == BudgetExportKind::commitments ? within(l.sent_on, filter)
                                                               : invoiced && within(l.invoiced_on, filter);
    if (counted)
      facts.push_back({l.member_id, l.nature, l.analytic, l.amount, l.status == OrderStatus::paid,
                       with_vat(l.amount, l.vat_rate_bp)});
  }
  const auto label = [&](std::int64_t member, BudgetCodeKind k, const std::optional<std::string>& code) {
    if (!code) return std::string();
    for (const auto& c : read.codes) {
      if (c.member_id == member && c.kind == k && c.code == *code) return c.label;
    }
    return std::string();
  };
  auto totals = budget_rows(facts);
  BudgetExport report;
  report.kind = kind;
  report.filter = filter;
  for (auto& row : totals.rows) {
    BudgetExportRow r{row, read.names[row.member_id], label(row.member_id, BudgetCodeKind::nature, row.nature),
                      label(row.member_id, BudgetCodeKind::analytic, row.analytic)};
    report.rows.push_back(std::move(r));
  }
  report.amount = totals.amount;
  report.paid = totals.paid;
  report.lines = totals.lines;
  report.amount_ttc = totals.amount_ttc;
  report.paid_ttc = totals.paid_ttc;
  for (const auto& c : read.contracts) {
    const Amount o = ordered.contains(c.contract_id) ? ordered[c.contract_id] : Amount{};
    const Amount remaining = not_yet_ordered(c.amount, o);
    const Amount remaining_ttc = with_vat(remaining, c.vat_rate_bp);
    report.unordered.push_back({c, read.names[c.member_id], o, remaining, remaining_ttc});
    report.unordered_total += remaining;
    report.unordered_total_ttc += remaining_ttc;
  }
  return report;
}

json::value budget_export_json(const BudgetExport& r) {
  json::array rows, unordered;
  for (const auto& x : r.rows) {
    rows.push_back(json::object{{"member_id", x.row.member_id},
                                {"member_name", x.member_name},
                                {"budget_nature", optional_text(x.row.nature)},
                                {"nature_label", x.nature_label},
                                {"budget_analytic", optional_text(x.row.analytic)},
                                {"analytic_label", x.analytic_label},
                                {"amount_ht", to_string(x.row.amount)},
                                {"paid_ht", to_string(x.row.paid)},
                                {"amount_ttc", to_string(x.row.amount_ttc)},
                                {"paid_ttc", to_string(x.row.paid_ttc)},
                                {"lines", x.row.lines}});
  }
  for (const auto& u : r.unordered) {
    unordered.push_back(json::object{{"contract_id", u.contract.contract_id},
                                     {"member_id", u.contract.member_id},
                                     {"member_name", u.member_name},
                                     {"tender_reference", u.contract.tender_reference},
                                     {"lot_number", u.contract.lot_number},
                                     {"lot_title", u.contract.lot_title},
                                     {"supplier", u.contract.supplier},
                                     {"contract_amount_ht", to_string(u.contract.amount)},
                                     {"ordered_ht", to_string(u.ordered)},
                                     {"not_yet_ordered_ht", to_string(u.remaining)},
                                     {"vat_rate_bp", u.contract.vat_rate_bp},
                                     {"not_yet_ordered_ttc", to_string(u.remaining_ttc)}});
  }
  json::object parameters{{"from", r.filter.from ? json::value(to_string(*r.filter.from)) : json::value(nullptr)},
                          {"to", r.filter.to ? json::value(to_string(*r.filter.to)) : json::value(nullptr)},
                          {"member_id", r.filter.member_id ? json::value(*r.filter.member_id) : json::value(nullptr)}};
  json::object out{{"kind", r.kind == BudgetExportKind::commitments ? "commitments" : "spend"},
                   {"method", r.kind == BudgetExportKind::commitments ? kCommitmentsMethod : kSpendMethod},
                   {"amounts", "HT"},
                   {"ttc_rule", "each_line_at_its_lot_vat_rate"},
                   {"parameters", std::move(parameters)},
                   {"rows", std::move(rows)},
                   {"totals", json::object{{"amount_ht", to_string(r.amount)},
                                           {"paid_ht", to_string(r.paid)},
                                           {"amount_ttc", to_string(r.amount_ttc)},
                                           {"paid_ttc", to_string(r.paid_ttc)},
                                           {"lines", r.lines}}}};
  if (r.kind == BudgetExportKind::commitments) {
    out["not_yet_ordered"] = std::move(unordered);
    out["not_yet_ordered_total_ht"] = to_string(r.unordered_total);
    out["not_yet_ordered_total_ttc"] = to_string(r.unordered_total_ttc);
  }
  return out;
}

formats::Table budget_export_table(const BudgetExport& r) {
  using formats::CellKind;
  const bool commitments = r.kind == BudgetExportKind::commitments;
  formats::Table t;
  t.title = commitments ? "Engagements" : "Réalisé";
  t.columns = {{"Membre", CellKind::text},
               {"Code nature", CellKind::text},
               {"Libellé nature", CellKind::text},
               {"Code analytique", CellKind::text},
               {"Libellé analytique", CellKind::text},
               {commitments ? "Engagé HT" : "Facturé HT", CellKind::money},
               {commitments ? "Engagé TTC" : "Facturé TTC", CellKind::money},
               {"dont payé HT", CellKind::money},
               {"dont payé TTC", CellKind::money},
               {"Lignes", CellKind::integer}};
  for (const auto& x : r.rows) {
    t.rows.push_back({x.member_name, x.row.nature.value_or(""), x.nature_label, x.row.analytic.value_or(""),
                      x.analytic_label, x.row.amount.cents, x.row.amount_ttc.cents, x.row.paid.cents,
                      x.row.paid_ttc.cents, x.row.lines});
  }
  t.totals.push_back({std::string("Total"), std::string(), std::string(), std::string(), std::string(), r.amount.cents,
                      r.amount_ttc.cents, r.paid.cents, r.paid_ttc.cents, r.lines});
  t.notes = {
      {"Méthode", commitments ? kCommitmentsMethod : kSpendMethod},
      {"Montants",
       "hors taxes (HT) ; TTC = HT × (10000 + taux de TVA du lot en points de base) / 10000, arrondi au centime le plus proche ligne par ligne (la moitié s’éloignant de zéro), puis additionné"},
      {"Période", period_text(r.filter)},
      {"Membre", r.filter.member_id ? std::to_string(*r.filter.member_id) : "tous"}};
  if (commitments) {
    std::string unordered;
    for (const auto& u : r.unordered) {
      if (u.remaining.cents == 0) continue;
      unordered += (unordered.empty() ? "" : " ; ") + u.member_name + " — " + u.contract.tender_reference + " lot " +
                   std::to_string(u.contract.lot_number) + " (" + u.contract.supplier +
                   ") : " + to_french_euros(u.remaining);
    }
    t.notes.emplace_back("Montants des marchés non encore commandés HT (à part)", to_french_euros(r.unordered_total));
    t.notes.emplace_back("Par marché", unordered.empty() ? "aucun" : unordered);
  }
  return t;
}

formats::Table unordered_table(const BudgetExport& r) {
  using formats::CellKind;
  formats::Table t;
  t.title = "Non encore commandé";
  t.columns = {{"Membre", CellKind::text},         {"Consultation", CellKind::text},
               {"Lot", CellKind::integer},         {"Intitulé du lot", CellKind::text},
               {"Titulaire", CellKind::text},      {"Montant du marché HT", CellKind::money},
               {"Commandé HT", CellKind::money},   {"Non encore commandé HT", CellKind::money},
               {"Taux de TVA", CellKind::percent}, {"Non encore commandé TTC", CellKind::money}};
  Amount contracts, ordered;
  for (const auto& u : r.unordered) {
    t.rows.push_back({u.member_name, u.contract.tender_reference, std::int64_t{u.contract.lot_number},
                      u.contract.lot_title, u.contract.supplier, u.contract.amount.cents, u.ordered.cents,
                      u.remaining.cents, u.contract.vat_rate_bp, u.remaining_ttc.cents});
    contracts += u.contract.amount;
    ordered += u.ordered;
  }
  t.totals.push_back({std::string("Total"), std::string(), std::string(), std::string(), std::string(), contracts.cents,
                      ordered.cents, r.unordered_total.cents, std::string(), r.unordered_total_ttc.cents});
  t.notes = {
      {"Méthode",
       "Montant attribué HT du marché − lignes des bons envoyés non annulés (toutes dates), jamais "
       "négatif : ce qui reste à commander, listé à part des engagements."},
      {"Montants",
       "hors taxes (HT) ; TTC = HT × (10000 + taux de TVA du lot en points de base) / 10000, arrondi au centime le plus proche ligne par ligne (la moitié s’éloignant de zéro), puis additionné"},
      {"Membre", r.filter.member_id ? std::to_string(*r.filter.member_id) : "tous"}};
  return t;
}

}  // namespace canopee::usecases
