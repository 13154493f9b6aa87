#include "api/server.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <cctype>
#include <csignal>
#include <future>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <unordered_map>
#include <vector>

#include "api/problem.hpp"

namespace canopee::api {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

// A warning that may recur in a tight loop (accept failing, connections refused)
// is written at most once per interval, with the count of those left out.
class RateLimitedWarning {
 public:
  explicit RateLimitedWarning(std::chrono::seconds interval) : interval_(interval) {}
  // The number of warnings suppressed since the last one, when this one may be written.
  std::optional<std::uint64_t> allow() {
    std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    if (written_ && now - last_ < interval_) {
      ++suppressed_;
      return std::nullopt;
    }
    written_ = true;
    last_ = now;
    return std::exchange(suppressed_, 0);
  }

 private:
  std::mutex mutex_;
  std::chrono::seconds interval_;
  std::chrono::steady_clock::time_point last_{};
  bool written_ = false;
  std::uint64_t suppressed_ = 0;
};

// Declaration order matters: sessions still queued in the io_context are destroyed
// with it and touch the counters, so those are declared (and outlive) before it.
struct Server::State {
  ServerOptions options;
  RequestHandler handler;
  std::atomic<bool> draining{false};
  std::atomic<std::size_t> connections{0};
  std::atomic<std::size_t> in_flight{0};
  std::atomic<std::size_t> large_bodies{0};
  std::atomic<std::uint64_t> request_counter{0};
  std::atomic<std::uint64_t> serial_counter{0};
  std::mutex address_mutex;
  std::unordered_map<std::string, std::size_t> per_address;  // open connections by peer address
  RateLimitedWarning accept_warning{std::chrono::seconds(10)};
  RateLimitedWarning refusal_warning{std::chrono::seconds(10)};
  std::chrono::milliseconds accept_backoff{0};
  std::uint64_t id_salt;
  bool stopped = false;
  // One io_context per I/O thread, each run by that thread alone. A connection
  // stays on the thread that accepted it; what the fast path does for it (its
  // database connection, db::AsyncPg) is on the same thread, so answering it wakes
  // no other thread. The first one also holds the acceptor and the signals.
  std::vector<std::unique_ptr<net::io_context>> shards;
  net::io_context& ioc;
  std::vector<net::executor_work_guard<net::io_context::executor_type>> work;
  std::size_t next_shard = 0;  // on the acceptor's strand
  net::thread_pool workers;
  tcp::acceptor acceptor;
  net::steady_timer accept_timer;
  std::vector<std::thread> io_threads;

  State(ServerOptions opts, RequestHandler h)
      : options(std::move(opts)),
        handler(std::move(h)),
        id_salt(std::random_device{}()),
        shards(make_shards(options.io_threads)),
        ioc(*shards.front()),
        workers(options.worker_threads),
        acceptor(net::make_strand(ioc)),
        accept_timer(acceptor.get_executor()) {}

  static std::vector<std::unique_ptr<net::io_context>> make_shards(std::size_t count) {
    std::vector<std::unique_ptr<net::io_context>> made;
    for (std::size_t i = 0; i < std::max<std::size_t>(1, count); ++i)
      made.push_back(std::make_unique<net::io_context>(1));
    return made;
  }

  // The io_context the next connection goes to, in turn.
  net::io_context& next_io_context() { return *shards[next_shard++ % shards.size()]; }

  std::string next_request_id() {
    const auto n = request_counter.fetch_add(1, std::memory_order_relaxed);
    return fmt::format("{:08x}{:08x}", static_cast<std::uint32_t>(id_salt), static_cast<std::uint32_t>(n));
  }
  std::uint64_t next_serial() { return serial_counter.fetch_add(1, std::memory_order_relaxed) + 1; }

  // Counts a connection from `peer`; false when that address already holds its share.
  bool admit_address(const std::string& peer) {
    std::lock_guard lock(address_mutex);
    auto& count = per_address[peer];
    if (count >= options.max_connections_per_address) {
      if (count == 0) per_address.erase(peer);
      return false;
    }
    ++count;
    return true;
  }
  void release_address(const std::string& peer) {
    std::lock_guard lock(address_mutex);
    const auto found = per_address.find(peer);
    if (found != per_address.end() && --found->second == 0) per_address.erase(found);
  }
};

namespace {

bool acceptable_request_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (const char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// A method as the log writes it: a name Beast knows, else "other" (never client text).
std::string_view method_for_log(const RequestHeader& header) {
  if (header.method() == http::verb::unknown) return "other";
  const auto name = header.method_string();
  return {name.data(), name.size()};
}

// The answer to a connection refused before any request is read: written at
// once on the fresh socket (its send buffer is empty), then the socket closed.
void refuse_connection(tcp::socket& socket, std::string_view type, std::string_view detail, std::string_view code) {
  const std::string body = fmt::format(
      R"({{"type":"urn:canopee:problem:{}","title":"Service Unavailable","status":503,"detail":"{}","code":"{}"}})",
      type, detail, code);
  const std::string answer = fmt::format(
      "HTTP/1.1 503 Service Unavailable\r\nServer: canopee\r\nContent-Type: application/problem+json\r\n"
      "Retry-After: 1\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{}",
      body.size(), body);
  beast::error_code ignored;
  socket.non_blocking(true, ignored);
  socket.write_some(net::buffer(answer), ignored);
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  // `counted_key`: the key this connection is counted under per address (none for a proxy).
  Session(tcp::socket&& socket, Server::State& state, std::string peer, std::string counted_key)
      : stream_(std::move(socket)), state_(&state), peer_(std::move(peer)), counted_key_(std::move(counted_key)) {
    state_->connections.fetch_add(1);
  }
  ~Session() {
    release_large_body();
    if (!counted_key_.empty()) state_->release_address(counted_key_);
    state_->connections.fetch_sub(1);
  }

  void run() {
    net::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::read_header, shared_from_this()));
  }

 private:
  void read_header() {
    if (state_->draining.load()) return close();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(state_->options.header_limit));
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());  // decided once the header is known
    unread_body_ = false;
    head_ = false;
    stream_.expires_after(state_->options.read_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::on_header, shared_from_this()));
  }

  void on_header(beast::error_code ec, std::size_t) {
    if (ec) return on_read_error(ec);
    started_ = std::chrono::steady_clock::now();
    const RequestHeader& header = parser_->get();
    meta_ = RequestMeta{};
    const auto header_id = header["X-Request-Id"];
    meta_.request_id = acceptable_request_id(header_id) ? std::string(header_id) : state_->next_request_id();
    meta_.serial = state_->next_serial();
    meta_.peer_address = peer_;
    // Every X-Forwarded-For line, in order, as one list (RFC 9110 5.3): a proxy
    // that adds a line of its own must not leave the client's line to be read.
    std::string forwarded;
    for (const auto& field : header) {
      if (!iequals(field.name_string(), "X-Forwarded-For")) continue;
      if (!forwarded.empty()) forwarded += ", ";
      forwarded.append(field.value().data(), field.value().size());
    }
    meta_.remote_address = state_->options.trusted_proxies.client_address(peer_, forwarded);
    method_ = std::string(method_for_log(header));
    target_ = loggable_target(header.target());
    request_id_ = meta_.request_id;
    keep_alive_ = parser_->keep_alive();
    version_ = header.version();
    head_ = header.method() == http::verb::head;
    unread_body_ = true;

    // A client behind a trusted proxy holds requests, not connections: its share
    // is counted per request in flight, by the address the proxy forwards for.
    if (meta_.remote_address != peer_) {
      forwarded_key_ = client_key(meta_.remote_address);
      if (!state_->admit_address(forwarded_key_)) {
        forwarded_key_.clear();
        auto response =
            make_problem(http::status::service_unavailable, "too-many-connections-from-address",
                         "cette adresse a déjà autant de requêtes en cours que permis ; réessayer dans un instant", {},
                         "limits.too_many_from_address");
        response.set(http::field::retry_after, "1");
        return write(std::move(response), false);
      }
    }

    const auto length = parser_->content_length();
    const auto limit = state_->options.body_limit;
    if (!state_->options.admit) {
      body_limit_ = limit;
      if (length && *length > limit) return too_large(limit);
      parser_->body_limit(limit);
      return read_body();
    }
    const auto small = std::min(limit, state_->options.anonymous_body_limit);
    if (!parser_->chunked() && length.value_or(0) <= small) {
      body_limit_ = small;
      parser_->body_limit(small);
      return read_body();
    }
    // A larger (or chunked) body: the request is admitted from its header first.
    net::post(state_->workers, [self = shared_from_this()] {
      Admission admission;
      try {
        admission = self->state_->options.admit(self->parser_->get(), self->meta_);
      } catch (const std::exception& e) {
        spdlog::error("request_id={} admission failed: {}", self->meta_.request_id, e.what());
        admission.refusal = make_problem(http::status::internal_server_error, "internal",
                                         "une erreur inattendue est survenue ; elle a été journalisée", {},
                                         "internal.unexpected");
      }
      net::post(self->stream_.get_executor(),
                [self, admission = std::move(admission)]() mutable { self->on_admitted(std::move(admission)); });
    });
  }

  void on_admitted(Admission admission) {
    meta_.hold = std::move(admission.hold);
    if (admission.refusal) return write(std::move(*admission.refusal), false);
    const auto default_limit = state_->options.body_limit;
    const auto limit = admission.body_limit != 0 ? admission.body_limit : default_limit;
    body_limit_ = limit;
    if (const auto length = parser_->content_length(); length && *length > limit) return too_large(limit);
    if (limit > default_limit) {
      if (state_->large_bodies.fetch_add(1) >= state_->options.max_large_bodies) {
        state_->large_bodies.fetch_sub(1);
        auto response = make_problem(http::status::service_unavailable, "busy",
                                     "trop d’envois volumineux à la fois ; réessayer dans un instant", {},
                                     "limits.too_many_large_uploads");
        response.set(http::field::retry_after, "1");
        return write(std::move(response), false);
      }
      holds_large_body_ = true;
    }
    parser_->body_limit(limit);
    read_body();
  }

  // Reads the body, after `100 Continue` when the client waits for it.
  void read_body() {
    const RequestHeader& header = parser_->get();
    const bool has_body = parser_->chunked() || parser_->content_length().value_or(0) > 0;
    if (has_body && header.version() >= 11 && iequals(header[http::field::expect], "100-continue")) {
      auto interim = std::make_shared<http::response<http::empty_body>>(http::status::continue_, header.version());
      http::async_write(stream_, *interim, [self = shared_from_this(), interim](beast::error_code ec, std::size_t) {
        if (ec) return self->close();
        self->read_rest();
      });
      return;
    }
    read_rest();
  }

  void read_rest() {
    // A request without a body (most GETs) is whole once its header is read: going
    // through async_read would only queue one more completion on the io_context.
    if (parser_->is_done()) return on_body({}, 0);
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_body, shared_from_this()));
  }

  void on_body(beast::error_code ec, std::size_t) {
    if (ec) return on_read_error(ec);
    unread_body_ = false;
    stream_.expires_never();  // the handler may take a while; the write sets its own bound
    Request request = parser_->release();
    state_->in_flight.fetch_add(1);
    in_flight_done_ = false;
    if (state_->options.answers_inline && state_->options.answers_inline(request)) {
      in_flight_done_ = true;
      return write(run_handler(state_, std::move(request), meta_), keep_alive_);
    }
    if (state_->options.answers_async) {
      waiting_ = std::move(request);  // for the workers, if the fast path declines
      auto self = shared_from_this();
      const bool taken = state_->options.answers_async(*waiting_, meta_, [self](std::optional<Response> answer) {
        net::post(self->stream_.get_executor(), [self, answer = std::move(answer)]() mutable {
          if (answer) return self->answered(std::move(*answer));
          auto declined = std::move(*self->waiting_);
          self->waiting_.reset();
          self->run_on_workers(std::move(declined));
        });
      });
      if (taken) return;
      request = std::move(*waiting_);
      waiting_.reset();
    }
    run_on_workers(std::move(request));
  }

  void run_on_workers(Request&& request) {
    meta_.streamed_body = std::make_shared<BodySource>();
    net::post(state_->workers, [self = shared_from_this(), request = std::move(request)]() mutable {
      auto response = run_handler(self->state_, std::move(request), self->meta_);
      net::post(self->stream_.get_executor(),
                [self, response = std::move(response)]() mutable { self->answered(std::move(response)); });
    });
  }

  void answered(Response&& response) {
    waiting_.reset();
    release_large_body();
    in_flight_done_ = true;
    // Only a success streams: an answer that replaced the handler's (an error, a problem)
    // goes out as it is, never followed by the body its source would give.
    auto source = std::move(meta_.streamed_body);
    if (!source || !*source || response.result_int() >= 300) return write(std::move(response), keep_alive_);
    if (version_ < 11) return gather(std::move(response), std::move(source));
    write_streamed(std::move(response), std::move(source), keep_alive_);
  }

  // HTTP/1.0 has no chunked coding: the pieces are gathered on a worker and the answer
  // sent whole with its Content-Length; a source that fails is then still a 503 problem.
  void gather(Response&& response, std::shared_ptr<BodySource> source) {
    net::post(state_->workers, [self = shared_from_this(), response = std::move(response), source]() mutable {
      try {
        while (auto piece = (*source)()) response.body() += *piece;
      } catch (...) {
        spdlog::error("request_id={} the body to gather failed", self->request_id_);
        response = make_problem(http::status::service_unavailable, "unavailable",
                                "l’export n’a pas pu être lu en entier ; réessayer dans un instant", {},
                                "export.interrupted");
        response.set(http::field::retry_after, "1");
      }
      net::post(self->stream_.get_executor(), [self, response = std::move(response)]() mutable {
        self->write(std::move(response), self->keep_alive_);
      });
    });
  }

  // An answer whose body comes in pieces: its header with chunked transfer coding, then
  // each piece the source gives (produced on the workers) as one chunk, then the last
  // chunk. A source that fails closes the connection without the last chunk.
  void write_streamed(Response&& response, std::shared_ptr<BodySource> source, bool keep_alive) {
    if (state_->draining.load() || unread_body_) keep_alive = false;
    response.version(version_);
    response.keep_alive(keep_alive);
    response.set(http::field::server, "canopee");
    response.set("X-Request-Id", request_id_);
    response.body().clear();
    response.chunked(true);
    response_ = std::make_shared<Response>(std::move(response));
    header_serializer_.emplace(*response_);
    streamed_bytes_ = 0;
    stream_.expires_after(state_->options.read_timeout);
    if (head_) {  // the GET answer's header; no body follows a HEAD's
      http::async_write_header(stream_, *header_serializer_,
                               [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
                                 self->streamed(keep_alive, ec);
                               });
      return;
    }
    source_ = std::move(source);
    http::async_write_header(stream_, *header_serializer_,
                             [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
                               if (ec) return self->streamed(keep_alive, ec);
                               self->next_piece(keep_alive);
                             });
  }

  void next_piece(bool keep_alive) {
    stream_.expires_never();  // producing a piece may take a while; each write sets its own bound
    net::post(state_->workers, [self = shared_from_this(), keep_alive] {
      std::optional<std::string> piece;
      bool failed = false;
      try {
        piece = (*self->source_)();
      } catch (const std::exception& e) {
        spdlog::error("request_id={} the streamed body failed after {} bytes: {}", self->request_id_,
                      self->streamed_bytes_, e.what());
        failed = true;
      } catch (...) {
        spdlog::error("request_id={} the streamed body failed after {} bytes", self->request_id_,
                      self->streamed_bytes_);
        failed = true;
      }
      net::post(self->stream_.get_executor(), [self, keep_alive, failed, piece = std::move(piece)]() mutable {
        self->send_piece(keep_alive, failed, std::move(piece));
      });
    });
  }

  void send_piece(bool keep_alive, bool failed, std::optional<std::string> piece) {
    if (failed) return streamed(false, net::error::operation_aborted);
    stream_.expires_after(state_->options.read_timeout);
    if (!piece) {
      net::async_write(stream_, http::make_chunk_last(),
                       [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
                         self->streamed(keep_alive, ec);
                       });
      return;
    }
    if (piece->empty()) return next_piece(keep_alive);  // an empty chunk would end the body
    piece_ = std::move(*piece);
    streamed_bytes_ += piece_.size();
    net::async_write(stream_, http::make_chunk(net::buffer(piece_)),
                     [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
                       if (ec) return self->streamed(keep_alive, ec);
                       self->next_piece(keep_alive);
                     });
  }

  // The streamed answer is over: sent whole, or cut (ec).
  void streamed(bool keep_alive, beast::error_code ec) {
    const auto elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_);
    const auto& client = meta_.remote_address.empty() ? peer_ : meta_.remote_address;
    spdlog::info("request_id={} remote={}{}{} method={} target={} status={} bytes={} streamed={} ms={:.3f}",
                 request_id_, client, client == peer_ ? "" : " peer=", client == peer_ ? "" : peer_, method_, target_,
                 response_->result_int(), streamed_bytes_, ec ? "cut" : "whole", elapsed.count());
    header_serializer_.reset();
    source_.reset();
    piece_.clear();
    piece_.shrink_to_fit();
    on_write(keep_alive, ec, 0);
  }

  static Response run_handler(Server::State* state, Request&& request, const RequestMeta& meta) {
    try {
      return state->handler(std::move(request), meta);
    } catch (const std::exception& e) {
      spdlog::error("request_id={} unhandled exception: {}", meta.request_id, e.what());
      return make_problem(http::status::internal_server_error, "internal",
                          "une erreur inattendue est survenue ; elle a été journalisée", {}, "internal.unexpected");
    }
  }

  void on_read_error(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == net::error::eof || ec == net::error::operation_aborted ||
        ec == net::error::connection_reset) {
      return close();
    }
    if (ec == beast::error::timeout) {
      spdlog::debug("closing connection from {}: read timeout", peer_);
      return close();
    }
    if (ec == http::error::body_limit) return too_large(body_limit_);
    if (ec == http::error::header_limit) {
      return reject(http::status::request_header_fields_too_large, "header-too-large",
                    "les en-têtes de la requête sont trop volumineux", "request.headers_too_large");
    }
    if (ec == http::error::partial_message) return close();  // the client went away mid-request
    if (ec.category() == http::make_error_code(http::error::bad_target).category()) {
      return reject(http::status::bad_request, "malformed-request",
                    fmt::format("requête HTTP mal formée : {}", ec.message()), "request.malformed");
    }
    close();
  }

  void too_large(std::size_t limit) {
    write(make_problem(http::status::payload_too_large, "payload-too-large",
                       limit == 0 ? std::string("le corps de la requête est trop volumineux")
                                  : fmt::format("le corps de la requête dépasse la limite de {} octets", limit),
                       {}, "request.body_too_large"),
          false);
  }

  // Answers a request that could not be read at all, then closes the connection.
  void reject(http::status status, std::string_view type, std::string detail, std::string_view code) {
    method_ = "-";
    target_ = "-";
    request_id_ = state_->next_request_id();
    started_ = std::chrono::steady_clock::now();
    write(make_problem(status, type, detail, {}, code), false);
  }

  void write(Response&& response, bool keep_alive) {
    release_large_body();
    if (state_->draining.load() || unread_body_) keep_alive = false;
    response.version(version_);
    response.keep_alive(keep_alive);
    response.set(http::field::server, "canopee");
    response.set("X-Request-Id", request_id_);
    response.prepare_payload();
    const auto bytes = response.body().size();
    if (head_) {
      // The GET answer's headers, Content-Length included, without its body.
      response.body().clear();
      response.content_length(bytes);
    }
    const auto elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_);
    const auto& client = meta_.remote_address.empty() ? peer_ : meta_.remote_address;
    spdlog::info("request_id={} remote={}{}{} method={} target={} status={} bytes={} ms={:.3f}", request_id_, client,
                 client == peer_ ? "" : " peer=", client == peer_ ? "" : peer_, method_, target_, response.result_int(),
                 bytes, elapsed.count());
    response_ = std::make_shared<Response>(std::move(response));
    stream_.expires_after(state_->options.read_timeout);
    http::async_write(stream_, *response_,
                      beast::bind_front_handler(&Session::on_write, shared_from_this(), keep_alive));
  }

  void on_write(bool keep_alive, beast::error_code ec, std::size_t) {
    response_.reset();
    if (in_flight_done_) {
      in_flight_done_ = false;
      state_->in_flight.fetch_sub(1);
    }
    if (ec) return close();
    if (!keep_alive) return unread_body_ ? linger_close() : close();
    read_header();
  }

  // What admission took for this request (a large-body slot, the user's import
  // slot, the forwarded client's share), given back once it is answered.
  void release_large_body() {
    if (holds_large_body_) {
      holds_large_body_ = false;
      state_->large_bodies.fetch_sub(1);
    }
    meta_.hold.reset();
    if (!forwarded_key_.empty()) {
      state_->release_address(forwarded_key_);
      forwarded_key_.clear();
    }
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();
  }

  // After answering a request whose body was not read: stop sending, then read
  // and drop what the client still sends for a short while, so that closing does
  // not reset the connection before the client has read the answer.
  void linger_close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(std::chrono::seconds(2));
    drain(0);
  }

  void drain(std::size_t drained) {
    if (drained > kMaxDrain) return close();
    buffer_.clear();
    stream_.async_read_some(buffer_.prepare(64 * 1024),
                            [self = shared_from_this(), drained](beast::error_code ec, std::size_t n) {
                              if (ec) return self->close();
                              self->drain(drained + n);
                            });
  }

  static constexpr std::size_t kMaxDrain = 4 * 1024 * 1024;

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<Request> waiting_;  // a request on the fast path (answers_async)
  std::shared_ptr<Response> response_;
  // A streamed answer (write_streamed): its header's serializer, its source, the piece being sent.
  std::optional<http::response_serializer<http::string_body>> header_serializer_;
  std::shared_ptr<BodySource> source_;
  std::string piece_;
  std::size_t streamed_bytes_ = 0;
  Server::State* state_;  // outlives every session (see State)
  std::string peer_;
  std::string counted_key_;
  RequestMeta meta_;
  std::string forwarded_key_;  // the forwarded client counted for this request
  std::size_t body_limit_ = 0;
  std::string method_;
  std::string target_;
  std::string request_id_;
  unsigned version_ = 11;
  bool keep_alive_ = true;
  bool head_ = false;
  bool unread_body_ = false;
  bool holds_large_body_ = false;
  bool in_flight_done_ = false;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

void accept_next(Server::State* state);

bool out_of_descriptors(const beast::error_code& ec) {
  return ec == net::error::no_descriptors || ec == boost::system::errc::too_many_files_open_in_system ||
         ec == net::error::no_buffer_space || ec == net::error::no_memory;
}

void on_accept(Server::State* state, beast::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || !state->acceptor.is_open()) return;
  if (ec) {
    // Accepting again at once would spin: the pending connection stays queued
    // until a descriptor is free. Back off (50 ms doubling to 1 s).
    auto& backoff = state->accept_backoff;
    backoff = std::clamp(backoff * 2, std::chrono::milliseconds(50), std::chrono::milliseconds(1000));
    if (const auto suppressed = state->accept_warning.allow()) {
      spdlog::warn("accept failed: {}{}; pausing {} ms ({} similar warnings suppressed)", ec.message(),
                   out_of_descriptors(ec) ? " (raise the open-file limit, LimitNOFILE)" : "", backoff.count(),
                   *suppressed);
    }
    state->accept_timer.expires_after(backoff);
    state->accept_timer.async_wait([state](beast::error_code wait_ec) {
      if (!wait_ec) accept_next(state);
    });
    return;
  }
  state->accept_backoff = std::chrono::milliseconds(0);
  beast::error_code endpoint_ec;
  const auto endpoint = socket.remote_endpoint(endpoint_ec);
  std::string peer = endpoint_ec ? std::string("unknown") : normalized(endpoint.address()).to_string();
  const bool proxy = !endpoint_ec && state->options.trusted_proxies.trusts(endpoint.address());
  const std::string key = client_key(peer);
  if (state->connections.load() >= state->options.max_connections) {
    if (const auto suppressed = state->refusal_warning.allow()) {
      spdlog::warn("connection from {} refused: {} connections open, the limit ({} similar refusals suppressed)", peer,
                   state->connections.load(), *suppressed);
    }
    refuse_connection(socket, "too-many-connections",
                      "le serveur a déjà autant de connexions que permis ; réessayer dans un instant",
                      "limits.too_many_connections");
  } else if (!proxy && !state->admit_address(key)) {
    if (const auto suppressed = state->refusal_warning.allow()) {
      spdlog::warn(
          "connection from {} refused: {} connections open from that address, the limit ({} similar refusals "
          "suppressed)",
          peer, state->options.max_connections_per_address, *suppressed);
    }
    refuse_connection(socket, "too-many-connections-from-address",
                      "cette adresse a déjà autant de connexions que permis ; en fermer et réessayer",
                      "limits.too_many_from_address");
  } else {
    std::make_shared<Session>(std::move(socket), *state, std::move(peer), proxy ? std::string() : key)->run();
  }
  accept_next(state);
}

void accept_next(Server::State* state) {
  state->acceptor.async_accept(state->next_io_context(), [state](beast::error_code ec, tcp::socket socket) {
    on_accept(state, ec, std::move(socket));
  });
}

}  // namespace

Server::Server(ServerOptions options, RequestHandler handler)
    : state_(std::make_unique<State>(std::move(options), std::move(handler))) {}

Server::~Server() { shutdown(); }

std::size_t connection_capacity(std::size_t requested, std::size_t fd_limit, std::size_t reserved) {
  const std::size_t usable = fd_limit > reserved ? fd_limit - reserved : 1;
  return std::max<std::size_t>(1, std::min(requested, usable));
}

std::string loggable_target(std::string_view target) {
  const auto question = target.find('?');
  if (question == std::string_view::npos) return std::string(target);
  std::string out(target.substr(0, question + 1));
  auto query = target.substr(question + 1);
  bool first = true;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (part.empty()) continue;
    if (!first) out.push_back('&');
    first = false;
    const auto name = part.substr(0, part.find('='));
    out.append(name.substr(0, 64));
    if (name.size() != part.size()) out.append("=…");
  }
  return out;
}

unsigned short Server::start() {
  auto& s = *state_;
  rlimit files{};
  if (::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY) {
    const auto capacity = connection_capacity(s.options.max_connections, static_cast<std::size_t>(files.rlim_cur),
                                              s.options.reserved_descriptors);
    if (capacity < s.options.max_connections) {
      spdlog::warn(
          "--max-connections {} lowered to {}: this process may open {} files and keeps {} for the "
          "database, the log and the web files (raise the limit: ulimit -n, LimitNOFILE in systemd)",
          s.options.max_connections, capacity, files.rlim_cur, s.options.reserved_descriptors);
      s.options.max_connections = capacity;
    }
  }
  const tcp::endpoint endpoint{net::ip::make_address(s.options.address), s.options.port};
  s.acceptor.open(endpoint.protocol());
  s.acceptor.set_option(net::socket_base::reuse_address(true));
  s.acceptor.bind(endpoint);
  s.acceptor.listen(net::socket_base::max_listen_connections);
  const auto port = s.acceptor.local_endpoint().port();
  accept_next(state_.get());
  if (s.options.on_io_start) {
    std::vector<net::io_context*> contexts;
    for (auto& shard : s.shards) contexts.push_back(shard.get());
    s.options.on_io_start(contexts);
  }
  for (auto& shard : s.shards) {
    s.work.push_back(net::make_work_guard(*shard));
    s.io_threads.emplace_back([&shard = *shard] { shard.run(); });
  }
  return port;
}

void Server::wait_for_signal() {
  std::promise<int> received;
  net::signal_set signals(state_->ioc, SIGINT, SIGTERM);
  signals.async_wait([&received](beast::error_code ec, int signal) { received.set_value(ec ? 0 : signal); });
  const int signal = received.get_future().get();
  spdlog::info("received signal {}; shutting down gracefully", signal);
  shutdown();
}

void Server::shutdown() {
  auto& s = *state_;
  if (s.stopped) return;
  s.stopped = true;
  s.draining.store(true);
  if (!s.io_threads.empty()) {
    std::promise<void> closed;
    net::dispatch(s.acceptor.get_executor(), [&s, &closed] {
      beast::error_code ignored;
      s.accept_timer.cancel();
      s.acceptor.close(ignored);
      closed.set_value();
    });
    closed.get_future().wait();
    const auto deadline = std::chrono::steady_clock::now() + s.options.shutdown_grace;
    while (s.in_flight.load() > 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (s.in_flight.load() > 0) {
      spdlog::warn("shutdown grace period over with {} requests in flight", s.in_flight.load());
    }
  }
  s.work.clear();
  for (auto& shard : s.shards) shard->stop();
  for (auto& thread : s.io_threads) thread.join();
  s.io_threads.clear();
  if (s.options.on_io_stopped) s.options.on_io_stopped();
  s.workers.join();
}

std::size_t Server::open_connections() const { return state_->connections.load(); }
std::size_t Server::max_connections() const { return state_->options.max_connections; }

}  // namespace canopee::api
