// gzip of the kept answers (api/compression.hpp): which Accept-Encoding values accept
// it (RFC 9110 §12.5.3 and §12.4.2), and that what it writes is a gzip member that an
// independent reader (Python's gzip module, run here) turns back into the input.
#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

#include "api/compression.hpp"
#include "tests/support/temp_dir.hpp"

using canopee::api::accepts_gzip;

TEST_CASE("Accept-Encoding: gzip is accepted when named with a weight above zero, or by a star that is") {
  CHECK(accepts_gzip("gzip"));
  CHECK(accepts_gzip("gzip, deflate, br"));  // what browsers send
  CHECK(accepts_gzip("br;q=1.0, gzip;q=0.8, *;q=0.1"));
  CHECK(accepts_gzip("GZip"));
  CHECK(accepts_gzip("x-gzip"));
  CHECK(accepts_gzip("*"));
  CHECK(accepts_gzip(" deflate ,\tgzip ; q=0.001"));
  CHECK(accepts_gzip("gzip;Q=1"));
  CHECK(accepts_gzip("gzip;q=1.000"));

  CHECK_FALSE(accepts_gzip(""));
  CHECK_FALSE(accepts_gzip("identity"));
  CHECK_FALSE(accepts_gzip("deflate, br"));
  CHECK_FALSE(accepts_gzip("gzip;q=0"));
  CHECK_FALSE(accepts_gzip("gzip;q=0.000"));
  CHECK_FALSE(accepts_gzip("gzip;q=0, *"));  // named and refused: "*" does not bring it back
  CHECK_FALSE(accepts_gzip("*, gzip;q=0"));
  CHECK_FALSE(accepts_gzip("*;q=0"));
  CHECK_FALSE(accepts_gzip("gzipped"));
  // Weights that are not weights count as a refusal.
  CHECK_FALSE(accepts_gzip("gzip;q=2"));
  CHECK_FALSE(accepts_gzip("gzip;q=1.5"));
  CHECK_FALSE(accepts_gzip("gzip;q=0.0001"));
  CHECK_FALSE(accepts_gzip("gzip;q=-1"));
  CHECK_FALSE(accepts_gzip("gzip;q="));
  CHECK_FALSE(accepts_gzip("gzip;level=9"));
  CHECK_FALSE(accepts_gzip(",,;;==,"));
}

TEST_CASE("gzip writes a member that Python's gzip module reads back to the same bytes") {
  std::string text = "{\"rows\":[";
  for (int i = 0; i < 5000; ++i) text += "{\"member\":\"OPAL\",\"savings\":\"" + std::to_string(i * 37) + ".50\"},";
  text += "\"é\\u00e9\"]}";
  const std::string packed = canopee::api::gzip(text);
  // RFC 1952: ID1 ID2 CM(8 = deflate); the figures are very repetitive, so it shrinks a lot.
  REQUIRE(packed.size() > 18);
  CHECK(static_cast<unsigned char>(packed[0]) == 0x1f);
  CHECK(static_cast<unsigned char>(packed[1]) == 0x8b);
  CHECK(packed[2] == 8);
  CHECK(packed.size() * 5 < text.size());

  canopee::test::TempDir dir;
  const auto in = dir.path() / "answer.gz";
  const auto out = dir.path() / "answer.json";
  std::ofstream(in, std::ios::binary) << packed;
  const std::string command =
      "python3 -c 'import gzip,sys; open(sys.argv[2],\"wb\").write(gzip.open(sys.argv[1]).read())' " + in.string() +
      " " + out.string();
  REQUIRE(std::system(command.c_str()) == 0);
  std::ifstream read(out, std::ios::binary);
  const std::string back{std::istreambuf_iterator<char>(read), std::istreambuf_iterator<char>()};
  CHECK(back == text);

  CHECK(canopee::api::gzip("").size() == 20);  // header 10, empty deflate block 2, CRC 4, length 4
}
