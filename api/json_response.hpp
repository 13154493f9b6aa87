#pragma once
// Serialises a JSON value into a response.
#include <boost/json/value.hpp>

#include "api/http.hpp"

namespace canopee::api {

Response json_response(http::status status, const boost::json::value& body);

}  // namespace canopee::api
