#include "api/app.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>

#include "adapters/db/party_repository.hpp"
#include "adapters/db/record_repository.hpp"
#include "adapters/security/tokens.hpp"
#include "api/client_address.hpp"
#include "api/cookies.hpp"
#include "api/handler_support.hpp"
#include "api/read_routes.hpp"
#include "api/routes.hpp"
#include "api/session_auth.hpp"

namespace canopee::api {
namespace {

constexpr std::size_t kImportBodyLimit = 32 * 1024 * 1024;

Error idempotency_in_progress() {
  return Error::of(ErrorCode::conflict, "une requête avec cette Idempotency-Key est en cours ; réessayer plus tard",
                   "idempotency.in_progress");
}

Response unauthorized(std::string_view detail, std::string_view code) {
  auto response = make_problem(http::status::unauthorized, "unauthorized", detail, {}, code);
  response.set(http::field::www_authenticate, "Bearer realm=\"canopee\"");
  return response;
}

// The token of `Bearer <token>`; the scheme is case-insensitive (RFC 9110 11.1),
// the token 1–300 visible characters.
std::optional<std::string_view> bearer_token(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer";
  if (authorization.size() <= kScheme.size() || authorization.size() > 320) return std::nullopt;
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != kScheme[i]) return std::nullopt;
  }
  auto token = authorization.substr(kScheme.size());
  if (token.front() != ' ') return std::nullopt;
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  if (token.empty() || token.size() > 300) return std::nullopt;
  for (const char c : token) {
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7F) return std::nullopt;
  }
  return token;
}

bool is_write(http::verb method) {
  return method != http::verb::get && method != http::verb::head && method != http::verb::options;
}

bool valid_idempotency_key(std::string_view key) {
  if (key.empty() || key.size() > 200) return false;
  for (const char c : key) {
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7F) return false;
  }
  return true;
}

// Everything the kept answers' handlers read besides the data: the route, the
// caller's role and member (a buyer's lists are its member's), the query as sent.
std::string recent_key(const Route& route, const User& user, std::string_view query) {
  return fmt::format("{}\n{}\n{}\n{}", route.pattern, to_string(user.role),
                     user.member_id ? std::to_string(*user.member_id) : std::string("-"), query);
}

}  // namespace

App::App(Services& services) : services_(services) {
  add_routes(router_);
  mark_standby_read_routes(router_);
}

std::size_t App::body_limit_for(http::verb method, std::string_view path) {
  const bool import = path == "/v1/needs/import" || path == "/v1/orders/import";
  return method == http::verb::post && import ? kImportBodyLimit : 0;
}

bool App::answers_inline(const RequestHeader& header) {
  if (header.method() != http::verb::get && header.method() != http::verb::head) return false;
  const auto target = header.target();
  const auto path = target.substr(0, target.find('?'));
  return path == "/healthz" || path == "/readyz" || path == "/metrics";
}

void App::configure(ServerOptions& options) {
  options.admit = [this](const RequestHeader& header, const RequestMeta& meta) { return admit(header, meta); };
  options.answers_inline = &App::answers_inline;
  if (services_.database.backend() == db::Backend::postgresql && services_.async_connections > 0) {
    options.on_io_start = [this](const std::vector<boost::asio::io_context*>& io_contexts) {
      // Named apart in pg_stat_activity (the last keyword wins over one in the URL).
      async_ = std::make_unique<db::AsyncPg>(io_contexts,
                                             services_.database.url().connect_string + " " +
                                                 std::string(db::kAsyncApplicationName),
                                             services_.async_connections);
    };
    options.answers_async = [this](Request& request, const RequestMeta& meta, ServerOptions::AsyncAnswer answer) {
      return answer_async(request, meta, std::move(answer));
    };
    // Closed and destroyed while the io_context still exists (its timers and
    // sockets belong to it); statements still queued are dropped with it.
    options.on_io_stopped = [this] {
      if (async_) async_->close();
      async_.reset();
    };
  }
}

std::optional<User> App::cached_caller(const RequestHeader& header, const RequestMeta& meta) {
  const auto now = TokenCache::Clock::now();
  if (services_.auth_failures.retry_after(client_key(meta.remote_address), now) > 0) return std::nullopt;
  const std::string_view authorization = header[http::field::authorization];
  if (authorization.empty()) {
    const auto cookie = session_cookie(header[http::field::cookie]);
    if (!cookie) return std::nullopt;
    return services_.tokens.find(session_cache_key(security::token_hash(std::string(*cookie))), now);
  }
  const auto token = bearer_token(authorization);
  if (!token) return std::nullopt;
  return services_.tokens.find(security::token_hash(*token), now);
}

bool App::answer_async(Request& request, const RequestMeta& meta, ServerOptions::AsyncAnswer answer) {
  if (request.method() != http::verb::get) return false;
  const auto started = std::chrono::steady_clock::now();
  const std::string_view target = request.target();
  const auto question = target.find('?');
  const auto path = target.substr(0, question);
  auto match = router_.match(request.method(), path);
  if (match.route == nullptr || !match.route->authenticated) return false;
  const Route& route = *match.route;
  const bool recent = route.recent_reads && recent_reads_on();
  if (!route.async_plan && !recent) return false;
  auto user = cached_caller(request, meta);
  if (!user || !route.allows(user->role)) return false;
  if (recent) {
    // A kept answer goes from here; a miss (or a malformed position, answered 400
    // there) goes to the workers, which read on the primary and keep the answer.
    auto position = read_after_position(request);
    if (!position) return false;
    auto kept = find_recent(route, *user,
                            question == std::string_view::npos ? std::string_view{} : target.substr(question + 1),
                            *position, meta, false);
    if (!kept) return false;
    auto response = kept_json(request.base(), *kept);
    finish(response, "GET", target, route.pattern, started);
    answer(std::move(response));
    return true;
  }
  // With a read standby: a malformed position, or a read the routing sends to the
  // standby, goes to the workers (App::run answers 400, or reads on the standby);
  // a read for the primary is answered here.
  const bool routed = route.standby_reads && services_.read_routing != nullptr;
  if (routed) {
    auto position = read_after_position(request);
    if (!position || services_.read_routing->decide(*position) == db::ReadTarget::standby) return false;
  }
  RequestContext context{request,
                         meta,
                         services_,
                         path,
                         question == std::string_view::npos ? std::string_view{} : target.substr(question + 1),
                         std::move(match.params),
                         std::move(user),
                         db::Actor{std::nullopt, std::nullopt, meta.request_id}};
  std::optional<AsyncPlan> plan;
  try {
    plan = route.async_plan(context);
  } catch (const std::exception& e) {
    spdlog::warn("request_id={} fast path declined: {}", meta.request_id, e.what());
    return false;
  }
  if (!plan) return false;
  if (!async_) return false;
  const bool submitted = async_->submit(std::move(plan->statement),
                                        [this, respond = std::move(plan->answer), answer = std::move(answer),
                                         target = std::string(target), route_name = &route.pattern,
                                         request_id = meta.request_id, routed,
                                         started](std::optional<std::vector<db::TextRow>> rows) {
                                          std::optional<Response> response;
                                          try {
                                            if (rows) response = respond(*rows);
                                          } catch (const std::exception& e) {
                                            spdlog::warn("request_id={} fast path declined: {}", request_id, e.what());
                                          }
                                          services_.metrics.record_fast_path(response.has_value());
                                          if (!response) return answer(std::nullopt);
                                          // Counted once answered here: a read declined now is
                                          // routed (and counted) again by the workers.
                                          if (routed) services_.read_routing->record(db::ReadTarget::primary);
                                          finish(*response, "GET", target, *route_name, started);
                                          answer(std::move(response));
                                        });
  if (!submitted) services_.metrics.record_fast_path(false);
  return submitted;
}

void App::finish(Response& response, std::string_view method, std::string_view target, std::string_view route_name,
                 std::chrono::steady_clock::time_point started) {
  response.set("X-Content-Type-Options", "nosniff");
  response.set("X-Frame-Options", "DENY");
  response.set("Referrer-Policy", "no-referrer");
  if (target.starts_with("/v1/")) response.set(http::field::cache_control, "no-store");
  services_.metrics.record(method, route_name, response.result_int(),
                           std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
}

Admission App::admit(const RequestHeader& header, const RequestMeta& meta) {
  const auto started = std::chrono::steady_clock::now();
  const std::string_view target = header.target();
  const auto path = target.substr(0, target.find('?'));
  auto match = router_.match(header.method(), path);
  Admission admission;
  if (match.route == nullptr && !match.allowed_methods.empty()) {
    admission.refusal = make_problem(http::status::method_not_allowed, "method-not-allowed",
                                     "la méthode " + std::string(header.method_string()) + " n’est pas admise sur " +
                                         std::string(path),
                                     {}, "request.method_not_allowed");
    admission.refusal->set(http::field::allow, match.allowed_methods);
  } else if (match.route == nullptr) {
    admission.refusal = make_problem(http::status::not_found, "not-found", "aucune ressource à " + std::string(path),
                                     {}, "request.no_resource");
  } else if (!match.route->authenticated) {
    admission.refusal = make_problem(http::status::payload_too_large, "payload-too-large",
                                     "cette ressource n’accepte pas un corps de requête de cette taille", {},
                                     "request.body_too_large");
  } else {
    auto caller = authenticate(header, meta);
    if (auto* refusal = std::get_if<Response>(&caller)) {
      admission.refusal = std::move(*refusal);
    } else if (const auto& user = std::get<User>(caller); !match.route->allows(user.role)) {
      admission.refusal = make_problem(http::status::forbidden, "forbidden",
                                       "le rôle « " + std::string(to_string(user.role)) +
                                           " » n’a pas le droit de faire " + std::string(header.method_string()) + " " +
                                           match.route->pattern,
                                       {}, "auth.role_forbidden");
    } else {
      admission.body_limit = body_limit_for(header.method(), path);
      if (admission.body_limit == 0) return admission;  // the default limit
      // A bulk import: the user's import slot is taken now, before the body is
      // read, so one user cannot hold every large-upload slot.
      auto slot = services_.imports.try_acquire(user.id);
      if (!slot) {
        admission.refusal = too_many_at_once("d’imports");
      } else {
        admission.hold = std::make_shared<UserSlots::Lease>(std::move(*slot));
        return admission;
      }
    }
  }
  services_.metrics.record(header.method_string(), match.route != nullptr ? match.route->pattern : "unmatched",
                           admission.refusal->result_int(),
                           std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  return admission;
}

std::variant<User, Response> App::authenticate(const RequestHeader& header, const RequestMeta& meta) {
  // A bearer token whose hash names an active user, from a client that has not
  // just failed too often.
  const auto now = TokenCache::Clock::now();
  const auto client = client_key(meta.remote_address);
  if (const auto wait = services_.auth_failures.retry_after(client, now); wait > 0) {
    auto response = make_problem(http::status::too_many_requests, "too-many-authentication-failures",
                                 "trop d’échecs d’authentification depuis cette adresse ; réessayer plus tard", {},
                                 "auth.too_many_failures");
    response.set(http::field::retry_after, std::to_string(wait));
    return response;
  }
  const auto refuse = [&](std::string_view detail, std::string_view code) {
    services_.auth_failures.record_failure(client, now);
    return unauthorized(detail, code);
  };
  const std::string_view authorization = header[http::field::authorization];
  if (authorization.empty()) {
    if (auto cookie = session_cookie(header[http::field::cookie])) return authenticate_session(header, *cookie, client);
    return unauthorized("envoyer l’en-tête Authorization: Bearer <jeton>", "auth.missing");  // not an attempt
  }
  auto token = bearer_token(authorization);
  if (!token) return refuse("l’en-tête Authorization doit être : Bearer <jeton>", "auth.malformed");
  const auto hash = security::token_hash(*token);
  if (auto user = services_.tokens.find(hash, now)) return std::move(*user);
  auto found = db::find_token_owner(services_.database, hash);
  if (!found) {
    if (found.error().code == ErrorCode::unavailable) return error(found.error());
    return refuse("jeton inconnu", "auth.unknown_token");
  }
  if (!found->active) {
    // A token that was issued and then revoked is no guess: not counted as one.
    auto response = make_problem(http::status::unauthorized, "token-revoked", "l’accès de ce jeton a été révoqué", {},
                                 "auth.token_revoked");
    response.set(http::field::www_authenticate, "Bearer realm=\"canopee\", error=\"invalid_token\"");
    return response;
  }
  services_.tokens.remember(hash, *found, now);
  return std::move(found).value();
}

std::variant<User, Response> App::authenticate_session(const RequestHeader& header, std::string_view cookie,
                                                       const std::string& client) {
  return api::authenticate_session(services_, header, cookie, client);
}

Response App::handle(Request&& request, const RequestMeta& meta) {
  const auto started = std::chrono::steady_clock::now();
  std::string route_name = "unmatched";
  Response response;
  try {
    response = run(request, meta, route_name);
  } catch (const std::exception& e) {
    spdlog::error("request_id={} unhandled exception: {}", meta.request_id, e.what());
    response = make_problem(http::status::internal_server_error, "internal",
                            "une erreur inattendue est survenue ; elle a été journalisée", {}, "internal.unexpected");
  }
  if ((services_.read_routing != nullptr || recent_reads_on()) && is_write(request.method()) &&
      response.result_int() >= 200 && response.result_int() < 300) {
    mark_write_position(response, meta);
  }
  finish(response, request.method_string(), request.target(), route_name, started);
  return response;
}

// The primary's WAL position after a write answered 2xx: its transaction has
// committed (every handler commits before it answers), so the position read now,
// on any connection of the primary, is at or past its commit record; a standby
// that has replayed it shows the write. The one place every write's answer passes.
void App::mark_write_position(Response& response, const RequestMeta& meta) {
  auto position = db::current_wal_position(services_.database);
  if (!position) {
    // The write is done; the client's next reads obey the staleness bound only.
    spdlog::warn("request_id={} no WAL position for Canopee-Read-After: {}", meta.request_id, position.error().message);
    return;
  }
  const auto text = position->to_string();
  response.set(kReadAfterHeader, text);
  response.insert(http::field::set_cookie, read_after_cookie_set(text));
}

// A GET of a route that tolerates bounded staleness, on the standby when the read
// routing chooses it; a read the standby fails is answered again by the primary:
// 5xx (it went away, its pool is exhausted) or 409 (a recovery conflict cancelled
// the query, SQLSTATE 40001; none of these GETs answers 409 otherwise).
Response App::read(const Route& route, RequestContext& context, std::optional<db::Lsn> read_after) {
  if (route.recent_reads && recent_reads_on()) return read_recent(route, context, read_after);
  if (services_.read_routing != nullptr && services_.standby != nullptr &&
      services_.read_routing->choose(read_after) == db::ReadTarget::standby) {
    context.standby = services_.standby;
    std::optional<Response> response;
    try {
      response = route.handler(context);
    } catch (const std::exception& e) {
      spdlog::warn("request_id={} the read standby failed: {}", context.meta.request_id, e.what());
    }
    if (response && response->result_int() < 500 && response->result() != http::status::conflict)
      return std::move(*response);
    spdlog::warn("request_id={} the read standby answered {}: read again on the primary", context.meta.request_id,
                 response ? response->result_int() : 500u);
    services_.read_routing->standby_failed();
    context.standby = nullptr;
    if (context.meta.streamed_body) *context.meta.streamed_body = nullptr;  // the standby's body, if it left one
  }
  return route.handler(context);
}

bool App::recent_reads_on() const {
  return services_.recent_reads_max_age.load().count() > 0 && services_.database.backend() == db::Backend::postgresql;
}

DerivedCache::Body App::find_recent(const Route& route, const User& user, std::string_view query,
                                    std::optional<db::Lsn> read_after, const RequestMeta& meta, bool count_miss) {
  // Served only above the client's last write position (none: any position), for
  // the max age; in its last quarter, one request reads it again (the first to ask;
  // its claim lapses after a quarter of the age, should it fail without a word).
  constexpr auto kLargest = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  const auto now = DerivedCache::Clock::now();
  const auto max_age = services_.recent_reads_max_age.load();
  return services_.recent_reads.find_recent(
      recent_key(route, user, query),
      {read_after ? static_cast<std::int64_t>(std::min(read_after->value, kLargest)) : -1, now - max_age,
       now - max_age * 3 / 4, now - max_age / 4, meta.serial, count_miss});
}

// A recent read missed: read on the primary and keep the answer. The WAL position is
// read first: a write whose Canopee-Read-After is below it had committed, and was
// visible, before it was read, hence before the statement's snapshot; one at or
// above it may not be in the answer, which is therefore never served to its writer
// (find_recent serves only strictly above the client's position). The age counts
// from before the position is read.
Response App::read_recent(const Route& route, RequestContext& context, std::optional<db::Lsn> read_after) {
  if (auto kept = find_recent(route, *context.user, context.query, read_after, context.meta, true))
    return kept_json(context, *kept);
  const auto key = recent_key(route, *context.user, context.query);
  // This request's claim to renew the entry, if it has one, ends here whatever happens.
  struct Claim {
    DerivedCache& cache;
    const std::string& key;
    std::uint64_t serial;
    ~Claim() { cache.release_claim(key, serial); }
  } claim{services_.recent_reads, key, context.meta.serial};
  const auto read_at = DerivedCache::Clock::now();
  const auto position = db::current_wal_position(services_.database);
  auto response = route.handler(context);
  const bool streamed = context.meta.streamed_body && *context.meta.streamed_body;
  // Only a JSON answer with no header of its own: the kept one is sent as its JSON alone.
  const bool plain = std::all_of(response.begin(), response.end(),
                                 [](const auto& field) { return field.name() == http::field::content_type; });
  if (!position || response.result() != http::status::ok || streamed || !plain ||
      response[http::field::content_type] != "application/json") {
    return response;
  }
  auto body = DerivedCache::answer(std::move(response.body()));
  services_.recent_reads.remember(key, static_cast<std::int64_t>(position->value), body, read_at);
  return kept_json(context, *body);
}

Response App::run(Request& request, const RequestMeta& meta, std::string& route_name) {
  const std::string_view target = request.target();
  const auto question = target.find('?');
  const auto path = target.substr(0, question);
  const auto query = question == std::string_view::npos ? std::string_view{} : target.substr(question + 1);

  auto match = router_.match(request.method(), path);
  if (match.route == nullptr) {
    if (!match.allowed_methods.empty()) {
      auto response = make_problem(http::status::method_not_allowed, "method-not-allowed",
                                   "la méthode " + std::string(request.method_string()) + " n’est pas admise sur " +
                                       std::string(path),
                                   {}, "request.method_not_allowed");
      response.set(http::field::allow, match.allowed_methods);
      return response;
    }
    return make_problem(http::status::not_found, "not-found", "aucune ressource à " + std::string(path), {},
                        "request.no_resource");
  }
  const Route& route = *match.route;
  route_name = route.pattern;
  RequestContext context{request,      meta,
                         services_,    path,
                         query,        std::move(match.params),
                         std::nullopt, db::Actor{std::nullopt, std::nullopt, meta.request_id}};
  if (!route.authenticated) return route.handler(context);

  auto caller = authenticate(request, meta);
  if (auto* refusal = std::get_if<Response>(&caller)) return std::move(*refusal);
  const auto* user = &std::get<User>(caller);
  context.user = *user;
  context.actor.user_id = user->id;
  context.actor.member_id = user->member_id;
  if (!route.allows(user->role)) {
    return make_problem(http::status::forbidden, "forbidden",
                        "le rôle « " + std::string(to_string(user->role)) + " » n’a pas le droit de faire " +
                            std::string(request.method_string()) + " " + route.pattern,
                        {}, "auth.role_forbidden");
  }

  if (route.standby_reads) {
    auto position = read_after_position(request);
    if (!position) return error(position.error());
    return read(route, context, *position);
  }

  // Idempotency-Key on creations: one effect per key and user.
  const std::string idempotency_key(request["Idempotency-Key"]);
  if (request.method() != http::verb::post || idempotency_key.empty()) return route.handler(context);
  if (!valid_idempotency_key(idempotency_key)) {
    return error(
        Error::invalid("Idempotency-Key", "doit compter 1 à 200 caractères ASCII visibles", "idempotency.key.format"));
  }
  const std::string method(request.method_string());
  const std::string request_hash = security::token_hash(method + " " + std::string(target) + "\n" + request.body());
  if (auto reserved = db::reserve_idempotency_key(services_.database, user->id, idempotency_key, method,
                                                  std::string(path), request_hash);
      !reserved) {
    if (reserved.error().code != ErrorCode::conflict) return error(reserved.error());
    auto stored = db::find_idempotent_response(services_.database, user->id, idempotency_key);
    if (!stored) return error(stored.error());
    if (!*stored) return error(idempotency_in_progress());
    if ((*stored)->request_hash != request_hash) {
      return make_problem(http::status::unprocessable_entity, "idempotency-key-reused",
                          "cette Idempotency-Key a servi à une autre requête", {}, "idempotency.key_reused");
    }
    if ((*stored)->status == 0) {
      return error(idempotency_in_progress());
    }
    Response replay{static_cast<http::status>((*stored)->status), 11};
    replay.set(http::field::content_type, "application/json");
    replay.set("Idempotent-Replayed", "true");
    replay.body() = (*stored)->body;
    return replay;
  }
  auto response = route.handler(context);
  const auto status = response.result_int();
  if (status >= 200 && status < 300) {
    if (auto done = db::complete_idempotency_key(services_.database, user->id, idempotency_key,
                                                 static_cast<int>(status), response.body());
        !done) {
      spdlog::warn("request_id={} could not store the idempotent response: {}", meta.request_id, done.error().message);
    }
  } else {
    [[maybe_unused]] auto released = db::release_idempotency_key(services_.database, user->id, idempotency_key);
  }
  return response;
}

}  // namespace canopee::api
