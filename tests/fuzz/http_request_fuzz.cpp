// The HTTP request path: raw bytes through Beast's request parser with the
// server's limits, then the App pipeline (routing, authentication, roles,
// Idempotency-Key, handler). "$ADMIN", "$OFFICER", "$BUYER" and "$FINANCE" in
// the input stand for demo tokens, so that inputs reach the handlers.
// Property: no crash, no sanitizer report, never a 5xx.
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

#include "tests/fuzz/fuzz_app.hpp"

using namespace canopee;
namespace http = boost::beast::http;

namespace {

void substitute(std::string& text, const std::string& name, const std::string& token) {
  for (auto at = text.find(name); at != std::string::npos; at = text.find(name, at + token.size())) {
    text.replace(at, name.size(), token);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto& app = fuzz::FuzzApp::next();
  std::string bytes(reinterpret_cast<const char*>(data), size);
  substitute(bytes, "$ADMIN", app.tokens.at(Role::admin));
  substitute(bytes, "$OFFICER", app.tokens.at(Role::officer));
  substitute(bytes, "$FINANCE", app.tokens.at(Role::finance));
  substitute(bytes, "$BUYER", app.tokens.at(Role::buyer));

  http::request_parser<http::string_body> parser;
  parser.eager(true);
  parser.header_limit(16 * 1024);  // the server's default header limit
  boost::beast::error_code ec;
  std::size_t used = parser.put(boost::asio::buffer(bytes), ec);
  if (ec == http::error::need_more) ec = {};
  if (!ec && parser.is_header_done()) {
    const auto target = parser.get().target();
    const auto limit = api::App::body_limit_for(parser.get().method(), target.substr(0, target.find('?')));
    parser.body_limit(limit != 0 ? limit : 1024 * 1024);
    while (!ec && used < bytes.size() && !parser.is_done()) {
      const auto more = parser.put(boost::asio::buffer(bytes.data() + used, bytes.size() - used), ec);
      if (more == 0) break;
      used += more;
    }
  }
  if (ec || !parser.is_done()) return 0;  // the server answers 400 or waits: nothing reaches the App
  app.handle(parser.release());
  return 0;
}
