#include "adapters/formats/open_data.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace canopee::formats {

namespace json = boost::json;

namespace {

// OCDS bidStatus codelist: eliminated or rejected as abnormally low → disqualified;
// regularity not decided yet → pending.
std::string_view ocds_bid_status(const BidReview& review) {
  if (is_rejection(review.regularity) || review.price_review == PriceReview::refused) return "disqualified";
  if (review.regularity == Regularity::valid) return "valid";
  return "pending";
}

constexpr std::string_view kLotsExtension =
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/v1.1.5/extension.json";
constexpr std::string_view kBidsExtension =
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/v1.1.5/extension.json";

constexpr std::string_view kNumberMark = "\x01#";

json::value euros(Amount amount) { return exact_number(to_string(amount)); }

std::string member_party_id(const Member& m) { return "FR-SIREN-" + m.siren; }
std::string supplier_party_id(const Supplier& s) { return "FR-SIRET-" + s.siret; }

// A Paris calendar day as an OCDS date-time: its midnight, written in UTC (the
// convention of every date-only value of the package).
std::string day_time(const std::string& day) { return day + "T00:00:00Z"; }

// The OCDS tenderStatus (closed codelist) of the tender, from its own status and its
// lots' (docs/reports.md): a draft is `planning`, a cancelled tender `cancelled`;
// otherwise `active` while a lot is open, then `complete` when a lot was awarded and
// `unsuccessful` when every lot was declared unsuccessful.
std::string tender_status(const Tender& t) {
  switch (t.status) {
    case TenderStatus::draft: return "planning";
    case TenderStatus::cancelled: return "cancelled";
    case TenderStatus::published:
    case TenderStatus::closed:
    case TenderStatus::awarded: break;
  }
  bool open = t.lots.empty(), awarded = false;
  for (const auto& l : t.lots) {
    open = open || l.status == LotStatus::open;
    awarded = awarded || l.status == LotStatus::awarded;
  }
  if (open) return "active";
  return awarded ? "complete" : "unsuccessful";
}

// A lot's status (the lots extension uses the same codelist): an open lot follows its
// tender (planning, cancelled, active); a settled one is complete or unsuccessful.
std::string lot_status(const Tender& t, const Lot& l) {
  switch (l.status) {
    case LotStatus::awarded: return "complete";
    case LotStatus::unsuccessful: return "unsuccessful";
    case LotStatus::open: break;
  }
  if (t.status == TenderStatus::draft) return "planning";
  if (t.status == TenderStatus::cancelled) return "cancelled";
  return "active";
}

// Eight hexadecimal digits of the 64-bit FNV-1a hash of the release without its
// date and id: stable across runs and builds.
std::string content_digest(const json::object& release) {
  json::object copy = release;
  copy.erase("id");
  copy.erase("date");
  std::uint64_t hash = 14695981039346656037ULL;
  for (const char c : json::serialize(copy)) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(8, '0');
  for (std::size_t i = 0; i < 8; ++i) out[7 - i] = kHex[(hash >> (4 * i)) & 0xFU];
  return out;
}

std::string category(PurchaseKind kind) {
  switch (kind) {
    case PurchaseKind::supplies: return "goods";
    case PurchaseKind::services: return "services";
    case PurchaseKind::works: return "works";
  }
  return "goods";
}

}  // namespace

json::value exact_number(const std::string& decimal) { return json::value(std::string(kNumberMark) + decimal); }

std::string serialize_exact(const json::value& value) {
  // The mark's control character is escaped as \u0001 by the serializer; text
  // fields never contain control characters (validated on input).
  const std::string text = json::serialize(value);
  const std::string open = "\"\\u0001#";
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (true) {
    const auto found = text.find(open, pos);
    if (found == std::string::npos) break;
    out.append(text, pos, found - pos);
    const auto end = text.find('"', found + open.size());
    out.append(text, found + open.size(), end - found - open.size());
    pos = end + 1;
  }
  out.append(text, pos);
  return out;
}

std::string ocds_tag(const Tender& t, bool contract_signed) {
  switch (t.status) {
    case TenderStatus::draft: return "planning";
    case TenderStatus::published: return "tender";
    case TenderStatus::cancelled: return "tenderCancellation";
    case TenderStatus::closed:
    case TenderStatus::awarded: break;
  }
  if (contract_signed) return "contract";
  const bool awarded = std::any_of(t.lots.begin(), t.lots.end(),
                                   [](const Lot& l) { return l.status == LotStatus::awarded; });
  return awarded ? "award" : "tenderUpdate";
}

json::value ocds_release_package(const OcdsInput& in) {
  const Tender& t = in.tender;
  const std::string ocid = in.ocid_prefix + "-" + t.reference;
  std::map<std::string, json::object> parties;
  const auto add_party = [&](const std::string& id, const std::string& name, const std::string& scheme,
                             const std::string& identifier, const std::string& role) {
    auto& p = parties[id];
    if (p.empty()) {
      p["id"] = id;
      p["name"] = name;
      p["identifier"] = json::object{{"scheme", scheme}, {"id", identifier}, {"legalName", name}};
      p["roles"] = json::array{};
    }
    auto& roles = p["roles"].as_array();
    if (std::find(roles.begin(), roles.end(), json::value(role)) == roles.end()) roles.push_back(json::value(role));
  };

  const auto coordinator = in.members.find(t.coordinator_member_id);
  if (coordinator != in.members.end()) {
    add_party(member_party_id(coordinator->second), coordinator->second.name, "FR-SIREN", coordinator->second.siren,
              "procuringEntity");
  }
  for (const auto member_id : in.groupement_members) {
    const auto member = in.members.find(member_id);
    if (member == in.members.end()) continue;
    add_party(member_party_id(member->second), member->second.name, "FR-SIREN", member->second.siren, "buyer");
  }
  json::array lots, items;
  Amount total;
  for (const auto& lot : t.lots) {
    const std::string lot_id = "lot-" + std::to_string(lot.number);
    lots.push_back(json::object{{"id", lot_id},
                                {"title", lot.title},
                                {"status", lot_status(t, lot)},
                                {"value", json::object{{"amount", euros(lot.estimated_value)}, {"currency", "EUR"}}}});
    total += lot.estimated_value;
    json::object item{{"id", lot_id + "-item"},
                      {"description", lot.title},
                      {"classification",
                       json::object{{"scheme", "CPV"}, {"id", lot.cpv.substr(0, 8)}, {"description", lot.title}}},
                      {"quantity", exact_number(to_string(lot.quantity))},
                      {"unit", json::object{{"name", to_string(lot.unit)}}},
                      {"relatedLot", lot_id}};
    items.push_back(std::move(item));
    for (const auto& m : lot.members) {
      const auto member = in.members.find(m.member_id);
      if (member == in.members.end()) continue;
      add_party(member_party_id(member->second), member->second.name, "FR-SIREN", member->second.siren, "buyer");
      add_party(member_party_id(member->second), member->second.name, "FR-SIREN", member->second.siren, "payer");
    }
  }

  json::array details;
  for (const auto& lot : t.lots) {
    const auto bids = in.bids_by_lot.find(lot.id);
    if (bids == in.bids_by_lot.end()) continue;
    for (const auto& b : bids->second) {
      const auto supplier = in.suppliers.find(b.supplier_id);
      if (supplier == in.suppliers.end()) continue;
      add_party(supplier_party_id(supplier->second), supplier->second.name, "FR-SIRET", supplier->second.siret,
                "tenderer");
      const auto schedule = PriceSchedule::make(b.tiers);
      const auto price = schedule ? schedule->cost_at(lot.quantity) : Result<Amount>(Error::invalid("x", "x"));
      json::object detail{{"id", "bid-" + std::to_string(b.id)},
                          {"date", b.received_at},
                          {"status", ocds_bid_status(b.review)},
                          {"tenderers", json::array{json::object{{"id", supplier_party_id(supplier->second)},
                                                                 {"name", supplier->second.name}}}},
                          {"relatedLots", json::array{json::value("lot-" + std::to_string(lot.number))}}};
      if (price) detail["value"] = json::object{{"amount", euros(*price)}, {"currency", "EUR"}};
      details.push_back(std::move(detail));
    }
  }

  // Per lot, after its decision (issue 17): the award dated by the decision, pending
  // until a member contract of the lot is signed (the standstill and the référé
  // précontractuel may still undo it), active after; each member contract pending until
  // notified (R2182-4), active from its notification. An unsuccessful lot has an
  // unsuccessful award (no supplier, no value). Lots in their order, contracts by id.
  json::array awards, contracts;
  bool any_signed = false, any_open = false;
  std::string last_decision;  // YYYY-MM-DD, the latest award decision
  for (const auto& lot : t.lots) {
    const std::string lot_id = "lot-" + std::to_string(lot.number);
    const std::string award_id = "award-" + lot_id;
    any_open = any_open || lot.status == LotStatus::open;
    if (lot.status == LotStatus::unsuccessful) {
      json::object award{{"id", award_id},
                         {"title", lot.title},
                         {"status", "unsuccessful"},
                         {"relatedLots", json::array{json::value(lot_id)}}};
      if (!lot.unsuccessful_reason.empty()) award["description"] = lot.unsuccessful_reason;
      awards.push_back(std::move(award));
      continue;
    }
    const auto winner = in.winners.find(lot.id);
    if (lot.status != LotStatus::awarded || winner == in.winners.end()) continue;
    const auto supplier = in.suppliers.find(winner->second.supplier_id);
    if (supplier == in.suppliers.end()) continue;
    add_party(supplier_party_id(supplier->second), supplier->second.name, "FR-SIRET", supplier->second.siret,
              "supplier");
    Amount award_total;
    std::string decided_on;
    bool signed_here = false;
    for (const auto& c : in.contracts) {
      if (c.lot_id != lot.id) continue;
      award_total += c.amount;
      decided_on = c.awarded_at;
      signed_here = signed_here || c.signed_on.has_value();
      const auto member = in.members.find(c.member_id);
      json::object contract{{"id", "contract-" + std::to_string(c.contract_id)},
                            {"awardID", award_id},
                            {"title", lot.title + (member != in.members.end() ? " — " + member->second.name : "")},
                            {"status", c.notified_on ? "active" : "pending"},
                            {"value", json::object{{"amount", euros(c.amount)}, {"currency", "EUR"}}}};
      if (c.signed_on) contract["dateSigned"] = day_time(*c.signed_on);
      if (c.notified_on) contract["period"] = json::object{{"startDate", day_time(*c.notified_on)}};
      if (member != in.members.end())
        contract["buyer"] = json::object{{"id", member_party_id(member->second)}, {"name", member->second.name}};
      contracts.push_back(std::move(contract));
    }
    any_signed = any_signed || signed_here;
    json::object award{{"id", award_id}, {"title", lot.title}, {"status", signed_here ? "active" : "pending"}};
    if (!decided_on.empty()) {
      award["date"] = day_time(decided_on);
      last_decision = std::max(last_decision, decided_on);
    }
    award["value"] = json::object{{"amount", euros(award_total)}, {"currency", "EUR"}};
    award["suppliers"] = json::array{
        json::object{{"id", supplier_party_id(supplier->second)}, {"name", supplier->second.name}}};
    award["relatedLots"] = json::array{json::value(lot_id)};
    award["relatedBid"] = "bid-" + std::to_string(winner->second.id);
    awards.push_back(std::move(award));
  }

  json::array party_list;
  for (auto& [id, p] : parties) party_list.push_back(std::move(p));
  json::object tender{{"id", t.reference},
                      {"title", t.title},
                      {"status", tender_status(t)},
                      {"procurementMethod", t.procedure == Procedure::formal
                                                ? "open"
                                                : (t.procedure == Procedure::adapted ? "selective" : "direct")},
                      {"procurementMethodDetails", std::string(to_string(t.procedure))},
                      {"mainProcurementCategory", category(t.kind)},
                      {"value", json::object{{"amount", euros(total)}, {"currency", "EUR"}}},
                      {"lots", std::move(lots)},
                      {"items", std::move(items)}};
  if (coordinator != in.members.end()) {
    tender["procuringEntity"] = json::object{{"id", member_party_id(coordinator->second)},
                                             {"name", coordinator->second.name}};
  }
  // Open for bids from the notice to the deadline.
  json::object tender_period;
  if (t.published_at) tender_period["startDate"] = to_utc_string(*t.published_at);
  if (!t.bid_deadline.empty()) tender_period["endDate"] = t.bid_deadline;
  if (!tender_period.empty()) tender["tenderPeriod"] = std::move(tender_period);
  // Evaluation and award: from the opening of the bids (the closing, or the deadline
  // while not closed) to the latest award decision, once no lot is left open.
  json::object award_period;
  if (t.closed_at) {
    award_period["startDate"] = to_utc_string(*t.closed_at);
  } else if (!t.bid_deadline.empty()) {
    award_period["startDate"] = t.bid_deadline;
  }
  if (!any_open && !last_decision.empty() && t.status != TenderStatus::cancelled) {
    award_period["endDate"] = day_time(last_decision);
  }
  if (!award_period.empty()) tender["awardPeriod"] = std::move(award_period);
  const Date contract_end = add_days(add_months(t.contract_start, t.duration_months), -1);
  tender["contractPeriod"] = json::object{{"startDate", day_time(to_string(t.contract_start))},
                                          {"endDate", day_time(to_string(contract_end))}};

  const std::string tag = ocds_tag(t, any_signed);
  json::object release{{"ocid", ocid},
                       {"id", ""},
                       {"date", in.published_at},
                       {"tag", json::array{json::value(tag)}},
                       {"initiationType", "tender"},
                       {"language", "fr"},
                       {"parties", std::move(party_list)},
                       {"tender", std::move(tender)}};
  if (!details.empty()) release["bids"] = json::object{{"details", std::move(details)}};
  if (!awards.empty()) release["awards"] = std::move(awards);
  if (!contracts.empty()) release["contracts"] = std::move(contracts);
  // A release is immutable and its id unique within its ocid: a letter, a signature or
  // a notification changes the release without changing the tender's version, so the
  // id also carries a digest of the content (date and id aside): the same state gives
  // the same id, another state another id.
  release["id"] = ocid + "-" + tag + "-v" + std::to_string(t.version) + "-" + content_digest(release);
  return json::object{{"uri", in.base_uri},
                      {"version", "1.1"},
                      {"publishedDate", in.published_at},
                      {"publisher", json::object{{"name", "Canopée"}}},
                      {"extensions", json::array{json::value(kLotsExtension), json::value(kBidsExtension)}},
                      {"releases", json::array{std::move(release)}}};
}

std::string decp_procedure_label(std::string_view procedure) {
  if (procedure == "formal") return "Appel d'offres ouvert";
  if (procedure == "adapted") return "Procédure adaptée";
  return "Marché passé sans publicité ni mise en concurrence préalable";
}

std::string decp_id(const db::ContractRecord& contract) {
  std::string number = std::to_string(contract.contract_id);
  if (number.size() < 6) number.insert(0, 6 - number.size(), '0');
  return contract.notified_on.value_or("0000").substr(0, 4) + "C" + number;
}

namespace {

// The DECP 2.0 values (schema_decp_v2.0.3, considerationSocialeArray and
// considerationEnvironnementaleArray): a clause is an execution condition recorded on
// the tender (L2112-2, L2112-2-1), a criterion an award criterion (L2152-7). A
// justified exception to social considerations (L2112-2-1, 2nd al.) is none.
json::object social_considerations(const db::ContractRecord& c) {
  return json::object{{"considerationSociale",
                       json::array{json::value(c.social_clause ? "Clause sociale" : "Pas de considération sociale")}}};
}

json::object environmental_considerations(const db::ContractRecord& c) {
  json::array out;
  if (c.environmental_clause) out.push_back(json::value("Clause environnementale"));
  if (c.environmental_criterion) out.push_back(json::value("Critère environnemental"));
  if (out.empty()) out.push_back(json::value("Pas de considération environnementale"));
  return json::object{{"considerationEnvironnementale", std::move(out)}};
}

// The CCAG the contract documents refer to, by the purchase's kind: the product
// records no other.
std::string_view decp_ccag(std::string_view kind) {
  return kind == "works" ? "Travaux" : "Fournitures courantes et services";
}

// At most `limit` code points of UTF-8 text, never cutting a character.
std::string utf8_prefix(const std::string& text, std::size_t limit) {
  std::size_t points = 0, i = 0;
  for (; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0U) != 0x80U && points++ == limit) break;
  }
  return text.substr(0, i);
}

std::string contract_label(const db::ContractRecord& c) {
  return "le contrat " + std::to_string(c.contract_id) + " (lot " + std::to_string(c.lot_number) + " de " +
         c.tender_reference + ", membre " + c.member_code + ")";
}

json::object decp_marche(const db::ContractRecord& c, const std::string& published_on) {
  // An accord-cadre (L2125-1) with one holder and unit prices, executed by purchase
  // orders (bons de commande, R2162-13); otherwise a contract without technique.
  const auto one = [](std::string_view value) { return json::array{json::value(value)}; };
  return json::object{
      {"id", decp_id(c)},
      {"acheteur", json::object{{"id", *c.buyer_siret}}},
      {"nature", "Marché"},
      {"objet", utf8_prefix(c.tender_title + " — lot " + std::to_string(c.lot_number) + " : " + c.lot_title, 1000)},
      {"codeCPV", c.cpv.substr(0, 8)},  // the schema prefers the code without its check digit
      {"techniques", json::object{{"technique", one(c.framework_agreement ? "Accord-cadre" : "Sans objet")}}},
      {"modalitesExecution",
       json::object{{"modaliteExecution", one(c.framework_agreement ? "Bons de commande" : "Sans objet")}}},
      {"marcheInnovant", false},
      {"ccag", decp_ccag(c.kind)},
      {"offresRecues", c.bids_received},
      {"attributionAvance", false},
      {"typeGroupementOperateurs", "Pas de groupement"},
      {"sousTraitanceDeclaree", false},
      {"procedure", decp_procedure_label(c.procedure)},
      {"lieuExecution", json::object{{"code", c.department}, {"typeCode", "Code département"}}},
      {"dureeMois", c.duration_months},
      {"dateNotification", *c.notified_on},
      {"datePublicationDonnees", published_on},
      {"montant", euros(c.amount)},
      {"typesPrix", json::object{{"typePrix", one("Définitif ferme")}}},
      {"formePrix", "Unitaire"},
      {"titulaires",
       json::array{json::object{{"titulaire", json::object{{"typeIdentifiant", "SIRET"}, {"id", c.supplier_siret}}}}}},
      {"considerationsSociales", social_considerations(c)},
      {"considerationsEnvironnementales", environmental_considerations(c)}};
}

// Schema 2.0.3 `modifications`: each entry the state after it — the new amount and
// duration, cumulated from the record's initial ones — republished on `published_on`.
json::array decp_modifications(const json::object& marche, const std::vector<DecpModification>& modifications,
                               const std::string& published_on) {
  json::array out;
  Amount amount = parse_amount(std::string(marche.at("montant").as_string()).substr(kNumberMark.size()), "montant")
                      .value_or(Amount{});
  std::int64_t months = marche.at("dureeMois").to_number<std::int64_t>();
  for (const auto& m : modifications) {
    json::object entry{{"id", m.number},
                       {"dateNotificationModification", m.signed_on},
                       {"datePublicationDonneesModification", published_on}};
    amount += m.amount_change;
    months += m.months_change;
    if (m.amount_change != Amount{} && amount >= Amount{100}) entry["montant"] = euros(amount);
    if (m.months_change != 0) entry["dureeMois"] = months;
    out.push_back(json::object{{"modification", std::move(entry)}});
  }
  return out;
}

}  // namespace

DecpExport decp_export(const std::vector<db::ContractRecord>& notified_contracts, const std::string& published_on,
                       const std::map<std::int64_t, std::vector<DecpModification>>& modifications) {
  DecpExport out;
  json::array marches;
  for (const auto& c : notified_contracts) {
    if (!c.notified_on) continue;  // not in force: nothing to publish (R2182-4)
    if (!c.buyer_siret) {
      out.excluded.push_back({c.contract_id, "decp.buyer_siret_missing",
                              contract_label(c) + " n’est pas publié : son acheteur, le coordonnateur " + c.buyer_code +
                                  ", n’a pas de SIRET"});
      continue;
    }
    if (c.amount < Amount{100}) {
      out.excluded.push_back({c.contract_id, "decp.amount_below_minimum",
                              contract_label(c) + " n’est pas publié : son montant est inférieur à 1 €"});
      continue;
    }
    auto marche = decp_marche(c, published_on);
    if (const auto it = modifications.find(c.contract_id); it != modifications.end() && !it->second.empty()) {
      marche["modifications"] = decp_modifications(marche, it->second, published_on);
    }
    marches.push_back(std::move(marche));
  }
  out.data = json::object{{"marches", json::object{{"marche", std::move(marches)}}}};
  return out;
}

Table dqe_table(const Tender& tender, const Lot& lot, const std::map<std::int64_t, Member>& members) {
  Table t;
  t.title = "DQE lot " + std::to_string(lot.number);
  t.columns = {{"Lot", CellKind::integer},
               {"Désignation", CellKind::text},
               {"CPV", CellKind::text},
               {"Unité", CellKind::text},
               {"Membre", CellKind::text},
               {"Quantité", CellKind::quantity},
               {"Prix unitaire HT (€)", CellKind::text},
               {"Montant HT (€)", CellKind::text}};
  for (const auto& m : lot.members) {
    const auto member = members.find(m.member_id);
    t.rows.push_back({std::int64_t{lot.number}, lot.title, lot.cpv, std::string(to_string(lot.unit)),
                      member != members.end() ? member->second.code : std::to_string(m.member_id),
                      m.quantity.thousandths, std::string(), std::string()});
  }
  t.totals.push_back({std::int64_t{lot.number}, lot.title, lot.cpv, std::string(to_string(lot.unit)),
                      std::string("Total"), lot.quantity.thousandths, std::string(), std::string()});
  t.notes = {{"Consultation", tender.reference + " — " + tender.title},
             {"Lot", std::to_string(lot.number) + " — " + lot.title},
             {"Quantités", "Quantités estimatives sur toute la durée du marché (" +
                               std::to_string(tender.duration_months) +
                               " mois), par membre du groupement ; le candidat renseigne le prix unitaire HT."},
             {"Unité", std::string(to_string(lot.unit))}};
  return t;
}

}  // namespace canopee::formats
