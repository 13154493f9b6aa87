#pragma once
// The HTTP message types the API layer works with.
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace canopee::api {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// A body produced piece by piece and sent as it comes, with chunked transfer coding: each
// call gives the next piece, none once the body is complete. Called on the server's
// workers (it may read the database), one call at a time, after the handler returned; it
// owns what it reads from. An exception ends the answer early: the connection is closed
// without the last chunk, so the client sees a body cut short, never a complete-looking one.
using BodySource = std::function<std::optional<std::string>()>;

// What the server knows about a request beyond the message itself.
struct RequestMeta {
  std::string request_id;
  std::string remote_address;  // the client: the peer, or who a trusted proxy says it forwards for
  std::string peer_address;    // the other end of the TCP connection
  // What the server's admission took for this request from its header (the
  // caller's import slot), released once the request is answered.
  std::shared_ptr<void> hold;
  // Where a handler leaves the source of a body it sends in pieces (see BodySource): a
  // slot the server gives each request it runs on its workers; none elsewhere.
  std::shared_ptr<BodySource> streamed_body;
  // The server's own number for this request, unique in the process (request_id may
  // come from the client); 0 outside a server.
  std::uint64_t serial = 0;
};

}  // namespace canopee::api
