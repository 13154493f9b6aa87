// Contracts (per member) and the audit trail.
#include <boost/json.hpp>

#include "adapters/db/award_repository.hpp"
#include "adapters/db/record_repository.hpp"
#include "adapters/db/tender_repository.hpp"
#include "api/handler_support.hpp"
#include "api/report_query.hpp"
#include "api/routes.hpp"
#include "engine/units.hpp"

namespace canopee::api {
namespace {
namespace bj = boost::json;

// A contract's period: from its notification once notified (it takes effect then,
// R2182-4), else from the tender's planned start; for the tender's initial duration.
struct ContractPeriodView {
  Date start;
  Date end;  // the last day
  int months = 0;
  bool from_notification = false;
};
ContractPeriodView period_of(const db::Contract& k) {
  const Date start = k.notified_on.value_or(k.planned_start);
  return {start, add_days(add_months(start, k.duration_months), -1), k.duration_months, k.notified_on.has_value()};
}

bj::value contract_json(const db::Contract& k) {
  const auto period = period_of(k);
  return bj::object{{"id", k.id},
                    {"tender_id", k.tender_id},
                    {"lot_id", k.lot_id},
                    {"member_id", k.member_id},
                    {"supplier_id", k.supplier_id},
                    {"quantity", to_string(k.quantity)},
                    {"unit", k.unit},
                    {"unit_price", to_string(k.unit_price)},
                    {"amount", to_string(k.amount)},
                    {"awarded_at", k.awarded_at},
                    {"signed_on", k.signed_on ? bj::value(to_string(*k.signed_on)) : bj::value(nullptr)},
                    {"notified_on", k.notified_on ? bj::value(to_string(*k.notified_on)) : bj::value(nullptr)},
                    {"in_force", k.notified_on.has_value()},
                    {"period", bj::object{{"start", to_string(period.start)},
                                          {"end", to_string(period.end)},
                                          {"months", period.months},
                                          {"from", period.from_notification ? "notification" : "planned_start"}}},
                    {"tender_reference", k.tender_reference},
                    {"tender_title", k.tender_title},
                    {"lot_number", k.lot_number},
                    {"lot_title", k.lot_title},
                    {"member_code", k.member_code},
                    {"member_name", k.member_name},
                    {"supplier_name", k.supplier_name},
                    {"signatory", k.members_sign ? "member" : "coordinator"}};
}

// The contracts as a French table (CSV with « ; » and a decimal comma, or XLSX).
formats::Table contracts_table(const std::vector<db::Contract>& contracts) {
  using formats::CellKind;
  formats::Table t;
  t.title = "Marchés";
  t.columns = {{"Référence consultation", CellKind::text},
               {"Consultation", CellKind::text},
               {"Lot", CellKind::integer},
               {"Intitulé du lot", CellKind::text},
               {"Titulaire", CellKind::text},
               {"Code membre", CellKind::text},
               {"Membre", CellKind::text},
               {"Quantité", CellKind::quantity},
               {"Unité", CellKind::text},
               {"Prix unitaire HT (€)", CellKind::price},
               {"Montant HT (€)", CellKind::money},
               {"Début", CellKind::date},
               {"Fin", CellKind::date},
               {"Durée (mois)", CellKind::integer},
               {"Période depuis", CellKind::text},
               {"Attribué le", CellKind::date},
               {"Signé le", CellKind::date},
               {"Notifié le", CellKind::date},
               {"En vigueur", CellKind::text}};
  const auto day = [](const std::optional<Date>& d) -> formats::Cell {
    if (!d) return std::string();
    return std::int64_t{d->days};
  };
  for (const auto& k : contracts) {
    const auto period = period_of(k);
    const auto awarded = parse_date_time(k.awarded_at, "awarded_at");
    t.rows.push_back({k.tender_reference, k.tender_title, std::int64_t{k.lot_number}, k.lot_title, k.supplier_name,
                      k.member_code, k.member_name, k.quantity.thousandths, std::string(french_unit_name(k.unit)),
                      k.unit_price.ten_thousandths, k.amount.cents, day(period.start), day(period.end),
                      std::int64_t{period.months},
                      std::string(period.from_notification ? "notification" : "début prévu"),
                      awarded ? day(paris_date(*awarded)) : formats::Cell{k.awarded_at}, day(k.signed_on),
                      day(k.notified_on), std::string(k.notified_on ? "oui" : "non")});
  }
  t.notes = {{"Période",
              "du jour de la notification du marché quand elle est enregistrée (il prend effet à sa notification, "
              "R2182-4), sinon du début prévu par la consultation ; pour la durée initiale de la consultation "
              "(reconductions et modifications non comprises)"},
             {"Montants", "hors taxes (HT), en euros"}};
  return t;
}

// Every contract within the caller's scope, newest first (the pages read one after the other).
Result<std::vector<db::Contract>> all_contracts(RequestContext& c) {
  std::vector<db::Contract> out;
  db::Page page;
  page.limit = db::kMaxPageSize;
  for (;;) {
    auto read = db::list_contracts(c.read_database(), member_scope(c), page);
    if (!read) return std::move(read).error();
    for (auto& k : read->items) out.push_back(std::move(k));
    if (!read->next_before_id) return out;
    page.before_id = read->next_before_id;
  }
}

// Every contract within the caller's scope as CSV, sent page by page as it is read: the
// first page here (a failure is still a problem answer), each next one when the server
// asks for the next piece. Memory holds one page, whatever the number of contracts; the
// bytes are those of the whole table written at once.
Response contracts_csv(RequestContext& c, const std::string& name) {
  struct Reading {
    db::Database* database = nullptr;
    std::optional<std::int64_t> scope;
    formats::CsvDialect dialect = formats::CsvDialect::french;
    std::optional<std::string> ready;            // the head and the first page
    std::optional<std::int64_t> next_before_id;  // none: the last page was read
  };
  auto reading = std::make_shared<Reading>();
  reading->database = &c.read_database();
  reading->scope = member_scope(c);
  reading->dialect = csv_dialect(c);
  db::Page page;
  page.limit = db::kMaxPageSize;
  CANOPEE_TRY_RESPOND(first, db::list_contracts(*reading->database, reading->scope, page));
  reading->ready = formats::csv_head(contracts_table({}), reading->dialect) +
                   formats::csv_rows(contracts_table(first.items), reading->dialect);
  reading->next_before_id = first.next_before_id;
  return streamed(c, csv_head_response(name), [reading]() -> std::optional<std::string> {
    if (reading->ready) {
      std::optional<std::string> piece = std::move(reading->ready);
      reading->ready.reset();
      return piece;
    }
    if (!reading->next_before_id) return std::nullopt;
    db::Page next;
    next.before_id = reading->next_before_id;
    next.limit = db::kMaxPageSize;
    auto read = db::list_contracts(*reading->database, reading->scope, next);
    if (!read) throw std::runtime_error("contracts page: " + read.error().message);
    reading->next_before_id = read->next_before_id;
    return formats::csv_rows(contracts_table(read->items), reading->dialect);
  });
}

}  // namespace

void add_contract_routes(Router& router) {
  router.add(http::verb::get, "/v1/contracts", {Role::buyer, Role::finance, Role::officer}, [](RequestContext& c) {
    CANOPEE_TRY_RESPOND_STATUS(allowed_query(c, {"limit", "cursor", "format", "csv"}));
    // The export: ?format=csv|xlsx, or the Accept header (text/csv, the XLSX type).
    auto asked = query_param(c, "format");
    if (!asked) return error(asked.error());
    Format format = Format::json;
    if (!*asked) {
      auto accepted = negotiate(c);
      if (!accepted) return not_acceptable();
      format = *accepted;
    } else if (**asked == "csv") {
      format = Format::csv;
    } else if (**asked == "xlsx") {
      format = Format::xlsx;
    } else if (**asked != "json") {
      return error(Error::invalid("format", "doit être csv, xlsx ou json", "query.format.unknown"));
    }
    std::vector<FieldError> errors;
    check_csv_dialect(c, errors);
    if (!errors.empty()) return error(Error{ErrorCode::invalid, "paramètres invalides", errors, "query.invalid"});
    if (format != Format::json) {
      for (const char* paged : {"limit", "cursor"}) {
        if (auto v = query_param(c, paged); v && *v)
          return error(
              Error::invalid(paged, "l’export porte sur tous les marchés : pas de page", "query.export_paged"));
      }
      const auto name = "marches-" + to_string(c.services.today());
      if (format == Format::csv) return contracts_csv(c, name);
      CANOPEE_TRY_RESPOND(contracts, all_contracts(c));
      return table_response(c, contracts_table(contracts), format, name);
    }
    CANOPEE_TRY_RESPOND(page, page_of(c));
    return page_response(db::list_contracts(c.read_database(), member_scope(c), page), contract_json);
  });
}

void add_audit_routes(Router& router) {
  router.add(http::verb::get, "/v1/audit", {Role::admin, Role::officer}, [](RequestContext& c) {
    CANOPEE_TRY_RESPOND_STATUS(allowed_query(c, {"limit", "cursor", "entity", "id"}));
    CANOPEE_TRY_RESPOND(page, page_of(c));
    auto entity = query_param(c, "entity");
    auto id_text = query_param(c, "id");
    if (!entity || !id_text) return error(Error::invalid("query", "chaîne de requête mal formée", "query.malformed"));
    std::optional<std::int64_t> id;
    if (*id_text) {
      id = parse_integer(**id_text);
      if (!id) return error(Error::invalid("id", "doit être un nombre entier", "query.not_integer"));
      if (!*entity) return error(Error::invalid("entity", "est obligatoire avec id", "records.entity.required"));
    }
    if (entity->value_or("").size() > 40)
      return error(Error::invalid("entity", "est trop long", "records.entity.length"));
    // Users' e-mail addresses are personal data the officers have no need of
    // (GDPR art. 5(1)(c)): only administrators read them in the trail.
    const bool redact = c.user->role != Role::admin;
    return page_response(db::list_audit(c.services.database, entity->value_or(""), id, page), [redact](
                                                                                                  const db::AuditEntry&
                                                                                                      a) {
      bj::object o{{"id", a.id}, {"at", a.at}, {"entity", a.entity}, {"entity_id", a.entity_id}, {"action", a.action}};
      o["user_id"] = a.user_id ? bj::value(*a.user_id) : bj::value(nullptr);
      o["member_id"] = a.member_id ? bj::value(*a.member_id) : bj::value(nullptr);
      const auto state = [&](const std::string& text) {
        if (text.empty()) return bj::value(nullptr);
        auto value = bj::parse(text);
        if (redact && (a.entity == "user" || a.entity == "oidc_identity") && value.is_object()) {
          auto& user = value.as_object();
          user.erase("email");
          // a name defaults to the e-mail address when none was given
          if (const auto* name = user.if_contains("name");
              name && name->is_string() && name->as_string().find('@') != bj::string::npos) {
            user.erase("name");
          }
        }
        return value;
      };
      o["before"] = state(a.before_json);
      o["after"] = state(a.after_json);
      o["request_id"] = a.request_id;
      return o;
    });
  });
}

}  // namespace canopee::api
