// Needs: a buyer's own, an officer reads all. DELETE withdraws. CSV import.
#include <boost/json.hpp>

#include "adapters/db/need_repository.hpp"
#include "adapters/formats/json_mapping.hpp"
#include "adapters/formats/needs_csv.hpp"
#include "adapters/formats/table.hpp"
#include "api/handler_support.hpp"
#include "api/json_input.hpp"
#include "api/routes.hpp"
#include "usecases/need_editing.hpp"
#include "usecases/needs_import.hpp"

namespace canopee::api {
namespace {

namespace bj = boost::json;
using formats::to_json;

constexpr std::string_view kNeedFields[] = {"cpv",
                                            "title",
                                            "description",
                                            "quantity",
                                            "unit",
                                            "reference_unit_price",
                                            "reference_source",
                                            "reference_date",
                                            "reference_index",
                                            "department",
                                            "period_start",
                                            "period_end",
                                            "recurring",
                                            "attributes",
                                            "status"};

// The JSON body as a NeedDraft (and the status asked for).
// The reference's date defaults to `today`, the day the need is recorded (absent on creation, null or "").
NeedDraft read_need(JsonInput& in, std::optional<NeedStatus>& status, bool creating, Date today) {
  NeedDraft d;
  d.cpv = in.text("cpv", creating, 20);
  d.title = in.text("title", creating, 1000);
  d.description = in.text("description", false, 20000);
  d.quantity = in.decimal("quantity", creating);
  d.unit = in.text("unit", creating, 40);  // room for "ml (mètres linéaires)", spelt out
  d.reference_unit_price = in.decimal("reference_unit_price", creating);
  d.reference_source = in.text("reference_source", false, 40);
  // null or "" dates the reference today, or clears the index (none).
  if (in.is_null("reference_date")) d.reference_date = to_string(today);
  else d.reference_date = in.text("reference_date", false, 100);
  if ((creating && !d.reference_date) || (d.reference_date && d.reference_date->empty()))
    d.reference_date = to_string(today);
  if (in.is_null("reference_index")) d.reference_index = std::string();
  else d.reference_index = in.text("reference_index", false, 100);
  d.department = in.text("department", creating, 3);
  d.period_start = in.text("period_start", creating, 10);
  d.period_end = in.text("period_end", creating, 10);
  d.recurring = in.boolean("recurring", false);
  if (const auto* a = in.raw("attributes")) {
    if (!a->is_object()) {
      in.fail("attributes", "doit être un objet de valeurs textuelles", "input.not_object");
    } else {
      d.attributes.emplace();
      for (const auto& [key, value] : a->as_object()) {
        if (!value.is_string()) {
          in.fail("attributes." + std::string(key), "doit être un texte", "input.not_text");
        } else {
          d.attributes->emplace_back(std::string(key), std::string(value.as_string()));
        }
      }
    }
  }
  if (auto s = in.text("status", false, 20)) {
    if (*s == "draft") status = NeedStatus::draft;
    else if (*s == "submitted") status = NeedStatus::submitted;
    else in.fail("status", "doit être draft ou submitted", "need.status.not_allowed");
  }
  return d;
}

Response with_version(const Result<Need>& need, http::status status = http::status::ok) {
  return versioned(
      need, [](const Need& n) { return to_json(n); }, status);
}

// The need, if a caller of that member scope may see it (a buyer: its own member's only; 404 otherwise).
Result<Need> within_scope(Result<Need> need, std::optional<std::int64_t> scope) {
  if (need && scope && need->member_id != *scope)
    return Error::of(ErrorCode::not_found, "ce besoin n’existe pas", "need.not_found");
  return need;
}

Result<Need> visible_need(RequestContext& c, std::int64_t id) {
  return within_scope(db::get_need(c.read_database(), id), member_scope(c));
}

std::optional<Date> date_param(RequestContext& c, std::string_view name, std::vector<FieldError>& errors) {
  const auto text = take(query_param(c, name), errors);
  if (!text || !*text) return std::nullopt;
  return take(parse_date(**text, name), errors);
}

// A page of needs as JSON text ({items, next_cursor}, what page_json gives), each
// need written straight (formats::append_json): the list is the hottest large answer.
Response needs_page(const db::PageOf<Need>& page) {
  std::string text;
  text.reserve(64 + page.items.size() * 400);
  text.append("{\"items\":[");
  for (std::size_t i = 0; i < page.items.size(); ++i) {
    if (i != 0) text.push_back(',');
    formats::append_json(text, page.items[i]);
  }
  text.append("],\"next_cursor\":");
  if (page.next_before_id) {
    formats::append_json_string(text, cursor_for(*page.next_before_id));
  } else {
    text.append("null");
  }
  text.push_back('}');
  return json_text(http::status::ok, std::move(text));
}

struct ListQuery {
  db::NeedFilter filter;
  db::Page page;
};

// The list's filters and page from the query string (a buyer's scope applied).
Result<ListQuery> list_query(RequestContext& c) {
  CANOPEE_TRY_STATUS(allowed_query(c, {"limit", "cursor", "status", "cpv_prefix", "member_id", "from", "to"}));
  CANOPEE_TRY(page, page_of(c));
  db::NeedFilter filter;
  std::vector<FieldError> errors;
  if (auto status = query_param(c, "status"); status && *status) {
    if (auto parsed = take(parse_need_status(**status, "status"), errors)) filter.status = *parsed;
  }
  if (auto prefix = query_param(c, "cpv_prefix"); prefix && *prefix) {
    if ((*prefix)->empty() || (*prefix)->size() > 8 ||
        (*prefix)->find_first_not_of("0123456789") != std::string::npos) {
      errors.push_back({"cpv_prefix", "doit compter 1 à 8 chiffres", "query.cpv_prefix.format"});
    } else {
      filter.cpv_prefix = **prefix;
    }
  }
  if (auto member = query_param(c, "member_id"); member && *member) {
    filter.member_id = parse_integer(**member);
    if (!filter.member_id) errors.push_back({"member_id", "doit être un nombre entier", "query.not_integer"});
  }
  filter.from = date_param(c, "from", errors);
  filter.to = date_param(c, "to", errors);
  if (!errors.empty()) return Error{ErrorCode::invalid, "paramètres de requête invalides", errors, "query.invalid"};
  if (auto scope = member_scope(c)) filter.member_id = *scope;  // a buyer sees its member's needs only
  return ListQuery{std::move(filter), page};
}

}  // namespace

void add_need_routes(Router& router) {
  router.add(http::verb::get, "/v1/needs", {Role::buyer, Role::officer}, [](RequestContext& c) {
    CANOPEE_TRY_RESPOND(query, list_query(c));
    CANOPEE_TRY_RESPOND(page, db::list_needs(c.read_database(), query.filter, query.page));
    return needs_page(page);
  });
  // The same page on the I/O thread (PostgreSQL): one prepared statement, the same answer.
  router.set_async(http::verb::get, "/v1/needs", [](RequestContext& c) -> std::optional<AsyncPlan> {
    auto query = list_query(c);
    if (!query) return std::nullopt;
    return AsyncPlan{db::needs_page_statement(query->filter, query->page),
                     [page = query->page](const std::vector<db::TextRow>& rows) {
                       return needs_page(db::needs_page_from_rows(rows, page));
                     }};
  });

  router.add(http::verb::post, "/v1/needs", {Role::buyer}, [](RequestContext& c) {
    if (auto r = require_json(c)) return *r;
    CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(), kNeedFields));
    std::optional<NeedStatus> status;
    const auto draft = read_need(in, status, true, c.services.today());
    CANOPEE_TRY_RESPOND_STATUS(in.finish());
    CANOPEE_TRY_RESPOND(need, validate_need(draft, c.services.nomenclature));
    need.member_id = *c.user->member_id;
    need.status = status.value_or(NeedStatus::submitted);
    return with_version(db::create_need(c.services.database, c.actor, need), http::status::created);
  });

  router.add(http::verb::post, "/v1/needs/import", {Role::buyer}, [](RequestContext& c) {
    if (!media_type_is(c.request[http::field::content_type], "text/csv")) {
      return make_problem(http::status::unsupported_media_type, "unsupported-media-type",
                          "envoyer le fichier en text/csv", {}, "request.unsupported_media_type");
    }
    CANOPEE_TRY_RESPOND_STATUS(allowed_query(c, {"status"}));
    NeedStatus status = NeedStatus::submitted;
    if (auto text = query_param(c, "status"); text && *text) {
      if (**text == "draft") status = NeedStatus::draft;
      else if (**text != "submitted")
        return error(Error::invalid("status", "doit être draft ou submitted", "need.status.not_allowed"));
    }
    // The user's import slot: taken at admission for a large body (meta.hold), else now.
    const auto slot = c.meta.hold ? std::nullopt : c.services.imports.try_acquire(c.user->id);
    if (!c.meta.hold && !slot) return too_many_at_once("d’imports");
    CANOPEE_TRY_RESPOND(imported,
                        usecases::import_needs(c.services.database, c.actor, c.services.nomenclature,
                                               *c.user->member_id, status, c.request.body(), c.services.today()));
    const auto& ids = imported.ids;
    bj::array list;
    for (const auto id : ids) list.push_back(id);
    return json(http::status::created, bj::object{{"imported", ids.size()}, {"ids", std::move(list)}});
  });

  // The import's template: French headers and one example row, as CSV (French dialect) or XLSX.
  router.add(http::verb::get, "/v1/needs/import-template", {Role::buyer, Role::officer}, [](RequestContext& c) {
    CANOPEE_TRY_RESPOND_STATUS(allowed_query(c, {"format"}));
    CANOPEE_TRY_RESPOND(format, query_param(c, "format"));
    Format wanted = Format::csv;
    if (format && *format == "xlsx") {
      wanted = Format::xlsx;
    } else if (format && !format->empty() && *format != "csv") {
      return error(Error::invalid("format", "doit être csv ou xlsx", "needs_import.template.format"));
    }
    return table_response(c, formats::needs_import_template(), wanted, "modele-import-besoins");
  });

  router.add(http::verb::get, "/v1/needs/{id}", {Role::buyer, Role::officer}, [](RequestContext& c) {
    CANOPEE_TRY_RESPOND(id, path_id(c, "id"));
    return with_version(visible_need(c, id));
  });
  // The same read on the I/O thread (PostgreSQL): one prepared statement, the same answer.
  router.set_async(http::verb::get, "/v1/needs/{id}", [](RequestContext& c) -> std::optional<AsyncPlan> {
    const auto id = path_id(c, "id");
    if (!id) return std::nullopt;
    return AsyncPlan{db::need_statement(*id), [scope = member_scope(c)](const std::vector<db::TextRow>& rows) {
                       auto need = db::need_from_rows(rows);
                       if (!need)
                         return with_version(
                             Error::of(ErrorCode::not_found, "ce besoin n’existe pas", "need.not_found"));
                       return with_version(within_scope(std::move(*need), scope));
                     }};
  });

  router.add(http::verb::patch, "/v1/needs/{id}", {Role::buyer}, [](RequestContext& c) {
    if (auto r = require_json(c)) return *r;
    CANOPEE_TRY_RESPOND(id, path_id(c, "id"));
    CANOPEE_TRY_RESPOND(expected, if_match(c));
    CANOPEE_TRY_RESPOND(need, visible_need(c, id));
    CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(), kNeedFields));
    std::optional<NeedStatus> status;
    const auto patch = read_need(in, status, false, c.services.today());
    CANOPEE_TRY_RESPOND_STATUS(in.finish());
    return with_version(
        usecases::edit_need(c.services.database, c.actor, c.services.nomenclature, need, patch, status, expected));
  });

  router.add(http::verb::delete_, "/v1/needs/{id}", {Role::buyer}, [](RequestContext& c) {
    CANOPEE_TRY_RESPOND(id, path_id(c, "id"));
    CANOPEE_TRY_RESPOND(expected, if_match(c));
    CANOPEE_TRY_RESPOND_STATUS(visible_need(c, id));  // 404 for another member's need
    return with_version(db::withdraw_need(c.services.database, c.actor, id, expected));
  });
}

}  // namespace canopee::api
