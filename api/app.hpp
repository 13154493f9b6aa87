#pragma once
// The application: the routing table bound to the database. Its handle() is the
// server's request handler and runs on a worker thread.
#include "adapters/db/database.hpp"
#include "api/http.hpp"
#include "api/router.hpp"

namespace canopee::api {

class App {
 public:
  explicit App(db::Database& database);
  Response handle(Request&& request, const RequestMeta& meta);
  const Router& router() const { return router_; }

 private:
  db::Database& database_;
  Router router_;
};

}  // namespace canopee::api
