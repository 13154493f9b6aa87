#include "cli/listen_address.hpp"

#include <charconv>

namespace canopee::cli {

Result<ListenAddress> parse_listen_address(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    return Error::invalid("listen", "expected HOST:PORT, e.g. 127.0.0.1:8080");
  }
  auto host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const auto port_text = text.substr(colon + 1);
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc{} || end != port_text.data() + port_text.size() || port > 65535) {
    return Error::invalid("listen", "port must be a number from 0 to 65535");
  }
  return ListenAddress{std::string(host), static_cast<unsigned short>(port)};
}

}  // namespace canopee::cli
