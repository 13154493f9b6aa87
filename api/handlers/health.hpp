#pragma once
// GET /healthz (the process answers) and GET /readyz (and the database does too).
#include "adapters/db/database.hpp"
#include "api/router.hpp"

namespace canopee::api {

void add_health_routes(Router& router, db::Database& database);

}  // namespace canopee::api
