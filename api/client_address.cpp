#include "api/client_address.hpp"

#include "api/http_text.hpp"

#include <boost/asio/ip/address_v6.hpp>

#include <charconv>
#include <optional>

namespace canopee::api {

namespace ip = boost::asio::ip;

namespace {

std::optional<ip::address> parse_address(std::string_view text) {
  boost::system::error_code ec;
  const auto address = ip::make_address(std::string(trim_ows(text)), ec);
  if (ec) return std::nullopt;
  return normalized(address);
}

}  // namespace

std::string client_key(std::string_view text) {
  const auto address = parse_address(text);
  if (!address) return std::string(text);
  if (address->is_v4()) return address->to_string();
  return ip::make_network_v6(address->to_v6(), 64).canonical().to_string();
}

ip::address normalized(const ip::address& address) {
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return ip::make_address_v4(ip::v4_mapped, address.to_v6());
  }
  return address;
}

Result<TrustedProxies> TrustedProxies::parse(std::string_view text) {
  TrustedProxies proxies;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    auto end = text.find_first_of(", ", pos);
    if (end == std::string_view::npos) end = text.size();
    const auto item = text.substr(pos, end - pos);
    pos = end + 1;
    if (item.empty()) continue;
    const auto slash = item.find('/');
    const auto address = parse_address(item.substr(0, slash));
    if (!address) return Error::invalid("trusted_proxies", "not an IP address or CIDR block: " + std::string(item));
    unsigned bits = address->is_v4() ? 32 : 128;
    if (slash != std::string_view::npos) {
      const auto prefix = item.substr(slash + 1);
      const auto [last, ec] = std::from_chars(prefix.data(), prefix.data() + prefix.size(), bits);
      if (ec != std::errc{} || last != prefix.data() + prefix.size() || bits > (address->is_v4() ? 32U : 128U)) {
        return Error::invalid("trusted_proxies", "bad prefix length in " + std::string(item));
      }
    }
    if (address->is_v4()) {
      proxies.networks_.emplace_back(
          ip::make_network_v4(address->to_v4(), static_cast<unsigned short>(bits)).canonical());
    } else {
      proxies.networks_.emplace_back(
          ip::make_network_v6(address->to_v6(), static_cast<unsigned short>(bits)).canonical());
    }
  }
  return proxies;
}

bool TrustedProxies::trusts(const ip::address& raw) const {
  const auto address = normalized(raw);
  for (const auto& network : networks_) {
    if (address.is_v4() && std::holds_alternative<ip::network_v4>(network)) {
      const auto& n = std::get<ip::network_v4>(network);
      if (ip::make_network_v4(address.to_v4(), n.prefix_length()).canonical() == n) return true;
    } else if (address.is_v6() && std::holds_alternative<ip::network_v6>(network)) {
      const auto& n = std::get<ip::network_v6>(network);
      if (ip::make_network_v6(address.to_v6(), n.prefix_length()).canonical() == n) return true;
    }
  }
  return false;
}

bool TrustedProxies::trusts(std::string_view address) const {
  const auto parsed = parse_address(address);
  return parsed && trusts(*parsed);
}

std::string TrustedProxies::client_address(std::string_view peer, std::string_view forwarded_for) const {
  if (networks_.empty() || forwarded_for.empty() || !trusts(peer)) return std::string(peer);
  // From the right: each hop appended the address it received the request from.
  std::string_view rest = forwarded_for;
  std::string nearest = std::string(peer);
  while (!rest.empty()) {
    const auto comma = rest.rfind(',');
    const auto item = comma == std::string_view::npos ? rest : rest.substr(comma + 1);
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(0, comma);
    const auto address = parse_address(item);
    if (!address) return nearest;  // a forged or broken entry: stop at the last one we could believe
    nearest = address->to_string();
    if (!trusts(*address)) return nearest;
  }
  return nearest;
}

}  // namespace canopee::api
