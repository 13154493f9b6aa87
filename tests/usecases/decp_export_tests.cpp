// The DECP 2024 export of a lot taken through its whole chain, on both backends: only
// notified contracts are published, on their notification date, each under the
// coordinator's SIRET (the mandataire, schema 2.0.3's `acheteur`); a contract whose
// buyer has no SIRET is left out and listed. With CANOPEE_DECP_EXPORT_FILE set (the
// CTest entry conformance.decp.export), the export is written there for
// tests/conformance/decp_test.py to validate against the official schema.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include <cstdlib>
#include <fstream>
#include <set>

#include "adapters/db/party_repository.hpp"
#include "adapters/formats/open_data.hpp"
#include "tests/support/tender_flow.hpp"
#include "usecases/award.hpp"
#include "usecases/award_chain.hpp"
#include "usecases/modifications.hpp"
#include "usecases/reports.hpp"
#include "usecases/tender_lifecycle.hpp"

using namespace canopee;
using test::day;
using test::price;
using test::qty;
namespace json = boost::json;

namespace {

Instant utc(const char* text) { return *parse_date_time(text, "t"); }

// One lot of paint (OPAL 300 l, Reims 700 l), two bids, awarded to Beta on
// 2026-11-01; the letters sent on 2026-11-02 (adapted procedure: no standstill);
// both contracts signed on 2026-11-03, OPAL's notified on 2026-11-04.
struct Notified : test::PaintLotWithBids {
  std::vector<db::ContractDates> contracts;

  Notified() {
    give_siret(opal, "27020001700019");
    give_siret(reims, "27051002700013");
    award_to_beta();
    for (const auto& [bid_id, kind] :
         {std::pair{beta_bid.id, LetterKind::award}, std::pair{alpha_bid.id, LetterKind::rejection}}) {
      REQUIRE(
          usecases::prepare_and_record_letter(*database, actor, tender.id, lot_id(),
                                              {bid_id, kind, SendingMeans::electronic, utc("2026-11-02T10:00:00Z"), {}},
                                              utc("2026-11-02T12:00:00Z"), day("2026-11-02"))
              .ok());
    }
    auto chain = usecases::award_chain(*database, tender.id, lot_id(), day("2026-11-03"));
    REQUIRE(chain.ok());
    for (const auto& c : chain->contracts) {
      REQUIRE(usecases::sign_contract(*database, actor, c.id, std::nullopt, day("2026-11-03"), day("2026-11-03")).ok());
    }
    contracts = chain->contracts;
    REQUIRE(usecases::notify_contract(*database, actor, contract_of(opal).id, std::nullopt, day("2026-11-04"),
                                      day("2026-11-04"))
                .ok());
  }

  const db::ContractDates& contract_of(const Member& m) const {
    for (const auto& c : contracts) {
      if (c.member_id == m.id) return c;
    }
    FAIL("no contract for " << m.code);
    throw std::logic_error("unreachable");
  }
  void give_siret(Member& m, std::optional<std::string> siret) {
    auto current = *db::get_member(*database, m.id);
    current.siret = std::move(siret);
    auto updated = db::update_member(*database, actor, current);
    REQUIRE_MESSAGE(updated.ok(), (updated.ok() ? "" : updated.error().message));
    m = *updated;
  }
  formats::DecpExport decp(const char* from = "2026-01-01", const char* to = "2026-12-31") {
    auto data = reports::decp(*database, day(from), day(to), std::nullopt, "2026-11-20");
    REQUIRE(data.ok());
    return *data;
  }
};

const json::array& marches(const formats::DecpExport& e) { return e.data.at("marches").at("marche").as_array(); }

}  // namespace

TEST_CASE("DECP export: notified contracts only, on their notification date, under the coordinator's SIRET") {
  Notified f;
  auto first = f.decp();
  REQUIRE(marches(first).size() == 1);  // Reims signed, not notified: not in force, not published
  CHECK(first.excluded.empty());
  const auto& opal = marches(first).at(0).as_object();
  db::ContractRecord record;
  record.contract_id = f.contract_of(f.opal).id;
  record.notified_on = "2026-11-04";
  CHECK(std::string(opal.at("id").as_string()) == formats::decp_id(record));  // 2026C and the contract's id
  CHECK(opal.at("id").as_string().size() <= 16);
  CHECK(opal.at("acheteur").at("id") == "27020001700019");
  CHECK(opal.at("dateNotification") == "2026-11-04");  // not the award decision's 2026-11-01
  CHECK(opal.at("datePublicationDonnees") == "2026-11-20");
  CHECK(opal.at("nature") == "Marché");
  CHECK(opal.at("techniques").at("technique") == json::array{"Accord-cadre"});
  CHECK(opal.at("modalitesExecution").at("modaliteExecution") == json::array{"Bons de commande"});
  CHECK(opal.at("codeCPV") == "44810000");
  CHECK(opal.at("offresRecues").as_int64() == 2);
  CHECK(opal.at("lieuExecution").at("code") == "02");
  CHECK(std::string(opal.at("titulaires").at(0).at("titulaire").at("id").as_string()) == f.beta.siret);
  CHECK(opal.at("considerationsSociales").at("considerationSociale") == json::array{"Clause sociale"});
  CHECK(opal.at("considerationsEnvironnementales").at("considerationEnvironnementale") ==
        json::array{"Clause environnementale", "Critère environnemental"});
  CHECK_FALSE(opal.contains("modifications"));
  // A framework agreement is published at its maximum (R2162-4, R2121-8), not at the contract's
  // 2,700.00 € (OPAL's 300 l at Beta's 9.00 €): no maximum set, so OPAL's estimate over the 12
  // months, 300 l at its 10 € reference: 3,000.00 €, exactly.
  CHECK(formats::serialize_exact(opal.at("montant")) == "3000.00");
  // The period is the notification's.
  CHECK(marches(f.decp("2026-11-05", "2026-12-31")).empty());

  // Reims notified: both published, one id each under the same buyer.
  REQUIRE(usecases::notify_contract(*f.database, f.actor, f.contract_of(f.reims).id, std::nullopt, day("2026-11-05"),
                                    day("2026-11-05"))
              .ok());
  const auto both = f.decp();
  REQUIRE(marches(both).size() == 2);
  std::set<std::string> ids;
  for (const auto& m : marches(both)) {
    CHECK(m.at("acheteur").at("id") == "27020001700019");  // the mandataire, for Reims too
    ids.insert(std::string(m.at("id").as_string()));
  }
  CHECK(ids.size() == 2);
  CHECK(marches(both).at(1).at("lieuExecution").at("code") == "51");
  CHECK(marches(both).at(1).at("dateNotification") == "2026-11-05");

  // OPAL's contract modified (R2194-8): 100,00 € and 2 months more; the record gains its
  // `modifications` entry with the new amount and duration, republished on the export's day.
  Modification modification;
  modification.ground = ModificationGround::de_minimis;
  modification.object = "Teintes supplémentaires";
  modification.signed_on = day("2026-11-10");
  modification.amount_change = 10'000;
  modification.months_change = 2;
  REQUIRE(usecases::record_modification(*f.database, f.actor, ThresholdTable::defaults(), f.contract_of(f.opal).id,
                                        modification, utc("2026-11-10T09:00:00Z"), day("2026-11-20"))
              .ok());
  const auto modified = f.decp();
  REQUIRE(marches(modified).size() == 2);
  const auto& record_opal = marches(modified).at(0);
  CHECK_FALSE(marches(modified).at(1).as_object().contains("modifications"));
  REQUIRE(record_opal.at("modifications").as_array().size() == 1);
  const auto& entry = record_opal.at("modifications").at(0).at("modification");
  CHECK(entry.at("id") == 1);
  CHECK(entry.at("dateNotificationModification") == "2026-11-10");
  CHECK(entry.at("datePublicationDonneesModification") == "2026-11-20");
  const auto initial = *parse_amount(formats::serialize_exact(record_opal.at("montant")), "montant");
  CHECK(formats::serialize_exact(entry.at("montant")) == to_string(initial + Amount{10'000}));
  CHECK(entry.at("dureeMois") == record_opal.at("dureeMois").as_int64() + 2);

  // Written for the conformance test (CTest's conformance.decp.export).
  if (const char* path = std::getenv("CANOPEE_DECP_EXPORT_FILE")) {
    std::ofstream(path) << formats::serialize_exact(modified.data) << "\n";
  }

  // The coordinator without a SIRET: no record can name the buyer; both left out, said.
  f.give_siret(f.opal, std::nullopt);
  const auto none = f.decp();
  CHECK(marches(none).empty());
  REQUIRE(none.excluded.size() == 2);
  CHECK(none.excluded.at(0).code == "decp.buyer_siret_missing");
  CHECK(none.excluded.at(0).message.find("OPAL") != std::string::npos);
}

TEST_CASE("a member's SIRET: 14 digits, Luhn, its own SIREN's; null clears it") {
  test::NetworkFixture f;
  auto opal = f.opal;
  opal.siret = "27020001700018";
  CHECK(db::update_member(*f.database, f.actor, opal).error().fields.at(0).code == "party.siret.check_digit");
  opal.siret = "27051002700013";  // Reims's
  CHECK(db::update_member(*f.database, f.actor, opal).error().fields.at(0).code == "member.siret.not_of_siren");
  opal.siret = "27020001700019";
  REQUIRE(db::update_member(*f.database, f.actor, opal).ok());
  auto stored = *db::get_member(*f.database, opal.id);
  CHECK(stored.siret == std::optional<std::string>("27020001700019"));
  stored.siret.reset();
  REQUIRE(db::update_member(*f.database, f.actor, stored).ok());
  CHECK_FALSE(db::get_member(*f.database, opal.id)->siret.has_value());
}
