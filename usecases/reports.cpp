#include "usecases/reports.hpp"

#include <boost/json.hpp>

#include <map>
#include <set>

#include "adapters/db/aided_project_repository.hpp"
#include "adapters/db/award_repository.hpp"
#include "adapters/db/bid_repository.hpp"
#include "adapters/db/framework_repository.hpp"
#include "adapters/db/groupement_repository.hpp"
#include "adapters/db/party_repository.hpp"
#include "adapters/db/report_repository.hpp"
#include "adapters/db/tender_repository.hpp"
#include "adapters/db/unit_of_work.hpp"
#include "adapters/formats/open_data.hpp"
#include "engine/reference.hpp"
#include "usecases/modifications.hpp"

namespace canopee::reports {

namespace json = boost::json;

namespace {

std::string percent_text(std::int64_t bp) { return format_decimal(bp, 2, 2); }

json::object figures_json(const ReportFigures& f) {
  return json::object{{"reference", to_string(f.reference)},
                      {"contract", to_string(f.contract)},
                      {"savings", to_string(f.savings)},
                      {"savings_pct", percent_text(f.savings_pct_bp())},
                      {"pooling_effect", to_string(f.pooling_effect)},
                      {"competition_effect", to_string(f.competition_effect)},
                      {"shared_costs", to_string(f.shared_costs)},
                      {"subsidy", to_string(f.subsidy)},
                      {"net_savings", to_string(f.net_savings)},
                      {"lots", f.lots},
                      {"savings_notified", to_string(f.savings_notified)},
                      {"savings_award_only", to_string(f.savings_award_only)},
                      {"lines_notified", f.lines_notified},
                      {"lines_award_only", f.lines_award_only},
                      {"reference_ttc", to_string(f.reference_ttc)},
                      {"contract_ttc", to_string(f.contract_ttc)},
                      {"savings_ttc", to_string(f.savings_ttc)},
                      {"contract_one_off", to_string(f.contract_one_off)},
                      {"pooling_effect_status", to_string(f.pooling_status())},
                      {"lines_pooling_measured", f.lines_pooling_measured},
                      {"lines_pooling_not_measurable", f.lines_pooling_not_measurable},
                      {"subsidy_projected", to_string(f.subsidy_projected)}};
}

// The CGLLS subsidy as the report counted it (issue 19 item 7, docs/reports.md): the
// rates and caps in force, and which statuses are granted (in net savings) or projected.
json::object subsidy_parameters_json(const AidSettings& s) {
  const auto amount_or_null = [](const std::optional<Amount>& a) {
    return a ? json::value(to_string(*a)) : json::value(nullptr);
  };
  return json::object{{"collective_rate", percent_text(s.collective_rate_bp)},
                      {"individual_rate", percent_text(s.individual_rate_bp)},
                      {"project_cap", amount_or_null(s.project_cap)},
                      {"member_cap", amount_or_null(s.rolling_cap() ? s.member_cap : std::nullopt)},
                      {"member_cap_months", s.rolling_cap() ? json::value(*s.member_cap_months) : json::value(nullptr)},
                      {"granted_statuses", json::array{"granted", "paid"}},
                      {"projected_statuses", json::array{"planned", "requested", "sans_projet"}},
                      {"rule", "granted_in_net_savings_projected_apart"}};
}

json::object line_json(const ReportLineDates& l) {
  return json::object{{"tender_id", l.tender_id},
                      {"tender_reference", l.tender_reference},
                      {"lot_id", l.lot_id},
                      {"member_id", l.member_id},
                      {"member_code", l.member_code},
                      {"awarded_on", to_string(l.awarded_on)},
                      {"notified_on", l.notified_on ? json::value(to_string(*l.notified_on)) : json::value(nullptr)},
                      {"counted_on", to_string(l.counted_on)},
                      {"date_basis", to_string(l.date_basis)},
                      {"savings", to_string(l.savings)},
                      {"recurrence", to_string(l.recurrence)},
                      {"pooling_measurable", l.pooling_measurable},
                      {"vat_rate", percent_text(l.vat_rate_bp)}};
}

Result<std::map<std::int64_t, Member>> all_members(db::Database& database) {
  std::map<std::int64_t, Member> out;
  db::Page page{std::nullopt, db::kMaxPageSize};
  while (true) {
    auto batch = db::list_members(database, page);
    if (!batch) return std::move(batch).error();
    for (auto& m : batch->items) out.emplace(m.id, m);
    if (!batch->next_before_id) break;
    page.before_id = batch->next_before_id;
  }
  return out;
}

}  // namespace

Result<SavingsReport> savings_report(db::Database& database, const CpvNomenclature& cpv, const SavingsParameters& p) {
  if (p.to < p.from) return Error::invalid("to", "ne doit pas précéder from", "report.period.reversed");
  auto lines = db::report_lines(database, p.from, p.to, p.member_id);
  if (!lines) return std::move(lines).error();
  std::set<std::int64_t> tenders;
  for (const auto& l : *lines) tenders.insert(l.tender_id);
  const std::vector<std::int64_t> ids(tenders.begin(), tenders.end());
  auto costs = db::tender_member_costs(database, ids);
  if (!costs) return std::move(costs).error();
  if (p.member_id) {
    std::erase_if(*costs, [&](const TenderMemberCost& c) { return c.member_id != *p.member_id; });
  }
  auto report = build_savings_report(*lines, *costs, p.group, p.basis, [&](std::uint32_t digits) {
    const auto* entry = cpv.find(digits);
    return entry ? entry->label : cpv_digits_string(digits);
  });
  auto settings = db::with_connection<AidSettings>(database, [](soci::session& sql) -> Result<AidSettings> {
    return db::load_aid_settings(sql);
  });
  if (!settings) return std::move(settings).error();
  report.subsidy_settings = *settings;
  return report;
}

json::value savings_json(const SavingsReport& report, const SavingsParameters& p) {
  json::array rows;
  for (const auto& r : report.rows) {
    auto o = figures_json(r.figures);
    o["key"] = r.key;
    o["label"] = r.label;
    if (r.member_id) {
      o["member_id"] = *r.member_id;
      o["member_code"] = r.label;
    }
    rows.push_back(std::move(o));
  }
  json::object parameters{{"from", to_string(p.from)},
                          {"to", to_string(p.to)},
                          {"group_by", to_string(p.group)},
                          {"basis", to_string(p.basis)},
                          {"date_basis", kSavingsDateRule},
                          {"method", kSavingsMethod},
                          {"amounts", "HT"},
                          {"recurrence_rule", kRecurrenceRule},
                          {"pooling_rule", kPoolingRule}};
  std::set<std::int64_t> rates;
  for (const auto& l : report.lines) rates.insert(l.vat_rate_bp);
  json::array vat_rates;
  for (const auto r : rates) vat_rates.push_back(json::value(percent_text(r)));
  parameters["vat_rates"] = std::move(vat_rates);
  parameters["member"] = p.member_id ? json::value(*p.member_id) : json::value(nullptr);
  parameters["reference_rule"] = kReferenceRule;  // issue 19 item 2: the reference's source and actualisation
  if (report.subsidy_settings) parameters["subsidy"] = subsidy_parameters_json(*report.subsidy_settings);
  json::array lines;
  for (const auto& l : report.lines) lines.push_back(line_json(l));
  return json::object{{"rows", std::move(rows)},
                      {"totals", figures_json(report.totals)},
                      {"lines", std::move(lines)},
                      {"parameters", std::move(parameters)}};
}

Result<json::value> ocds(db::Database& database, std::int64_t tender_id, const std::string& ocid_prefix,
                         const std::string& base_uri, const std::string& now) {
  auto tender = db::get_tender(database, tender_id);
  if (!tender) return std::move(tender).error();
  auto members = all_members(database);
  if (!members) return std::move(members).error();
  std::map<std::int64_t, Supplier> suppliers;
  std::map<std::int64_t, std::vector<Bid>> bids;
  for (const auto& lot : tender->lots) {
    auto list = db::list_bids(database, lot.id);
    if (!list) return std::move(list).error();
    for (const auto& b : *list) {
      if (!suppliers.count(b.supplier_id)) {
        auto s = db::get_supplier(database, b.supplier_id);
        if (!s) return std::move(s).error();
        suppliers.emplace(s->id, *s);
      }
    }
    bids.emplace(lot.id, std::move(list).value());
  }
  auto winners = db::winning_bids(database, tender_id);
  if (!winners) return std::move(winners).error();
  auto contracts = db::contracts_awarded(database, parse_date("1900-01-01", "d").value(),
                                         parse_date("2999-12-31", "d").value(), std::nullopt, tender_id);
  if (!contracts) return std::move(contracts).error();
  formats::OcdsInput input{*tender, *members, suppliers, bids, *winners, *contracts, ocid_prefix, base_uri, now};
  if (tender->groupement_id) {
    auto groupement = db::get_groupement(database, *tender->groupement_id);
    if (!groupement) return std::move(groupement).error();
    for (const auto& m : groupement->members) input.groupement_members.push_back(m.member_id);
  }
  return formats::ocds_release_package(input);
}

Result<formats::DecpExport> decp(db::Database& database, Date from, Date to, std::optional<std::int64_t> member_id,
                                 const std::string& published_on) {
  if (to < from) return Error::invalid("to", "ne doit pas précéder from", "report.period.reversed");
  auto contracts = db::contracts_notified(database, from, to, member_id);
  if (!contracts) return std::move(contracts).error();
  // A framework agreement is published at its maximum over its whole duration, renewals
  // included (R2162-4, R2121-8): the member's maximum on the lot, valued in euros HT.
  auto framed = db::with_connection<std::vector<db::ContractRecord>>(
      database, [&](soci::session& sql) -> Result<std::vector<db::ContractRecord>> {
        std::map<std::int64_t, Tender> tenders;
        for (auto& c : *contracts) {
          if (!c.framework_agreement) continue;
          auto tender = tenders.find(c.tender_id);
          if (tender == tenders.end()) {
            auto loaded = db::load_tender(sql, c.tender_id);
            if (!loaded) continue;
            tender = tenders.emplace(c.tender_id, std::move(*loaded)).first;
          }
          if (const auto bounds = db::contract_bounds(sql, c.contract_id, tender->second)) {
            c.amount = bounds->value;
            c.duration_months = bounds->period.months;
          }
        }
        return std::move(*contracts);
      });
  if (!framed) return std::move(framed).error();
  std::vector<std::int64_t> ids;
  for (const auto& c : *framed) ids.push_back(c.contract_id);
  auto modifications = usecases::decp_modifications(database, ids);  // R2194-1 to R2194-9
  if (!modifications) return std::move(modifications).error();
  return formats::decp_export(*framed, published_on, *modifications);
}

Result<formats::Table> dqe(db::Database& database, std::int64_t tender_id, std::optional<std::int64_t> lot_id) {
  auto tender = db::get_tender(database, tender_id);
  if (!tender) return std::move(tender).error();
  auto members = all_members(database);
  if (!members) return std::move(members).error();
  std::optional<formats::Table> table;
  for (const auto& lot : tender->lots) {
    if (lot_id && lot.id != *lot_id) continue;
    auto part = formats::dqe_table(*tender, lot, *members);
    if (!table) {
      table = std::move(part);
      if (!lot_id) table->title = "DQE";
    } else {
      table->rows.insert(table->rows.end(), part.rows.begin(), part.rows.end());
      table->totals.insert(table->totals.end(), part.totals.begin(), part.totals.end());
    }
  }
  if (!table) return Error{ErrorCode::not_found, "ce lot n’est pas un lot de cette consultation", {}, "lot.not_found"};
  return *table;
}

std::optional<TenderAllocation> AllocationCache::find(const std::vector<std::int64_t>& inputs) const {
  std::lock_guard lock(mutex_);
  const auto found = entries_.find({inputs.at(0), inputs.at(1)});
  if (found == entries_.end() || found->second.inputs != inputs) return std::nullopt;
  found->second.used = ++clock_;
  ++hits_;
  return found->second.allocation;
}

void AllocationCache::remember(const std::vector<std::int64_t>& inputs, const TenderAllocation& allocation) {
  std::lock_guard lock(mutex_);
  entries_[{inputs.at(0), inputs.at(1)}] = Entry{inputs, allocation, ++clock_};
  if (entries_.size() > capacity_) {
    auto oldest = entries_.begin();
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->second.used < oldest->second.used) oldest = it;
    }
    entries_.erase(oldest);
  }
}

std::uint64_t AllocationCache::hits() const {
  std::lock_guard lock(mutex_);
  return hits_;
}

namespace {

// Everything allocate_tender reads, as integers, in a fixed order (the cache key).
std::vector<std::int64_t> allocation_inputs(const Tender& tender, FairMethod method,
                                            const std::map<std::int64_t, Bid>& winners,
                                            std::span<const SavingsLine> lines, std::span<const MemberCost> splits) {
  std::vector<std::int64_t> in{tender.id, static_cast<std::int64_t>(method), tender.version,
                               static_cast<std::int64_t>(tender.lots.size()),
                               static_cast<std::int64_t>(winners.size())};
  for (const auto& lot : tender.lots) {
    in.insert(in.end(), {lot.id, lot.number, static_cast<std::int64_t>(lot.members.size())});
    for (const auto& m : lot.members) in.insert(in.end(), {m.member_id, m.quantity.thousandths});
  }
  for (const auto& [lot_id, bid] : winners) {
    in.insert(in.end(), {lot_id, bid.id, bid.version, static_cast<std::int64_t>(bid.tiers.size())});
    for (const auto& t : bid.tiers) in.insert(in.end(), {t.min_quantity.thousandths, t.unit_price.ten_thousandths});
  }
  in.push_back(static_cast<std::int64_t>(lines.size()));
  for (const auto& l : lines) {
    in.insert(in.end(), {l.member_id, l.reference.cents, l.contract.cents, l.standalone.cents, l.savings.cents,
                         l.pooling_effect.cents, l.competition_effect.cents});
  }
  in.push_back(static_cast<std::int64_t>(splits.size()));
  for (const auto& s : splits) in.insert(in.end(), {s.member_id, s.share.cents, s.subsidy.cents});
  return in;
}

}  // namespace

Result<TenderAllocation> tender_allocation(db::Database& database, const Tender& tender, FairMethod method,
                                           AllocationCache* cache) {
  auto winners = db::winning_bids(database, tender.id);
  if (!winners) return std::move(winners).error();
  auto stored_savings = db::savings_of_tender(database, tender.id);
  if (!stored_savings) return std::move(stored_savings).error();
  auto costs = db::list_shared_costs(database, tender.id);
  if (!costs) return std::move(costs).error();
  std::vector<SavingsLine> lines;
  for (const auto& s : *stored_savings) lines.push_back(s.line);
  std::vector<MemberCost> splits;
  for (const auto& cost : *costs) splits.insert(splits.end(), cost.split.begin(), cost.split.end());
  if (cache == nullptr) return allocate_tender(tender, *winners, lines, splits, method);
  const auto inputs = allocation_inputs(tender, method, *winners, lines, splits);
  if (auto known = cache->find(inputs)) return std::move(*known);
  auto allocation = allocate_tender(tender, *winners, lines, splits, method);
  if (allocation) cache->remember(inputs, *allocation);
  return allocation;
}

}  // namespace canopee::reports
