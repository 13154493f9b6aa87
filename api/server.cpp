#include "api/server.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <future>
#include <optional>
#include <random>
#include <thread>
#include <vector>

#include "api/problem.hpp"

namespace canopee::api {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

// Declaration order matters: sessions still queued in the io_context are destroyed
// with it and touch the counters, so those are declared (and outlive) before it.
struct Server::State {
  ServerOptions options;
  RequestHandler handler;
  std::atomic<bool> draining{false};
  std::atomic<std::size_t> connections{0};
  std::atomic<std::size_t> in_flight{0};
  std::atomic<std::uint64_t> request_counter{0};
  std::uint64_t id_salt;
  bool stopped = false;
  net::io_context ioc;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  net::thread_pool workers;
  tcp::acceptor acceptor;
  std::vector<std::thread> io_threads;

  State(ServerOptions opts, RequestHandler h)
      : options(std::move(opts)),
        handler(std::move(h)),
        id_salt(std::random_device{}()),
        ioc(static_cast<int>(options.io_threads)),
        workers(options.worker_threads),
        acceptor(net::make_strand(ioc)) {}

  std::string next_request_id() {
    const auto n = request_counter.fetch_add(1, std::memory_order_relaxed);
    return fmt::format("{:08x}{:08x}", static_cast<std::uint32_t>(id_salt), static_cast<std::uint32_t>(n));
  }

  std::size_t body_limit(std::string_view target) const {
    if (options.body_limit_for) {
      if (const auto limit = options.body_limit_for(target); limit != 0) return limit;
    }
    return options.body_limit;
  }
};

namespace {

bool acceptable_request_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (const char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, Server::State& state) : stream_(std::move(socket)), state_(&state) {
    state_->connections.fetch_add(1);
    beast::error_code ec;
    const auto endpoint = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = endpoint.address().to_string();
  }
  ~Session() { state_->connections.fetch_sub(1); }

  void run() {
    net::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::read_header, shared_from_this()));
  }

 private:
  void read_header() {
    if (state_->draining.load()) return close();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(state_->options.header_limit));
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());  // decided once the target is known
    stream_.expires_after(state_->options.read_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::on_header, shared_from_this()));
  }

  void on_header(beast::error_code ec, std::size_t) {
    if (ec) return on_read_error(ec);
    started_ = std::chrono::steady_clock::now();
    const auto limit = state_->body_limit(parser_->get().target());
    if (const auto length = parser_->content_length(); length && *length > limit) {
      return reject(http::status::payload_too_large, "payload-too-large",
                    fmt::format("the request body exceeds the limit of {} bytes", limit));
    }
    parser_->body_limit(limit);
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_body, shared_from_this()));
  }

  void on_body(beast::error_code ec, std::size_t) {
    if (ec) return on_read_error(ec);
    stream_.expires_never();  // the handler may take a while; the write sets its own bound
    Request request = parser_->release();
    RequestMeta meta;
    const auto header_id = request["X-Request-Id"];
    meta.request_id = acceptable_request_id(header_id) ? std::string(header_id) : state_->next_request_id();
    meta.remote_address = remote_;
    method_ = std::string(request.method_string());
    target_ = std::string(request.target());
    request_id_ = meta.request_id;
    keep_alive_ = request.keep_alive();
    version_ = request.version();
    state_->in_flight.fetch_add(1);
    net::post(state_->workers, [self = shared_from_this(), request = std::move(request),
                                meta = std::move(meta)]() mutable {
      Response response;
      try {
        response = self->state_->handler(std::move(request), meta);
      } catch (const std::exception& e) {
        spdlog::error("request_id={} unhandled exception: {}", meta.request_id, e.what());
        response = make_problem(http::status::internal_server_error, "internal",
                                "an unexpected error occurred; it has been logged");
      }
      net::post(self->stream_.get_executor(), [self, response = std::move(response)]() mutable {
        self->in_flight_done_ = true;
        self->write(std::move(response), self->keep_alive_);
      });
    });
  }

  void on_read_error(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == net::error::eof ||
        ec == net::error::operation_aborted || ec == net::error::connection_reset) {
      return close();
    }
    if (ec == beast::error::timeout) {
      spdlog::debug("closing connection from {}: read timeout", remote_);
      return close();
    }
    if (ec == http::error::body_limit) {
      return reject(http::status::payload_too_large, "payload-too-large", "the request body is too large");
    }
    if (ec == http::error::header_limit) {
      return reject(http::status::request_header_fields_too_large, "header-too-large",
                    "the request headers are too large");
    }
    if (ec == http::error::partial_message) return close();  // the client went away mid-request
    if (ec.category() == http::make_error_code(http::error::bad_target).category()) {
      return reject(http::status::bad_request, "malformed-request",
                    fmt::format("malformed HTTP request: {}", ec.message()));
    }
    close();
  }

  // Answers a request that could not be read whole, then closes the connection.
  void reject(http::status status, std::string_view type, std::string detail) {
    method_ = "-";
    target_ = "-";
    request_id_ = state_->next_request_id();
    started_ = std::chrono::steady_clock::now();
    write(make_problem(status, type, detail), false);
  }

  void write(Response&& response, bool keep_alive) {
    if (state_->draining.load()) keep_alive = false;
    response.version(version_);
    response.keep_alive(keep_alive);
    response.set(http::field::server, "canopee");
    response.set("X-Request-Id", request_id_);
    response.prepare_payload();
    const auto elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_);
    spdlog::info("request_id={} remote={} method={} target={} status={} bytes={} ms={:.3f}", request_id_,
                 remote_, method_, target_, response.result_int(), response.body().size(), elapsed.count());
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
    if (ec || !keep_alive) return close();
    read_header();
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<Response> response_;
  Server::State* state_;  // outlives every session (see State)
  std::string remote_;
  std::string method_;
  std::string target_;
  std::string request_id_;
  unsigned version_ = 11;
  bool keep_alive_ = true;
  bool in_flight_done_ = false;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

void accept_next(Server::State* state);

void on_accept(Server::State* state, beast::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || !state->acceptor.is_open()) return;
  if (!ec) {
    if (state->connections.load() >= state->options.max_connections) {
      spdlog::warn("connection refused: {} connections open (limit)", state->connections.load());
      beast::error_code ignored;
      socket.close(ignored);
    } else {
      std::make_shared<Session>(std::move(socket), *state)->run();
    }
  } else {
    spdlog::warn("accept failed: {}", ec.message());
  }
  accept_next(state);
}

void accept_next(Server::State* state) {
  state->acceptor.async_accept(net::make_strand(state->ioc),
                               [state](beast::error_code ec, tcp::socket socket) {
                                 on_accept(state, ec, std::move(socket));
                               });
}

}  // namespace

Server::Server(ServerOptions options, RequestHandler handler)
    : state_(std::make_unique<State>(std::move(options), std::move(handler))) {}

Server::~Server() { shutdown(); }

unsigned short Server::start() {
  auto& s = *state_;
  const tcp::endpoint endpoint{net::ip::make_address(s.options.address), s.options.port};
  s.acceptor.open(endpoint.protocol());
  s.acceptor.set_option(net::socket_base::reuse_address(true));
  s.acceptor.bind(endpoint);
  s.acceptor.listen(net::socket_base::max_listen_connections);
  const auto port = s.acceptor.local_endpoint().port();
  accept_next(state_.get());
  s.work.emplace(s.ioc.get_executor());
  for (std::size_t i = 0; i < std::max<std::size_t>(1, s.options.io_threads); ++i) {
    s.io_threads.emplace_back([&s] { s.ioc.run(); });
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
  s.work.reset();
  s.ioc.stop();
  for (auto& thread : s.io_threads) thread.join();
  s.io_threads.clear();
  s.workers.join();
}

std::size_t Server::open_connections() const { return state_->connections.load(); }

}  // namespace canopee::api
