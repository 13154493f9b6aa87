#pragma once
// CANOPEE_LISTEN: host:port, [v6-host]:port.
#include <string>
#include <string_view>

#include "engine/result.hpp"

namespace canopee::cli {

struct ListenAddress {
  std::string host;
  unsigned short port = 0;
};

Result<ListenAddress> parse_listen_address(std::string_view text);

}  // namespace canopee::cli
