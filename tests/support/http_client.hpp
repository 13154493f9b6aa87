#pragma once
// A blocking HTTP/1.1 client over a real socket, and raw-socket helpers for
// sending what a well-behaved client never would.
#include <boost/beast/http.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace canopee::test {

namespace http = boost::beast::http;
using Reply = http::response<http::string_body>;
using Headers = std::vector<std::pair<std::string, std::string>>;

// The one client of the API suites: one connection per request. `Call`
// (api_client.hpp) is this client with a user's token and JSON bodies.
struct HttpClient {
  std::string host = "127.0.0.1";
  unsigned short port = 0;

  // Sends `headers` in order (a later one replaces an earlier one of the same
  // name); a body, or any POST or PATCH, goes with its Content-Length.
  Reply send(http::verb method, const std::string& target, const std::string& body, const Headers& headers) const;
  // `content_type` is sent with a body (or on a POST or PATCH) when not empty.
  Reply request(http::verb method, const std::string& target, const std::string& body = {},
                const std::string& content_type = "application/json", const std::string& token = {}) const;
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

// A connection kept open between steps: send some bytes, read what has come.
class RawConnection {
 public:
  explicit RawConnection(unsigned short port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  // False when the server refused or closed the connection while sending.
  bool send(const std::string& bytes);
  // Everything received so far, reading until `marker` is in it, the server
  // closes the connection, or `wait` passes.
  const std::string& read_until(const std::string& marker,
                                std::chrono::milliseconds wait = std::chrono::milliseconds(3000));
  bool closed() const { return closed_; }
  const std::string& received() const { return received_; }

 private:
  struct Socket;
  std::unique_ptr<Socket> socket_;
  std::string received_;
  bool closed_ = false;
};

}  // namespace canopee::test
