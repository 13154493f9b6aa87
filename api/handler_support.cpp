#include "api/handler_support.hpp"

#include <boost/json.hpp>
#include <boost/url/encoding_opts.hpp>
#include <boost/url/pct_string_view.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "api/compression.hpp"
#include "api/http_text.hpp"
#include "api/json_response.hpp"

namespace canopee::api {

Response json(http::status status, const boost::json::value& body) { return json_response(status, body); }
Response json_text(http::status status, const std::string& body) {
  Response response{status, 11};
  response.set(http::field::content_type, "application/json");
  response.body() = body;
  return response;
}
Response json_text(http::status status, std::string&& body) {
  Response response{status, 11};
  response.set(http::field::content_type, "application/json");
  response.body() = std::move(body);
  return response;
}
Response kept_json(const RequestContext& context, const DerivedCache::Answer& answer) {
  return kept_json(context.request.base(), answer);
}
Response kept_json(const http::fields& request_headers, const DerivedCache::Answer& answer) {
  if (answer.gzip.empty()) return json_text(http::status::ok, answer.json);
  const auto accept = request_headers[http::field::accept_encoding];
  const bool compressed = accepts_gzip(std::string_view(accept.data(), accept.size()));
  auto response = json_text(http::status::ok, compressed ? answer.gzip : answer.json);
  if (compressed) response.set(http::field::content_encoding, "gzip");
  response.set(http::field::vary, "Accept-Encoding");
  return response;
}

Response error(const Error& e) { return problem_from_error(e); }

namespace {

std::optional<std::int64_t> positive(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

}  // namespace

std::optional<std::int64_t> parse_integer(std::string_view text) {
  std::int64_t value = 0;
  if (text.empty() || text.front() == '+') return std::nullopt;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

bool media_type_is(std::string_view header, std::string_view type) {
  return equal_ignoring_case(trim_ows(header.substr(0, header.find(';'))), type);
}

Result<std::int64_t> path_id(const RequestContext& context, std::string_view name) {
  if (auto id = positive(context.param(name))) return *id;
  return Error::of(ErrorCode::not_found, "cette ressource n’existe pas", "request.no_resource");
}

Result<std::vector<std::pair<std::string, std::string>>> parse_query(std::string_view query) {
  // Boost.URL checks and decodes each name and value ('+' is a space). Its query
  // grammar (parse_query, params_view) is not used to split the parameters: it
  // refuses characters RFC 3986 keeps out of a query ('|', '"', bytes past ASCII …)
  // that clients send raw and this API has always read as themselves.
  const boost::urls::encoding_opts plus_is_space(true);
  const auto decode = [&](std::string_view text) -> std::optional<std::string> {
    const auto encoded = boost::urls::make_pct_string_view(text);
    if (!encoded) return std::nullopt;
    return encoded->decode(plus_is_space);
  };
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t pos = 0;
  while (pos < query.size()) {
    auto end = query.find('&', pos);
    if (end == std::string_view::npos) end = query.size();
    const auto part = query.substr(pos, end - pos);
    pos = end + 1;
    if (part.empty()) continue;
    const auto equals = part.find('=');
    auto key = decode(part.substr(0, equals));
    auto value = decode(equals == std::string_view::npos ? std::string_view{} : part.substr(equals + 1));
    if (!key || !value)
      return Error::invalid("query", "encodage « % » mal formé dans la chaîne de requête", "query.malformed");
    out.emplace_back(std::move(*key), std::move(*value));
  }
  return out;
}

Result<std::optional<std::string>> query_param(const RequestContext& context, std::string_view name) {
  auto params = parse_query(context.query);
  if (!params) return std::move(params).error();
  std::optional<std::string> found;
  for (auto& [key, value] : *params) {
    if (key != name) continue;
    if (found) return Error::invalid(std::string(name), "est donné plus d’une fois", "query.duplicate");
    found = value;
  }
  return found;
}

Status allowed_query(const RequestContext& context, std::initializer_list<std::string_view> names) {
  auto params = parse_query(context.query);
  if (!params) return std::move(params).error();
  for (const auto& [key, value] : *params) {
    bool known = false;
    for (const auto n : names) known = known || n == key;
    if (!known)
      return Error::invalid(key.substr(0, 100), "n’est pas un paramètre de cette requête", "query.unknown_parameter");
  }
  return ok_status();
}

Result<db::Page> page_of(const RequestContext& context) {
  db::Page page;
  auto limit = query_param(context, "limit");
  if (!limit) return std::move(limit).error();
  if (*limit) {
    auto n = positive(**limit);
    if (!n || *n > static_cast<std::int64_t>(db::kMaxPageSize)) {
      return Error::invalid("limit", "doit être compris entre 1 et 500", "query.limit.out_of_range");
    }
    page.limit = static_cast<std::size_t>(*n);
  }
  auto cursor = query_param(context, "cursor");
  if (!cursor) return std::move(cursor).error();
  if (*cursor) {
    const std::string& c = **cursor;
    auto id = c.size() > 1 && c[0] == 'n' ? positive(std::string_view(c).substr(1)) : std::nullopt;
    if (!id) return Error::invalid("cursor", "n’est pas un curseur donné par cette API", "query.cursor.unknown");
    page.before_id = *id;
  }
  return page;
}

std::string cursor_for(std::int64_t before_id) { return "n" + std::to_string(before_id); }

void set_etag(Response& response, std::int64_t version) {
  response.set(http::field::etag, "\"v" + std::to_string(version) + "\"");
}

Result<std::optional<std::int64_t>> if_match(const RequestContext& context) {
  const auto header = context.request[http::field::if_match];
  if (header.empty() || header == "*") return std::optional<std::int64_t>{};
  std::string_view v = header;
  if (v.starts_with("W/")) v.remove_prefix(2);
  if (v.size() >= 4 && v.front() == '"' && v.back() == '"' && v[1] == 'v') {
    if (auto n = positive(v.substr(2, v.size() - 3))) return std::optional<std::int64_t>{*n};
  }
  return Error::invalid("If-Match", "doit être un ETag donné par cette API, par exemple « \"v3\" »",
                        "request.if_match.format");
}

std::optional<std::int64_t> member_scope(const RequestContext& context) {
  if (!context.user) return std::nullopt;
  if (context.user->role == Role::buyer || context.user->role == Role::finance) return context.user->member_id;
  return std::nullopt;
}

Result<Format> negotiate(const RequestContext& context) {
  std::string accept(context.request[http::field::accept]);
  for (auto& c : accept) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (accept.find("spreadsheetml.sheet") != std::string_view::npos) return Format::xlsx;
  if (accept.find("text/csv") != std::string_view::npos) return Format::csv;
  if (accept.empty() || accept.find("application/json") != std::string_view::npos ||
      accept.find("*/*") != std::string_view::npos || accept.find("application/*") != std::string_view::npos) {
    return Format::json;
  }
  return Error::invalid("Accept", "406", "request.not_acceptable");
}

Response table_response(const RequestContext& context, const formats::Table& table, Format format,
                        const std::string& name) {
  Response response{http::status::ok, 11};
  if (format == Format::xlsx) {
    auto bytes = formats::to_xlsx(table);
    if (!bytes) return error(bytes.error());
    response.set(http::field::content_type, formats::kXlsxType);
    response.set(http::field::content_disposition, "attachment; filename=\"" + name + ".xlsx\"");
    response.body() = std::move(bytes).value();
    return response;
  }
  response = csv_head_response(name);
  response.body() = formats::to_csv(table, csv_dialect(context));
  return response;
}

formats::CsvDialect csv_dialect(const RequestContext& context) {
  auto dialect = query_param(context, "csv");
  return dialect && *dialect && **dialect == "rfc4180" ? formats::CsvDialect::rfc4180 : formats::CsvDialect::french;
}

Response csv_head_response(const std::string& name) {
  Response response{http::status::ok, 11};
  response.set(http::field::content_type, formats::kCsvType);
  response.set(http::field::content_disposition, "attachment; filename=\"" + name + ".csv\"");
  return response;
}

Response streamed(const RequestContext& context, Response head, BodySource source) {
  if (context.meta.streamed_body) {
    *context.meta.streamed_body = std::move(source);
    return head;
  }
  while (auto piece = source()) head.body() += *piece;
  return head;
}

Response not_acceptable() {
  return make_problem(http::status::not_acceptable, "not-acceptable",
                      "cette ressource est disponible en application/json, text/csv ou au format XLSX", {},
                      "request.not_acceptable");
}

Response too_many_at_once(std::string_view what) {
  auto response = make_problem(http::status::too_many_requests, "too-many-concurrent-requests",
                               "vous avez déjà autant " + std::string(what) +
                                   " en cours que permis à la fois ; réessayer quand l’un sera terminé",
                               {}, "request.too_many_at_once");
  response.set(http::field::retry_after, "1");
  return response;
}

std::optional<Response> require_json(const RequestContext& context) {
  if (!media_type_is(context.request[http::field::content_type], "application/json")) {
    return make_problem(http::status::unsupported_media_type, "unsupported-media-type",
                        "envoyer le corps en application/json", {}, "request.unsupported_media_type");
  }
  return std::nullopt;
}

boost::json::value date_or_null(const std::optional<Date>& date) {
  return date ? boost::json::value(to_string(*date)) : boost::json::value(nullptr);
}

}  // namespace canopee::api
