#include "api/compression.hpp"

#include "api/http_text.hpp"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <limits>
#include <optional>
#include <stdexcept>

namespace canopee::api {
namespace {

// Whether a weight (RFC 9110 §12.4.2: "0" to "1" with up to three decimals) is
// above zero. A weight that is not one counts as zero: nothing the client did not
// clearly accept is sent.
bool positive_weight(std::string_view q) {
  if (q.empty() || (q.front() != '0' && q.front() != '1')) return false;
  const char unit = q.front();
  q.remove_prefix(1);
  if (q.empty()) return unit == '1';
  if (q.front() != '.' || q.size() > 4) return false;
  q.remove_prefix(1);
  if (!std::all_of(q.begin(), q.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
  const bool zero_decimals = std::all_of(q.begin(), q.end(), [](char c) { return c == '0'; });
  return unit == '1' ? zero_decimals : !zero_decimals;
}

}  // namespace

bool accepts_gzip(std::string_view accept_encoding) {
  std::optional<bool> gzip_entry;  // what an explicit gzip entry says
  bool any = false;                // a "*" accepting everything not named
  while (!accept_encoding.empty()) {
    const auto comma = accept_encoding.find(',');
    std::string_view entry = trim_ows(accept_encoding.substr(0, comma));
    accept_encoding = comma == std::string_view::npos ? std::string_view{} : accept_encoding.substr(comma + 1);
    const auto semicolon = entry.find(';');
    const std::string_view coding = trim_ows(entry.substr(0, semicolon));
    bool accepted = true;
    if (semicolon != std::string_view::npos) {
      std::string_view parameter = trim_ows(entry.substr(semicolon + 1));
      if (parameter.size() >= 2 && (parameter[0] == 'q' || parameter[0] == 'Q') && parameter[1] == '=') {
        accepted = positive_weight(trim_ows(parameter.substr(2)));
      } else {
        accepted = false;  // a parameter other than the weight: not a form we know
      }
    }
    if (equal_ignoring_case(coding, "gzip") || equal_ignoring_case(coding, "x-gzip")) {
      gzip_entry = gzip_entry.value_or(true) && accepted;
    } else if (coding == "*") {
      any = accepted;
    }
  }
  return gzip_entry.value_or(any);
}

std::string gzip(std::string_view text) {
  if (text.size() > std::numeric_limits<uInt>::max()) throw std::length_error("gzip: input too large");
  z_stream stream{};
  // 15 bits of window, +16 for the gzip wrapper (zlib's deflateInit2), memory level 8.
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("gzip: deflateInit2 failed");
  }
  std::string out(deflateBound(&stream, static_cast<uLong>(text.size())) + 32, '\0');
  // zlib's interface takes a non-const pointer but does not write through next_in.
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int status = deflate(&stream, Z_FINISH);
  const auto written = stream.total_out;
  deflateEnd(&stream);
  if (status != Z_STREAM_END) throw std::runtime_error("gzip: deflate did not finish");
  out.resize(written);
  return out;
}

}  // namespace canopee::api
