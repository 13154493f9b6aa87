#include "adapters/db/report_repository.hpp"

#include <soci/soci.h>

#include "adapters/db/unit_of_work.hpp"

namespace canopee::db {
namespace {

// A line is counted from its member contract's notification when recorded, else from
// the award decision (engine/report.hpp): the period bears on that counting date.
// Contracts are unique per (lot, member); the LEFT JOIN keeps a line whatever happens.
// A notification is never before its award decision (check_signature, check_notification),
// so a line counted by `to` was decided by `to`: the last condition, redundant, lets the
// (awarded_on) index narrow the read.
constexpr std::string_view kLines =
    "SELECT t.id, t.reference, s.lot_id, s.member_id, m.code, l.cpv, CAST(s.awarded_on AS TEXT), "
    "CAST(c.notified_on AS TEXT), s.duration_months, "
    "s.reference, s.contract, s.standalone, s.savings, s.pooling_effect, s.competition_effect, "
    "s.one_off_reference, s.one_off_contract, s.one_off_standalone, s.pooling_measurable, l.vat_rate_bp "
    "FROM savings_lines s JOIN lots l ON l.id = s.lot_id JOIN tenders t ON t.id = l.tender_id "
    "JOIN members m ON m.id = s.member_id "
    "LEFT JOIN contracts c ON c.lot_id = s.lot_id AND c.member_id = s.member_id "
    "WHERE COALESCE(c.notified_on, s.awarded_on) >= :from AND COALESCE(c.notified_on, s.awarded_on) <= :to "
    "AND s.awarded_on <= :decided_by";

// Followed by a list of bound tender ids and kCostsGroup: one query per 500 tenders.
// The CGLLS subsidy (issue 19 item 7; usecases/aided_projects.cpp writes a linked cost's
// rows from its project): granted when the cost's aided project is granted or paid;
// projected when it is planned or requested, or when the cost belongs to no project
// ("sans projet"); a refused or abandoned project's rows hold 0.
constexpr std::string_view kCosts =
    "SELECT c.tender_id, s.member_id, SUM(s.share), "
    "SUM(CASE WHEN p.status IN ('granted', 'paid') THEN s.subsidy ELSE 0 END), "
    "SUM(CASE WHEN p.id IS NULL OR p.status IN ('planned', 'requested') THEN s.subsidy ELSE 0 END) "
    "FROM cost_splits s JOIN shared_costs c ON c.id = s.shared_cost_id "
    "LEFT JOIN aided_project_costs a ON a.shared_cost_id = c.id LEFT JOIN aided_projects p ON p.id = a.project_id "
    "WHERE c.tender_id IN (";
constexpr std::string_view kCostsGroup = ") GROUP BY c.tender_id, s.member_id ORDER BY c.tender_id, s.member_id";

// Followed by kAwardedIn or kNotifiedIn, then the optional filters and the order.
constexpr std::string_view kContracts =
    "SELECT c.id, t.id, t.reference, t.title, t.kind, t.procedure, t.framework_agreement, t.duration_months, l.id, "
    "l.number, l.title, l.cpv, m.department, m.id, m.siren, m.name, p.id, p.siret, p.name, c.amount, "
    "CAST(s.awarded_on AS TEXT), (SELECT COUNT(*) FROM bids b WHERE b.lot_id = l.id), "
    "(SELECT COUNT(*) FROM criteria k WHERE k.tender_id = t.id AND (k.environmental = 1 OR k.life_cycle_cost = 1)), "
    "t.environmental_conditions, t.social_considerations, m.code, o.id, o.code, o.siret, CAST(c.notified_on AS TEXT), "
    "CAST(c.signed_on AS TEXT) "
    "FROM contracts c JOIN lots l ON l.id = c.lot_id JOIN tenders t ON t.id = l.tender_id "
    "JOIN members m ON m.id = c.member_id JOIN members o ON o.id = t.coordinator_member_id "
    "JOIN suppliers p ON p.id = c.supplier_id "
    "JOIN savings_lines s ON s.lot_id = c.lot_id AND s.member_id = c.member_id ";
constexpr std::string_view kAwardedIn = "WHERE s.awarded_on >= :from AND s.awarded_on <= :to";
constexpr std::string_view kNotifiedIn =
    "WHERE c.notified_on IS NOT NULL AND c.notified_on >= :from AND c.notified_on <= :to";

}  // namespace

Result<std::vector<ReportLine>> report_lines(Database& database, Date from, Date to,
                                             std::optional<std::int64_t> member_id) {
  using Out = std::vector<ReportLine>;
  return with_connection<Out>(database, [&](soci::session& sql) -> Result<Out> {
    const std::string from_text = to_string(from), to_text = to_string(to);
    long long member = member_id.value_or(0);
    long long tender, lot, m, reference, contract, standalone, savings, pooling, competition, one_off_reference,
        one_off_contract, one_off_standalone;
    int measurable = 1, vat_rate = 0;
    std::string tender_reference, code, cpv, on, notified;
    soci::indicator notified_ind = soci::i_null;
    int duration;
    soci::statement st = single_trip(sql, std::string(kLines) + (member_id ? " AND s.member_id = :member" : "") +
                                              " ORDER BY s.lot_id, s.member_id");
    for (auto* target : {&tender}) st.exchange(soci::into(*target));
    st.exchange(soci::into(tender_reference));
    st.exchange(soci::into(lot));
    st.exchange(soci::into(m));
    st.exchange(soci::into(code));
    st.exchange(soci::into(cpv));
    st.exchange(soci::into(on));
    st.exchange(soci::into(notified, notified_ind));
    st.exchange(soci::into(duration));
    for (auto* target : {&reference, &contract, &standalone, &savings, &pooling, &competition, &one_off_reference,
                         &one_off_contract, &one_off_standalone})
      st.exchange(soci::into(*target));
    st.exchange(soci::into(measurable));
    st.exchange(soci::into(vat_rate));
    st.exchange(soci::use(from_text, "from"));
    st.exchange(soci::use(to_text, "to"));
    st.exchange(soci::use(to_text, "decided_by"));
    if (member_id) st.exchange(soci::use(member, "member"));
    st.define_and_bind();
    st.execute();
    Out out;
    while (st.fetch()) {
      ReportLine line;
      line.tender_id = tender;
      line.tender_reference = tender_reference;
      line.lot_id = lot;
      line.member_id = m;
      line.member_code = code;
      line.cpv_digits = static_cast<std::uint32_t>(std::stoul(cpv.substr(0, 8)));
      line.awarded_on = parse_date(on.substr(0, 10), "awarded_on").value();
      line.notified_on = notified_ind == soci::i_ok
                             ? std::optional<Date>(parse_date(notified.substr(0, 10), "notified_on").value())
                             : std::nullopt;
      line.duration_months = duration;
      line.figures = {m,
                      Amount{reference},
                      Amount{contract},
                      Amount{standalone},
                      Amount{savings},
                      Amount{pooling},
                      Amount{competition},
                      Amount{one_off_reference},
                      Amount{one_off_contract},
                      Amount{one_off_standalone},
                      measurable != 0};
      line.vat_rate_bp = vat_rate;
      out.push_back(std::move(line));
    }
    return out;
  });
}

Result<std::vector<TenderMemberCost>> tender_member_costs(Database& database,
                                                          std::span<const std::int64_t> tender_ids) {
  using Out = std::vector<TenderMemberCost>;
  return with_connection<Out>(database, [&](soci::session& sql) -> Result<Out> {
    Out out;
    constexpr std::size_t kBatch = 500;
    for (std::size_t begin = 0; begin < tender_ids.size(); begin += kBatch) {
      const std::size_t end = std::min(tender_ids.size(), begin + kBatch);
      std::vector<long long> keys(tender_ids.begin() + static_cast<std::ptrdiff_t>(begin),
                                  tender_ids.begin() + static_cast<std::ptrdiff_t>(end));
      std::string placeholders;
      for (std::size_t i = 0; i < keys.size(); ++i) placeholders += (i == 0 ? ":t" : ", :t") + std::to_string(i);
      long long tender = 0, member = 0, share = 0, subsidy = 0, projected = 0;
      soci::statement st = single_trip(sql, std::string(kCosts) + placeholders + std::string(kCostsGroup));
      st.exchange(soci::into(tender));
      st.exchange(soci::into(member));
      st.exchange(soci::into(share));
      st.exchange(soci::into(subsidy));
      st.exchange(soci::into(projected));
      for (std::size_t i = 0; i < keys.size(); ++i) st.exchange(soci::use(keys[i], "t" + std::to_string(i)));
      st.define_and_bind();
      st.execute();
      while (st.fetch()) out.push_back({tender, member, Amount{share}, Amount{subsidy}, Amount{projected}});
    }
    return out;
  });
}

namespace {

// The contracts of kContracts with `period` (kAwardedIn or kNotifiedIn) between `from`
// and `to`, of one member or all, of one tender or all.
Result<std::vector<ContractRecord>> read_contracts(Database& database, std::string_view period, Date from, Date to,
                                                   std::optional<std::int64_t> member_id,
                                                   std::optional<std::int64_t> tender_id) {
  using Out = std::vector<ContractRecord>;
  return with_connection<Out>(database, [&](soci::session& sql) -> Result<Out> {
    const std::string from_text = to_string(from), to_text = to_string(to);
    long long member = member_id.value_or(0), tender_key = tender_id.value_or(0);
    ContractRecord r;
    long long contract_id, tender, lot, m, supplier, amount, buyer;
    int framework, duration, number, bids, environmental;
    std::string environmental_conditions, social_considerations, buyer_siret, notified_on, signed_on;
    soci::indicator buyer_siret_ind = soci::i_null, notified_ind = soci::i_null, signed_ind = soci::i_null;
    const std::string_view where = period == kNotifiedIn ? kNotifiedIn : kAwardedIn;
    soci::statement st = single_trip(sql, std::string(kContracts) + std::string(where) +
                                              (member_id ? " AND c.member_id = :member" : "") +
                                              (tender_id ? " AND t.id = :tender" : "") + " ORDER BY c.id");
    st.exchange(soci::into(contract_id));
    st.exchange(soci::into(tender));
    st.exchange(soci::into(r.tender_reference));
    st.exchange(soci::into(r.tender_title));
    st.exchange(soci::into(r.kind));
    st.exchange(soci::into(r.procedure));
    st.exchange(soci::into(framework));
    st.exchange(soci::into(duration));
    st.exchange(soci::into(lot));
    st.exchange(soci::into(number));
    st.exchange(soci::into(r.lot_title));
    st.exchange(soci::into(r.cpv));
    st.exchange(soci::into(r.department));
    st.exchange(soci::into(m));
    st.exchange(soci::into(r.member_siren));
    st.exchange(soci::into(r.member_name));
    st.exchange(soci::into(supplier));
    st.exchange(soci::into(r.supplier_siret));
    st.exchange(soci::into(r.supplier_name));
    st.exchange(soci::into(amount));
    st.exchange(soci::into(r.awarded_at));
    st.exchange(soci::into(bids));
    st.exchange(soci::into(environmental));
    st.exchange(soci::into(environmental_conditions));
    st.exchange(soci::into(social_considerations));
    st.exchange(soci::into(r.member_code));
    st.exchange(soci::into(buyer));
    st.exchange(soci::into(r.buyer_code));
    st.exchange(soci::into(buyer_siret, buyer_siret_ind));
    st.exchange(soci::into(notified_on, notified_ind));
    st.exchange(soci::into(signed_on, signed_ind));
    st.exchange(soci::use(from_text, "from"));
    st.exchange(soci::use(to_text, "to"));
    if (member_id) st.exchange(soci::use(member, "member"));
    if (tender_id) st.exchange(soci::use(tender_key, "tender"));
    st.define_and_bind();
    st.execute();
    Out out;
    while (st.fetch()) {
      ContractRecord c = r;
      c.contract_id = contract_id;
      c.tender_id = tender;
      c.framework_agreement = framework != 0;
      c.duration_months = duration;
      c.lot_id = lot;
      c.lot_number = number;
      c.member_id = m;
      c.supplier_id = supplier;
      c.amount = Amount{amount};
      c.awarded_at = c.awarded_at.substr(0, 10);  // the award date
      c.bids_received = bids;
      c.environmental_criterion = environmental > 0;
      const auto said = [](const std::string& text) { return text.find_first_not_of(" \t\r\n") != std::string::npos; };
      c.environmental_clause = said(environmental_conditions);
      c.social_clause = said(social_considerations);
      c.buyer_member_id = buyer;
      if (buyer_siret_ind == soci::i_ok) c.buyer_siret = buyer_siret;
      if (notified_ind == soci::i_ok) c.notified_on = notified_on.substr(0, 10);
      if (signed_ind == soci::i_ok) c.signed_on = signed_on.substr(0, 10);
      out.push_back(std::move(c));
    }
    return out;
  });
}

}  // namespace

Result<std::vector<ContractRecord>> contracts_awarded(Database& database, Date from, Date to,
                                                      std::optional<std::int64_t> member_id,
                                                      std::optional<std::int64_t> tender_id) {
  return read_contracts(database, kAwardedIn, from, to, member_id, tender_id);
}

Result<std::vector<ContractRecord>> contracts_notified(Database& database, Date from, Date to,
                                                       std::optional<std::int64_t> member_id) {
  return read_contracts(database, kNotifiedIn, from, to, member_id, std::nullopt);
}

}  // namespace canopee::db
