#pragma once
// Open-data and tender documents:
//   OCDS 1.1 release package of a joint tender (lots and bids extensions),
//   DECP — the French essential procurement data (arrêté of 22 Dec 2022),
//   DQE — the quantity schedule suppliers price against, one column per member.
#include <boost/json/value.hpp>

#include <map>
#include <string>
#include <vector>

#include "adapters/db/report_repository.hpp"
#include "adapters/formats/table.hpp"
#include "engine/parties.hpp"
#include "engine/tender.hpp"

namespace canopee::formats {

// A JSON number written exactly as its decimal text ("1234.56", never 1.23456E3):
// carried as a marked string, unwrapped by serialize_exact.
boost::json::value exact_number(const std::string& decimal);
std::string serialize_exact(const boost::json::value& value);

struct OcdsInput {
  const Tender& tender;
  const std::map<std::int64_t, Member>& members;
  const std::map<std::int64_t, Supplier>& suppliers;
  const std::map<std::int64_t, std::vector<Bid>>& bids_by_lot;
  const std::map<std::int64_t, Bid>& winners;  // by lot id
  const std::vector<db::ContractRecord>& contracts;
  std::string ocid_prefix;   // e.g. ocds-cnp000
  std::string base_uri;      // where the package is served
  std::string published_at;  // RFC 3339
  // The members of the tender's groupement de commandes, each a buyer of the notice
  // (L2113-6), with or without a lot line; empty without a groupement.
  std::vector<std::int64_t> groupement_members{};
};

boost::json::value ocds_release_package(const OcdsInput& input);
// The release tag: planning (draft), tender (published), tenderCancellation; once
// closed, contract when a member contract is signed, award when a lot is awarded,
// tenderUpdate otherwise.
std::string ocds_tag(const Tender& tender, bool contract_signed = false);

// DECP 2024 (schema 2.0.3): one "marche" per notified member contract, its coordinator
// the `acheteur` (the mandataire of the groupement, or the centrale: docs/reports.md).
// A notified contract whose record could not validate is left out and listed.
struct DecpExclusion {
  std::int64_t contract_id = 0;
  std::string code;     // decp.buyer_siret_missing, decp.amount_below_minimum
  std::string message;  // French, naming the contract, its lot and member
};
struct DecpExport {
  boost::json::value data;
  std::vector<DecpExclusion> excluded;
};
// A modification of a contract as DECP 2.0.3 publishes it (`modifications`): its number,
// its day (signed, taken as notified to the holder), the change of the amount in euros
// HT (a quantity basis valued at the contract's prices) and of the duration in months.
struct DecpModification {
  std::int64_t number = 0;
  std::string signed_on;  // YYYY-MM-DD
  Amount amount_change;
  int months_change = 0;
};
// The modifications by contract id, in their order, are added to each record: the new
// `montant` when the amount changed, the new `dureeMois` when the duration did.
DecpExport decp_export(const std::vector<db::ContractRecord>& notified_contracts, const std::string& published_on,
                       const std::map<std::int64_t, std::vector<DecpModification>>& modifications = {});
std::string decp_procedure_label(std::string_view procedure);
// The record's `id` (at most 16 characters, unique per buyer): the year of notification,
// "C" and the contract's id on at least 6 digits ("2026C000042").
std::string decp_id(const db::ContractRecord& contract);

// DQE of one lot: a row per member (quantity in the lot's unit) and the total.
Table dqe_table(const Tender& tender, const Lot& lot, const std::map<std::int64_t, Member>& members);

}  // namespace canopee::formats
