#include "api/problem.hpp"

#include <boost/json.hpp>

namespace canopee::api {

Response make_problem(http::status status, std::string_view type, std::string_view detail,
                      const std::vector<FieldError>& errors, std::string_view code) {
  boost::json::object body;
  body["type"] = "urn:canopee:problem:" + std::string(type);
  body["title"] = std::string(http::obsolete_reason(status));
  body["status"] = static_cast<int>(status);
  body["detail"] = detail;
  if (!code.empty()) body["code"] = code;
  if (!errors.empty()) {
    boost::json::array list;
    for (const auto& e : errors) {
      boost::json::object item{{"field", e.field}, {"message", e.message}};
      if (!e.code.empty()) item["code"] = e.code;
      if (e.value) item["value"] = *e.value;
      list.push_back(std::move(item));
    }
    body["errors"] = std::move(list);
  }
  Response response{status, 11};
  response.set(http::field::content_type, kProblemContentType);
  response.body() = boost::json::serialize(body);
  return response;
}

Response problem_from_error(const Error& error) {
  switch (error.code) {
    case ErrorCode::invalid:
      return make_problem(http::status::bad_request, "validation", error.message, error.fields, error.rule);
    case ErrorCode::not_found: return make_problem(http::status::not_found, "not-found", error.message, {}, error.rule);
    case ErrorCode::conflict:
      return make_problem(http::status::conflict, "conflict", error.message, error.fields, error.rule);
    case ErrorCode::stale:
      return make_problem(http::status::precondition_failed, "stale-version", error.message, {}, error.rule);
    case ErrorCode::unavailable: {
      // The adapters phrase these themselves (unreachable, disk full, read-only);
      // the driver's words are logged where they happen, never sent to the client.
      auto response = make_problem(http::status::service_unavailable, "unavailable", error.message, {}, error.rule);
      response.set(http::field::retry_after, "1");
      return response;
    }
  }
  return make_problem(http::status::internal_server_error, "internal", "code d’erreur inattendu", {},
                      "internal.unexpected");
}

}  // namespace canopee::api
