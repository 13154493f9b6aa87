// Procurement thresholds as dated settings (issue 16 item 8): the table the advice
// uses (built-in defaults with the operators' rows over them), and an administrator
// adding the next period's values when they are published (audited).
#include <boost/json.hpp>

#include <algorithm>

#include "adapters/db/threshold_repository.hpp"
#include "api/handler_support.hpp"
#include "api/json_input.hpp"
#include "api/routes.hpp"
#include "usecases/thresholds_in_force.hpp"

namespace canopee::api {
namespace {

namespace bj = boost::json;

// Money thresholds as decimal euros ("221000.00"); the small-lots share as a percentage ("20").
std::string value_text(const ThresholdEntry& e) {
  return e.threshold == Threshold::small_lots_share_percent ? std::to_string(e.value) : to_string(Amount{e.value});
}

bj::object entry_json(const ThresholdEntry& e, std::string_view origin, std::optional<std::int64_t> id) {
  bj::object o{{"threshold", to_string(e.threshold)},
               {"from", to_string(e.from)},
               {"value", value_text(e)},
               {"source", e.source},
               {"origin", origin}};
  o["until"] = e.until ? bj::value(to_string(*e.until)) : bj::value(nullptr);
  o["id"] = id ? bj::value(*id) : bj::value(nullptr);
  return o;
}

}  // namespace

void add_threshold_routes(Router& router) {
  router.add(http::verb::get, "/v1/thresholds", {Role::admin, Role::officer}, [](RequestContext& c) {
    CANOPEE_TRY_RESPOND_STATUS(allowed_query(c, {}));
    CANOPEE_TRY_RESPOND(rows, usecases::thresholds_in_force(c.services.database, c.services.thresholds));
    bj::array items;
    for (const auto& row : rows) {
      items.push_back(entry_json(row.entry, row.setting_id ? "setting" : "built_in", row.setting_id));
    }
    return json(http::status::ok, bj::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
  });

  router.add(http::verb::post, "/v1/thresholds", {Role::admin}, [](RequestContext& c) {
    if (auto r = require_json(c)) return *r;
    CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(), {"threshold", "from", "until", "value", "source"}));
    ThresholdEntry entry{Threshold::eu_supplies_services, Date{}, std::nullopt, 0, ""};
    if (auto v = in.text("threshold", true, 40)) {
      auto parsed = parse_threshold(*v, "threshold");
      if (parsed) entry.threshold = *parsed;
      else
        in.fail("threshold",
                "seuil inconnu : eu_supplies_services, eu_works, no_competition_supplies_services, "
                "no_competition_works, mapa_publicity, small_lot_supplies_services, small_lot_works "
                "ou small_lots_share_percent",
                "threshold.name.unknown");
    }
    if (auto v = in.text("from", true, 10)) {
      if (auto parsed = in.take(parse_date(*v, in.name("from")))) entry.from = *parsed;
    }
    if (auto v = in.text("until", false, 10)) {
      if (auto parsed = in.take(parse_date(*v, in.name("until")))) entry.until = *parsed;
    }
    const auto value = in.text("value", true, 24);
    if (auto v = in.text("source", true, 300)) entry.source = *v;
    CANOPEE_TRY_RESPOND_STATUS(in.finish());
    if (entry.threshold == Threshold::small_lots_share_percent) {
      const auto percent = parse_integer(*value);
      if (!percent)
        return error(
            Error::invalid("value", "un pourcentage entier, par exemple « 20 »", "threshold.value.not_integer"));
      entry.value = *percent;
    } else {
      CANOPEE_TRY_RESPOND(amount, parse_amount(*value, "value"));
      entry.value = amount.cents;
    }
    CANOPEE_TRY_RESPOND(created, db::add_threshold_setting(c.services.database, c.actor, entry));
    return json(http::status::created, entry_json(created.entry, "setting", created.id));
  });
}

}  // namespace canopee::api
