#pragma once
// gzip for answers worth compressing once and sending many times (the answers kept
// in api/derived_cache.hpp): a savings report over a thousand tenders is a megabyte
// of JSON and about a tenth of that compressed. Answers computed per request are not
// compressed: the CPU would cost more than the bytes.
#include <string>
#include <string_view>

namespace canopee::api {

// Whether an Accept-Encoding field value accepts gzip (RFC 9110 §12.5.3): "gzip" or
// "x-gzip" with a weight above zero, or failing those a "*" with a weight above zero.
// Codings are case-insensitive; "gzip;q=0" refuses it whatever "*" says.
bool accepts_gzip(std::string_view accept_encoding);

// `text` as a gzip member (RFC 1952), compressed by zlib at its default level.
std::string gzip(std::string_view text);

}  // namespace canopee::api
