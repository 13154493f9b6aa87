#pragma once
// The API suites' side of the socket: a user's calls (`Call`, over the one
// HttpClient), and the helpers that read what the server answers (JSON bodies,
// RFC 9457 problems, created resources) and write what the tests send (needs).
#include <boost/json.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tests/support/http_client.hpp"
#include "tests/support/need_builder.hpp"

namespace canopee::test {

// One user's calls: its bearer token on each, JSON bodies unless `headers` name
// another Content-Type.
struct Call {
  HttpClient& client;
  std::string token;

  Reply send(http::verb method, const std::string& target, const std::string& body = {},
             const Headers& extra = {}) const {
    Headers headers;
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
    bool typed = false;
    for (const auto& [name, value] : extra) {
      headers.emplace_back(name, value);
      typed = typed || name == "Content-Type";
    }
    if (!typed && (!body.empty() || method == http::verb::post || method == http::verb::patch)) {
      headers.emplace_back("Content-Type", "application/json");
    }
    return client.send(method, target, body, headers);
  }
  Reply get(const std::string& target) const { return send(http::verb::get, target); }
  Reply post(const std::string& target, const boost::json::value& body, const std::string& etag = {}) const {
    Headers headers;
    if (!etag.empty()) headers.emplace_back("If-Match", etag);
    return send(http::verb::post, target, boost::json::serialize(body), headers);
  }
  Reply patch(const std::string& target, const boost::json::value& body, const std::string& etag = {}) const {
    Headers headers;
    if (!etag.empty()) headers.emplace_back("If-Match", etag);
    return send(http::verb::patch, target, boost::json::serialize(body), headers);
  }
};

inline boost::json::value body_of(const Reply& reply) { return boost::json::parse(reply.body()); }

// A string member of a JSON object; "null" when it is null.
inline std::string text_of(const boost::json::value& v, std::string_view key) {
  const auto& field = v.at(key);
  return field.is_null() ? std::string("null") : std::string(field.as_string());
}

// The id of what a POST created.
inline std::int64_t id_of(const Reply& created) { return body_of(created).at("id").as_int64(); }

// The path of the tender a POST /v1/tenders created.
inline std::string tender_path(const Reply& created) { return "/v1/tenders/" + std::to_string(id_of(created)); }

// POST /v1/members by an administrator: a member named after its code.
inline Reply post_member(const Call& admin, const char* code, const char* siren, const char* department = "02") {
  return admin.post("/v1/members",
                    boost::json::object{{"code", code}, {"name", code}, {"siren", siren}, {"department", department}});
}

// A problem's own code ("" when it has none).
inline std::string problem_code(const Reply& reply) {
  const auto problem = body_of(reply);
  return problem.as_object().contains("code") ? std::string(problem.at("code").as_string()) : std::string();
}

// The field errors of a problem, in order (none when it has no `errors`).
inline boost::json::array problem_errors(const Reply& reply) {
  const auto problem = body_of(reply);
  if (!problem.as_object().contains("errors")) return {};
  return problem.at("errors").as_array();
}

// The field a problem's first error names ("" when it names none).
inline std::string first_error_field(const Reply& reply) {
  const auto problem = body_of(reply);
  if (!problem.as_object().contains("errors")) return {};
  return std::string(problem.at("errors").at(0).at("field").as_string());
}

// The code of a problem's first field error.
inline std::string first_error_code(const Reply& reply) {
  return std::string(body_of(reply).at("errors").at(0).at("code").as_string());
}

// Whether one of a problem's field errors names `field`.
inline bool names_field(const Reply& reply, const std::string& field) {
  const auto errors = problem_errors(reply);
  return std::any_of(errors.begin(), errors.end(), [&](const auto& e) { return e.at("field").as_string() == field; });
}

// The codes a problem carries on its field errors, in order.
inline std::vector<std::string> field_codes(const Reply& reply) {
  std::vector<std::string> out;
  for (const auto& e : problem_errors(reply)) {
    if (e.as_object().contains("code")) out.emplace_back(e.at("code").as_string());
  }
  return out;
}

// The (field, message) pairs of a problem's field errors.
inline std::vector<std::pair<std::string, std::string>> field_messages(const Reply& reply) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& e : problem_errors(reply)) {
    out.emplace_back(std::string(e.at("field").as_string()), std::string(e.at("message").as_string()));
  }
  return out;
}

// The JSON body of POST /v1/needs for a draft (need_builder.hpp): the fields it has.
inline boost::json::object need_body(const NeedDraft& d) {
  boost::json::object body;
  const auto put = [&](const char* key, const std::optional<std::string>& value) {
    if (value) body[key] = *value;
  };
  put("cpv", d.cpv);
  put("title", d.title);
  put("description", d.description);
  put("quantity", d.quantity);
  put("unit", d.unit);
  put("reference_unit_price", d.reference_unit_price);
  put("department", d.department);
  put("period_start", d.period_start);
  put("period_end", d.period_end);
  if (d.recurring) body["recurring"] = *d.recurring;
  if (d.attributes) {
    boost::json::object attributes;
    for (const auto& [name, value] : *d.attributes) attributes[name] = value;
    body["attributes"] = std::move(attributes);
  }
  return body;
}

// The need the API scenarios post: for 2027, in department 02 unless said.
inline boost::json::object need_body(const char* cpv, const char* quantity, const char* unit, const char* price,
                                     const char* department = "02") {
  return need_body(in_year(need_draft(cpv, quantity, unit, price, department), "2027"));
}

}  // namespace canopee::test
