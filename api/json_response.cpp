#include "api/json_response.hpp"

#include <boost/json/serialize.hpp>

namespace canopee::api {

Response json_response(http::status status, const boost::json::value& body) {
  Response response{status, 11};
  response.set(http::field::content_type, "application/json");
  response.body() = boost::json::serialize(body);
  return response;
}

}  // namespace canopee::api
