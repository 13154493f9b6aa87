#pragma once
// The Boost.Beast HTTP/1.1 server: I/O threads read and write; a separate worker
// pool runs the request handler (which may block on the database); responses are
// posted back to the connection's strand.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "api/http.hpp"

namespace canopee::api {

struct ServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 8080;  // 0 picks a free port (tests)
  std::size_t io_threads = 1;
  std::size_t worker_threads = 4;
  std::size_t header_limit = 16 * 1024;
  std::size_t body_limit = 1024 * 1024;
  std::chrono::milliseconds read_timeout{30'000};  // per request, header and body
  std::chrono::milliseconds shutdown_grace{10'000};
  std::size_t max_connections = 4096;
  // A larger body limit for some targets (bulk imports); returns 0 for the default.
  std::function<std::size_t(std::string_view target)> body_limit_for;
};

// Runs on a worker thread; must not throw (the server answers 500 if it does).
using RequestHandler = std::function<Response(Request&& request, const RequestMeta& meta)>;

class Server {
 public:
  Server(ServerOptions options, RequestHandler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts the threads; returns the bound port. Throws on bind failure.
  unsigned short start();
  // Blocks until SIGINT or SIGTERM, then shuts down gracefully.
  void wait_for_signal();
  // Stops accepting, lets in-flight requests finish within the grace period, stops.
  void shutdown();

  std::size_t open_connections() const;

  struct State;

 private:
  std::unique_ptr<State> state_;
};

}  // namespace canopee::api
