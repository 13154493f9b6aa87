// Notifications and their preferences (issue 20 item 10; adapters/db/notification_repository.hpp):
// /v1/notifications, /v1/notifications/{id}/read, /v1/notifications/read-all,
// /v1/notification-preferences. Every caller reads and changes only their own.
#include <boost/json.hpp>

#include "adapters/db/notification_repository.hpp"
#include "api/handler_support.hpp"
#include "api/json_input.hpp"
#include "api/routes.hpp"
#include "api/services.hpp"

namespace canopee::api {
namespace {

namespace bj = boost::json;

constexpr auto kEveryone = {Role::admin, Role::officer, Role::buyer, Role::finance};

bj::value notification_json(const db::StoredNotification& n) {
  return bj::object{{"id", n.id},
                    {"kind", to_string(n.kind)},
                    {"title", n.title},
                    {"body", n.body},
                    {"link", n.link},
                    {"created_at", n.created_at},
                    {"read_at", n.read_at ? bj::value(*n.read_at) : bj::value(nullptr)}};
}

bj::value preferences_json(const std::vector<db::Preference>& preferences, bool email_available) {
  bj::array items;
  for (const auto& p : preferences) items.push_back(bj::object{{"kind", to_string(p.kind)}, {"email", p.email}});
  return bj::object{{"items", std::move(items)}, {"email_available", email_available}};
}

Error query_invalid(std::string field, std::string message, std::string code) {
  return Error{ErrorCode::invalid,
               "paramètres invalides",
               {{std::move(field), std::move(message), std::move(code)}},
               "query.invalid"};
}

}  // namespace

void add_notification_routes(Router& router) {
  router.add(http::verb::get, "/v1/notifications", kEveryone, [](RequestContext& c) {
    CANOPEE_TRY_RESPOND_STATUS(allowed_query(c, {"limit", "cursor", "unread"}));
    CANOPEE_TRY_RESPOND(page, page_of(c));
    CANOPEE_TRY_RESPOND(unread_text, query_param(c, "unread"));
    bool unread = false;
    if (unread_text) {
      if (*unread_text == "true") {
        unread = true;
      } else if (*unread_text != "false") {
        return error(query_invalid("unread", "doit valoir true ou false", "notification.unread.invalid"));
      }
    }
    CANOPEE_TRY_RESPOND(items, db::list_notifications(c.services.database, c.user->id, unread, page));
    CANOPEE_TRY_RESPOND(count, db::unread_notifications(c.services.database, c.user->id));
    auto body = page_json(items, notification_json);
    body.as_object()["unread_count"] = count;
    return json(http::status::ok, body);
  });

  router.add(http::verb::post, "/v1/notifications/read-all", kEveryone, [](RequestContext& c) {
    CANOPEE_TRY_RESPOND(marked, db::mark_all_notifications_read(c.services.database, c.user->id));
    return json(http::status::ok, bj::object{{"marked", marked}, {"unread_count", 0}});
  });

  router.add(http::verb::post, "/v1/notifications/{id}/read", kEveryone, [](RequestContext& c) {
    CANOPEE_TRY_RESPOND(id, path_id(c, "id"));
    return respond(db::mark_notification_read(c.services.database, c.user->id, id), notification_json);
  });

  router.add(http::verb::get, "/v1/notification-preferences", kEveryone, [](RequestContext& c) {
    CANOPEE_TRY_RESPOND_STATUS(allowed_query(c, {}));
    const bool available = c.services.email_configured;
    return respond(db::notification_preferences(c.services.database, *c.user),
                   [&](const std::vector<db::Preference>& p) { return preferences_json(p, available); });
  });

  // {"email": {"need_pooled": true, …}}: only the kinds of the caller's role; the others keep their choice.
  router.add(http::verb::put, "/v1/notification-preferences", kEveryone, [](RequestContext& c) {
    if (auto r = require_json(c)) return *r;
    CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(), {"email"}));
    std::vector<db::Preference> chosen;
    const auto* email = in.raw("email");
    if (!email) {
      in.fail("email", "obligatoire : un objet { type de notification : true ou false }", "input.required");
    } else if (!email->is_object()) {
      in.fail("email", "doit être un objet { type de notification : true ou false }", "notification.email.invalid");
    } else {
      for (const auto& [key, value] : email->as_object()) {
        const std::string field = "email." + std::string(key);
        const auto kind = parse_notification_kind(std::string(key), field);
        if (!kind) {
          in.fail(field, "type de notification inconnu", "notification.kind.unknown");
        } else if (!receives(c.user->role, *kind)) {
          in.fail(field, "votre rôle ne reçoit pas ce type de notification", "notification.kind.not_for_role");
        } else if (!value.is_bool()) {
          in.fail(field, "doit valoir true ou false", "notification.email.invalid");
        } else {
          chosen.push_back({*kind, value.as_bool()});
        }
      }
    }
    CANOPEE_TRY_RESPOND_STATUS(in.finish());
    CANOPEE_TRY_RESPOND_STATUS(db::save_notification_preferences(c.services.database, c.actor, *c.user, chosen));
    const bool available = c.services.email_configured;
    return respond(db::notification_preferences(c.services.database, *c.user),
                   [&](const std::vector<db::Preference>& p) { return preferences_json(p, available); });
  });
}

}  // namespace canopee::api
