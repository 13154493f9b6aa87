// Members, users (and /me), suppliers.
#include <boost/json.hpp>

#include "adapters/db/party_repository.hpp"
#include "adapters/formats/json_mapping.hpp"
#include "adapters/security/tokens.hpp"
#include "api/handler_support.hpp"
#include "api/json_input.hpp"
#include "api/routes.hpp"
#include "engine/need.hpp"

namespace canopee::api {
namespace {

constexpr std::size_t kMaxRevocationReason = 500;

namespace bj = boost::json;
using formats::to_json;
constexpr auto all_roles = {Role::admin, Role::officer, Role::buyer, Role::finance};

template <class T>
Response one(const Result<T>& result, http::status status = http::status::ok) {
  return versioned(
      result, [](const T& x) { return to_json(x); }, status);
}

// Reads the member fields present in `in` over `member`.
void read_member(JsonInput& in, Member& member, bool creating) {
  if (auto v = in.text("code", creating, 20)) member.code = *v;
  if (auto v = in.text("name", creating, 200)) member.name = *v;
  if (auto v = in.text("siren", creating, 20)) member.siren = *v;
  // Optional; null clears it. Checked with the SIREN by validate_member (member.siret.not_of_siren).
  if (in.is_null("siret")) {
    member.siret.reset();
  } else if (auto v = in.text("siret", false, 20)) {
    member.siret = *v;
  }
  if (auto v = in.text("department", creating, 3)) {
    if (auto d = in.take(parse_department(*v, in.name("department")))) member.department = *d;
  }
  if (auto v = in.boolean("active", false)) member.active = *v;
}

void read_supplier(JsonInput& in, Supplier& supplier, bool creating) {
  if (auto v = in.text("name", creating, 200)) supplier.name = *v;
  if (auto v = in.text("siret", creating, 20)) supplier.siret = *v;
  if (auto v = in.text("department", creating, 3)) {
    if (auto d = in.take(parse_department(*v, in.name("department")))) supplier.department = *d;
  }
  if (auto v = in.boolean("sme", false)) supplier.sme = *v;
}

void read_user(JsonInput& in, User& user, bool creating) {
  if (auto v = in.text("email", creating, 254)) user.email = *v;
  if (auto v = in.text("name", creating, 200)) user.name = *v;
  if (auto v = in.text("role", creating, 20)) {
    if (auto r = in.take(parse_role(*v, in.name("role")))) user.role = *r;
  }
  if (in.is_null("member_id")) {
    user.member_id.reset();
  } else if (auto v = in.integer("member_id", false, 1, INT64_MAX)) {
    user.member_id = *v;
  }
  if (auto v = in.boolean("active", false)) user.active = *v;
}

// Checks a member id refers to an existing member (400 naming the field otherwise).
Status member_exists(RequestContext& context, std::optional<std::int64_t> id, std::string_view field) {
  if (!id) return ok_status();
  auto member = db::get_member(context.services.database, *id);
  if (!member && member.error().code == ErrorCode::not_found)
    return Error::invalid(std::string(field), "ce membre n’existe pas", "member.not_found");
  if (!member) return std::move(member).error();
  return ok_status();
}

}  // namespace

void add_member_routes(Router& router) {
  router.add(http::verb::get, "/v1/members", all_roles, [](RequestContext& c) {
    CANOPEE_TRY_RESPOND_STATUS(allowed_query(c, {"limit", "cursor"}));
    CANOPEE_TRY_RESPOND(page, page_of(c));
    auto members = db::list_members(c.read_database(), page);
    return page_response(members, [](const Member& m) { return to_json(m); });
  });
  router.add(http::verb::post, "/v1/members", {Role::admin}, [](RequestContext& c) {
    if (auto r = require_json(c)) return *r;
    CANOPEE_TRY_RESPOND(in,
                        JsonInput::parse(c.request.body(), {"code", "name", "siren", "siret", "department", "active"}));
    Member member;
    read_member(in, member, true);
    CANOPEE_TRY_RESPOND_STATUS(in.finish());
    return one(db::create_member(c.services.database, c.actor, member), http::status::created);
  });
  router.add(http::verb::get, "/v1/members/{id}", all_roles, [](RequestContext& c) {
    CANOPEE_TRY_RESPOND(id, path_id(c, "id"));
    return one(db::get_member(c.read_database(), id));
  });
  router.add(http::verb::patch, "/v1/members/{id}", {Role::admin}, [](RequestContext& c) {
    if (auto r = require_json(c)) return *r;
    CANOPEE_TRY_RESPOND(id, path_id(c, "id"));
    CANOPEE_TRY_RESPOND(expected, if_match(c));
    CANOPEE_TRY_RESPOND(member, db::get_member(c.services.database, id));
    CANOPEE_TRY_RESPOND(in,
                        JsonInput::parse(c.request.body(), {"code", "name", "siren", "siret", "department", "active"}));
    read_member(in, member, false);
    CANOPEE_TRY_RESPOND_STATUS(in.finish());
    if (expected) member.version = *expected;
    return one(db::update_member(c.services.database, c.actor, member));
  });
}

void add_user_routes(Router& router) {
  router.add(http::verb::get, "/v1/me", all_roles, [](RequestContext& c) {
    auto body = to_json(*c.user);
    return json(http::status::ok, body);
  });
  router.add(http::verb::get, "/v1/users", {Role::admin}, [](RequestContext& c) {
    CANOPEE_TRY_RESPOND_STATUS(allowed_query(c, {"limit", "cursor"}));
    CANOPEE_TRY_RESPOND(page, page_of(c));
    return page_response(db::list_users(c.services.database, page), [](const User& u) { return to_json(u); });
  });
  router.add(http::verb::post, "/v1/users", {Role::admin}, [](RequestContext& c) {
    if (auto r = require_json(c)) return *r;
    CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(), {"email", "name", "role", "member_id", "active"}));
    User user;
    read_user(in, user, true);
    CANOPEE_TRY_RESPOND_STATUS(in.finish());
    CANOPEE_TRY_RESPOND_STATUS(member_exists(c, user.member_id, "member_id"));
    const auto token = security::generate_token();
    CANOPEE_TRY_RESPOND(created, db::create_user(c.services.database, c.actor, user, security::token_hash(token)));
    auto body = to_json(created).as_object();
    body["token"] = token;  // shown once, never stored
    auto response = json(http::status::created, body);
    set_etag(response, created.version);
    return response;
  });
  router.add(http::verb::patch, "/v1/users/{id}", {Role::admin}, [](RequestContext& c) {
    if (auto r = require_json(c)) return *r;
    CANOPEE_TRY_RESPOND(id, path_id(c, "id"));
    CANOPEE_TRY_RESPOND(expected, if_match(c));
    CANOPEE_TRY_RESPOND(user, db::get_user(c.services.database, id));
    CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(), {"name", "role", "member_id", "active", "reason"}));
    read_user(in, user, false);
    // Why an access is revoked (kept in the audit row): only with "active": false.
    std::string reason;
    if (auto v = in.text("reason", false, 4 * kMaxRevocationReason)) {
      const auto length = text_length(*v, true);
      const auto* active = in.raw("active");
      if (active == nullptr || !active->is_bool() || active->as_bool()) {
        in.fail("reason", "un motif ne s’accompagne que d’une révocation (« active »: false)",
                "user.reason.not_revoking");
      } else if (!length) {
        in.fail("reason", "doit être un texte UTF-8 sans caractère de contrôle", "text.malformed");
      } else if (*length > kMaxRevocationReason) {
        in.fail("reason", "doit faire au plus 500 caractères", "text.too_long");
      } else if (!is_blank(*v)) {
        reason = *v;
      }
    }
    CANOPEE_TRY_RESPOND_STATUS(in.finish());
    CANOPEE_TRY_RESPOND_STATUS(member_exists(c, user.member_id, "member_id"));
    if (expected) user.version = *expected;
    auto updated = db::update_user(c.services.database, c.actor, user, reason);
    c.services.tokens.clear();  // a revoked user or a changed role takes effect at once
    return one(std::move(updated));
  });
}

void add_supplier_routes(Router& router) {
  const std::vector<Role> roles = {Role::officer, Role::admin};
  router.add(http::verb::get, "/v1/suppliers", roles, [](RequestContext& c) {
    CANOPEE_TRY_RESPOND_STATUS(allowed_query(c, {"limit", "cursor"}));
    CANOPEE_TRY_RESPOND(page, page_of(c));
    return page_response(db::list_suppliers(c.read_database(), page), [](const Supplier& s) { return to_json(s); });
  });
  router.add(http::verb::post, "/v1/suppliers", roles, [](RequestContext& c) {
    if (auto r = require_json(c)) return *r;
    CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(), {"name", "siret", "department", "sme"}));
    Supplier supplier;
    read_supplier(in, supplier, true);
    CANOPEE_TRY_RESPOND_STATUS(in.finish());
    return one(db::create_supplier(c.services.database, c.actor, supplier), http::status::created);
  });
  router.add(http::verb::get, "/v1/suppliers/{id}", roles, [](RequestContext& c) {
    CANOPEE_TRY_RESPOND(id, path_id(c, "id"));
    return one(db::get_supplier(c.read_database(), id));
  });
  router.add(http::verb::patch, "/v1/suppliers/{id}", roles, [](RequestContext& c) {
    if (auto r = require_json(c)) return *r;
    CANOPEE_TRY_RESPOND(id, path_id(c, "id"));
    CANOPEE_TRY_RESPOND(expected, if_match(c));
    CANOPEE_TRY_RESPOND(supplier, db::get_supplier(c.services.database, id));
    CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(), {"name", "siret", "department", "sme"}));
    read_supplier(in, supplier, false);
    CANOPEE_TRY_RESPOND_STATUS(in.finish());
    if (expected) supplier.version = *expected;
    return one(db::update_supplier(c.services.database, c.actor, supplier));
  });
}

void add_cpv_routes(Router& router) {
  router.add(http::verb::get, "/v1/cpv", all_roles, [](RequestContext& c) {
    CANOPEE_TRY_RESPOND_STATUS(allowed_query(c, {"q", "prefix", "limit"}));
    auto q = query_param(c, "q");
    auto prefix = query_param(c, "prefix");
    auto limit_text = query_param(c, "limit");
    if (!q || !prefix || !limit_text)
      return error(Error::invalid("query", "chaîne de requête mal formée", "query.malformed"));
    std::string code_prefix = prefix->value_or("");
    if (code_prefix.size() > 8 || code_prefix.find_first_not_of("0123456789") != std::string::npos) {
      return error(Error::invalid("prefix", "doit compter au plus 8 chiffres", "query.cpv_prefix.format"));
    }
    std::size_t limit = 20;
    if (*limit_text) {
      const auto& t = **limit_text;
      if (t.empty() || t.size() > 3 || t.find_first_not_of("0123456789") != std::string::npos || std::stoul(t) < 1 ||
          std::stoul(t) > 100) {
        return error(Error::invalid("limit", "doit être compris entre 1 et 100", "query.limit.out_of_range"));
      }
      limit = std::stoul(t);
    }
    if (q->value_or("").size() > 200) return error(Error::invalid("q", "dépasse 200 caractères", "query.q.length"));
    bj::array items;
    for (const auto* e : c.services.nomenclature.search(q->value_or(""), code_prefix, limit)) {
      items.push_back(bj::object{{"code", to_string(e->code)},
                                 {"label", e->label},
                                 {"depth", cpv_significant_digits(e->code.digits)}});
    }
    return json(http::status::ok, bj::object{{"items", std::move(items)}});
  });
}

}  // namespace canopee::api
