#include "tests/fuzz/fuzz_app.hpp"

#include <spdlog/spdlog.h>
#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "adapters/db/migrations.hpp"
#include "engine/cpv.hpp"
#include "engine/thresholds.hpp"
#include "usecases/demo_data.hpp"

namespace canopee::fuzz {
namespace {

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "fuzz setup: %s\n", what.c_str());
  std::abort();
}

Date today() { return parse_date("2026-11-29", "today").value(); }

FuzzApp* the_app = nullptr;

}  // namespace

FuzzApp& FuzzApp::next() {
  static FuzzApp* app = [] {
    the_app = new FuzzApp;  // lives until exit; its database directory is removed then
    spdlog::set_level(spdlog::level::off);
    the_app->open();
    std::atexit([] {
      the_app->close();
      std::filesystem::remove_all(the_app->directory);
    });
    return the_app;
  }();
  if (++app->handled_ % kResetEvery == 0) {
    app->close();
    app->open();
  }
  return *app;
}

void FuzzApp::open() {
  if (directory.empty()) {
    // Once: the demo database, migrated and loaded, kept as a template. Each
    // reset copies it (a file copy instead of migrations and the demo load).
    // In /dev/shm when there is one: commits there cost no disk flush.
    std::string pattern = std::filesystem::exists("/dev/shm") ? "/dev/shm/canopee-fuzz-XXXXXX"
                                                              : "/tmp/canopee-fuzz-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) die("mkdtemp failed");
    directory = pattern;
    auto url = db::parse_database_url("sqlite://" + directory + "/template.db");
    if (!url) die(url.error().message);
    db::Database maker(*url, db::PoolOptions{1, std::chrono::seconds(5)});
    if (auto migrated = db::migrate(maker); !migrated) die(migrated.error().message);
    auto demo = demo::load_demo(maker, today());
    if (!demo) die(demo.error().message);
    for (const auto& user : demo->users) {
      const auto role = parse_role(user.role, "role");
      if (role && !tokens.contains(*role)) tokens[*role] = user.token;
    }
  }  // the template's last connection closes here: its WAL is folded into the file
  std::filesystem::copy_file(directory + "/template.db", directory + "/fuzz.db",
                             std::filesystem::copy_options::overwrite_existing);
  auto url = db::parse_database_url("sqlite://" + directory + "/fuzz.db");
  if (!url) die(url.error().message);
  database = std::make_unique<db::Database>(*url, db::PoolOptions{1, std::chrono::seconds(5)});
  services.reset(
      new api::Services{*database, CpvNomenclature::starter(), ThresholdTable::defaults(), [] { return today(); }, {}});
  // Bad tokens from the fuzzer must not lock every later input out with a 429.
  services->auth_failures.set_limit(1'000'000'000);
  // /readyz answers from the readiness probe: one probe now, then none for an hour.
  services->readiness.start(*url, std::chrono::hours(1));
  app = std::make_unique<api::App>(*services);
}

void FuzzApp::close() {
  app.reset();
  services.reset();
  database.reset();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(directory + "/fuzz.db" + suffix);
}

api::Response FuzzApp::handle(api::Request&& request) {
  api::RequestMeta meta{"fuzz", "127.0.0.1", "127.0.0.1", {}, {}, 1};
  auto response = app->handle(std::move(request), meta);
  if (response.result_int() >= 500) {
    std::fprintf(stderr, "fuzz: %u answer: %s\n", response.result_int(), response.body().c_str());
    __builtin_trap();
  }
  return response;
}

}  // namespace canopee::fuzz
