#pragma once
// The application the API fuzz targets drive: App::handle on a demo SQLite
// database in a temporary directory, made once per fuzzing process, with a
// token per role. A 5xx answer to any input is a bug: the targets trap on it.
// Inputs that are valid write to the database; so that executions stay fast and
// a crash depends on few earlier inputs, the database is made afresh every
// kResetEvery requests.
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "adapters/db/database.hpp"
#include "api/app.hpp"
#include "api/services.hpp"
#include "engine/parties.hpp"

namespace canopee::fuzz {

struct FuzzApp {
  std::string directory;
  std::unique_ptr<db::Database> database;
  std::unique_ptr<api::Services> services;
  std::unique_ptr<api::App> app;
  std::map<Role, std::string> tokens;  // one demo user's token per role

  static constexpr int kResetEvery = 2000;

  // The app for the next input: call first, before reading `tokens`.
  static FuzzApp& next();
  // Handles the request; traps when the answer is a 5xx.
  api::Response handle(api::Request&& request);

 private:
  void open();
  void close();
  int handled_ = 0;
};

}  // namespace canopee::fuzz
