#include "adapters/db/price_revision_repository.hpp"

#include <map>

#include "adapters/db/unit_of_work.hpp"

namespace canopee::db {
namespace {

constexpr std::string_view kIndexValue = "SELECT value FROM price_indices WHERE code = :code AND month = :month";
constexpr std::string_view kIndexSeries =
    "SELECT code, month, value, source, CAST(loaded_at AS TEXT) FROM price_indices WHERE code = :code ORDER BY month";
constexpr std::string_view kAllIndices =
    "SELECT code, month, value, source, CAST(loaded_at AS TEXT) FROM price_indices "
    "WHERE code <> :code ORDER BY code, month";
constexpr std::string_view kInsertIndex =
    "INSERT INTO price_indices (code, month, value, source, loaded_at) VALUES (:code, :month, :value, :source, :at)";
constexpr std::string_view kCorrectIndex =
    "UPDATE price_indices SET value = :value, source = :source, loaded_at = :at WHERE code = :code AND month = :month";

constexpr std::string_view kPriceTerms =
    "SELECT kind, fixed_part_bp, index_code, base_month, CAST(first_revision_on AS TEXT), periodicity_months "
    "FROM lot_price_terms WHERE lot_id = :lot";
constexpr std::string_view kPriceTermsVersion = "SELECT version FROM lot_price_terms WHERE lot_id = :lot";
constexpr std::string_view kInsertPriceTerms =
    "INSERT INTO lot_price_terms (lot_id, kind, fixed_part_bp, index_code, base_month, first_revision_on, "
    "periodicity_months, version) VALUES (:lot, :kind, :fixed, :code, :base, :first, :periodicity, 2)";
constexpr std::string_view kUpdatePriceTerms =
    "UPDATE lot_price_terms SET kind = :kind, fixed_part_bp = :fixed, index_code = :code, base_month = :base, "
    "first_revision_on = :first, periodicity_months = :periodicity, version = version + 1 WHERE lot_id = :lot";

constexpr std::string_view kInsertRevision =
    "INSERT INTO price_revisions (lot_id, effective_on, index_code, index_month, index_value, base_month, base_value, "
    "coefficient_num, coefficient_den, explanation, recorded_at, recorded_by) VALUES (:lot, :effective, :code, :month, "
    ":value, :base_month, :base_value, :num, :den, :explanation, :at, :by) RETURNING id";
constexpr std::string_view kInsertContractPrice =
    "INSERT INTO contract_prices (contract_id, revision_id, unit_price, explanation) "
    "VALUES (:contract, :revision, :price, :explanation)";
constexpr std::string_view kRevisions =
    "SELECT id, CAST(effective_on AS TEXT), index_code, index_month, index_value, base_month, base_value, "
    "coefficient_num, coefficient_den, explanation, CAST(recorded_at AS TEXT), recorded_by FROM price_revisions "
    "WHERE lot_id = :lot ORDER BY effective_on";
constexpr std::string_view kLotContractPrices =
    "SELECT cp.revision_id, cp.contract_id, c.member_id, c.unit_price, cp.unit_price, cp.explanation "
    "FROM contract_prices cp JOIN price_revisions r ON r.id = cp.revision_id JOIN contracts c ON c.id = cp.contract_id "
    "WHERE r.lot_id = :lot ORDER BY cp.revision_id, c.member_id";
constexpr std::string_view kContractBase = "SELECT id, lot_id, member_id, unit_price FROM contracts WHERE id = :id";
constexpr std::string_view kLotContractBases =
    "SELECT id, lot_id, member_id, unit_price FROM contracts WHERE lot_id = :lot ORDER BY member_id";
constexpr std::string_view kPriceOn =
    "SELECT cp.revision_id, cp.unit_price, cp.explanation FROM contract_prices cp "
    "JOIN price_revisions r ON r.id = cp.revision_id WHERE cp.contract_id = :contract AND r.effective_on <= :day "
    "ORDER BY r.effective_on DESC LIMIT 1";

YearMonth stored_month(const std::string& text) { return parse_year_month(text, "month").value(); }

std::vector<IndexPoint> read_points(soci::session& sql, std::string_view query, const std::string& code) {
  std::vector<IndexPoint> points;
  std::string c, month, source, at;
  long long value = 0;
  soci::statement st = (sql.prepare << query, soci::use(code), soci::into(c), soci::into(month), soci::into(value),
                        soci::into(source), soci::into(at));
  st.execute();
  while (st.fetch()) points.push_back({c, stored_month(month), value, source, normalize_timestamp(at)});
  return points;
}

std::vector<ContractBase> read_bases(soci::session& sql, std::string_view query, long long key) {
  std::vector<ContractBase> out;
  long long id = 0, lot = 0, member = 0, price = 0;
  soci::statement st = (sql.prepare << query, soci::use(key), soci::into(id), soci::into(lot), soci::into(member),
                        soci::into(price));
  st.execute();
  while (st.fetch()) out.push_back({id, lot, member, UnitPrice{price}});
  return out;
}

}  // namespace

std::optional<std::int64_t> load_index_value(soci::session& sql, const std::string& code, YearMonth month) {
  const std::string m = to_string(month);
  long long value = 0;
  sql << kIndexValue, soci::use(code), soci::use(m), soci::into(value);
  if (!sql.got_data()) return std::nullopt;
  return value;
}

std::vector<IndexPoint> load_index_series(soci::session& sql, const std::string& code) {
  return read_points(sql, code.empty() ? kAllIndices : kIndexSeries, code);
}

std::optional<std::int64_t> save_index_value(soci::session& sql, const IndexPoint& point) {
  const auto before = load_index_value(sql, point.code, point.month);
  const std::string month = to_string(point.month);
  long long value = point.value;
  if (before) {
    sql << kCorrectIndex, soci::use(value), soci::use(point.source), soci::use(point.loaded_at), soci::use(point.code),
        soci::use(month);
  } else {
    sql << kInsertIndex, soci::use(point.code), soci::use(month), soci::use(value), soci::use(point.source),
        soci::use(point.loaded_at);
  }
  return before;
}

std::optional<PriceTerms> load_price_terms(soci::session& sql, std::int64_t lot_id) {
  long long lot = lot_id, fixed = 0, periodicity = 0;
  std::string kind, code, base, first;
  soci::indicator code_ind = soci::i_null, base_ind = soci::i_null, first_ind = soci::i_null,
                  periodicity_ind = soci::i_null;
  sql << kPriceTerms, soci::use(lot), soci::into(kind), soci::into(fixed), soci::into(code, code_ind),
      soci::into(base, base_ind), soci::into(first, first_ind), soci::into(periodicity, periodicity_ind);
  if (!sql.got_data()) return std::nullopt;
  PriceTerms t;
  t.kind = parse_price_kind(kind, "kind").value();
  t.fixed_part_bp = fixed;
  if (code_ind == soci::i_ok) t.index_code = code;
  if (base_ind == soci::i_ok) t.base_month = stored_month(base);
  if (first_ind == soci::i_ok) t.first_revision_on = stored_date(first);
  if (periodicity_ind == soci::i_ok) t.periodicity_months = static_cast<int>(periodicity);
  return t;
}

void save_price_terms(soci::session& sql, std::int64_t lot_id, const PriceTerms& terms) {
  const bool exists = load_price_terms(sql, lot_id).has_value();
  long long lot = lot_id, fixed = terms.fixed_part_bp, periodicity = terms.periodicity_months.value_or(0);
  const std::string kind(to_string(terms.kind)), code = terms.index_code;
  const std::string base = terms.base_month ? to_string(*terms.base_month) : std::string();
  const std::string first = terms.first_revision_on ? to_string(*terms.first_revision_on) : std::string();
  soci::indicator code_ind = code.empty() ? soci::i_null : soci::i_ok;
  soci::indicator base_ind = terms.base_month ? soci::i_ok : soci::i_null;
  soci::indicator first_ind = terms.first_revision_on ? soci::i_ok : soci::i_null;
  soci::indicator periodicity_ind = terms.periodicity_months ? soci::i_ok : soci::i_null;
  if (exists) {
    sql << kUpdatePriceTerms, soci::use(kind), soci::use(fixed), soci::use(code, code_ind), soci::use(base, base_ind),
        soci::use(first, first_ind), soci::use(periodicity, periodicity_ind), soci::use(lot);
  } else {
    sql << kInsertPriceTerms, soci::use(lot), soci::use(kind), soci::use(fixed), soci::use(code, code_ind),
        soci::use(base, base_ind), soci::use(first, first_ind), soci::use(periodicity, periodicity_ind);
  }
}

std::int64_t load_price_terms_version(soci::session& sql, std::int64_t lot_id) {
  long long lot = lot_id, version = 0;
  sql << kPriceTermsVersion, soci::use(lot), soci::into(version);
  return sql.got_data() ? version : 1;
}

std::int64_t insert_revision(soci::session& sql, std::int64_t lot_id, const PriceTerms& terms, const Revision& revision,
                             const std::string& recorded_at, std::optional<std::int64_t> recorded_by) {
  long long lot = lot_id, value = revision.index_value, base_value = revision.base_value;
  long long num = revision.coefficient_num, den = revision.coefficient_den, by = recorded_by.value_or(0), id = 0;
  soci::indicator by_ind = recorded_by ? soci::i_ok : soci::i_null;
  const std::string effective = to_string(revision.effective_on), month = to_string(revision.index_month);
  const std::string base_month = to_string(*terms.base_month);
  const std::string explanation = explain_coefficient(terms, revision);
  sql << kInsertRevision, soci::use(lot), soci::use(effective), soci::use(terms.index_code), soci::use(month),
      soci::use(value), soci::use(base_month), soci::use(base_value), soci::use(num), soci::use(den),
      soci::use(explanation), soci::use(recorded_at), soci::use(by, by_ind), soci::into(id);
  return id;
}

void insert_contract_price(soci::session& sql, std::int64_t revision_id, const ContractPrice& price) {
  long long contract = price.contract_id, revision = revision_id, unit_price = price.unit_price.ten_thousandths;
  sql << kInsertContractPrice, soci::use(contract), soci::use(revision), soci::use(unit_price),
      soci::use(price.explanation);
}

std::vector<StoredRevision> load_revisions(soci::session& sql, std::int64_t lot_id) {
  std::vector<StoredRevision> revisions;
  long long lot = lot_id, id = 0, value = 0, base_value = 0, num = 0, den = 0, by = 0;
  std::string effective, code, month, base_month, explanation_text, at;
  soci::indicator by_ind = soci::i_null;
  {
    soci::statement st = (sql.prepare << kRevisions, soci::use(lot), soci::into(id), soci::into(effective),
                          soci::into(code), soci::into(month), soci::into(value), soci::into(base_month),
                          soci::into(base_value), soci::into(num), soci::into(den), soci::into(explanation_text),
                          soci::into(at), soci::into(by, by_ind));
    st.execute();
    while (st.fetch()) {
      StoredRevision r;
      r.id = id;
      r.lot_id = lot_id;
      r.index_code = code;
      r.base_month = stored_month(base_month);
      r.revision = Revision{stored_date(effective), stored_month(month), base_value, value, num, den};
      r.explanation = explanation_text;
      r.recorded_at = normalize_timestamp(at);
      if (by_ind == soci::i_ok) r.recorded_by = by;
      revisions.push_back(std::move(r));
    }
  }
  std::map<std::int64_t, StoredRevision*> by_id;
  for (auto& r : revisions) by_id[r.id] = &r;
  long long revision = 0, contract = 0, member = 0, base_price = 0, price = 0;
  std::string explanation;
  soci::statement st = (sql.prepare << kLotContractPrices, soci::use(lot), soci::into(revision), soci::into(contract),
                        soci::into(member), soci::into(base_price), soci::into(price), soci::into(explanation));
  st.execute();
  while (st.fetch()) {
    if (auto it = by_id.find(revision); it != by_id.end()) {
      it->second->contracts.push_back({contract, member, UnitPrice{base_price}, UnitPrice{price}, explanation});
    }
  }
  return revisions;
}

std::optional<ContractBase> load_contract_base(soci::session& sql, std::int64_t contract_id) {
  auto found = read_bases(sql, kContractBase, contract_id);
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::vector<ContractBase> load_lot_contract_bases(soci::session& sql, std::int64_t lot_id) {
  return read_bases(sql, kLotContractBases, lot_id);
}

std::optional<RevisedPrice> load_price_on(soci::session& sql, std::int64_t contract_id, Date day) {
  long long contract = contract_id, revision = 0, price = 0;
  const std::string on = to_string(day);
  std::string explanation;
  sql << kPriceOn, soci::use(contract), soci::use(on), soci::into(revision), soci::into(price), soci::into(explanation);
  if (!sql.got_data()) return std::nullopt;
  return RevisedPrice{revision, UnitPrice{price}, explanation};
}

}  // namespace canopee::db
