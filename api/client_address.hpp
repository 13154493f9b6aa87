#pragma once
// Who the client is when the server stands behind a reverse proxy. The peer of
// the TCP connection is the proxy; the client's address is in X-Forwarded-For,
// which anyone can write, so it is believed only when the peer is one of the
// configured trusted proxies, and only back to the first address that is not
// itself a trusted proxy (reading the header from the right, as each proxy
// appends the address it saw).
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/result.hpp"

namespace canopee::api {

class TrustedProxies {
 public:
  TrustedProxies() = default;
  // "127.0.0.1, 10.0.0.0/8, ::1, fd00::/8": addresses or CIDR blocks, separated by
  // commas or spaces. An empty text trusts nobody.
  static Result<TrustedProxies> parse(std::string_view text);

  bool empty() const { return networks_.empty(); }
  bool trusts(const boost::asio::ip::address& address) const;
  bool trusts(std::string_view address) const;

  // The client's address for a request from `peer` carrying `forwarded_for`
  // (the X-Forwarded-For value, possibly empty).
  std::string client_address(std::string_view peer, std::string_view forwarded_for) const;

 private:
  using Network = std::variant<boost::asio::ip::network_v4, boost::asio::ip::network_v6>;
  std::vector<Network> networks_;
};

// The key a client is counted under (connections, failed authentications): its
// IPv4 address, or the /64 of an IPv6 one (a subscriber gets a whole /64, so an
// exact address would give one client endless fresh counts).
std::string client_key(std::string_view address);

// The address with IPv4-mapped IPv6 (::ffff:192.0.2.1) turned into IPv4.
boost::asio::ip::address normalized(const boost::asio::ip::address& address);

}  // namespace canopee::api
