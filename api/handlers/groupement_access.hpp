#pragma once
// What the tender routes need of the groupements (api/handlers/groupements.cpp).
#include <boost/json/object.hpp>

#include "api/handler_support.hpp"
#include "engine/groupement.hpp"
#include "engine/tender.hpp"

namespace canopee::api {

boost::json::array excluded_needs_json(const std::vector<ExcludedNeed>& excluded);

}  // namespace canopee::api
