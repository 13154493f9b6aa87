// Reports and exports on a fixed scenario: two tenders, three members, tiered
// bids, shared costs — every figure computed by hand, the same in every format.
#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>

#include "adapters/db/bid_repository.hpp"
#include "adapters/db/need_repository.hpp"
#include "adapters/db/tender_repository.hpp"
#include "adapters/formats/csv.hpp"
#include "tests/support/api_server.hpp"
#include "tests/support/fixtures.hpp"
#include "tests/support/temp_dir.hpp"
#include "usecases/award.hpp"
#include "usecases/award_chain.hpp"
#include "usecases/bid_review.hpp"
#include "usecases/shared_costs.hpp"
#include "usecases/tender_lifecycle.hpp"

using namespace canopee;
using test::body_of;
using test::Call;
namespace json = boost::json;
using test::http::verb;

namespace {

Date day(const char* t) { return *parse_date(t, "d"); }

struct Scenario {
  test::ApiServer server;
  std::int64_t opal = 0, reims = 0, oise = 0, paint_tender = 0, power_tender = 0;
  std::string officer, finance, finance_opal;

  // `notify_oise` false: OISE's power contract is never signed nor notified.
  explicit Scenario(bool notify_oise = true) {
    auto& db = *server.database;
    const db::Actor actor{};
    const auto member = [&](const char* code, const char* siren, const char* dep, const char* siret) {
      return test::add_member(db, code, siren, dep, siret).id;
    };
    opal = member("OPAL", "270200017", "02", "27020001700019");  // the coordinator: the DECP's acheteur
    reims = member("REIMS", "270510027", "51", "27051002700013");
    oise = member("OISE", "270600034", "60", nullptr);
    officer = server.user(Role::officer, std::nullopt, "officer@x.example");
    finance = server.user(Role::finance, std::nullopt, "finance@x.example");
    finance_opal = server.user(Role::finance, opal, "finance.opal@x.example");
    Supplier s;
    s.name = "Titulaire";
    s.siret = "38901234500010";
    s.department = *parse_department("02", "d");
    const auto supplier = db::create_supplier(db, actor, s)->id;

    const auto need = [&](std::int64_t m, const char* cpv, const char* q, const char* unit, const char* price,
                          bool recurring) {
      auto d = test::in_year(test::need_draft(cpv, q, unit, price), "2027");
      d.recurring = recurring;
      REQUIRE(db::create_need(db, actor, test::make_need(0, m, d)).ok());
    };
    need(opal, "44810000-1", "300", "l", "10", false);
    need(reims, "44810000-1", "700", "l", "11", false);
    need(reims, "09310000-5", "100", "MWh", "150", true);
    need(oise, "09310000-5", "50", "MWh", "160", true);

    // Awarded on `awarded_on`, the letter sent that day at 16:00, every contract signed
    // and notified on `notified_on` (no standstill: one bidder, R2182-2).
    const auto tender = [&](const char* prefix, int months, std::vector<Tier> tiers, const char* awarded_on,
                            std::optional<SharedCost> cost, const char* notified_on) {
      AggregationFilter filter;
      filter.cpv_prefix = prefix;
      AggregationOptions options;
      options.contract_start = day("2027-01-01");
      options.duration_months = months;
      auto proposal = *propose_aggregation(*db::select_submitted_needs(db, filter), options);
      Tender t;
      t.title = std::string("Consultation ") + prefix;
      t.coordinator_member_id = opal;
      t.contract_start = *options.contract_start;
      t.duration_months = months;
      t.criteria = {{"prix", 70, true, false}, {"environnement", 30, false, true}};
      t.bid_deadline = "2026-11-01T12:00:00Z";
      t.allotment_justification = "un lot";
      // Launched after 2026-08-21: environmental conditions (L2112-2); the paint tender
      // also has a social clause, the power tender none (below the EU thresholds).
      t.environmental_conditions = "emballages repris par le titulaire";
      if (std::string_view(prefix) == "4481") t.social_considerations = "insertion : 5 % des heures de livraison";
      t.lots = lots_from_proposal(proposal, server.services.nomenclature);
      const auto id = db::create_tender(db, actor, t)->id;
      REQUIRE(
          usecases::transition_tender(db, actor, id, TenderStatus::published, std::nullopt, day("2026-10-01")).ok());
      const auto lot = db::get_tender(db, id)->lots.at(0).id;
      Bid b;
      b.supplier_id = supplier;
      b.received_at = "2026-10-15T10:00:00Z";  // between the notice (2026-10-01) and the deadline
      b.tiers = std::move(tiers);
      b.scores = {{"environnement", 500000}};
      auto stored = *db::create_bid(db, actor, id, lot, b);
      if (cost) REQUIRE(usecases::add_shared_cost(db, actor, id, *cost).ok());
      REQUIRE(usecases::transition_tender(db, actor, id, TenderStatus::closed, std::nullopt, day("2026-11-02")).ok());
      REQUIRE(
          usecases::record_bid_decision(db, actor, stored.id, std::nullopt, {BidDecisionKind::valid}, day("2026-11-02"))
              .ok());
      REQUIRE(usecases::award_lot(db, actor, id, lot, stored.id, day(awarded_on)).ok());
      const auto sent = *parse_date_time(std::string(awarded_on) + "T16:00:00Z", "t");
      REQUIRE(usecases::prepare_and_record_letter(db, actor, id, lot,
                                                  {stored.id, LetterKind::award, SendingMeans::electronic, sent, {}},
                                                  sent, day(awarded_on))
                  .ok());
      const auto chain = usecases::award_chain(db, id, lot, day(notified_on));
      REQUIRE(chain.ok());
      for (const auto& c : chain->contracts) {
        if (!notify_oise && c.member_id == oise) continue;
        REQUIRE(usecases::sign_contract(db, actor, c.id, std::nullopt, day(notified_on), day(notified_on)).ok());
        REQUIRE(usecases::notify_contract(db, actor, c.id, std::nullopt, day(notified_on), day(notified_on)).ok());
      }
      return id;
    };
    paint_tender = tender("4481", 12, {{Quantity{0}, UnitPrice{120000}}, {Quantity{500'000}, UnitPrice{90000}}},
                          "2026-11-10", SharedCost{"Publicité", Amount{100000}, CostKey::contract_value, {}, true},
                          "2026-11-13");
    power_tender = tender("0931", 24, {{Quantity{0}, UnitPrice{1'550'000}}, {Quantity{250'000}, UnitPrice{1'400'000}}},
                          "2026-12-05", SharedCost{"AMO", Amount{60000}, CostKey::equal, {}, false}, "2026-12-08");
  }
};

const json::object& row_for(const json::value& report, const std::string& key) {
  for (const auto& r : report.at("rows").as_array()) {
    if (r.at("key").as_string() == key) return r.as_object();
  }
  FAIL("no row " << key);
  throw std::logic_error("unreachable");
}

std::string s(const json::value& v, const char* key) { return std::string(v.at(key).as_string()); }

// The cell values of sheet1 of an XLSX file, row by row (shared strings resolved).
std::vector<std::vector<std::string>> xlsx_cells(const std::string& bytes) {
  test::TempDir dir;
  const auto path = (dir.path() / "r.xlsx").string();
  std::ofstream(path, std::ios::binary) << bytes;
  const auto read = [&](const char* member) {
    std::string out;
    FILE* pipe = popen(("unzip -p '" + path + "' " + member).c_str(), "r");
    REQUIRE(pipe != nullptr);
    char buffer[4096];
    while (auto n = fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
    pclose(pipe);
    return out;
  };
  const auto sheet = read("xl/worksheets/sheet1.xml");
  const auto shared = read("xl/sharedStrings.xml");
  std::vector<std::string> strings;
  for (std::size_t pos = shared.find("<t"); pos != std::string::npos; pos = shared.find("<t", pos + 1)) {
    if (shared.compare(pos, 3, "<t>") != 0 && shared.compare(pos, 3, "<t ") != 0) continue;
    const auto start = shared.find('>', pos) + 1;
    strings.push_back(shared.substr(start, shared.find("</t>", start) - start));
  }
  std::vector<std::vector<std::string>> rows;
  for (std::size_t r = sheet.find("<row"); r != std::string::npos; r = sheet.find("<row", r + 1)) {
    const auto end = sheet.find("</row>", r);
    std::vector<std::string> cells;
    for (std::size_t c = sheet.find("<c ", r); c != std::string::npos && c < end; c = sheet.find("<c ", c + 1)) {
      const auto close = sheet.find("</c>", c);
      const auto v = sheet.find("<v>", c);
      if (v == std::string::npos || v > close) continue;
      const auto value = sheet.substr(v + 3, sheet.find("</v>", v) - v - 3);
      const bool is_string = sheet.substr(c, sheet.find('>', c) - c).find("t=\"s\"") != std::string::npos;
      cells.push_back(is_string ? strings.at(std::stoul(value)) : value);
    }
    rows.push_back(cells);
  }
  return rows;
}

}  // namespace

TEST_CASE("savings report by member, hand-computed, the same in JSON, CSV and XLSX") {
  Scenario sc;
  const Call finance{sc.server.client, sc.finance};
  auto reply = finance.get("/v1/reports/savings?group_by=member");
  REQUIRE(reply.result_int() == 200);
  const auto report = body_of(reply);
  // OPAL: paint 300 l — reference 3,000, contract 2,700 (9.00), alone 3,600 (12.00)
  const auto& opal = row_for(report, std::to_string(sc.opal));
  CHECK(s(opal, "member_code") == "OPAL");
  CHECK(s(opal, "reference") == "3000.00");
  CHECK(s(opal, "contract") == "2700.00");
  CHECK(s(opal, "savings") == "300.00");
  CHECK(s(opal, "savings_pct") == "10.00");
  CHECK(s(opal, "pooling_effect") == "900.00");
  CHECK(s(opal, "competition_effect") == "-600.00");
  CHECK(s(opal, "shared_costs") == "300.00");  // publicity 1,000 × 2,700 / 9,000
  // The publicity is subsidy-eligible but belongs to no aided project ("sans projet"):
  // projected at 60 %, shown apart, not in net savings (issue 19 item 7).
  CHECK(s(opal, "subsidy") == "0.00");
  CHECK(s(opal, "subsidy_projected") == "180.00");  // 60 % of 300
  CHECK(s(opal, "net_savings") == "0.00");          // 300 − 300 + 0 granted
  // REIMS: paint 700 l (7,700 → 6,300) and power 200 MWh over 24 months (30,000 → 28,000 at 140; alone 155)
  const auto& reims = row_for(report, std::to_string(sc.reims));
  CHECK(s(reims, "reference") == "37700.00");
  CHECK(s(reims, "contract") == "34300.00");
  CHECK(s(reims, "savings") == "3400.00");
  CHECK(s(reims, "savings_pct") == "9.02");  // 3,400 / 37,700 = 9.0185…%
  CHECK(s(reims, "pooling_effect") == "3000.00");
  CHECK(s(reims, "competition_effect") == "400.00");
  CHECK(s(reims, "shared_costs") == "1000.00");  // 700 publicity + 300 AMO
  CHECK(s(reims, "subsidy") == "0.00");
  CHECK(s(reims, "subsidy_projected") == "420.00");  // 60 % of 700
  CHECK(s(reims, "net_savings") == "2400.00");       // 3,400 − 1,000
  CHECK(reims.at("lots").as_int64() == 2);
  const auto& oise = row_for(report, std::to_string(sc.oise));
  CHECK(s(oise, "savings") == "2000.00");
  CHECK(s(oise, "savings_pct") == "12.50");
  CHECK(s(oise, "net_savings") == "1700.00");
  const auto& totals = report.at("totals");
  CHECK(s(totals, "reference") == "56700.00");
  CHECK(s(totals, "contract") == "51000.00");
  CHECK(s(totals, "savings") == "5700.00");
  CHECK(s(totals, "savings_pct") == "10.05");
  CHECK(s(totals, "shared_costs") == "1600.00");
  CHECK(s(totals, "subsidy") == "0.00");
  CHECK(s(totals, "subsidy_projected") == "600.00");
  CHECK(s(totals, "net_savings") == "4100.00");  // 5,700 − 1,600
  CHECK(totals.at("lots").as_int64() == 2);

  // French CSV: BOM, ';', decimal commas
  const auto csv = finance.send(verb::get, "/v1/reports/savings?group_by=member", "", {{"Accept", "text/csv"}});
  REQUIRE(csv.result_int() == 200);
  CHECK(csv.body().rfind("\xEF\xBB\xBF", 0) == 0);
  auto table = formats::parse_csv(csv.body(), ';');
  REQUIRE(table.ok());
  CHECK(table->header.at(2) == "Référence HT");
  REQUIRE(table->rows.size() == 4);  // three members and the total
  CHECK(table->rows.back().fields.at(0) == "Total");
  CHECK(table->rows.back().fields.at(2) == "56700,00");
  CHECK(table->rows.back().fields.at(5) == "10,05");
  CHECK(table->rows.back().fields.at(11) == "4100,00");  // Gains nets HT
  // RFC 4180 CSV for machines
  const auto rfc = finance.send(verb::get, "/v1/reports/savings?group_by=member&csv=rfc4180", "",
                                {{"Accept", "text/csv"}});
  auto machine = formats::parse_csv(rfc.body(), ',');
  REQUIRE(machine.ok());
  CHECK(machine->rows.back().fields.at(2) == "56700.00");
  CHECK(machine->rows.at(1).fields.at(10) == "0.00");  // REIMS's granted subsidy (Subvention)

  // XLSX: the same numbers in the cells, and the method sheet
  const auto xlsx = finance.send(verb::get, "/v1/reports/savings?group_by=member", "",
                                 {{"Accept", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}});
  REQUIRE(xlsx.result_int() == 200);
  CHECK(xlsx.body().rfind("PK", 0) == 0);
  const auto cells = xlsx_cells(xlsx.body());
  REQUIRE(cells.size() == 5);
  CHECK(cells[0][2] == "Référence HT");
  CHECK(cells[4][0] == "Total");
  for (std::size_t column = 2; column <= 15; ++column) {
    if (column == 7) continue;  // the pooling effect's status, in words
    CAPTURE(column);
    // each cell's number, to the cent, equals the JSON decimal
    const auto cents = parse_decimal(cells[4][column], 2, "cell");
    REQUIRE(cents.ok());
    static constexpr const char* kFields[] = {"",
                                              "",
                                              "reference",
                                              "contract",
                                              "savings",
                                              "savings_pct",
                                              "pooling_effect",
                                              "",
                                              "competition_effect",
                                              "shared_costs",
                                              "subsidy",
                                              "net_savings",
                                              "reference_ttc",
                                              "contract_ttc",
                                              "savings_ttc",
                                              "contract_one_off"};
    const char* field = kFields[column];
    CHECK(*cents == *parse_decimal(s(totals, field), 2, "json"));
  }
}

TEST_CASE("savings report: 12-month basis, months, categories, periods") {
  Scenario sc;
  const Call finance{sc.server.client, sc.finance};
  // 12-month basis: the 24-month power lines halve (REIMS 15,000 → 14,000; AMO 300 → 150)
  const auto yearly = body_of(finance.get("/v1/reports/savings?basis=12m"));
  const auto& reims = row_for(yearly, std::to_string(sc.reims));
  CHECK(s(reims, "reference") == "22700.00");
  CHECK(s(reims, "contract") == "20300.00");
  CHECK(s(reims, "savings") == "2400.00");
  CHECK(s(reims, "shared_costs") == "850.00");
  CHECK(s(reims, "net_savings") == "1550.00");  // 2,400 − 850 (nothing granted)
  CHECK(s(yearly.at("totals"), "reference") == "33700.00");
  CHECK(s(yearly.at("parameters"), "basis") == "12m");

  const auto months = body_of(finance.get("/v1/reports/savings?group_by=month"));
  REQUIRE(months.at("rows").as_array().size() == 2);
  CHECK(s(row_for(months, "2026-11"), "savings") == "1700.00");
  CHECK(s(row_for(months, "2026-11"), "net_savings") == "700.00");  // 1,700 − 1,000 (nothing granted)
  CHECK(s(row_for(months, "2026-12"), "contract") == "42000.00");

  const auto categories = body_of(finance.get("/v1/reports/savings?group_by=category"));
  CHECK(s(categories.at("rows").at(0), "key") == "09310000");
  CHECK(s(categories.at("rows").at(0), "label") == "Électricité");
  CHECK(s(row_for(categories, "44810000"), "label") == "Peintures");

  const auto tenders = body_of(finance.get("/v1/reports/savings?group_by=tender"));
  CHECK(s(row_for(tenders, std::to_string(sc.paint_tender)), "label").rfind("CNP-", 0) == 0);

  const auto december = body_of(finance.get("/v1/reports/savings?from=2026-12-01&to=2026-12-31"));
  CHECK(december.at("rows").as_array().size() == 2);  // REIMS and OISE
  CHECK(s(december.at("totals"), "savings") == "4000.00");

  const auto empty = body_of(finance.get("/v1/reports/savings?from=2030-01-01&to=2030-12-31"));
  CHECK(empty.at("rows").as_array().empty());
  CHECK(s(empty.at("totals"), "savings") == "0.00");
  CHECK(s(empty.at("totals"), "savings_pct") == "0.00");

  for (const char* bad : {"?group_by=day", "?from=2026-13-01", "?basis=weekly", "?from=2027-01-01&to=2026-01-01",
                          "?member=abc", "?colour=blue"}) {
    CAPTURE(bad);
    const auto r = finance.get(std::string("/v1/reports/savings") + bad);
    CHECK(r.result_int() == 400);
  }
  CHECK(finance.send(verb::get, "/v1/reports/savings", "", {{"Accept", "application/xml"}}).result_int() == 406);
}

TEST_CASE("savings report: counted from notification, else from the award decision, said in JSON and CSV") {
  Scenario sc(false);  // every contract notified but OISE's (power, decided 2026-12-05)
  const Call finance{sc.server.client, sc.finance};
  const auto report = body_of(finance.get("/v1/reports/savings?group_by=member"));
  CHECK(s(report.at("parameters"), "date_basis") == "notification_else_award");
  // OPAL 300.00 (paint, notified 2026-11-13); REIMS 1,400.00 (paint) + 2,000.00 (power, notified
  // 2026-12-08) = 3,400.00; OISE 2,000.00 (power, not notified: from the decision of 2026-12-05)
  const auto& oise = row_for(report, std::to_string(sc.oise));
  CHECK(s(oise, "savings") == "2000.00");
  CHECK(s(oise, "savings_notified") == "0.00");
  CHECK(s(oise, "savings_award_only") == "2000.00");
  CHECK(oise.at("lines_notified").as_int64() == 0);
  CHECK(oise.at("lines_award_only").as_int64() == 1);
  const auto& reims = row_for(report, std::to_string(sc.reims));
  CHECK(s(reims, "savings_notified") == "3400.00");
  CHECK(reims.at("lines_notified").as_int64() == 2);
  // Totals: 300 + 3,400 = 3,700.00 notified, 2,000.00 from the decision alone; 3,700 + 2,000 = 5,700.00
  const auto& totals = report.at("totals");
  CHECK(s(totals, "savings") == "5700.00");
  CHECK(s(totals, "savings_notified") == "3700.00");
  CHECK(s(totals, "savings_award_only") == "2000.00");
  CHECK(totals.at("lines_notified").as_int64() == 3);
  CHECK(totals.at("lines_award_only").as_int64() == 1);
  // Line by line, by counting date: OPAL and REIMS paint (11-13), OISE power (12-05), REIMS power (12-08)
  const auto& lines = report.at("lines").as_array();
  REQUIRE(lines.size() == 4);
  CHECK(s(lines.at(0), "counted_on") == "2026-11-13");
  CHECK(s(lines.at(0), "awarded_on") == "2026-11-10");
  CHECK(s(lines.at(0), "date_basis") == "notified");
  const auto& oise_line = lines.at(2);
  CHECK(s(oise_line, "member_code") == "OISE");
  CHECK(s(oise_line, "awarded_on") == "2026-12-05");
  CHECK(oise_line.at("notified_on").is_null());
  CHECK(s(oise_line, "counted_on") == "2026-12-05");
  CHECK(s(oise_line, "date_basis") == "award_decision");
  CHECK(s(oise_line, "savings") == "2000.00");
  CHECK(s(lines.at(3), "member_code") == "REIMS");
  CHECK(s(lines.at(3), "notified_on") == "2026-12-08");

  // The French CSV carries the split in its last four columns, with the same numbers
  const auto csv = finance.send(verb::get, "/v1/reports/savings?group_by=member", "", {{"Accept", "text/csv"}});
  auto table = formats::parse_csv(csv.body(), ';');
  REQUIRE(table.ok());
  REQUIRE(table->header.size() == 22);  // the projected subsidy last
  CHECK(table->header.at(17) == "Gains comptés depuis la notification");
  CHECK(table->header.at(18) == "Gains comptés depuis la décision d'attribution");
  CHECK(table->header.at(19) == "Lignes notifiées");
  CHECK(table->header.at(20) == "Lignes non notifiées");
  const auto& total = table->rows.back().fields;
  CHECK(total.at(0) == "Total");
  CHECK(total.at(4) == "5700,00");
  CHECK(total.at(17) == "3700,00");
  CHECK(total.at(18) == "2000,00");
  CHECK(total.at(19) == "3");
  CHECK(total.at(20) == "1");

  // The XLSX's "Méthode" sheet states the rule in French (its notes are shared strings)
  const auto xlsx = finance.send(verb::get, "/v1/reports/savings?group_by=member", "",
                                 {{"Accept", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}});
  REQUIRE(xlsx.result_int() == 200);
  test::TempDir dir;
  const auto path = (dir.path() / "r.xlsx").string();
  std::ofstream(path, std::ios::binary) << xlsx.body();
  std::string shared;
  FILE* pipe = popen(("unzip -p '" + path + "' xl/sharedStrings.xml").c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  while (auto n = fread(buffer, 1, sizeof buffer, pipe)) shared.append(buffer, n);
  pclose(pipe);
  CHECK(shared.find("règle notification_else_award : les gains d'un membre sur un lot sont comptés à partir de la "
                    "notification de son contrat") != std::string::npos);
  CHECK(shared.find("R2182-4") != std::string::npos);
}

TEST_CASE("a member's finance user, and its buyers, see its member only") {
  Scenario sc;
  const Call mine{sc.server.client, sc.finance_opal};
  const Call buyer{sc.server.client, sc.server.user(Role::buyer, sc.opal, "buyer.opal@x.example")};
  for (const auto* caller : {&mine, &buyer}) {
    const auto report = body_of(caller->get("/v1/reports/savings"));
    REQUIRE(report.at("rows").as_array().size() == 1);
    CHECK(report.at("rows").at(0).at("member_id").as_int64() == sc.opal);
    CHECK(s(report.at("totals"), "reference") == "3000.00");  // its own figures, not the network's
    CHECK(s(report.at("totals"), "shared_costs") == "300.00");
    CHECK(caller->get("/v1/reports/savings?member=" + std::to_string(sc.reims)).result_int() == 404);
  }
  const auto csv = mine.send(verb::get, "/v1/reports/savings?group_by=month", "", {{"Accept", "text/csv"}});
  CHECK(csv.body().find("37700") == std::string::npos);
  const auto decp = body_of(mine.get("/v1/exports/decp"));
  CHECK(decp.at("marches").at("marche").as_array().size() == 1);
}

TEST_CASE("OCDS release package: parties, lots, items, bids, awards and contracts") {
  Scenario sc;
  const Call officer{sc.server.client, sc.officer};
  const auto reply = officer.get("/v1/tenders/" + std::to_string(sc.paint_tender) + "/ocds");
  REQUIRE(reply.result_int() == 200);
  CHECK(reply.body().find("\"amount\":2700.00") != std::string::npos);  // exact decimals, not 2.7E3
  const auto package = body_of(reply);
  CHECK(package.at("version") == "1.1");
  CHECK(package.at("extensions").as_array().size() == 2);
  const auto& release = package.at("releases").at(0);
  CHECK(s(release, "ocid").rfind("ocds-cnp000-CNP-", 0) == 0);
  CHECK(release.at("tag").at(0) == "contract");
  CHECK(release.at("initiationType") == "tender");
  std::map<std::string, std::vector<std::string>> roles;
  for (const auto& p : release.at("parties").as_array()) {
    for (const auto& r : p.at("roles").as_array()) roles[s(p, "id")].push_back(std::string(r.as_string()));
  }
  CHECK(roles.at("FR-SIREN-270200017") == std::vector<std::string>{"procuringEntity", "buyer", "payer"});
  CHECK(roles.at("FR-SIREN-270510027") == std::vector<std::string>{"buyer", "payer"});
  CHECK(roles.at("FR-SIRET-38901234500010") == std::vector<std::string>{"tenderer", "supplier"});
  const auto& tender = release.at("tender");
  CHECK(tender.at("procuringEntity").at("id") == "FR-SIREN-270200017");
  CHECK(tender.at("lots").as_array().size() == 1);
  CHECK(tender.at("items").at(0).at("relatedLot") == tender.at("lots").at(0).at("id"));
  CHECK(tender.at("items").at(0).at("classification").at("scheme") == "CPV");
  CHECK(release.at("bids").at("details").as_array().size() == 1);
  const auto& award = release.at("awards").at(0);
  CHECK(award.at("relatedLots").at(0) == tender.at("lots").at(0).at("id"));
  CHECK(award.at("relatedBid") == release.at("bids").at("details").at(0).at("id"));
  CHECK(release.at("contracts").as_array().size() == 2);  // one per member
  CHECK(release.at("contracts").at(0).at("awardID") == award.at("id"));
  // Signed and notified on 2026-11-13 (the scenario runs the chain): in force from then (R2182-4).
  for (const auto& contract : release.at("contracts").as_array()) {
    CHECK(contract.at("status") == "active");
    CHECK(contract.at("dateSigned") == "2026-11-13T00:00:00Z");
    CHECK(contract.at("period").at("startDate") == "2026-11-13T00:00:00Z");
  }
}

TEST_CASE("DECP and DQE") {
  Scenario sc;
  const Call officer{sc.server.client, sc.officer};
  const auto reply = officer.get("/v1/exports/decp?from=2026-11-01&to=2026-12-31");
  REQUIRE(reply.result_int() == 200);
  CHECK(reply["Canopee-Decp-Excluded"] == "0");
  const auto decp = body_of(reply);
  const auto& marches = decp.at("marches").at("marche").as_array();
  REQUIRE(marches.size() == 4);
  const auto& first = marches.at(0);
  CHECK(first.at("codeCPV") == "44810000");  // the schema prefers it without the check digit
  // The framework agreement's maximum (R2162-4): OPAL's 300 l at its 10 € reference over the
  // 12 months, not the contract's 2,700.00 €.
  CHECK(first.at("montant").as_double() == 3000.0);
  CHECK(reply.body().find("\"montant\":3000.00") != std::string::npos);  // exact decimals
  CHECK(first.at("dureeMois").as_int64() == 12);
  CHECK(first.at("dateNotification") == "2026-11-13");       // the notification, not the award (2026-11-10)
  CHECK(first.at("acheteur").at("id") == "27020001700019");  // the coordinator, mandataire of the procedure
  CHECK(first.at("titulaires").at(0).at("titulaire").at("typeIdentifiant") == "SIRET");
  CHECK(first.at("titulaires").at(0).at("titulaire").at("id") == "38901234500010");
  CHECK(first.at("nature") == "Marché");
  CHECK(first.at("techniques").at("technique") == json::array{"Accord-cadre"});
  CHECK(first.at("id").as_string().size() <= 16);
  CHECK_FALSE(first.as_object().contains("modifications"));
  // Publication stores the procedure advised at the launch date (issue 16, item 6): the
  // paint lot's 3,000 € estimate is under R2122-8's 60,000 €, not the fixture's default MAPA.
  CHECK(first.at("procedure") == "Marché passé sans publicité ni mise en concurrence préalable");
  CHECK(first.at("offresRecues").as_int64() == 1);
  // The execution conditions recorded on the tender (L2112-2, L2112-2-1) with the
  // environmental award criterion, in the DECP 2.0 schema's words.
  CHECK(first.at("considerationsSociales").at("considerationSociale") == json::array{"Clause sociale"});
  CHECK(first.at("considerationsEnvironnementales").at("considerationEnvironnementale") ==
        json::array{"Clause environnementale", "Critère environnemental"});
  const auto& power = marches.at(3);
  CHECK(power.at("codeCPV") == "09310000");
  CHECK(power.at("lieuExecution").at("code") == "60");  // OISE's contract, under OPAL's SIRET
  CHECK(power.at("considerationsSociales").at("considerationSociale") == json::array{"Pas de considération sociale"});
  CHECK(power.at("considerationsEnvironnementales").at("considerationEnvironnementale") ==
        json::array{"Clause environnementale", "Critère environnemental"});
  CHECK(body_of(officer.get("/v1/exports/decp?from=2026-12-08")).at("marches").at("marche").as_array().size() == 2);
  CHECK(body_of(officer.get("/v1/exports/decp?to=2026-12-07")).at("marches").at("marche").as_array().size() == 2);
  CHECK(officer.get("/v1/exports/decp?from=yesterday").result_int() == 400);

  // The coordinator's SIRET cleared: no record can name its buyer; all four left out, said.
  const Call admin{sc.server.client, sc.server.user(Role::admin, std::nullopt, "admin@x.example")};
  REQUIRE(admin.patch("/v1/members/" + std::to_string(sc.opal), json::object{{"siret", nullptr}}).result_int() == 200);
  const auto without = officer.get("/v1/exports/decp");
  REQUIRE(without.result_int() == 200);
  CHECK(body_of(without).at("marches").at("marche").as_array().empty());
  CHECK(without["Canopee-Decp-Excluded"] == "4");
  CHECK(std::string(without["Canopee-Decp-Excluded-Contracts"]).find(", ") != std::string::npos);

  const auto dqe = officer.send(verb::get, "/v1/tenders/" + std::to_string(sc.power_tender) + "/dqe?csv=rfc4180", "",
                                {{"Accept", "text/csv"}});
  REQUIRE(dqe.result_int() == 200);
  auto table = formats::parse_csv(dqe.body(), ',');
  REQUIRE(table.ok());
  REQUIRE(table->rows.size() == 3);  // REIMS, OISE, total
  CHECK(table->rows[0].fields[4] == "REIMS");
  CHECK(table->rows[0].fields[5] == "200");  // 100 MWh a year over 24 months
  CHECK(table->rows[2].fields[5] == "300");
  const auto xlsx = officer.send(verb::get, "/v1/tenders/" + std::to_string(sc.power_tender) + "/dqe", "",
                                 {{"Accept", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}});
  CHECK(xlsx_cells(xlsx.body()).at(3).at(5) == "300");
}

TEST_CASE("the allocation as CSV carries the JSON's figures") {
  Scenario sc;
  const Call officer{sc.server.client, sc.officer};
  const std::string path = "/v1/tenders/" + std::to_string(sc.paint_tender) + "/allocation?method=shapley";
  const auto data = body_of(officer.get(path));
  const auto csv = officer.send(verb::get, path + "&csv=rfc4180", "", {{"Accept", "text/csv"}});
  auto table = formats::parse_csv(csv.body(), ',');
  REQUIRE(table.ok());
  CHECK(table->rows.back().fields.at(0) == "Total");
  CHECK(table->rows.back().fields.at(9) == s(data.at("totals"), "fair_share"));
  CHECK(table->rows.at(0).fields.at(10) == s(data.at("members").at(0), "transfer"));
}

TEST_CASE("an allocation is computed once for the same inputs; a new cost is seen at the next read") {
  Scenario sc;
  const Call officer{sc.server.client, sc.officer};
  const std::string tender = "/v1/tenders/" + std::to_string(sc.paint_tender);
  const std::string path = tender + "/allocation?method=shapley";
  auto& cache = sc.server.services.allocation_cache;
  const auto first = officer.get(path);
  REQUIRE(first.result_int() == 200);
  CHECK(cache.hits() == 0);
  const auto again = officer.get(path);
  CHECK(cache.hits() == 1);
  CHECK(again.body() == first.body());
  CHECK(s(body_of(first).at("totals"), "shared_costs") == "1000.00");
  // 500.00 more, split equally between OPAL and REIMS: 250.00 each (by hand).
  REQUIRE(officer.post(tender + "/costs", {{"label", "Conseil juridique"}, {"amount", "500.00"}, {"key", "equal"}})
              .result_int() == 201);
  const auto after = body_of(officer.get(path));
  CHECK(cache.hits() == 1);  // computed again: the inputs changed
  CHECK(s(after.at("totals"), "shared_costs") == "1500.00");
  CHECK(officer.get(path).result_int() == 200);
  CHECK(cache.hits() == 2);
}

TEST_CASE("one user runs a bounded number of allocations at once; other users are not held back") {
  Scenario sc;
  const Call officer{sc.server.client, sc.officer};
  const Call finance{sc.server.client, sc.finance};
  const std::string path = "/v1/tenders/" + std::to_string(sc.paint_tender) + "/allocation";
  sc.server.services.allocations.set_limit(1);
  const auto officer_id = body_of(officer.get("/v1/me")).at("id").as_int64();
  {
    const auto held = sc.server.services.allocations.try_acquire(officer_id);  // as if one were running
    REQUIRE(held.has_value());
    const auto refused = officer.get(path);
    CHECK(refused.result_int() == 429);
    CHECK(refused[test::http::field::retry_after] == "1");
    CHECK(body_of(refused).at("type") == "urn:canopee:problem:too-many-concurrent-requests");
    CHECK(finance.get(path).result_int() == 200);
  }
  CHECK(officer.get(path).result_int() == 200);
}

TEST_CASE("the OCDS package's address comes from the configured public URL, never from the Host header") {
  Scenario sc;
  sc.server.services.public_base_url = "https://achats.canopee.example";
  const Call officer{sc.server.client, sc.officer};
  const auto reply = officer.send(verb::get, "/v1/tenders/" + std::to_string(sc.paint_tender) + "/ocds", "",
                                  {{"Host", "evil.example"}});
  REQUIRE(reply.result_int() == 200);
  CHECK(reply.body().find("evil.example") == std::string::npos);
  CHECK(s(body_of(reply), "uri") ==
        "https://achats.canopee.example/v1/tenders/" + std::to_string(sc.paint_tender) + "/ocds");
}

TEST_CASE("the savings XLSX states its real period: the dates asked for, else the first and last lines counted") {
  Scenario sc;
  const Call finance{sc.server.client, sc.finance};
  // The "Méthode" sheet's texts are shared strings of the workbook.
  const auto period_of = [&](const std::string& query) {
    const auto xlsx = finance.send(verb::get, "/v1/reports/savings" + query, "",
                                   {{"Accept", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}});
    REQUIRE(xlsx.result_int() == 200);
    test::TempDir dir;
    const auto path = (dir.path() / "r.xlsx").string();
    std::ofstream(path, std::ios::binary) << xlsx.body();
    std::string shared;
    FILE* pipe = popen(("unzip -p '" + path + "' xl/sharedStrings.xml").c_str(), "r");
    REQUIRE(pipe != nullptr);
    char buffer[4096];
    while (auto n = fread(buffer, 1, sizeof buffer, pipe)) shared.append(buffer, n);
    pclose(pipe);
    CHECK(shared.find("1900") == std::string::npos);
    CHECK(shared.find("2999") == std::string::npos);
    const auto start = shared.find("<t>gains comptés ") != std::string::npos ? shared.find("<t>gains comptés ")
                                                                             : shared.find("<t>aucune ligne");
    REQUIRE(start != std::string::npos);
    return shared.substr(start + 3, shared.find("</t>", start) - start - 3);
  };
  const std::string rule = " (date de notification du contrat, sinon date de la décision d'attribution)";
  // No dates asked: the paint contracts notified on 13/11/2026, the power ones on 08/12/2026.
  CHECK(period_of("") == "gains comptés du 13/11/2026 au 08/12/2026" + rule +
                             " ; aucune date demandée : de la première à la dernière ligne comptée");
  CHECK(period_of("?from=2026-12-01") == "gains comptés du 01/12/2026 au 08/12/2026" + rule +
                                             " ; pas de date de fin demandée : jusqu'à la dernière ligne comptée");
  CHECK(period_of("?to=2026-11-30") == "gains comptés du 13/11/2026 au 30/11/2026" + rule +
                                           " ; pas de date de début demandée : à partir de la première ligne comptée");
  CHECK(period_of("?from=2026-01-01&to=2026-12-31") == "gains comptés du 01/01/2026 au 31/12/2026" + rule);
  CHECK(period_of("?from=2027-01-01&to=2027-12-31") ==
        "gains comptés du 01/01/2027 au 31/12/2027" + rule + " ; aucune ligne comptée");
  CHECK(period_of("?from=2027-01-01") == "aucune ligne comptée à partir du 01/01/2027" + rule);
}
