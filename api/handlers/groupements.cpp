// Groupements de commandes (issue 16 item 13, L2113-6 to L2113-8): the conventions,
// their scope and each member's signature; read by every role, written by officers
// and administrators (audited).
#include <boost/json.hpp>

#include "adapters/db/groupement_repository.hpp"
#include "adapters/formats/groupement_json.hpp"
#include "api/handler_support.hpp"
#include "api/handlers/groupement_access.hpp"
#include "api/json_input.hpp"
#include "api/routes.hpp"

namespace canopee::api {
namespace {

namespace bj = boost::json;

Response groupement_response(const Result<Groupement>& g, http::status status = http::status::ok) {
  return versioned(
      g, [](const Groupement& x) { return formats::groupement_json(x); }, status);
}

std::optional<Date> read_date(JsonInput& in, std::string_view field, bool required) {
  auto v = in.text(field, required, 10);
  if (!v) return std::nullopt;
  auto parsed = parse_date(*v, in.name(field));
  if (!parsed) {
    in.fail(std::string(field), "doit être une date AAAA-MM-JJ réelle (" + *v + ")", "input.not_date");
    return std::nullopt;
  }
  return *parsed;
}

// The editable fields present in `in`, over `g` (all required when creating).
void read_groupement_fields(JsonInput& in, Groupement& g, bool creating) {
  // Every field of a convention has a value: null neither clears nor keeps it.
  for (const auto* field : {"name", "reference", "coordinator_member_id", "mission", "scope", "cost_key"}) {
    if (in.is_null(field)) in.fail(field, "ne peut pas être null", "input.null");
  }
  if (auto v = in.text("name", creating, 800)) g.name = *v;
  if (auto v = in.text("reference", creating, 200)) g.reference = *v;
  if (auto v = in.integer("coordinator_member_id", creating, 1, INT64_MAX)) g.coordinator_member_id = *v;
  if (auto v = in.text("mission", creating, 20)) {
    auto parsed = parse_coordinator_mission(*v, "mission");
    if (parsed) g.mission = *parsed;
    else in.fail("mission", parsed.error().fields.at(0).message, "groupement.mission.unknown");
  }
  if (auto v = in.text("cost_key", creating, 20)) {
    auto parsed = parse_cost_key(*v, "cost_key");
    if (parsed) g.cost_key = *parsed;
    else
      in.fail("cost_key", "clé de répartition inconnue : contract_value, quantity, equal ou fixed",
              "groupement.cost_key.unknown");
  }
  if (const auto* raw = in.raw("scope")) {
    auto scope = JsonInput::from(*raw, {"cpv_prefixes", "start", "end"}, in.name("scope."));
    if (!scope) {
      in.fail("scope", "doit être un objet {cpv_prefixes, start, end}", "input.not_object");
    } else {
      if (const auto* list = scope->raw("cpv_prefixes")) {
        if (!list->is_array()) {
          scope->fail("cpv_prefixes", "doit être une liste de préfixes CPV (textes de 2 à 8 chiffres)",
                      "input.not_list");
        } else if (list->as_array().size() > kMaxGroupementPrefixes) {
          scope->fail("cpv_prefixes", "au plus " + std::to_string(kMaxGroupementPrefixes) + " familles",
                      "groupement.scope.too_many");
        } else {
          g.cpv_prefixes.clear();
          for (std::size_t i = 0; i < list->as_array().size(); ++i) {
            const auto& item = list->as_array()[i];
            if (!item.is_string()) {
              scope->fail("cpv_prefixes[" + std::to_string(i) + "]", "doit être un texte de 2 à 8 chiffres",
                          "input.not_text");
            } else {
              g.cpv_prefixes.emplace_back(item.as_string().c_str(), item.as_string().size());
            }
          }
        }
      } else if (creating) {
        scope->fail("cpv_prefixes", "est obligatoire", "input.required");
      }
      if (auto d = read_date(*scope, "start", creating)) g.period_start = *d;
      if (auto d = read_date(*scope, "end", creating)) g.period_end = *d;
      for (auto& e : scope->errors()) in.errors().push_back(std::move(e));
    }
  } else if (creating) {
    in.fail("scope", "est obligatoire : {cpv_prefixes, start, end}", "input.required");
  }
}

GroupementMember read_member(JsonInput& in) {
  GroupementMember m;
  if (auto v = in.integer("member_id", true, 1, INT64_MAX)) m.member_id = *v;
  if (auto d = read_date(in, "signed_on", true)) m.signed_on = *d;
  return m;
}

}  // namespace

bj::array excluded_needs_json(const std::vector<ExcludedNeed>& excluded) {
  bj::array out;
  for (const auto& e : excluded) {
    out.push_back(
        bj::object{{"need_id", e.need_id},
                   {"member_id", e.member_id},
                   {"reason", to_string(e.reason)},
                   {"message",
                    e.reason == PoolingExclusion::not_member
                        ? "le membre n'a pas signé la convention du groupement (L2113-6)"
                        : "le membre a signé la convention après le lancement prévu : il ne peut pas bénéficier de "
                          "cette procédure (L2113-6)"}});
  }
  return out;
}

void add_groupement_routes(Router& router) {
  const std::vector<Role> readers = {Role::officer, Role::buyer, Role::finance, Role::admin};
  const std::vector<Role> writers = {Role::officer, Role::admin};

  router.add(http::verb::get, "/v1/groupements", readers, [](RequestContext& c) {
    CANOPEE_TRY_RESPOND_STATUS(allowed_query(c, {"limit", "cursor"}));
    CANOPEE_TRY_RESPOND(page, page_of(c));
    return page_response(db::list_groupements(c.services.database, page),
                         [](const Groupement& g) { return formats::groupement_json(g); });
  });

  router.add(http::verb::get, "/v1/groupements/{id}", readers, [](RequestContext& c) {
    CANOPEE_TRY_RESPOND(id, path_id(c, "id"));
    return groupement_response(db::get_groupement(c.services.database, id));
  });

  router.add(http::verb::post, "/v1/groupements", writers, [](RequestContext& c) {
    if (auto r = require_json(c)) return *r;
    CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(), {"name", "reference", "coordinator_member_id", "mission",
                                                                "scope", "cost_key", "members"}));
    Groupement g;
    read_groupement_fields(in, g, true);
    if (const auto* list = in.raw("members")) {
      if (!list->is_array()) {
        in.fail("members", "doit être une liste de {member_id, signed_on}", "input.not_list");
      } else if (list->as_array().size() > kMaxGroupementMembers) {
        in.fail("members", "au plus " + std::to_string(kMaxGroupementMembers) + " membres",
                "groupement.members.too_many");
      } else {
        for (std::size_t i = 0; i < list->as_array().size(); ++i) {
          const std::string at = "members[" + std::to_string(i) + "]";
          auto item = JsonInput::from(list->as_array()[i], {"member_id", "signed_on"}, at + ".");
          if (!item) {
            in.fail(at, "doit être un objet {member_id, signed_on}", "input.not_object");
            continue;
          }
          g.members.push_back(read_member(*item));
          for (auto& e : item->errors()) in.errors().push_back(std::move(e));
        }
      }
    } else {
      in.fail("members", "est obligatoire : au moins le coordonnateur, avec la date de sa signature", "input.required");
    }
    CANOPEE_TRY_RESPOND_STATUS(in.finish());
    return groupement_response(db::create_groupement(c.services.database, c.actor, g, c.services.today()),
                               http::status::created);
  });

  router.add(http::verb::patch, "/v1/groupements/{id}", writers, [](RequestContext& c) {
    if (auto r = require_json(c)) return *r;
    CANOPEE_TRY_RESPOND(id, path_id(c, "id"));
    CANOPEE_TRY_RESPOND(expected, if_match(c));
    CANOPEE_TRY_RESPOND(g, db::get_groupement(c.services.database, id));
    CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(), {"name", "reference", "coordinator_member_id", "mission",
                                                                "scope", "cost_key"}));
    read_groupement_fields(in, g, false);
    CANOPEE_TRY_RESPOND_STATUS(in.finish());
    if (expected) g.version = *expected;
    return groupement_response(db::update_groupement(c.services.database, c.actor, g));
  });

  router.add(http::verb::post, "/v1/groupements/{id}/members", writers, [](RequestContext& c) {
    if (auto r = require_json(c)) return *r;
    CANOPEE_TRY_RESPOND(id, path_id(c, "id"));
    CANOPEE_TRY_RESPOND(expected, if_match(c));
    CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(), {"member_id", "signed_on"}));
    const auto member = read_member(in);
    CANOPEE_TRY_RESPOND_STATUS(in.finish());
    return groupement_response(db::add_groupement_member(c.services.database, c.actor, id, member, expected,
                                                         c.services.today()),
                               http::status::created);
  });
}

}  // namespace canopee::api
