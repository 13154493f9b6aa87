#include <doctest/doctest.h>

#include "adapters/formats/csv.hpp"

using namespace canopee;
using formats::parse_csv;

TEST_CASE("CSV: quotes, embedded separators and line breaks, BOM, CRLF") {
  auto table = parse_csv(
      "\xEF\xBB\xBF"
      "CODE,FR\r\n"
      "03000000-1,\"Produits agricoles, de l'élevage\"\r\n"
      "\r\n"
      "45000000-7,\"Travaux \"\"de\"\" construction\"\r\n"
      "09310000-5,\"Sur\ndeux lignes\"\n"
      "44810000-1,Peintures");
  REQUIRE(table.ok());
  CHECK(table->header == std::vector<std::string>{"CODE", "FR"});
  REQUIRE(table->rows.size() == 4);
  CHECK(table->rows[0].fields[1] == "Produits agricoles, de l'élevage");
  CHECK(table->rows[1].fields[1] == "Travaux \"de\" construction");
  CHECK(table->rows[1].line == 4);  // the blank line 3 is skipped but counted
  CHECK(table->rows[2].fields[1] == "Sur\ndeux lignes");
  CHECK(table->rows[3].line == 7);
  CHECK(table->rows[3].fields[1] == "Peintures");
}

TEST_CASE("CSV: the French separator and empty fields") {
  auto table = parse_csv("a;b;c\n1;;\"x;y\"\n", ';');
  REQUIRE(table.ok());
  CHECK(table->rows.at(0).fields == std::vector<std::string>{"1", "", "x;y"});
}

TEST_CASE("CSV: malformed input is an error naming the line") {
  const std::pair<const char*, const char*> cases[] = {
      {"a,b\n1,2,3\n", "line 2"},     // too many fields
      {"a,b\n1\n", "line 2"},         // too few
      {"a,b\n\"open,2\n", "line 2"},  // never closed
      {"a,b\n1,x\"y\n", "line 2"},    // quote inside an unquoted field
      {"a,b\n\"x\"y,2\n", "line 2"},  // text after a closing quote
  };
  for (const auto& [text, where] : cases) {
    CAPTURE(text);
    auto table = parse_csv(text);
    REQUIRE_FALSE(table.ok());
    CHECK(table.error().fields.at(0).field == where);
  }
  CHECK_FALSE(parse_csv("").ok());
  CHECK_FALSE(parse_csv("\n\n").ok());
  CHECK(parse_csv("a,b\n").value().rows.empty());
}

TEST_CASE("CSV: fields are quoted only when needed") {
  CHECK(formats::csv_field("plain") == "plain");
  CHECK(formats::csv_field("a,b") == "\"a,b\"");
  CHECK(formats::csv_field("a;b", ';') == "\"a;b\"");
  CHECK(formats::csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(formats::csv_field("two\nlines") == "\"two\nlines\"");
}
