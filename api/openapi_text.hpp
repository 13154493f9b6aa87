#pragma once
// docs/openapi.yaml, embedded at build time.
#include <string_view>

namespace canopee::api {
std::string_view openapi_text();
}
