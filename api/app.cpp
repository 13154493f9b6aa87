#include "api/app.hpp"

#include "api/handlers/health.hpp"

namespace canopee::api {

App::App(db::Database& database) : database_(database) {
  add_health_routes(router_, database_);
}

Response App::handle(Request&& request, const RequestMeta& meta) {
  return router_.dispatch(request, meta);
}

}  // namespace canopee::api
