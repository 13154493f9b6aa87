#pragma once
// Small helpers every handler uses: JSON responses, errors, ids in paths, query
// parameters, pages and cursors, ETags and If-Match, the caller's member scope.
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/db/page.hpp"
#include "adapters/formats/table.hpp"
#include "api/problem.hpp"
#include "api/router.hpp"
#include "api/services.hpp"
#include "engine/date.hpp"

namespace canopee::api {

Response json(http::status status, const boost::json::value& body);
// A JSON answer already serialised.
Response json_text(http::status status, const std::string& body);
Response json_text(http::status status, std::string&& body);
// A 200 with an answer of api/derived_cache.hpp: its gzip bytes when it has them and
// the request accepts gzip, its JSON otherwise; "Vary: Accept-Encoding" either way
// when it has both, so that a shared cache keeps them apart.
Response kept_json(const RequestContext& context, const DerivedCache::Answer& answer);
Response kept_json(const http::fields& request_headers, const DerivedCache::Answer& answer);
// A date as "YYYY-MM-DD", or null.
boost::json::value date_or_null(const std::optional<Date>& date);
Response error(const Error& error);

// In a handler (which returns a Response), what CANOPEE_TRY and CANOPEE_TRY_STATUS
// (engine/result.hpp) are in a use case: binds `name` to the value of a Result
// expression, or answers its error (problem_from_error).
#define CANOPEE_TRY_RESPOND(name, expression)                                  \
  auto name##_or_error = (expression);                                         \
  if (!name##_or_error) return ::canopee::api::error(name##_or_error.error()); \
  auto&& name = *name##_or_error  // NOLINT(bugprone-macro-parentheses): `name` is declared here

// Answers the error of a failed Status (or Result) expression.
#define CANOPEE_TRY_RESPOND_STATUS(expression) \
  if (auto canopee_status_ = (expression); !canopee_status_) return ::canopee::api::error(canopee_status_.error())

// Response for a Result: the value through `to_json`, or the error.
template <class T, class F>
Response respond(const Result<T>& result, F to_json, http::status status = http::status::ok) {
  if (!result) return error(result.error());
  return json(status, to_json(result.value()));
}

// ETag "v<version>"; If-Match → the version expected (none when absent or "*").
void set_etag(Response& response, std::int64_t version);

// Response for a versioned resource: its JSON with the ETag "v<version>", or the error.
template <class T, class F>
Response versioned(const Result<T>& result, F to_json, http::status status = http::status::ok) {
  if (!result) return error(result.error());
  auto response = json(status, to_json(result.value()));
  set_etag(response, result->version);
  return response;
}

// A path id; anything but a positive integer is "not found".
Result<std::int64_t> path_id(const RequestContext& context, std::string_view name);
// A whole decimal integer, nothing before or after it ("1abc", "+1", " 1", "0x10"
// and values past 64 bits are none).
std::optional<std::int64_t> parse_integer(std::string_view text);
// Whether a Content-Type (or Accept item) names `type`, without regard to case
// and ignoring its parameters ("Application/JSON; charset=UTF-8" is application/json).
bool media_type_is(std::string_view header, std::string_view type);

// The query string decoded (percent-encoding and '+'), in order.
Result<std::vector<std::pair<std::string, std::string>>> parse_query(std::string_view query);
// Decoded query parameters; a parameter given twice is an error.
Result<std::optional<std::string>> query_param(const RequestContext& context, std::string_view name);
// Only these query parameters may appear.
Status allowed_query(const RequestContext& context, std::initializer_list<std::string_view> names);

// `limit` (1–500, default 50) and `cursor`.
Result<db::Page> page_of(const RequestContext& context);
std::string cursor_for(std::int64_t before_id);
template <class T, class F>
boost::json::value page_json(const db::PageOf<T>& page, F to_json) {
  boost::json::array items;
  for (const auto& item : page.items) items.push_back(to_json(item));
  return boost::json::object{{"items", std::move(items)},
                             {"next_cursor", page.next_before_id ? boost::json::value(cursor_for(*page.next_before_id))
                                                                 : boost::json::value(nullptr)}};
}

// Response for a page read from storage: {items, next_cursor}, each item through `to_json`.
template <class T, class F>
Response page_response(const Result<db::PageOf<T>>& result, F to_json) {
  return respond(result, [&](const db::PageOf<T>& page) { return page_json(page, to_json); });
}

// A whole list as one page: {items, next_cursor: null}.
template <class Items, class F>
boost::json::value list_json(const Items& items, F to_json) {
  boost::json::array out;
  for (const auto& item : items) out.push_back(to_json(item));
  return boost::json::object{{"items", std::move(out)}, {"next_cursor", nullptr}};
}

// An answer whose body the server sends in pieces as `source` produces them (chunked
// transfer coding, see BodySource), after `head`'s status and headers. Where the server
// gave no slot for it (a handler called directly), the pieces are gathered into the body.
Response streamed(const RequestContext& context, Response head, BodySource source);

// If-Match → the version expected (none when absent or "*").
Result<std::optional<std::int64_t>> if_match(const RequestContext& context);

// The member a buyer or member-level finance user is confined to; none for
// network-wide users.
std::optional<std::int64_t> member_scope(const RequestContext& context);

// What the client accepts: JSON (default), CSV or XLSX; 406 for anything else.
enum class Format { json, csv, xlsx };
Result<Format> negotiate(const RequestContext& context);
// A table as CSV (French unless ?csv=rfc4180) or XLSX, with a download name.
Response table_response(const RequestContext& context, const formats::Table& table, Format format,
                        const std::string& name);
// The CSV dialect asked (?csv=rfc4180), French otherwise.
formats::CsvDialect csv_dialect(const RequestContext& context);
// A CSV download's status and headers, its body to come.
Response csv_head_response(const std::string& name);

Response not_acceptable();

// 429 with Retry-After: the user already runs as many `what` as it may at once.
Response too_many_at_once(std::string_view what);

// Requires a JSON body (415 otherwise).
std::optional<Response> require_json(const RequestContext& context);

}  // namespace canopee::api
