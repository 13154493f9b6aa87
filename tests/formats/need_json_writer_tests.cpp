// The needs' JSON written straight into text (formats::append_json) against what
// Boost.JSON's own serializer writes for formats::to_json: the same bytes, for needs
// that take every branch (no reference date or index, attributes or none, a repeated
// attribute name) and text that needs every kind of escape.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include <string>

#include "adapters/formats/json_mapping.hpp"
#include "engine/cpv.hpp"

using namespace canopee;

namespace {

Need sample() {
  Need n;
  n.id = 123456789012;
  n.member_id = 7;
  n.cpv = CpvNomenclature::starter().validate("44810000-1", "cpv").value();
  n.title = "Peinture acrylique";
  n.description = "";
  n.quantity = parse_quantity("1250.5", "quantity").value();
  n.unit = parse_unit("l", "unit").value();
  n.reference_unit_price = parse_unit_price("7.8", "price").value();
  n.department = *parse_department("2A", "department");
  n.period_start = parse_date("2027-01-01", "d").value();
  n.period_end = parse_date("2027-12-31", "d").value();
  return n;
}

std::string written(const Need& n) {
  std::string out = "[";  // appended to what is there, not in place of it
  formats::append_json(out, n);
  return out;
}

std::string serialized(const Need& n) { return "[" + boost::json::serialize(formats::to_json(n)); }

}  // namespace

TEST_CASE("a need written straight is what Boost.JSON serialises, byte for byte") {
  Need n = sample();
  CHECK(written(n) == serialized(n));

  n.reference_date = parse_date("2026-03-15", "d").value();
  n.reference_index = "BT45";
  n.recurring = true;
  n.status = NeedStatus::submitted;
  n.attributes = {{"couleur", "blanc"}, {"finition", "mate"}};
  CHECK(written(n) == serialized(n));

  // Every escape: quotes, backslash, the short forms, other control characters
  // (\u00XX, lower-case hex), and what stays as it is (/, DEL, accents, emoji).
  std::string hostile = "« \"devis\" » \\ / \b\f\n\r\t";
  hostile += std::string("\x00\x01\x1f\x7f", 4);
  hostile += "é 😀 </script>";
  n.title = hostile;
  n.description = hostile + hostile;
  n.attributes = {{hostile, hostile}, {"", ""}};
  CHECK(written(n) == serialized(n));
  CHECK(boost::json::parse(written(n).substr(1)).at("title").as_string() == hostile);

  // A repeated attribute name: its first place, its last value.
  n.attributes = {{"a", "1"}, {"b", "2"}, {"a", "3"}};
  CHECK(written(n) == serialized(n));
  CHECK(written(n).find(R"("attributes":{"a":"3","b":"2"})") != std::string::npos);
}

TEST_CASE("a JSON string is escaped as Boost.JSON escapes it, for every byte value") {
  for (int c = 0; c < 256; ++c) {
    const std::string text = "x" + std::string(1, static_cast<char>(c)) + "y";
    std::string out;
    formats::append_json_string(out, text);
    // Boost.JSON serialises any bytes given (it does not validate UTF-8 on output).
    CHECK_MESSAGE(out == boost::json::serialize(boost::json::string(text)), "byte ", c);
  }
}
