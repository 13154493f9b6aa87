#include "usecases/demo_data.hpp"

#include <map>

#include "adapters/db/bid_repository.hpp"
#include "adapters/db/groupement_repository.hpp"
#include "adapters/db/need_repository.hpp"
#include "adapters/db/party_repository.hpp"
#include "adapters/db/tender_repository.hpp"
#include "adapters/security/tokens.hpp"
#include "usecases/award.hpp"
#include "usecases/award_chain.hpp"
#include "usecases/bid_review.hpp"
#include "usecases/joint_tender.hpp"
#include "usecases/lot_evaluation.hpp"
#include "usecases/orders.hpp"
#include "usecases/shared_costs.hpp"
#include "usecases/tender_lifecycle.hpp"

namespace canopee::demo {
namespace {

// Fictitious identifiers (valid check digits, not the real organisations').
struct MemberSpec {
  const char* code;
  const char* name;
  const char* siren;
  const char* siret;  // the SIREN and a NIC, Luhn-valid over the 14 digits
  const char* department;
};
constexpr MemberSpec kMembers[] = {
    {"OPAL", "OPAL (Office public de l'habitat de l'Aisne)", "270200017", "27020001700019", "02"},
    {"REIMS", "Reims Habitat", "270510027", "27051002700013", "51"},
    {"OISE", "Oise Habitat", "270600034", "27060003400010", "60"},
    {"AMIENS", "OPH d'Amiens Métropole", "270800048", "27080004800018", "80"},
};

struct UserSpec {
  const char* email;
  const char* name;
  Role role;
  const char* member;  // code or nullptr
};
constexpr UserSpec kUsers[] = {
    {"admin@canopee.example", "Administratrice du réseau", Role::admin, nullptr},
    {"acheteuse@canopee.example", "Responsable des achats groupés", Role::officer, nullptr},
    {"finances@canopee.example", "Contrôleur de gestion du réseau", Role::finance, nullptr},
    {"acheteur@opal.example", "Acheteur OPAL", Role::buyer, "OPAL"},
    {"acheteur@reims-habitat.example", "Acheteuse Reims Habitat", Role::buyer, "REIMS"},
    {"acheteur@oise-habitat.example", "Acheteur Oise Habitat", Role::buyer, "OISE"},
    {"acheteur@amiens.example", "Acheteuse OPH d'Amiens", Role::buyer, "AMIENS"},
    {"finances@opal.example", "Finances OPAL", Role::finance, "OPAL"},
};

struct SupplierSpec {
  const char* name;
  const char* siret;
  const char* department;
  bool sme;
};
constexpr SupplierSpec kSuppliers[] = {
    {"Peintures de Picardie", "38901234500010", "80", true},
    {"Revêtements Champenois", "41234567000019", "51", true},
    {"Énergies du Nord", "50312345700015", "59", false},
    {"Propreté Services Aisne", "51498765000017", "02", true},
    {"Ascenseurs Hauts-de-France", "53287654700011", "60", false},
    {"Chauffage Service Picardie", "79214567400018", "80", true},
    {"Thermique de l'Oise", "80345126900010", "60", true},
};

struct NeedSpec {
  const char* member;
  const char* cpv;
  const char* title;
  const char* quantity;
  const char* unit;
  const char* price;
  bool recurring;
};
constexpr NeedSpec kNeeds[] = {
    {"OPAL", "44810000-1", "Peinture acrylique murs et plafonds", "1200", "l", "7.80", false},
    {"REIMS", "44810000-1", "Peinture intérieure blanche", "800", "l", "8.20", false},
    {"OISE", "44810000-1", "Peinture pour halls et cages d'escalier", "1500", "l", "7.95", false},
    {"AMIENS", "44810000-1", "Peinture acrylique", "600", "l", "8.50", false},
    {"OPAL", "09310000-5", "Électricité des parties communes", "2400", "MWh", "165.00", true},
    {"REIMS", "09310000-5", "Électricité des parties communes", "1800", "MWh", "172.00", true},
    {"OISE", "09310000-5", "Électricité parties communes et chaufferies", "2100", "MWh", "168.00", true},
    {"AMIENS", "09310000-5", "Électricité des parties communes", "950000", "kWh", "0.1790", true},
    {"OPAL", "90911200-8", "Nettoyage des parties communes", "5200", "h", "24.50", true},
    {"REIMS", "90911200-8", "Nettoyage des halls et escaliers", "3900", "h", "26.00", true},
    {"AMIENS", "90911200-8", "Nettoyage des immeubles", "4100", "h", "25.20", true},
    {"REIMS", "50750000-7", "Maintenance des ascenseurs", "40", "u", "1380.00", true},
    {"OISE", "50750000-7", "Entretien des ascenseurs", "35", "u", "1450.00", true},
    {"OPAL", "77311000-3", "Tonte des espaces verts", "18000", "m2", "0.4200", true},
    {"OISE", "50720000-8", "Entretien des chaudières collectives", "120", "u", "310.00", true},
    {"AMIENS", "50720000-8", "Entretien des chaudières et chaufferies", "90", "u", "325.00", true},
};

Quantity qty(const char* t) { return parse_quantity(t, "quantity").value(); }
UnitPrice price(const char* t) { return parse_unit_price(t, "price").value(); }
std::int64_t score(const char* t) { return parse_score(t, "score").value(); }

template <class T>
T must(Result<T> result, const char* what) {
  if (!result) throw std::runtime_error(std::string("demo: ") + what + ": " + result.error().message);
  return std::move(result).value();
}

// Every letter of an awarded lot (the award to its winner, a rejection to each other
// bidder), sent electronically on `on` at 09:00 UTC and recorded at 10:00: the one
// place the demo writes letters.
usecases::AwardChain send_letters(db::Database& database, const db::Actor& actor, std::int64_t tender_id,
                                  std::int64_t lot_id, Date on) {
  auto chain = must(usecases::award_chain(database, tender_id, lot_id, on), "award chain");
  // Copied: `chain` is replaced by each letter's answer, which would free the list being walked.
  const auto to_write = chain.letters_missing;
  const auto winner = chain.winning_bid_id;
  for (const auto bid_id : to_write) {
    const Letter letter{bid_id,
                        bid_id == winner ? LetterKind::award : LetterKind::rejection,
                        SendingMeans::electronic,
                        utc_instant(on, 9),
                        {}};
    chain = must(usecases::prepare_and_record_letter(database, actor, tender_id, lot_id, letter, utc_instant(on, 10),
                                                     on),
                 "letter");
  }
  return chain;
}

}  // namespace

Result<DemoReport> load_demo(db::Database& database, Date today) {
  const db::Actor actor{std::nullopt, std::nullopt, "demo"};
  DemoReport report;
  try {
    if (db::get_member_by_code(database, "OPAL").ok()) {
      // Already there: new tokens for the demo users (the old ones cannot be shown again).
      for (const auto& u : kUsers) {
        auto user = db::get_user_by_email(database, u.email);
        if (!user) continue;
        const auto token = security::generate_token();
        if (auto status = db::rotate_user_token(database, actor, user->id, security::token_hash(token)); !status) {
          return std::move(status).error();
        }
        report.users.push_back({std::string(to_string(u.role)), u.email, u.member ? u.member : "", token});
      }
      return report;
    }
    report.created = true;
    std::map<std::string, std::int64_t> member_ids;
    for (const auto& m : kMembers) {
      Member member;
      member.code = m.code;
      member.name = m.name;
      member.siren = m.siren;
      member.siret = m.siret;
      member.department = parse_department(m.department, "department").value();
      member_ids[m.code] = must(db::create_member(database, actor, member), "member").id;
    }
    for (const auto& u : kUsers) {
      User user;
      user.email = u.email;
      user.name = u.name;
      user.role = u.role;
      if (u.member) user.member_id = member_ids.at(u.member);
      const auto token = security::generate_token();
      must(db::create_user(database, actor, user, security::token_hash(token)), "user");
      report.users.push_back({std::string(to_string(u.role)), u.email, u.member ? u.member : "", token});
    }
    // The convention of the four members (L2113-6): OPAL coordinates up to the
    // signature and notification of each member's contracts; all signed early 2026.
    Groupement convention;
    convention.name = "Groupement Canopée 2026";
    convention.reference = "GC-2026-01";
    convention.coordinator_member_id = member_ids.at("OPAL");
    convention.mission = CoordinatorMission::notification;
    convention.cpv_prefixes = {"0931", "3913", "4481", "5072", "5075", "7731", "9091"};  // 3913: office furniture
    convention.period_start = parse_date("2026-01-01", "d").value();
    convention.period_end = parse_date("2027-12-31", "d").value();
    convention.cost_key = CostKey::contract_value;
    for (const auto& [code, signed_on] : {std::pair{"OPAL", "2026-01-12"}, std::pair{"REIMS", "2026-01-19"},
                                          std::pair{"OISE", "2026-01-26"}, std::pair{"AMIENS", "2026-02-02"}}) {
      convention.members.push_back({member_ids.at(code), parse_date(signed_on, "d").value()});
    }
    const auto groupement_id = must(db::create_groupement(database, actor, convention, today), "groupement").id;

    std::vector<std::int64_t> suppliers;
    for (const auto& s : kSuppliers) {
      Supplier supplier;
      supplier.name = s.name;
      supplier.siret = s.siret;
      supplier.department = parse_department(s.department, "department").value();
      supplier.sme = s.sme;
      suppliers.push_back(must(db::create_supplier(database, actor, supplier), "supplier").id);
    }
    const auto nomenclature = CpvNomenclature::starter();
    for (const auto& n : kNeeds) {
      NeedDraft d;
      d.cpv = n.cpv;
      d.title = n.title;
      d.quantity = n.quantity;
      d.unit = n.unit;
      d.reference_unit_price = n.price;
      d.department = std::string(kMembers[0].department);
      for (const auto& m : kMembers) {
        if (std::string_view(m.code) == n.member) d.department = m.department;
      }
      d.period_start = "2027-01-01";
      d.period_end = "2027-12-31";
      d.recurring = n.recurring;
      CANOPEE_TRY(need, validate_need(d, nomenclature));
      need.member_id = member_ids.at(n.member);
      need.status = NeedStatus::submitted;
      must(db::create_need(database, actor, need), "need");
    }

    // Three joint tenders from proposals over some families, each launched on `launched_on`.
    const auto make_tender = [&](std::vector<std::string> prefixes, const char* title, const char* environmental,
                                 const char* social, Date launched_on, const char* single_lot_reason = "") {
      std::vector<Need> selected;
      for (const auto& prefix : prefixes) {
        AggregationFilter filter;
        filter.cpv_prefix = prefix;
        auto found = must(db::select_submitted_needs(database, filter), "needs");
        selected.insert(selected.end(), found.begin(), found.end());
      }
      JointTenderPlan plan;
      plan.title = title;
      plan.coordinator_member_id = member_ids.at("OPAL");
      plan.groupement_id = groupement_id;
      plan.kind = prefixes.front().rfind("44", 0) == 0 ? PurchaseKind::supplies : PurchaseKind::services;
      plan.contract_start = parse_date("2027-01-01", "d").value();
      plan.duration_months = 24;
      plan.criteria = {{"prix", 60, true, false},
                       {"valeur technique", 25, false, false},
                       {"performance environnementale", 15, false, true}};
      // 45 days: more than the open call's 30 (R2161-2, R2161-3) whatever the procedure.
      plan.bid_deadline = to_string(add_days(launched_on, 45)) + "T12:00:00Z";
      // Launched after 2026-08-21: environmental execution conditions (L2112-2) and, at
      // or above the EU thresholds, social considerations (L2112-2-1).
      plan.environmental_conditions = environmental;
      plan.social_considerations = social;
      plan.allotment_justification = single_lot_reason;  // a single lot is justified (L2113-11)
      return must(launch_joint_tender(database, actor, selected, plan, nomenclature, launched_on), "tender");
    };
    const auto record_bid = [&](const Tender& t, int lot_number, std::int64_t supplier, std::vector<Tier> tiers,
                                const char* technique, const char* environment, std::string received_at = {}) {
      Bid b;
      b.supplier_id = supplier;
      b.received_at = std::move(received_at);  // empty: now
      b.tiers = std::move(tiers);
      b.scores = {{"valeur technique", score(technique)}, {"performance environnementale", score(environment)}};
      return must(db::create_bid(database, actor, t.id, t.lots[static_cast<std::size_t>(lot_number - 1)].id, b), "bid");
    };
    const auto decide_on_day = [&](const Bid& bid, BidDecision decision, Date on) {
      must(usecases::record_bid_decision(database, actor, bid.id, std::nullopt, decision, on), "bid decision");
    };
    const auto decide_on = [&](const Bid& bid, BidDecision decision) {
      decide_on_day(bid, std::move(decision), today);
    };

    // Tender 1: electricity and paint — closed, the paint lot awarded.
    auto supplies = make_tender({"0931", "4481"}, "Électricité et peintures 2027-2028",
                                "Électricité d'origine renouvelable garantie ; peintures en pots recyclés, reprise des "
                                "contenants vides par le titulaire",
                                "Insertion : 5 % des heures de livraison et de manutention confiées à des personnes "
                                "éloignées de l'emploi",
                                today);
    // lot 1: electricity (kWh), lot 2: paint (l)
    const std::vector<Bid> supply_bids = {
        record_bid(supplies, 1, suppliers[2], {{qty("0"), price("0.1620")}, {qty("10000000"), price("0.1540")}}, "82",
                   "70"),
        record_bid(supplies, 1, suppliers[1], {{qty("0"), price("0.1595")}}, "75", "60"),
        record_bid(supplies, 2, suppliers[0],
                   {{qty("0"), price("8.40")}, {qty("4000"), price("7.10")}, {qty("8000"), price("6.80")}}, "85", "90"),
        record_bid(supplies, 2, suppliers[1], {{qty("0"), price("7.25")}}, "70", "55"),
        record_bid(supplies, 2, suppliers[3], {{qty("0"), price("5.10")}}, "60", "40"),
    };
    must(usecases::add_shared_cost(
             database, actor, supplies.id,
             {"Publicité BOAMP et JOUE", parse_amount("1800.00", "a").value(), CostKey::contract_value, {}, true}),
         "cost");
    must(usecases::add_shared_cost(database, actor, supplies.id,
                                   {"Coordination du GIE",
                                    parse_amount("2000.00", "a").value(),
                                    CostKey::fixed,
                                    {{member_ids.at("OPAL"), 4000},
                                     {member_ids.at("REIMS"), 2000},
                                     {member_ids.at("OISE"), 2000},
                                     {member_ids.at("AMIENS"), 2000}},
                                    false}),
         "cost");
    usecases::TransitionFacts early;
    early.reason = "Démonstration : les offres de tous les fournisseurs consultés sont arrivées";
    must(usecases::transition_tender(database, actor, supplies.id, TenderStatus::closed, std::nullopt, today, early),
         "close");
    // The bids opened: every one regular. The paint bid at 5.10 € ranks first and is
    // abnormally low: asked in writing to explain its price, its explanations are
    // refused and the bid rejected (R2152-4) before the lot goes to the next one.
    for (const auto& bid : supply_bids) decide_on(bid, {BidDecisionKind::valid, {}, {}, {}, {}, {}});
    const Bid& low = supply_bids.back();
    decide_on(low, {BidDecisionKind::explanations_requested,
                    {},
                    "Votre prix de 5,10 € le litre est inférieur de plus de 10 % à la moyenne des offres : "
                    "justifiez-le (composition, approvisionnement, main-d’œuvre).",
                    add_days(today, 10),
                    {},
                    {}});
    decide_on(low, {BidDecisionKind::explanations_received,
                    "Réponse : un stock racheté à un concurrent en liquidation.",
                    {},
                    {},
                    today,
                    {}});
    decide_on(low, {BidDecisionKind::explanations_refused,
                    "Un stock ponctuel ne couvre pas 24 mois de livraisons : le prix n’est pas justifié sur la durée.",
                    {},
                    {},
                    {},
                    {1, 2}});
    auto evaluation = must(usecases::evaluate_tender(database, supplies.id), "evaluation");
    for (const auto& b : evaluation[1].second.bids) {
      if (b.awardable) {
        must(usecases::award_lot(database, actor, supplies.id, evaluation[1].first.id, b.bid_id, today), "award");
        break;
      }
    }

    // Tender 2: cleaning and lift maintenance — published, bids coming in.
    auto services =
        make_tender({"9091", "5075"}, "Nettoyage et maintenance des ascenseurs 2027-2028",
                    "Produits d'entretien écolabellisés, dosage centralisé ; pièces détachées reconditionnées "
                    "quand elles existent",
                    "Insertion : 10 % des heures de nettoyage confiées à des personnes éloignées de l'emploi", today);
    record_bid(services, 1, suppliers[4], {{qty("0"), price("1395.00")}}, "80", "65");
    record_bid(services, 2, suppliers[3], {{qty("0"), price("24.10")}, {qty("20000"), price("23.40")}}, "78", "72");

    // Tender 3: boiler maintenance, launched 100 days ago and taken through the whole
    // chain after its award (engine/post_award.hpp), so that the demo has contracts in
    // force (the DECP and OCDS exports are not empty): bids by the deadline (day −55),
    // closed on day −54, awarded on day −50, the letters sent electronically on day
    // −49 — 11 days of standstill (R2182-1, chosen under an adapted procedure), the
    // signature possible from day −38 —, both contracts signed on day −35, OISE's
    // notified on day −33, AMIENS's on day −32. The paint lot above stays at its first
    // stage (letters to send), the lots awarded in the web at theirs.
    const auto ago = [&](int days) { return add_days(today, -days); };
    auto heating = make_tender({"5072"}, "Entretien des chaudières 2027-2028",
                               "Pièces détachées reconditionnées quand elles existent ; réglage annuel des brûleurs "
                               "pour réduire les émissions",
                               "Insertion : 5 % des heures d'entretien confiées à des personnes éloignées de l'emploi",
                               ago(100),
                               "Une prestation homogène : l'entretien des chaudières collectives des deux membres, "
                               "par un même prestataire, sur le même périmètre géographique");
    const auto received = to_string(ago(60)) + "T10:00:00Z";
    const std::vector<Bid> heating_bids = {
        record_bid(heating, 1, suppliers[5], {{qty("0"), price("298.00")}}, "80", "75", received),
        record_bid(heating, 1, suppliers[6], {{qty("0"), price("315.00")}}, "85", "60", received),
    };
    must(usecases::transition_tender(database, actor, heating.id, TenderStatus::closed, std::nullopt, ago(54)),
         "close");
    for (const auto& bid : heating_bids) decide_on_day(bid, {BidDecisionKind::valid, {}, {}, {}, {}, {}}, ago(54));
    const auto heating_lot = heating.lots.at(0).id;
    const auto heating_evaluation = must(usecases::evaluate_tender(database, heating.id), "evaluation");
    for (const auto& b : heating_evaluation.at(0).second.bids) {
      if (b.awardable) {
        must(usecases::award_lot(database, actor, heating.id, heating_lot, b.bid_id, ago(50)), "award");
        break;
      }
    }
    auto chain = must(usecases::award_chain(database, heating.id, heating_lot, ago(50)), "award chain");
    if (chain.procedure != Procedure::formal) {
      must(usecases::choose_standstill(database, actor, heating.id, heating_lot, kStandstillElectronicDays, ago(50)),
           "standstill");
    }
    chain = send_letters(database, actor, heating.id, heating_lot, ago(49));
    for (const auto& c : chain.contracts) {
      must(usecases::sign_contract(database, actor, c.id, std::nullopt, ago(35), ago(35)), "signature");
      const Date notified_on = c.member_id == member_ids.at("OISE") ? ago(33) : ago(32);
      must(usecases::notify_contract(database, actor, c.id, std::nullopt, notified_on, notified_on), "notification");
    }
    // Orders under the heating framework agreement (R2162-4): OISE has ordered 90 % of its
    // maximum in a month (warned, and flagged to exhaust it long before the term); AMIENS
    // one order, delivered, invoiced and paid.
    for (const auto& c : chain.contracts) {
      Quantity quantity;
      for (const auto& line : heating.lots.at(0).members)
        if (line.member_id == c.member_id) quantity = line.quantity;
      const auto share = [&](int percent) { return Quantity{quantity.thousandths * percent / 100}; };
      const bool oise = c.member_id == member_ids.at("OISE");
      const std::vector<std::pair<int, int>> orders =
          oise ? std::vector<std::pair<int, int>>{{25, 30}, {25, 20}, {25, 12}, {15, 5}}
               : std::vector<std::pair<int, int>>{{10, 25}};
      for (const auto& [percent, days] : orders) {
        usecases::OrderRequest request;
        request.contract_id = c.id;
        request.delivery_place = oise ? "Chaufferie de la résidence Les Tilleuls, Beauvais" : "Régie d'Amiens Nord";
        request.lines = {{"Visite d'entretien annuelle", share(percent)}};
        request.send = true;
        request.ordered_on = ago(days);
        const auto placed = must(usecases::place_order(database, actor, request, std::nullopt, ago(days)), "order");
        if (days < 20) continue;  // the recent ones are still to be delivered
        const auto id = placed.order.id;
        usecases::StepRequest step{usecases::OrderStep::deliver, ago(days - 5), {share(percent)}, {}, {}};
        must(usecases::step_order(database, actor, id, std::nullopt, step, std::nullopt, ago(days - 5)), "delivery");
        step = {usecases::OrderStep::invoice, ago(days - 8), {}, placed.order.total, "FAC-" + placed.order.reference};
        must(usecases::step_order(database, actor, id, std::nullopt, step, std::nullopt, ago(days - 8)), "invoice");
        step = {usecases::OrderStep::pay, ago(days - 15), {}, {}, {}};
        must(usecases::step_order(database, actor, id, std::nullopt, step, std::nullopt, ago(days - 15)), "payment");
      }
    }
  } catch (const std::exception& e) {
    return Error::of(ErrorCode::conflict, e.what());
  }
  return report;
}

}  // namespace canopee::demo
