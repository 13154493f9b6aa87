#pragma once
// The HTTP message types the API layer works with.
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <memory>
#include <string>

namespace canopee::api {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// What the server knows about a request beyond the message itself.
struct RequestMeta {
  std::string request_id;
  std::string remote_address;  // the client: the peer, or who a trusted proxy says it forwards for
  std::string peer_address;    // the other end of the TCP connection
  // What the server's admission took for this request from its header (the
  // caller's import slot), released once the request is answered.
  std::shared_ptr<void> hold;
};

}  // namespace canopee::api
