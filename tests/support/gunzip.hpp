#pragma once
// A gzip member's bytes inflated by zlib (the server compresses with deflate; this
// reads the RFC 1952 wrapper and checks its CRC and length).
#include <doctest/doctest.h>
#include <zlib.h>

#include <string>

namespace canopee::test {

inline std::string gunzip(const std::string& bytes) {
  z_stream stream{};
  REQUIRE(inflateInit2(&stream, 15 + 16) == Z_OK);
  std::string out(bytes.size() * 40 + 1024, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  stream.avail_in = static_cast<uInt>(bytes.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int status = inflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  inflateEnd(&stream);
  CHECK(status == Z_STREAM_END);
  return out;
}

}  // namespace canopee::test
