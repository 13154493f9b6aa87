#pragma once
// The GET routes that may read from the PostgreSQL standby (--read-database).
#include <span>
#include <string_view>

#include "api/router.hpp"

namespace canopee::api {

// Their patterns, in api/read_routes.cpp (docs/operations.md lists them too).
std::span<const std::string_view> standby_read_routes();

// Marks them in `router`; throws std::logic_error if one is not a GET route of it.
void mark_standby_read_routes(Router& router);

}  // namespace canopee::api
