#include "adapters/db/budget_repository.hpp"

#include "adapters/clock.hpp"
#include "adapters/db/unit_of_work.hpp"
#include "engine/need.hpp"

namespace canopee::db {
namespace {

// ---- SQL ----
constexpr std::string_view kListCodes =
    "SELECT id, member_id, kind, code, label, active, version FROM budget_codes "
    "WHERE (:member = 0 OR member_id = :member2) ORDER BY member_id, kind DESC, code";
constexpr std::string_view kLoadCode =
    "SELECT id, member_id, kind, code, label, active, version FROM budget_codes WHERE id = :id";
constexpr std::string_view kCountCode =
    "SELECT COUNT(*) FROM budget_codes WHERE member_id = :member AND kind = :kind AND code = :code";
constexpr std::string_view kInsertCode =
    "INSERT INTO budget_codes (member_id, kind, code, label, active, version, created_at) "
    "VALUES (:member, :kind, :code, :label, :active, 1, :now) RETURNING id";
constexpr std::string_view kSaveCode =
    "UPDATE budget_codes SET label = :label, active = :active, version = version + 1 "
    "WHERE id = :id AND version = :version";
constexpr std::string_view kNeedMember = "SELECT member_id FROM needs WHERE id = :id";
constexpr std::string_view kLoadNeedCodes =
    "SELECT budget_nature, budget_analytic FROM need_budget_codes WHERE need_id = :need";
constexpr std::string_view kDeleteNeedCodes = "DELETE FROM need_budget_codes WHERE need_id = :need";
constexpr std::string_view kInsertNeedCodes =
    "INSERT INTO need_budget_codes (need_id, budget_nature, budget_analytic) VALUES (:need, :nature, :analytic)";
constexpr std::string_view kLotNeedCodes =
    "SELECT n.id, nb.budget_nature, nb.budget_analytic FROM needs n "
    "LEFT JOIN need_budget_codes nb ON nb.need_id = n.id "
    "WHERE n.lot_id = :lot AND n.member_id = :member AND n.status <> 'withdrawn' ORDER BY n.id";
constexpr std::string_view kCodedLines =
    "SELECT o.contract_id, c.member_id, o.status, CAST(o.sent_on AS TEXT), CAST(o.invoiced_on AS TEXT), "
    "CAST(o.paid_on AS TEXT), ol.budget_nature, ol.budget_analytic, ol.amount, l.vat_rate_bp "
    "FROM order_lines ol JOIN orders o ON o.id = ol.order_id JOIN contracts c ON c.id = o.contract_id "
    "JOIN lots l ON l.id = c.lot_id "
    "WHERE o.status <> 'draft' AND o.status <> 'cancelled' AND (:member = 0 OR c.member_id = :member2) "
    "ORDER BY o.id, ol.line_no";
constexpr std::string_view kMemberContracts =
    "SELECT c.id, c.member_id, t.reference, l.number, l.title, s.name, c.amount, l.vat_rate_bp FROM contracts c "
    "JOIN lots l ON l.id = c.lot_id JOIN tenders t ON t.id = l.tender_id JOIN suppliers s ON s.id = c.supplier_id "
    "WHERE t.framework_agreement = 1 AND (:member = 0 OR c.member_id = :member2) ORDER BY c.member_id, c.id";
constexpr std::string_view kSpaserContracts =
    "SELECT c.member_id, CAST(sl.awarded_on AS TEXT), CAST(c.notified_on AS TEXT), c.amount, "
    "t.environmental_conditions, t.social_considerations, s.sme, t.reserved FROM contracts c "
    "JOIN lots l ON l.id = c.lot_id JOIN tenders t ON t.id = l.tender_id JOIN suppliers s ON s.id = c.supplier_id "
    "JOIN savings_lines sl ON sl.lot_id = c.lot_id AND sl.member_id = c.member_id "
    "WHERE (:member = 0 OR c.member_id = :member2) ORDER BY c.member_id, c.id";
constexpr std::string_view kSpaserThreshold = "SELECT value FROM settings WHERE key = 'spaser_threshold'";

std::optional<Date> date_of(const std::string& text, soci::indicator ind) {
  if (ind != soci::i_ok || text.empty()) return std::nullopt;
  return stored_date(text);
}

std::optional<std::string> text_of(const std::string& text, soci::indicator ind) {
  if (ind != soci::i_ok) return std::nullopt;
  return text;
}

std::vector<BudgetCode> read_codes(soci::statement& st, long long& id, long long& member, std::string& kind,
                                   std::string& code, std::string& label, int& active, long long& version) {
  std::vector<BudgetCode> out;
  st.execute();
  while (st.fetch()) {
    BudgetCode c;
    c.id = id;
    c.member_id = member;
    c.kind = parse_budget_code_kind(kind, "kind").value();
    c.code = code;
    c.label = label;
    c.active = active != 0;
    c.version = version;
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

std::vector<BudgetCode> list_budget_codes(soci::session& sql, std::optional<std::int64_t> member_id) {
  long long id = 0, member = 0, version = 0, filter = member_id.value_or(0);
  std::string kind, code, label;
  int active = 0;
  soci::statement st = (sql.prepare << kListCodes, soci::use(filter, "member"), soci::use(filter, "member2"),
                        soci::into(id), soci::into(member), soci::into(kind), soci::into(code), soci::into(label),
                        soci::into(active), soci::into(version));
  return read_codes(st, id, member, kind, code, label, active, version);
}

std::optional<BudgetCode> load_budget_code(soci::session& sql, std::int64_t code_id) {
  long long id = 0, member = 0, version = 0, key = code_id;
  std::string kind, code, label;
  int active = 0;
  soci::statement st = (sql.prepare << kLoadCode, soci::use(key, "id"), soci::into(id), soci::into(member),
                        soci::into(kind), soci::into(code), soci::into(label), soci::into(active), soci::into(version));
  auto codes = read_codes(st, id, member, kind, code, label, active, version);
  if (codes.empty()) return std::nullopt;
  return std::move(codes.front());
}

bool budget_code_exists(soci::session& sql, std::int64_t member_id, BudgetCodeKind kind, const std::string& code) {
  long long member = member_id;
  const std::string k(to_string(kind));
  int count = 0;
  sql << kCountCode, soci::use(member), soci::use(k), soci::use(code), soci::into(count);
  return count > 0;
}

void insert_budget_code(soci::session& sql, BudgetCode& code) {
  long long member = code.member_id, id = 0;
  const std::string kind(to_string(code.kind)), now = utc_timestamp_now();
  int active = code.active ? 1 : 0;
  sql << kInsertCode, soci::use(member), soci::use(kind), soci::use(code.code), soci::use(code.label),
      soci::use(active), soci::use(now), soci::into(id);
  code.id = id;
  code.version = 1;
}

bool save_budget_code(soci::session& sql, const BudgetCode& code) {
  long long id = code.id, version = code.version;
  int active = code.active ? 1 : 0;
  soci::statement st = (sql.prepare << kSaveCode, soci::use(code.label), soci::use(active), soci::use(id),
                        soci::use(version));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

std::optional<std::int64_t> need_member(soci::session& sql, std::int64_t need_id) {
  long long id = need_id, member = 0;
  sql << kNeedMember, soci::use(id), soci::into(member);
  if (!sql.got_data()) return std::nullopt;
  return member;
}

NeedCodes load_need_codes(soci::session& sql, std::int64_t need_id) {
  long long need = need_id;
  std::string nature, analytic;
  soci::indicator nature_ind = soci::i_null, analytic_ind = soci::i_null;
  sql << kLoadNeedCodes, soci::use(need), soci::into(nature, nature_ind), soci::into(analytic, analytic_ind);
  if (!sql.got_data()) return {};
  return {text_of(nature, nature_ind), text_of(analytic, analytic_ind)};
}

void save_need_codes(soci::session& sql, std::int64_t need_id, const NeedCodes& codes) {
  long long need = need_id;
  sql << kDeleteNeedCodes, soci::use(need);
  if (!codes.nature && !codes.analytic) return;
  const std::string nature = codes.nature.value_or(""), analytic = codes.analytic.value_or("");
  soci::indicator nature_ind = codes.nature ? soci::i_ok : soci::i_null;
  soci::indicator analytic_ind = codes.analytic ? soci::i_ok : soci::i_null;
  sql << kInsertNeedCodes, soci::use(need), soci::use(nature, nature_ind), soci::use(analytic, analytic_ind);
}

std::vector<NeedCodes> lot_need_codes(soci::session& sql, std::int64_t lot_id, std::int64_t member_id) {
  long long lot = lot_id, member = member_id, need = 0;
  std::string nature, analytic;
  soci::indicator nature_ind = soci::i_null, analytic_ind = soci::i_null;
  soci::statement st = (sql.prepare << kLotNeedCodes, soci::use(lot, "lot"), soci::use(member, "member"),
                        soci::into(need), soci::into(nature, nature_ind), soci::into(analytic, analytic_ind));
  st.execute();
  std::vector<NeedCodes> out;
  while (st.fetch()) out.push_back({text_of(nature, nature_ind), text_of(analytic, analytic_ind)});
  return out;
}

std::vector<CodedLine> coded_lines(soci::session& sql, std::optional<std::int64_t> member_id) {
  long long filter = member_id.value_or(0), contract = 0, member = 0, amount = 0;
  int rate = 0;
  std::string status, sent_on, invoiced_on, paid_on, nature, analytic;
  soci::indicator sent_ind = soci::i_null, invoiced_ind = soci::i_null, paid_ind = soci::i_null,
                  nature_ind = soci::i_null, analytic_ind = soci::i_null;
  soci::statement st = (sql.prepare << kCodedLines, soci::use(filter, "member"), soci::use(filter, "member2"),
                        soci::into(contract), soci::into(member), soci::into(status), soci::into(sent_on, sent_ind),
                        soci::into(invoiced_on, invoiced_ind), soci::into(paid_on, paid_ind),
                        soci::into(nature, nature_ind), soci::into(analytic, analytic_ind), soci::into(amount),
                        soci::into(rate));
  st.execute();
  std::vector<CodedLine> out;
  while (st.fetch()) {
    CodedLine l;
    l.contract_id = contract;
    l.member_id = member;
    l.status = parse_order_status(status, "status").value();
    l.sent_on = date_of(sent_on, sent_ind);
    l.invoiced_on = date_of(invoiced_on, invoiced_ind);
    l.paid_on = date_of(paid_on, paid_ind);
    l.nature = text_of(nature, nature_ind);
    l.analytic = text_of(analytic, analytic_ind);
    l.amount = Amount{amount};
    l.vat_rate_bp = rate;
    out.push_back(std::move(l));
  }
  return out;
}

std::vector<ContractFacts> member_contracts(soci::session& sql, std::optional<std::int64_t> member_id) {
  long long filter = member_id.value_or(0), id = 0, member = 0, amount = 0;
  int number = 0, rate = 0;
  std::string reference, title, supplier;
  soci::statement st = (sql.prepare << kMemberContracts, soci::use(filter, "member"), soci::use(filter, "member2"),
                        soci::into(id), soci::into(member), soci::into(reference), soci::into(number),
                        soci::into(title), soci::into(supplier), soci::into(amount), soci::into(rate));
  st.execute();
  std::vector<ContractFacts> out;
  while (st.fetch()) out.push_back({id, member, reference, number, title, supplier, Amount{amount}, rate});
  return out;
}

std::vector<SpaserContract> spaser_contracts(soci::session& sql, std::optional<std::int64_t> member_id) {
  long long filter = member_id.value_or(0), member = 0, amount = 0;
  int sme = 0;
  std::string awarded_on, notified_on, environmental, social, reserved;
  soci::indicator notified_ind = soci::i_null;
  soci::statement st = (sql.prepare << kSpaserContracts, soci::use(filter, "member"), soci::use(filter, "member2"),
                        soci::into(member), soci::into(awarded_on), soci::into(notified_on, notified_ind),
                        soci::into(amount), soci::into(environmental), soci::into(social), soci::into(sme),
                        soci::into(reserved));
  st.execute();
  std::vector<SpaserContract> out;
  while (st.fetch()) {
    SpaserContract c;
    c.member_id = member;
    c.awarded_on = stored_date(awarded_on);
    c.notified_on = date_of(notified_on, notified_ind);
    c.amount = Amount{amount};
    c.environmental = !is_blank(environmental);
    c.social = !is_blank(social);
    c.sme = sme != 0;
    c.reserved = parse_reservation(reserved, "reserved").value_or(Reservation::none);
    out.push_back(c);
  }
  return out;
}

Amount spaser_threshold(soci::session& sql) {
  std::string value;
  soci::indicator ind = soci::i_null;
  sql << kSpaserThreshold, soci::into(value, ind);
  if (sql.got_data() && ind == soci::i_ok) {
    if (auto parsed = parse_spaser_threshold(value, "spaser_threshold")) return *parsed;
  }
  return kDefaultSpaserThreshold;
}

}  // namespace canopee::db
