#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>

#include "tests/support/api_server.hpp"

namespace canopee::test {

namespace net = boost::asio;
namespace beast = boost::beast;

Reply Call::send(http::verb method, const std::string& target, const std::string& body,
                 std::vector<std::pair<std::string, std::string>> headers) const {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(net::ip::tcp::endpoint(net::ip::make_address(client.host), client.port));
  http::request<http::string_body> req{method, target, 11};
  req.set(http::field::host, client.host);
  if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
  bool typed = false;
  for (const auto& [name, value] : headers) {
    req.set(name, value);
    typed = typed || name == "Content-Type";
  }
  if (!body.empty() || method == http::verb::post || method == http::verb::patch) {
    if (!typed) req.set(http::field::content_type, "application/json");
    req.body() = body;
    req.prepare_payload();
  }
  http::write(stream, req);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  http::read(stream, buffer, parser);
  beast::error_code ignored;
  stream.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
  return parser.release();
}

}  // namespace canopee::test
