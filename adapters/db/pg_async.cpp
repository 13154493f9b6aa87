#include "adapters/db/pg_async.hpp"

#include <libpq-fe.h>
#include <spdlog/spdlog.h>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <algorithm>
#include <chrono>
#include <deque>
#include <set>

namespace canopee::db {

namespace net = boost::asio;
using Descriptor = net::posix::stream_descriptor;

// One libpq connection in pipeline mode. Everything but `ready` and the counters
// is touched on its strand only.
struct AsyncPg::Connection : std::enable_shared_from_this<Connection> {
  // What the pipeline will answer, in order: a statement's results end with a
  // null result; a sync point answers PGRES_PIPELINE_SYNC alone.
  enum class Step { setup, prepare, execute, sync };
  struct Pending {
    Step step;
    AsyncRows done{};
    const char* name = nullptr;  // the statement prepared (Step::prepare)
    std::optional<std::vector<TextRow>> rows{};
    bool failed = false;
  };

  Connection(net::io_context& ioc, std::string info)
      : strand(net::make_strand(ioc)), timer(strand), conninfo(std::move(info)) {}

  net::strand<net::io_context::executor_type> strand;
  net::steady_timer timer;
  std::optional<Descriptor> socket;
  std::string conninfo;
  PGconn* pg = nullptr;
  std::atomic<bool> ready{false};
  bool closed = false;
  std::uint64_t generation = 0;  // a wait from before a reconnection is ignored
  std::set<std::string, std::less<>> prepared;
  std::deque<Pending> pending;
  bool unsynced = false;  // statements sent since the last sync point
  bool flush_posted = false;
  bool reading = false;
  bool writing = false;
  std::chrono::milliseconds backoff{0};
  std::atomic<std::uint64_t> executed{0};
  std::atomic<std::uint64_t> declined{0};
  std::atomic<std::uint64_t> reconnects{0};

  // --- connecting (PQconnectStart / PQconnectPoll on the reactor) ---

  void connect() {
    if (closed) return;
    ++generation;
    pg = PQconnectStart(conninfo.c_str());
    if (pg == nullptr || PQstatus(pg) == CONNECTION_BAD) return broken("connexion impossible");
    poll(PGRES_POLLING_WRITING);
  }

  bool watch_socket() {
    const int fd = PQsocket(pg);
    if (fd < 0) return false;
    if (socket && socket->native_handle() == fd) return true;
    release_socket();
    socket.emplace(strand, fd);
    return true;
  }

  void release_socket() {
    if (!socket) return;
    boost::system::error_code ignored;
    socket->cancel(ignored);
    (void)socket->release();  // libpq owns the descriptor and closes it
    socket.reset();
    reading = writing = false;
  }

  void poll(PostgresPollingStatusType status) {
    if (closed) return;
    if (status == PGRES_POLLING_FAILED) return broken(PQerrorMessage(pg));
    if (status == PGRES_POLLING_OK) return connected();
    if (!watch_socket()) return broken("pas de socket");
    const auto wait = status == PGRES_POLLING_READING ? Descriptor::wait_read : Descriptor::wait_write;
    socket->async_wait(wait, [self = shared_from_this(), g = generation](boost::system::error_code ec) {
      if (ec || g != self->generation || self->closed) return;
      self->poll(PQconnectPoll(self->pg));
    });
  }

  void connected() {
    if (!watch_socket() || PQsetnonblocking(pg, 1) != 0 || PQenterPipelineMode(pg) != 1) {
      return broken("mode pipeline refusé");
    }
    prepared.clear();
    // The session as the blocking pool sets it (adapters/db/database.cpp).
    for (const char* setting : {"SET TIME ZONE 'UTC'", "SET DateStyle = 'ISO, YMD'"}) {
      pending.push_back({Step::setup});
      if (PQsendQueryParams(pg, setting, 0, nullptr, nullptr, nullptr, nullptr, 0) != 1) return broken("SET refusé");
    }
    unsynced = true;
    backoff = std::chrono::milliseconds(0);
    ready.store(true, std::memory_order_release);
    flush();
  }

  // --- statements ---

  void send(AsyncStatement statement, AsyncRows done) {
    if (!ready.load(std::memory_order_acquire) || pg == nullptr) {
      declined.fetch_add(1, std::memory_order_relaxed);
      return done(std::nullopt);
    }
    const int count = static_cast<int>(statement.parameters.size());
    if (prepared.find(statement.name) == prepared.end()) {
      pending.push_back({Step::prepare, {}, statement.name});
      prepared.emplace(statement.name);
      if (PQsendPrepare(pg, statement.name, statement.text, count, nullptr) != 1) {
        broken(PQerrorMessage(pg));
        declined.fetch_add(1, std::memory_order_relaxed);
        return done(std::nullopt);
      }
    }
    std::vector<const char*> values;
    values.reserve(statement.parameters.size());
    for (const auto& p : statement.parameters) values.push_back(p.c_str());
    pending.push_back({Step::execute, std::move(done)});
    if (PQsendQueryPrepared(pg, statement.name, count, values.data(), nullptr, nullptr, 0) != 1) {
      return broken(PQerrorMessage(pg));
    }
    unsynced = true;
    // Statements queued on this strand meanwhile go out together, in one write.
    if (!flush_posted) {
      flush_posted = true;
      net::post(strand, [self = shared_from_this()] {
        self->flush_posted = false;
        self->flush();
      });
    }
  }

  // Ends the batch with a sync point (an error aborts the statements up to it) and writes it.
  void flush() {
    if (pg == nullptr || closed || !ready.load(std::memory_order_relaxed)) return;
    if (unsynced) {
      pending.push_back({Step::sync});
      unsynced = false;
      if (PQpipelineSync(pg) != 1) return broken(PQerrorMessage(pg));
    }
    const int flushed = PQflush(pg);
    if (flushed < 0) return broken(PQerrorMessage(pg));
    if (flushed == 1 && !writing) {
      writing = true;
      socket->async_wait(Descriptor::wait_write,
                         [self = shared_from_this(), g = generation](boost::system::error_code ec) {
                           if (g != self->generation || self->closed) return;
                           self->writing = false;
                           if (!ec) self->flush();
                         });
    }
    read();
  }

  void read() {
    if (reading || pending.empty() || !socket) return;
    reading = true;
    socket->async_wait(Descriptor::wait_read,
                       [self = shared_from_this(), g = generation](boost::system::error_code ec) {
                         if (g != self->generation || self->closed) return;
                         self->reading = false;
                         if (ec) return self->broken(ec.message());
                         if (PQconsumeInput(self->pg) != 1) return self->broken(PQerrorMessage(self->pg));
                         if (!self->take_results()) return;
                         self->flush();  // what libpq could not write before, and the next read
                       });
  }

  // Hands every complete result to its statement; false when the connection broke.
  bool take_results() {
    const auto g = generation;
    while (!pending.empty() && PQisBusy(pg) == 0) {
      PGresult* result = PQgetResult(pg);
      auto& front = pending.front();
      if (front.step == Step::sync) {
        if (result == nullptr) break;  // not arrived yet
        const auto status = PQresultStatus(result);
        PQclear(result);
        if (status != PGRES_PIPELINE_SYNC) {
          broken("réponse inattendue au point de synchronisation");
          return false;
        }
        pending.pop_front();
        continue;
      }
      if (result == nullptr) {
        Pending done = std::move(front);
        pending.pop_front();
        if (done.step == Step::prepare && done.failed) prepared.erase(prepared.find(done.name));
        if (done.done) {
          if (done.failed || !done.rows) {
            declined.fetch_add(1, std::memory_order_relaxed);
            done.done(std::nullopt);
          } else {
            executed.fetch_add(1, std::memory_order_relaxed);
            done.done(std::move(done.rows));
          }
          if (g != generation) return false;  // the callback closed or broke this connection
        }
        continue;
      }
      switch (PQresultStatus(result)) {
        case PGRES_TUPLES_OK: front.rows = text_rows(result); break;
        case PGRES_COMMAND_OK: front.rows.emplace(); break;
        default: {
          front.failed = true;
          const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
          spdlog::debug("asynchronous statement declined: {} {}", state != nullptr ? state : "",
                        PQresultErrorMessage(result));
        }
      }
      PQclear(result);
    }
    return true;
  }

  // The connection is lost or unusable: every waiting statement goes back to the
  // blocking path, and a new connection is tried after a pause.
  void broken(std::string_view reason) {
    const bool was_ready = ready.exchange(false);
    if (!closed) {
      std::string line(reason.substr(0, 200));  // libpq's messages span lines
      std::replace_if(
          line.begin(), line.end(), [](char c) { return c == '\n' || c == '\t'; }, ' ');
      while (!line.empty() && line.back() == ' ') line.pop_back();
      spdlog::warn("asynchronous PostgreSQL connection {}: {}", was_ready ? "lost" : "not established", line);
    }
    ++generation;
    auto failed = std::move(pending);
    pending.clear();
    unsynced = false;
    release_socket();
    if (pg != nullptr) PQfinish(pg);
    pg = nullptr;
    prepared.clear();
    for (auto& p : failed) {
      if (p.done) {
        declined.fetch_add(1, std::memory_order_relaxed);
        p.done(std::nullopt);
      }
    }
    if (closed) return;
    backoff = std::clamp(backoff * 2, std::chrono::milliseconds(100), std::chrono::milliseconds(5000));
    reconnects.fetch_add(1, std::memory_order_relaxed);
    timer.expires_after(backoff);
    timer.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (!ec) self->connect();
    });
  }

  void close() {
    closed = true;
    ready.store(false);
    ++generation;
    timer.cancel();
    release_socket();
    if (pg != nullptr) PQfinish(pg);
    pg = nullptr;
    pending.clear();
  }
};

AsyncPg::AsyncPg(const std::vector<net::io_context*>& io_contexts, std::string conninfo, std::size_t connections) {
  const auto count = std::max({std::size_t{1}, connections, io_contexts.size()});
  for (std::size_t i = 0; i < count; ++i) {
    auto connection = std::make_shared<Connection>(*io_contexts[i % io_contexts.size()], conninfo);
    net::dispatch(connection->strand, [connection] { connection->connect(); });
    connections_.push_back(std::move(connection));
  }
}

AsyncPg::~AsyncPg() { close(); }

void AsyncPg::close() {
  for (auto& connection : connections_) {
    if (!connection->closed) connection->close();
  }
}

bool AsyncPg::submit(AsyncStatement statement, AsyncRows done) {
  const auto count = connections_.size();
  const auto first = next_.fetch_add(1, std::memory_order_relaxed);
  const std::shared_ptr<Connection>* chosen = nullptr;
  for (std::size_t tries = 0; tries < count; ++tries) {
    const auto& connection = connections_[(first + tries) % count];
    if (!connection->ready.load(std::memory_order_acquire)) continue;
    if (connection->strand.get_inner_executor().running_in_this_thread()) {
      chosen = &connection;  // on this thread: no hand-over at all
      break;
    }
    if (chosen == nullptr) chosen = &connection;
  }
  if (chosen == nullptr) return false;
  net::dispatch((*chosen)->strand,
                [connection = *chosen, statement = std::move(statement), done = std::move(done)]() mutable {
                  connection->send(std::move(statement), std::move(done));
                });
  return true;
}

AsyncPgStats AsyncPg::stats() const {
  AsyncPgStats stats;
  for (const auto& connection : connections_) {
    stats.executed += connection->executed.load(std::memory_order_relaxed);
    stats.declined += connection->declined.load(std::memory_order_relaxed);
    stats.reconnects += connection->reconnects.load(std::memory_order_relaxed);
  }
  return stats;
}

}  // namespace canopee::db
