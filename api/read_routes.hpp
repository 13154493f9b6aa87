#pragma once
// The GET routes that may read from the PostgreSQL standby (--read-database).
#include <boost/beast/http/fields.hpp>

#include <optional>
#include <span>
#include <string_view>

#include "adapters/db/read_routing.hpp"
#include "api/router.hpp"

namespace canopee::api {

// Their patterns, in api/read_routes.cpp (docs/operations.md lists them too).
std::span<const std::string_view> standby_read_routes();

// Of those, the lists whose answers may be kept a short while (--read-cache-max-age).
std::span<const std::string_view> recent_read_routes();

// Marks both in `router`; throws std::logic_error if one is not a GET route of it.
void mark_standby_read_routes(Router& router);

// Read-your-writes: the header every write answered 2xx carries when a standby or
// the recent reads are configured (and its cookie twin, api/cookies.hpp), which the client sends back.
inline constexpr std::string_view kReadAfterHeader = "Canopee-Read-After";

// The client's last write position on a request: the header (strictly "X/Y" in
// hexadecimal, once; anything else is `invalid`, code read_after.format: answer
// 400), else the cookie (a malformed one is ignored: our server never sets one);
// both: the later. None when neither is there. For any path that routes reads,
// e.g. `routing.choose(*read_after_position(request))`.
Result<std::optional<db::Lsn>> read_after_position(const http::fields& headers);

}  // namespace canopee::api
