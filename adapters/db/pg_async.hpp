#pragma once
// The hottest reads on PostgreSQL without leaving the HTTP I/O threads: libpq in
// non-blocking pipeline mode, its socket watched by the Asio reactor that serves
// the requests. No worker thread is woken and none waits: a request's statement
// is queued on one of a few connections, sent with the others queued meanwhile in
// one write, and its rows handed back when they arrive. Each statement is prepared
// once per connection and then executed in the same round trip as the others.
//
// Anything unusual — no connection ready, a connection lost, an SQL error — is
// answered "not done here" (std::nullopt) and the caller runs the request on the
// blocking path instead, which knows every error's answer: this path only has to
// be fast, never complete.
#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/db/pg_prepared.hpp"

namespace boost::asio {
class io_context;
}

namespace canopee::db {

// The application_name these connections carry (pg_stat_activity), given as a libpq keyword.
inline constexpr std::string_view kAsyncApplicationName = "application_name=canopee-fast-path";

struct AsyncStatement {
  const char* name;                     // prepared under this name on each connection, once
  const char* text;                     // $1, $2 … placeholders
  std::vector<std::string> parameters;  // text format
};

// Called on the connection's strand with the rows, or nullopt when the statement
// could not be run here (take the blocking path).
using AsyncRows = std::function<void(std::optional<std::vector<TextRow>>)>;

struct AsyncPgStats {
  std::uint64_t executed = 0;  // statements answered with rows
  std::uint64_t declined = 0;  // handed back to the blocking path
  std::uint64_t reconnects = 0;
};

class AsyncPg {
 public:
  // `conninfo`: libpq keywords (DatabaseUrl::connect_string). Connects in the
  // background at once; submit() declines until a connection is ready. The
  // connections are spread over `io_contexts` in turn (at least one on each).
  AsyncPg(const std::vector<boost::asio::io_context*>& io_contexts, std::string conninfo, std::size_t connections);
  AsyncPg(boost::asio::io_context& ioc, std::string conninfo, std::size_t connections)
      : AsyncPg(std::vector<boost::asio::io_context*>{&ioc}, std::move(conninfo), connections) {}
  ~AsyncPg();
  AsyncPg(const AsyncPg&) = delete;
  AsyncPg& operator=(const AsyncPg&) = delete;

  // Queues the statement; false (and `done` not called) when no connection is ready.
  // A ready connection on the calling thread's io_context is taken first: the
  // statement is then sent, and `done` called, without waking another thread.
  bool submit(AsyncStatement statement, AsyncRows done);
  // Closes every connection; call once the io_context's threads have stopped, and
  // destroy this object before the io_context (its timers and sockets are the
  // io_context's).
  void close();
  AsyncPgStats stats() const;

 private:
  struct Connection;
  std::vector<std::shared_ptr<Connection>> connections_;
  std::atomic<std::size_t> next_{0};
};

}  // namespace canopee::db
