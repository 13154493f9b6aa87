#pragma once
// A blocking HTTP/1.1 client over a real socket, and raw-socket helpers for
// sending what a well-behaved client never would.
#include <boost/beast/http.hpp>
#include <chrono>
#include <string>

namespace canopee::test {

namespace http = boost::beast::http;
using Reply = http::response<http::string_body>;

struct HttpClient {
  std::string host = "127.0.0.1";
  unsigned short port = 0;

  Reply request(http::verb method, const std::string& target, const std::string& body = {},
                const std::string& content_type = "application/json",
                const std::string& token = {}) const;
  Reply get(const std::string& target, const std::string& token = {}) const {
    return request(http::verb::get, target, {}, {}, token);
  }
};

// Sends raw bytes and returns everything the server sends back until it closes
// the connection (or `wait` passes).
std::string raw_exchange(unsigned short port, const std::string& bytes,
                         std::chrono::milliseconds wait = std::chrono::milliseconds(3000));

// Connects, sends `bytes`, then stays silent; returns how long the server took to
// close the connection (or `wait` if it did not).
std::chrono::milliseconds time_until_closed(unsigned short port, const std::string& bytes,
                                            std::chrono::milliseconds wait);

}  // namespace canopee::test
