#pragma once
// The JSON of a groupement de commandes (the API's representation and the audit row's).
#include <boost/json/value.hpp>

#include <string>

#include "engine/groupement.hpp"

namespace canopee::formats {

boost::json::value groupement_json(const Groupement& groupement);
std::string groupement_json_text(const Groupement& groupement);

}  // namespace canopee::formats
