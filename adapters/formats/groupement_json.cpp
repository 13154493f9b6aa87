#include "adapters/formats/groupement_json.hpp"

#include <boost/json.hpp>

namespace canopee::formats {

boost::json::value groupement_json(const Groupement& g) {
  namespace bj = boost::json;
  bj::array prefixes;
  for (const auto& p : g.cpv_prefixes) prefixes.emplace_back(p);
  bj::array members;
  for (const auto& m : g.members) {
    members.push_back(bj::object{{"member_id", m.member_id},
                                 {"code", m.code},
                                 {"name", m.name},
                                 {"signed_on", to_string(m.signed_on)},
                                 {"coordinator", m.member_id == g.coordinator_member_id}});
  }
  return bj::object{{"id", g.id},
                    {"name", g.name},
                    {"reference", g.reference},
                    {"coordinator_member_id", g.coordinator_member_id},
                    {"mission", to_string(g.mission)},
                    {"scope", bj::object{{"cpv_prefixes", std::move(prefixes)},
                                         {"start", to_string(g.period_start)},
                                         {"end", to_string(g.period_end)}}},
                    {"cost_key", to_string(g.cost_key)},
                    {"members", std::move(members)},
                    {"version", g.version}};
}

std::string groupement_json_text(const Groupement& g) { return boost::json::serialize(groupement_json(g)); }

}  // namespace canopee::formats
