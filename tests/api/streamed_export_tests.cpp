// The contracts' CSV export is sent as it is read (issue 21 item 3), on both backends: chunked
// transfer coding, no Content-Length, one page of contracts in memory at a time; the bytes
// are the whole table's — every contract once, newest first, across page boundaries (500 a
// page) — and a HEAD gets the header alone on a connection that stays usable.
#include <doctest/doctest.h>

#include <soci/soci.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>

#include "tests/support/notified_lot.hpp"

using namespace canopee;
using test::body_of;
namespace json = boost::json;
namespace net = boost::asio;
namespace beast = boost::beast;
using test::http::verb;

namespace {

// The data lines of a French CSV body (after the BOM and the header line).
std::vector<std::string> data_lines(const std::string& body) {
  std::vector<std::string> lines;
  std::size_t at = body.find("\r\n");
  REQUIRE(at != std::string::npos);
  at += 2;
  while (at < body.size()) {
    const auto end = body.find("\r\n", at);
    REQUIRE(end != std::string::npos);  // every line ends with CRLF, the last one too
    lines.push_back(body.substr(at, end - at));
    at = end + 2;
  }
  return lines;
}

// 1,203 more contracts on the notified lot: one for each of as many new members, member n
// buying n + 1 litres at 9 € (amount (n + 1) × 9 € in cents), inserted straight into the
// store: the export reads what is there, however it got there.
constexpr int kExtra = 1203;
void add_contracts(db::Database& database, std::int64_t like_contract) {
  auto c = database.acquire();
  REQUIRE(c.ok());
  auto& sql = c->sql();
  soci::transaction tx(sql);
  long long lot = 0, supplier = 0;
  const long long like = like_contract;
  std::string awarded;
  sql << "SELECT lot_id, supplier_id, CAST(awarded_at AS TEXT) FROM contracts WHERE id = :id", soci::use(like),
      soci::into(lot), soci::into(supplier), soci::into(awarded);
  REQUIRE(lot != 0);
  for (int n = 0; n < kExtra; ++n) {
    const std::string code = "X" + std::to_string(n);
    const std::string name = "Membre " + code;
    const std::string siren = std::to_string(500000000 + n);
    const std::string at = "2026-11-29T10:00:00Z";
    long long member = 0;
    sql << "INSERT INTO members (code, name, siren, department, created_at, updated_at) "
           "VALUES (:code, :name, :siren, '80', :a, :b)",
        soci::use(code), soci::use(name), soci::use(siren), soci::use(at), soci::use(at);
    sql << "SELECT id FROM members WHERE code = :code", soci::use(code), soci::into(member);
    const long long quantity = (n + 1) * 1000LL;  // thousandths
    const long long price = 90000;                // ten-thousandths: 9 €
    const long long amount = (n + 1) * 900LL;     // cents
    sql << "INSERT INTO contracts (lot_id, member_id, supplier_id, quantity, unit_price, amount, awarded_at) "
           "VALUES (:lot, :member, :supplier, :quantity, :price, :amount, :at)",
        soci::use(lot), soci::use(member), soci::use(supplier), soci::use(quantity), soci::use(price),
        soci::use(amount), soci::use(awarded);
  }
  tx.commit();
}

}  // namespace

TEST_CASE("the contracts' CSV is streamed: chunked, every contract once across pages, the bytes of the whole table") {
  test::NotifiedLot w;
  add_contracts(*w.s.database, w.contract_a);

  const auto csv = w.officer.get("/v1/contracts?format=csv");
  REQUIRE(csv.result_int() == 200);
  CHECK(std::string(csv[test::http::field::transfer_encoding]) == "chunked");
  CHECK_FALSE(csv.has_content_length());
  CHECK(std::string(csv[test::http::field::content_type]) == "text/csv; charset=utf-8");
  const std::string body = csv.body();
  REQUIRE(body.rfind("\xEF\xBB\xBF", 0) == 0);
  CHECK(body.substr(3, body.find("\r\n") - 3).rfind("Référence consultation;Consultation;Lot;", 0) == 0);
  const auto lines = data_lines(body);
  REQUIRE(lines.size() == kExtra + 2);  // three pages: 500, 500, 205
  // Newest first: member X1202's 1,203 l for 10 827,00 € first; X0's 1 l for 9,00 € last
  // of the inserted ones; the two notified contracts (6 300,00 and 2 700,00 €) at the end.
  CHECK(lines.front().find(";X1202;Membre X1202;1203;l;9,0000;10827,00;") != std::string::npos);
  CHECK(lines[499].find(";X703;Membre X703;704;l;9,0000;6336,00;") != std::string::npos);  // the first page's last
  CHECK(lines[500].find(";X702;Membre X702;703;l;9,0000;6327,00;") != std::string::npos);  // the second's first
  CHECK(lines[kExtra - 1].find(";X0;Membre X0;1;l;9,0000;9,00;") != std::string::npos);
  for (int n = 0; n < kExtra; ++n) {
    CAPTURE(n);
    const auto& line = lines[static_cast<std::size_t>(kExtra - 1 - n)];
    const auto cents = (n + 1) * 900;
    const auto amount = std::to_string(cents / 100) + "," + (cents % 100 < 10 ? "0" : "") + std::to_string(cents % 100);
    CHECK(line.find(";X" + std::to_string(n) + ";Membre X" + std::to_string(n) + ";" + std::to_string(n + 1) +
                    ";l;9,0000;" + amount + ";") != std::string::npos);
  }

  // The same contracts as the JSON pages list them, in the same order, and the RFC 4180 dialect alike.
  std::vector<std::string> listed, exported;
  std::string cursor;
  do {
    const auto page = body_of(w.officer.get("/v1/contracts?limit=500" + (cursor.empty() ? "" : "&cursor=" + cursor)));
    for (const auto& k : page.at("items").as_array()) listed.emplace_back(k.at("member_code").as_string());
    cursor = page.at("next_cursor").is_null() ? "" : std::string(page.at("next_cursor").as_string());
  } while (!cursor.empty());
  for (const auto& line : lines) {  // the member's code: the sixth field
    std::size_t at = 0;
    for (int field = 0; field < 5; ++field) at = line.find(';', at) + 1;
    exported.push_back(line.substr(at, line.find(';', at) - at));
  }
  CHECK(exported == listed);
  const auto rfc = w.officer.get("/v1/contracts?format=csv&csv=rfc4180");
  REQUIRE(rfc.result_int() == 200);
  CHECK(rfc.body().find("\r\n") != std::string::npos);
  CHECK(rfc.body().find(",X1202,Membre X1202,1203,l,9.0000,10827.00,") != std::string::npos);
  CHECK(std::count(rfc.body().begin(), rfc.body().end(), '\n') == kExtra + 3);

  // A member's buyer: its one contract, streamed too.
  const auto own = w.buyer_a.get("/v1/contracts?format=csv");
  REQUIRE(own.result_int() == 200);
  CHECK(std::string(own[test::http::field::transfer_encoding]) == "chunked");
  CHECK(data_lines(own.body()).size() == 1);
}

TEST_CASE("a HEAD of the streamed export gets its header alone; the connection then answers the next request") {
  test::NotifiedLot w;
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(net::ip::tcp::endpoint(net::ip::make_address(w.s.client.host), w.s.client.port));
  const auto ask = [&](verb method, const std::string& target) {
    test::http::request<test::http::string_body> request{method, target, 11};
    request.set(test::http::field::host, w.s.client.host);
    request.set(test::http::field::authorization, "Bearer " + w.officer.token);
    test::http::write(stream, request);
  };
  beast::flat_buffer buffer;
  ask(verb::head, "/v1/contracts?format=csv");
  test::http::response_parser<test::http::string_body> head;
  head.skip(true);  // a HEAD answer has no body, whatever its header says
  test::http::read(stream, buffer, head);
  CHECK(head.get().result_int() == 200);
  CHECK(std::string(head.get()[test::http::field::transfer_encoding]) == "chunked");
  CHECK(head.get().body().empty());

  ask(verb::get, "/v1/contracts?format=csv");
  test::http::response_parser<test::http::string_body> get;
  test::http::read(stream, buffer, get);
  CHECK(get.get().result_int() == 200);
  CHECK(data_lines(get.get().body()).size() == 2);
  beast::error_code ignored;
  stream.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
}
