#include "adapters/db/splitting_repository.hpp"

#include <soci/soci.h>

#include <boost/json.hpp>

#include <map>

#include "adapters/clock.hpp"
#include "adapters/formats/json_mapping.hpp"

namespace canopee::db {
namespace {

constexpr std::string_view kMemberExists = "SELECT COUNT(*) FROM members WHERE id = :member";
constexpr std::string_view kInsertPurchase =
    "INSERT INTO standalone_purchases (member_id, cpv, label, amount, purchased_on, supplier_name, supplier_reference, "
    "status, created_by, created_at, version) VALUES (:member, :cpv, :label, :amount, :purchased_on, :supplier_name, "
    ":supplier_reference, 'recorded', :created_by, :now, 1) RETURNING id";
// Each SELECT lists the purchase columns in the order bind_into reads them.
constexpr std::string_view kSelectPurchase =
    "SELECT id, member_id, cpv, label, amount, CAST(purchased_on AS TEXT), supplier_name, supplier_reference, status, "
    "cancel_reason, created_by, CAST(created_at AS TEXT), CAST(cancelled_at AS TEXT), version "
    "FROM standalone_purchases WHERE id = :id";
// Fixed statements: a filter left out binds its "all" value (all_members = 1, the widest dates).
constexpr std::string_view kListPurchases =
    "SELECT id, member_id, cpv, label, amount, CAST(purchased_on AS TEXT), supplier_name, supplier_reference, status, "
    "cancel_reason, created_by, CAST(created_at AS TEXT), CAST(cancelled_at AS TEXT), version "
    "FROM standalone_purchases WHERE id < :before AND (:all_members = 1 OR member_id = :member) "
    "AND purchased_on >= :from AND purchased_on <= :to ORDER BY id DESC LIMIT :limit";
constexpr std::string_view kYearPurchases =
    "SELECT id, member_id, cpv, label, amount, CAST(purchased_on AS TEXT), supplier_name, supplier_reference, status, "
    "cancel_reason, created_by, CAST(created_at AS TEXT), CAST(cancelled_at AS TEXT), version "
    "FROM standalone_purchases WHERE status = 'recorded' AND (:all_members = 1 OR member_id = :member) "
    "AND purchased_on >= :from AND purchased_on <= :to ORDER BY purchased_on, id";
constexpr std::string_view kCancelPurchase =
    "UPDATE standalone_purchases SET status = 'cancelled', cancel_reason = :reason, cancelled_at = :now, "
    "version = version + 1 WHERE id = :id AND version = :version AND status = 'recorded'";
// The year's joint tenders, lot lines and all, in one read: launched in the year, or
// not launched (placed by their creation day in the engine).
constexpr std::string_view kYearTenders =
    "SELECT t.id, t.reference, t.title, t.status, t.procedure, CAST(t.launch_date AS TEXT), CAST(t.created_at AS TEXT), "
    "l.id, l.cpv, l.estimated_value, l.officer_estimate, ll.member_id, ll.quantity, ll.reference_value, t.groupement_id "
    "FROM tenders t JOIN lots l ON l.tender_id = t.id LEFT JOIN lot_lines ll ON ll.lot_id = l.id "
    "WHERE t.status <> 'cancelled' AND (t.launch_date IS NULL OR (t.launch_date >= :from AND t.launch_date <= :to)) "
    "ORDER BY t.id, l.number, ll.member_id";

struct Row {
  long long id = 0, member = 0, amount = 0, created_by = 0, version = 0;
  std::string cpv, label, purchased_on, supplier_name, supplier_reference, status, cancel_reason, created_at,
      cancelled_at;
  soci::indicator reason_ind = soci::i_null, created_by_ind = soci::i_null, cancelled_ind = soci::i_null;
};

void bind_into(soci::statement& st, Row& r) {
  st.exchange(soci::into(r.id));
  st.exchange(soci::into(r.member));
  st.exchange(soci::into(r.cpv));
  st.exchange(soci::into(r.label));
  st.exchange(soci::into(r.amount));
  st.exchange(soci::into(r.purchased_on));
  st.exchange(soci::into(r.supplier_name));
  st.exchange(soci::into(r.supplier_reference));
  st.exchange(soci::into(r.status));
  st.exchange(soci::into(r.cancel_reason, r.reason_ind));
  st.exchange(soci::into(r.created_by, r.created_by_ind));
  st.exchange(soci::into(r.created_at));
  st.exchange(soci::into(r.cancelled_at, r.cancelled_ind));
  st.exchange(soci::into(r.version));
}

StandalonePurchase purchase_of(const Row& r) {
  StandalonePurchase p;
  p.id = r.id;
  p.member_id = r.member;
  std::uint32_t digits = 0;
  for (std::size_t i = 0; i < 8 && i < r.cpv.size(); ++i)
    digits = digits * 10 + static_cast<std::uint32_t>(r.cpv[i] - '0');
  p.cpv = CpvCode{digits, static_cast<std::uint8_t>(r.cpv.size() == 10 ? r.cpv[9] - '0' : 0)};
  p.label = r.label;
  p.amount = Amount{r.amount};
  p.purchased_on = stored_date(r.purchased_on);
  p.supplier_name = r.supplier_name;
  p.supplier_reference = r.supplier_reference;
  p.cancelled = r.status == "cancelled";
  if (r.reason_ind == soci::i_ok) p.cancel_reason = r.cancel_reason;
  if (r.created_by_ind == soci::i_ok) p.created_by = r.created_by;
  p.created_at = normalize_timestamp(r.created_at);
  if (r.cancelled_ind == soci::i_ok && !r.cancelled_at.empty()) p.cancelled_at = normalize_timestamp(r.cancelled_at);
  p.version = r.version;
  return p;
}

std::optional<StandalonePurchase> load_purchase(soci::session& sql, std::int64_t id) {
  long long key = id;
  Row r;
  soci::statement st = single_trip(sql, std::string(kSelectPurchase));
  st.exchange(soci::use(key, "id"));
  bind_into(st, r);
  st.define_and_bind();
  if (!st.execute(true)) return std::nullopt;
  return purchase_of(r);
}

// Runs `st` (its parameters bound) with the purchase columns bound into `r`.
std::vector<StandalonePurchase> fetch(soci::statement& st, Row& r) {
  std::vector<StandalonePurchase> out;
  bind_into(st, r);
  st.define_and_bind();
  st.execute();
  while (st.fetch()) out.push_back(purchase_of(r));
  return out;
}

struct Period {
  std::string from = "1900-01-01", to = "2999-12-31";
};
Period period_of(std::optional<int> year) {
  if (!year) return {};
  return {to_string(from_civil({*year, 1, 1})), to_string(from_civil({*year, 12, 31}))};
}

}  // namespace

Result<StandalonePurchase> create_standalone_purchase(Database& database, const Actor& actor,
                                                      const StandalonePurchase& purchase) {
  if (auto status = validate_standalone_purchase(purchase); !status) return std::move(status).error();
  return in_transaction<StandalonePurchase>(database, [&](soci::session& sql) -> Result<StandalonePurchase> {
    long long member = purchase.member_id, amount = purchase.amount.cents, id = 0,
              created_by = actor.user_id.value_or(0);
    soci::indicator created_by_ind = actor.user_id ? soci::i_ok : soci::i_null;
    int members = 0;
    sql << kMemberExists, soci::use(member), soci::into(members);
    if (members == 0)
      return Error::rule_broken(ErrorCode::invalid, "standalone_purchase.member", "member_id", "membre inconnu");
    const std::string cpv = to_string(purchase.cpv), date = to_string(purchase.purchased_on), now = utc_timestamp_now();
    sql << kInsertPurchase, soci::use(member), soci::use(cpv), soci::use(purchase.label), soci::use(amount),
        soci::use(date), soci::use(purchase.supplier_name), soci::use(purchase.supplier_reference),
        soci::use(created_by, created_by_ind), soci::use(now), soci::into(id);
    auto created = load_purchase(sql, id);
    if (!created)
      return Error::of(ErrorCode::unavailable, "l’achat qui vient d’être enregistré ne peut pas être relu",
                       "standalone_purchase.unreadable");
    write_audit(sql, actor, "standalone_purchase", id, "create", "", formats::to_json_text(*created));
    return *created;
  });
}

Result<StandalonePurchase> get_standalone_purchase(Database& database, std::int64_t id) {
  return with_connection<StandalonePurchase>(database, [&](soci::session& sql) -> Result<StandalonePurchase> {
    auto p = load_purchase(sql, id);
    if (!p) return Error::of(ErrorCode::not_found, "achat introuvable", "standalone_purchase.not_found");
    return *p;
  });
}

Result<PageOf<StandalonePurchase>> list_standalone_purchases(Database& database, const StandalonePurchaseFilter& filter,
                                                             const Page& page) {
  return with_connection<PageOf<StandalonePurchase>>(
      database, [&](soci::session& sql) -> Result<PageOf<StandalonePurchase>> {
        const std::size_t limit = std::max<std::size_t>(1, std::min(page.limit, kMaxPageSize));
        long long before = page.before_id.value_or(INT64_MAX), member = filter.member_id.value_or(0),
                  fetch_limit = static_cast<long long>(limit) + 1;
        int all_members = filter.member_id ? 0 : 1;
        const auto period = period_of(filter.year);
        Row r;
        soci::statement st = single_trip(sql, std::string(kListPurchases));
        st.exchange(soci::use(before, "before"));
        st.exchange(soci::use(all_members, "all_members"));
        st.exchange(soci::use(member, "member"));
        st.exchange(soci::use(period.from, "from"));
        st.exchange(soci::use(period.to, "to"));
        st.exchange(soci::use(fetch_limit, "limit"));
        auto rows = fetch(st, r);
        return to_page(std::move(rows), limit);
      });
}

Result<StandalonePurchase> cancel_standalone_purchase(Database& database, const Actor& actor, std::int64_t id,
                                                      const std::string& reason, std::optional<std::int64_t> version,
                                                      bool by_officer) {
  if (auto status = validate_cancel_reason(reason); !status) return std::move(status).error();
  return in_transaction<StandalonePurchase>(database, [&](soci::session& sql) -> Result<StandalonePurchase> {
    auto before = load_purchase(sql, id);
    if (!before) return Error::of(ErrorCode::not_found, "achat introuvable", "standalone_purchase.not_found");
    if (before->cancelled) {
      return Error::rule_broken(ErrorCode::conflict, "standalone_purchase.already_cancelled", "",
                                "cet achat est déjà annulé");
    }
    if (version && *version != before->version) {
      return Error::of(ErrorCode::stale, "l’achat a changé depuis sa lecture : le relire et réessayer",
                       "standalone_purchase.stale");
    }
    // The day in Paris by the same clock that stamped created_at.
    if (auto right = check_cancel_right(*before, by_officer, paris_date(utc_instant_now())); !right) {
      return std::move(right).error();
    }
    long long key = id, current = before->version;
    const std::string now = utc_timestamp_now();
    soci::statement st = (sql.prepare << kCancelPurchase, soci::use(reason), soci::use(now), soci::use(key),
                          soci::use(current));
    st.execute(true);
    if (st.get_affected_rows() == 0)
      return Error::of(ErrorCode::stale, "l’achat a changé entre-temps : réessayer", "standalone_purchase.stale");
    auto after = load_purchase(sql, id);
    write_audit(sql, actor, "standalone_purchase", id, "cancel", formats::to_json_text(*before),
                formats::to_json_text(*after));
    return *after;
  });
}

Result<std::vector<StandalonePurchase>> standalone_purchases_of_year(Database& database, int year,
                                                                     std::optional<std::int64_t> member_id) {
  return with_connection<std::vector<StandalonePurchase>>(
      database, [&](soci::session& sql) -> Result<std::vector<StandalonePurchase>> {
        long long member = member_id.value_or(0);
        int all_members = member_id ? 0 : 1;
        const auto period = period_of(year);
        Row r;
        soci::statement st = single_trip(sql, std::string(kYearPurchases));
        st.exchange(soci::use(all_members, "all_members"));
        st.exchange(soci::use(member, "member"));
        st.exchange(soci::use(period.from, "from"));
        st.exchange(soci::use(period.to, "to"));
        return fetch(st, r);
      });
}

Result<std::vector<Tender>> joint_tenders_of_year(Database& database, int year) {
  return with_connection<std::vector<Tender>>(database, [&](soci::session& sql) -> Result<std::vector<Tender>> {
    const auto period = period_of(year);
    long long tender_id = 0, lot_id = 0, value = 0, estimate = 0, member = 0, quantity = 0, reference_value = 0,
              groupement = 0;
    std::string reference, title, status, procedure, launch, created, cpv;
    soci::indicator launch_ind = soci::i_null, estimate_ind = soci::i_null, member_ind = soci::i_null,
                    quantity_ind = soci::i_null, reference_ind = soci::i_null, groupement_ind = soci::i_null;
    soci::statement st = (sql.prepare << kYearTenders, soci::use(period.from), soci::use(period.to),
                          soci::into(tender_id), soci::into(reference), soci::into(title), soci::into(status),
                          soci::into(procedure), soci::into(launch, launch_ind), soci::into(created),
                          soci::into(lot_id), soci::into(cpv), soci::into(value), soci::into(estimate, estimate_ind),
                          soci::into(member, member_ind), soci::into(quantity, quantity_ind),
                          soci::into(reference_value, reference_ind), soci::into(groupement, groupement_ind));
    st.execute();
    std::vector<Tender> out;
    long long last_lot = 0;
    while (st.fetch()) {
      if (out.empty() || out.back().id != tender_id) {
        Tender t;
        t.id = tender_id;
        t.reference = reference;
        t.title = title;
        t.status = parse_tender_status(status, "status").value();
        t.procedure = parse_procedure(procedure, "procedure").value();
        if (launch_ind == soci::i_ok && !launch.empty()) t.launch_date = stored_date(launch);
        if (auto at = parse_date_time(normalize_timestamp(created), "created_at")) t.created_on = paris_date(*at);
        if (groupement_ind == soci::i_ok) t.groupement_id = groupement;
        out.push_back(std::move(t));
        last_lot = 0;
      }
      auto& t = out.back();
      if (t.lots.empty() || last_lot != lot_id) {
        Lot lot;
        lot.id = lot_id;
        lot.tender_id = tender_id;
        lot.cpv = cpv;
        lot.estimated_value = Amount{value};
        if (estimate_ind == soci::i_ok) lot.officer_estimate = Amount{estimate};
        t.lots.push_back(std::move(lot));
        last_lot = lot_id;
      }
      if (member_ind == soci::i_ok) {
        LotMemberLine line;
        line.member_id = member;
        line.quantity = Quantity{quantity_ind == soci::i_ok ? quantity : 0};
        line.reference_value = Amount{reference_ind == soci::i_ok ? reference_value : 0};
        t.lots.back().members.push_back(line);
      }
    }
    return out;
  });
}

}  // namespace canopee::db
