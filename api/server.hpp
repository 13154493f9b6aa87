#pragma once
// The Boost.Beast HTTP/1.1 server: I/O threads read and write; a separate worker
// pool runs the request handler (which may block on the database); responses are
// posted back to the thread of the connection (each I/O thread runs its own io_context).
//
// What an anonymous client can hold is bounded: connections in all and per
// address, the body it may send (a large body only after `admit` has accepted
// the request from its header alone, and only so many at once), the time it may
// take. Requests that `answers_inline` names (health checks) are answered on the
// I/O thread, never queued behind database work.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/client_address.hpp"
#include "api/http.hpp"

namespace boost::asio {
class io_context;
}

namespace canopee::api {

using RequestHeader = http::request_header<>;

// What `admit` decides for a request that announces a body larger than the
// default limit (or a chunked one), before any of the body is read.
struct Admission {
  std::optional<Response> refusal;  // answered at once; the connection is closed
  std::size_t body_limit = 0;       // the body this request may send (0: the default)
  std::shared_ptr<void> hold;       // kept until the request is answered (RequestMeta::hold)
};

struct ServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 8080;  // 0 picks a free port (tests)
  std::size_t io_threads = 1;
  std::size_t worker_threads = 4;
  std::size_t header_limit = 16 * 1024;
  std::size_t body_limit = 1024 * 1024;            // for an admitted request (see admit)
  std::size_t anonymous_body_limit = 16 * 1024;    // read before anyone is authenticated
  std::chrono::milliseconds read_timeout{30'000};  // per request, header and body
  std::chrono::milliseconds shutdown_grace{10'000};
  std::size_t max_connections = 4096;             // clamped to the descriptor limit at start
  std::size_t max_connections_per_address = 256;  // trusted proxies are not limited
  std::size_t max_large_bodies = 4;               // admitted large bodies being read or handled at once
  std::size_t reserved_descriptors = 64;          // kept for the database, files and logs
  TrustedProxies trusted_proxies;
  // Decides on a request whose body may exceed `anonymous_body_limit` (or is
  // chunked), from its header alone; runs on a worker thread. Unset: bodies up to
  // `body_limit` are read without it, larger ones get 413.
  std::function<Admission(const RequestHeader& header, const RequestMeta& meta)> admit;
  // Whether a request is cheap and never blocks (answered on the I/O thread).
  std::function<bool(const RequestHeader& header)> answers_inline;
  // Whether a request is being answered without a worker (asynchronous database
  // reads on the I/O threads). When it returns true, `answer` is called exactly
  // once, from any thread: with the response, or with none to run the request on
  // the workers after all. It must not block.
  using AsyncAnswer = std::function<void(std::optional<Response>)>;
  std::function<bool(Request& request, const RequestMeta& meta, AsyncAnswer answer)> answers_async;
  // Called once at start, before the I/O threads run, with the io_context of each
  // (one per thread, each run by its thread alone; connections are spread over
  // them in turn): what works on the I/O threads (database sockets) attaches here.
  std::function<void(const std::vector<boost::asio::io_context*>& io_contexts)> on_io_start;
  // Called once the I/O threads have stopped, before the io_contexts are destroyed:
  // whatever was attached to it (database sockets) is released here.
  std::function<void()> on_io_stopped;
};

// Runs on a worker thread (or an I/O thread for inline requests); must not throw
// (the server answers 500 if it does).
using RequestHandler = std::function<Response(Request&& request, const RequestMeta& meta)>;

// The connections a server may hold with `fd_limit` descriptors, keeping
// `reserved` for everything else (at least 1).
std::size_t connection_capacity(std::size_t requested, std::size_t fd_limit, std::size_t reserved);

// The request target as the access log writes it: the path, and the query's
// parameter names with their values left out (they may carry secrets).
std::string loggable_target(std::string_view target);

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
  std::size_t max_connections() const;

  struct State;

 private:
  std::unique_ptr<State> state_;
};

}  // namespace canopee::api
