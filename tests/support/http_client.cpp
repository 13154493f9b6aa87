#include "tests/support/http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>

namespace canopee::test {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

Reply HttpClient::send(http::verb method, const std::string& target, const std::string& body,
                       const Headers& headers) const {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(tcp::endpoint(net::ip::make_address(host), port));
  http::request<http::string_body> req{method, target, 11};
  req.set(http::field::host, host);
  for (const auto& [name, value] : headers) req.set(name, value);
  if (!body.empty() || method == http::verb::post || method == http::verb::patch) {
    req.body() = body;
    req.prepare_payload();
  }
  http::write(stream, req);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  http::read(stream, buffer, parser);
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  return parser.release();
}

Reply HttpClient::request(http::verb method, const std::string& target, const std::string& body,
                          const std::string& content_type, const std::string& token) const {
  Headers headers;
  if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
  if (!content_type.empty() && (!body.empty() || method == http::verb::post || method == http::verb::patch)) {
    headers.emplace_back("Content-Type", content_type);
  }
  return send(method, target, body, headers);
}

std::string raw_exchange(unsigned short port, const std::string& bytes, std::chrono::milliseconds wait) {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  net::write(stream.socket(), net::buffer(bytes));
  std::string received;
  char chunk[4096];
  stream.expires_after(wait);
  for (;;) {
    beast::error_code ec;
    const auto n = stream.read_some(net::buffer(chunk), ec);
    received.append(chunk, n);
    if (ec) break;
  }
  return received;
}

struct RawConnection::Socket {
  net::io_context ioc;
  beast::tcp_stream stream{ioc};
};

RawConnection::RawConnection(unsigned short port) : socket_(std::make_unique<Socket>()) {
  socket_->stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
}

RawConnection::~RawConnection() {
  beast::error_code ignored;
  socket_->stream.socket().close(ignored);
}

bool RawConnection::send(const std::string& bytes) {
  beast::error_code ec;
  net::write(socket_->stream.socket(), net::buffer(bytes), ec);
  return !ec;
}

const std::string& RawConnection::read_until(const std::string& marker, std::chrono::milliseconds wait) {
  char chunk[4096];
  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (!closed_ && received_.find(marker) == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    socket_->stream.expires_at(deadline);
    beast::error_code ec;
    const auto n = socket_->stream.read_some(net::buffer(chunk), ec);
    received_.append(chunk, n);
    if (ec == beast::error::timeout) break;
    if (ec) closed_ = true;
  }
  return received_;
}

std::chrono::milliseconds time_until_closed(unsigned short port, const std::string& bytes,
                                            std::chrono::milliseconds wait) {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  if (!bytes.empty()) net::write(stream.socket(), net::buffer(bytes));
  const auto start = std::chrono::steady_clock::now();
  stream.expires_after(wait);
  char chunk[1024];
  for (;;) {
    beast::error_code ec;
    stream.read_some(net::buffer(chunk), ec);
    if (ec) break;
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
}

}  // namespace canopee::test
