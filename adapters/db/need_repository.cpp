#include "adapters/db/need_repository.hpp"

#include <boost/json.hpp>

#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>

#include <array>
#include <charconv>
#include <chrono>
#include <map>
#include <set>

#include <spdlog/spdlog.h>

#include "adapters/clock.hpp"
#include "adapters/db/party_repository.hpp"
#include "adapters/db/pg_prepared.hpp"
#include "adapters/formats/json_mapping.hpp"

namespace canopee::db {
namespace {

constexpr std::string_view kColumns =
    "id, member_id, cpv, title, description, quantity, unit, reference_unit_price, department, "
    "CAST(period_start AS TEXT), CAST(period_end AS TEXT), recurring, status, version, reference_source, "
    "COALESCE(CAST(reference_date AS TEXT), ''), COALESCE(reference_index, '')";
// A need and its attributes as PostgreSQL reads them in one round trip: a row per
// attribute (or one row with NULLs when it has none), in name order.
#define CANOPEE_NEED_ROW_PG                                                                                       \
  "n.id, n.member_id, n.cpv, n.title, n.description, n.quantity, n.unit, n.reference_unit_price, n.department, "  \
  "CAST(n.period_start AS TEXT), CAST(n.period_end AS TEXT), n.recurring, n.status, n.version, a.name, a.value, " \
  "n.reference_source, COALESCE(CAST(n.reference_date AS TEXT), ''), COALESCE(n.reference_index, '')"
constexpr const char* kSelectOneWithAttributesPg =
    "SELECT " CANOPEE_NEED_ROW_PG
    " FROM needs n LEFT JOIN need_attributes a ON a.need_id = n.id WHERE n.id = $1 ORDER BY a.name";

// A page of needs with their attributes in one round trip, prepared once per
// connection for each combination of filters (32 statements at most). $1 is the
// cursor, $2 the limit, then each filter present in this order.
// The attributes are read need by need through the primary key (the OFFSET 0 keeps
// the planner from turning the lateral read into a join, which it would hash over
// the whole attributes table when it is small: at 10,000 needs pgbench ran the page
// 8,300 times a second this way against 5,400 as a join).
// The page is bounded twice: by the largest page (a constant) inside, by $2 outside.
// With "LIMIT $2" alone PostgreSQL's generic plan expects a tenth of the table, looks
// dearer than a plan made for the values, and so the statement was planned again at
// every call (5,200 pages/s); with the constant bound the generic plan expects about
// fifty rows and is kept (13,500 pages/s, pgbench, 10,000 needs).
enum NeedFilterBit : unsigned { kByMember = 1, kByStatus = 2, kByCode = 4, kFrom = 8, kTo = 16 };
struct PageStatement {
  std::string name;
  std::string text;
};
const PageStatement& page_statement(unsigned filters) {
  static const auto statements = [] {
    std::array<PageStatement, 32> all;
    for (unsigned mask = 0; mask < all.size(); ++mask) {
      std::string where = "id < $1";
      int next = 3;
      const auto param = [&next] { return "$" + std::to_string(next++); };
      if ((mask & kByMember) != 0) where += " AND member_id = " + param();
      if ((mask & kByStatus) != 0) where += " AND status = " + param();
      if ((mask & kByCode) != 0) {
        where += " AND cpv >= " + param();
        where += " AND cpv < " + param();
      }
      if ((mask & kFrom) != 0) where += " AND period_end >= " + param();
      if ((mask & kTo) != 0) where += " AND period_start <= " + param();
      all[mask].name = "needs_page_" + std::to_string(mask);
      all[mask].text = "SELECT " CANOPEE_NEED_ROW_PG " FROM (SELECT * FROM (SELECT * FROM needs WHERE " + where +
                       " ORDER BY id DESC LIMIT " + std::to_string(kMaxPageSize + 1) +
                       ") bounded LIMIT $2) n LEFT JOIN LATERAL (SELECT name, value FROM need_attributes "
                       "WHERE need_id = n.id OFFSET 0) a ON true ORDER BY n.id DESC, a.name";
    }
    return all;
  }();
  return statements[filters];
}
#undef CANOPEE_NEED_ROW_PG

constexpr std::string_view kInsert =
    "INSERT INTO needs (member_id, cpv, title, description, quantity, unit, reference_unit_price, department, "
    "period_start, period_end, recurring, status, version, created_at, updated_at, reference_source, reference_date, "
    "reference_index) "
    "VALUES (:member_id, :cpv, :title, :description, :quantity, :unit, :price, :department, :period_start, "
    ":period_end, :recurring, :status, 1, :now, :now2, :source, :reference_date, :reference_index) RETURNING id";
constexpr std::string_view kInsertAttribute =
    "INSERT INTO need_attributes (need_id, name, value) VALUES (:id, :name, :value)";
constexpr std::string_view kDeleteAttributes = "DELETE FROM need_attributes WHERE need_id = :id";
constexpr std::string_view kUpdate =
    "UPDATE needs SET cpv = :cpv, title = :title, description = :description, quantity = :quantity, unit = :unit, "
    "reference_unit_price = :price, department = :department, period_start = :period_start, period_end = :period_end, "
    "recurring = :recurring, status = :status, version = version + 1, updated_at = :now, reference_source = :source, "
    "reference_date = :reference_date, reference_index = :reference_index "
    "WHERE id = :id AND version = :version AND status IN ('draft', 'submitted')";
constexpr std::string_view kWithdraw =
    "UPDATE needs SET status = 'withdrawn', version = version + 1, updated_at = :now "
    "WHERE id = :id AND status IN ('draft', 'submitted')";
constexpr std::string_view kWithdrawVersioned =
    "UPDATE needs SET status = 'withdrawn', version = version + 1, updated_at = :now "
    "WHERE id = :id AND version = :version AND status IN ('draft', 'submitted')";
// Draws n ids from the needs' sequence (looked up once: resolving it per row costs
// ten times the drawing). When nobody else drew meanwhile they form one range and
// only its bounds cross the wire; otherwise a second draw fetches every value.
constexpr std::string_view kSequence = "SELECT pg_get_serial_sequence('needs', 'id')";
constexpr std::string_view kDrawRange =
    "SELECT MIN(v), MAX(v), COUNT(*) FROM (SELECT nextval(CAST(:seq AS regclass)) AS v "
    "FROM generate_series(1, CAST(:n AS BIGINT))) drawn";
constexpr std::string_view kDrawEach =
    "SELECT nextval(CAST(:seq AS regclass)) FROM generate_series(1, CAST(:n AS BIGINT))";
constexpr std::string_view kCopyNeeds =
    "COPY needs (id, member_id, cpv, title, description, quantity, unit, reference_unit_price, department, "
    "period_start, period_end, recurring, status, version, created_at, updated_at, reference_source, reference_date, "
    "reference_index) FROM STDIN";
constexpr std::string_view kCopyAttributes = "COPY need_attributes (need_id, name, value) FROM STDIN";

// The fixed nomenclature is not consulted on read: stored codes were validated on write.
Need to_need(long long id, long long member_id, const std::string& cpv, const std::string& title,
             const std::string& description, long long quantity, const std::string& unit, long long price,
             const std::string& department, const std::string& start, const std::string& end, int recurring,
             const std::string& status, long long version, const std::string& source, const std::string& reference_date,
             const std::string& reference_index) {
  Need n;
  n.id = id;
  n.member_id = member_id;
  n.cpv = CpvCode{static_cast<std::uint32_t>(std::stoul(cpv.substr(0, 8))), static_cast<std::uint8_t>(cpv[9] - '0')};
  n.title = title;
  n.description = description;
  n.quantity = Quantity{quantity};
  n.unit = parse_unit(unit, "unit").value();
  n.reference_unit_price = UnitPrice{price};
  n.department = parse_department(department, "department").value();
  n.period_start = stored_date(start);
  n.period_end = stored_date(end);
  n.recurring = recurring != 0;
  n.status = parse_need_status(status, "status").value();
  n.version = version;
  n.reference_source = parse_reference_source(source, "reference_source").value();
  if (!reference_date.empty()) n.reference_date = stored_date(reference_date);
  n.reference_index = reference_index;
  return n;
}

// Runs `SELECT <columns> FROM needs <where>` with the given bound values (all text
// or integers), then loads the attributes of the needs found.
struct Query {
  std::string where;
  std::vector<long long> integers;  // bound in order of appearance, integers first …
  std::vector<std::string> texts;   // … then texts: placeholders are named :i0…, :t0…
};

std::vector<Need> run_query(soci::session& sql, const Query& query) {
  long long id, member_id, quantity, price, version;
  std::string cpv, title, description, unit, department, start, end, status, source, reference_date, reference_index;
  int recurring;
  soci::statement st = single_trip(sql, "SELECT " + std::string(kColumns) + " FROM needs " + query.where);
  st.exchange(soci::into(id));
  st.exchange(soci::into(member_id));
  st.exchange(soci::into(cpv));
  st.exchange(soci::into(title));
  st.exchange(soci::into(description));
  st.exchange(soci::into(quantity));
  st.exchange(soci::into(unit));
  st.exchange(soci::into(price));
  st.exchange(soci::into(department));
  st.exchange(soci::into(start));
  st.exchange(soci::into(end));
  st.exchange(soci::into(recurring));
  st.exchange(soci::into(status));
  st.exchange(soci::into(version));
  st.exchange(soci::into(source));
  st.exchange(soci::into(reference_date));
  st.exchange(soci::into(reference_index));
  for (std::size_t i = 0; i < query.integers.size(); ++i)
    st.exchange(soci::use(query.integers[i], "i" + std::to_string(i)));
  for (std::size_t i = 0; i < query.texts.size(); ++i) st.exchange(soci::use(query.texts[i], "t" + std::to_string(i)));
  st.define_and_bind();
  st.execute();
  std::vector<Need> needs;
  while (st.fetch()) {
    needs.push_back(to_need(id, member_id, cpv, title, description, quantity, unit, price, department, start, end,
                            recurring, status, version, source, reference_date, reference_index));
  }
  if (needs.empty()) return needs;

  // Attributes of these needs, in batches of bound ids.
  std::map<long long, std::size_t> index;
  for (std::size_t i = 0; i < needs.size(); ++i) index[needs[i].id] = i;
  constexpr std::size_t kBatch = 500;
  for (std::size_t begin = 0; begin < needs.size(); begin += kBatch) {
    const std::size_t end_index = std::min(needs.size(), begin + kBatch);
    std::vector<long long> ids;
    std::string placeholders;
    for (std::size_t i = begin; i < end_index; ++i) {
      ids.push_back(needs[i].id);
      placeholders += (placeholders.empty() ? ":a" : ", :a") + std::to_string(i - begin);
    }
    long long need_id;
    std::string name, value;
    soci::statement at = single_trip(sql, "SELECT need_id, name, value FROM need_attributes WHERE need_id IN (" +
                                              placeholders + ") ORDER BY need_id, name");
    at.exchange(soci::into(need_id));
    at.exchange(soci::into(name));
    at.exchange(soci::into(value));
    for (std::size_t i = 0; i < ids.size(); ++i) at.exchange(soci::use(ids[i], "a" + std::to_string(i)));
    at.define_and_bind();
    at.execute();
    while (at.fetch()) needs[index.at(need_id)].attributes.push_back({name, value});
  }
  return needs;
}

// Conditions on the CPV code (a range on the indexed column instead of LIKE:
// '4544' ≤ cpv < '4545') and on the period overlapping [from, to].
void add_code_and_period(Query& q, const std::string& cpv_prefix, const std::optional<Date>& from,
                         const std::optional<Date>& to) {
  const auto next = [&q] { return ":t" + std::to_string(q.texts.size()); };
  if (!cpv_prefix.empty()) {
    std::string upper = cpv_prefix;
    upper.back() = static_cast<char>(upper.back() + 1);
    q.where += " AND cpv >= " + next();
    q.texts.push_back(cpv_prefix);
    q.where += " AND cpv < " + next();
    q.texts.push_back(upper);
  }
  if (from) {
    q.where += " AND period_end >= " + next();
    q.texts.push_back(to_string(*from));
  }
  if (to) {
    q.where += " AND period_start <= " + next();
    q.texts.push_back(to_string(*to));
  }
}

std::optional<Need> fetch_one(soci::session& sql, std::int64_t id) {
  Query q{"WHERE id = :i0", {id}, {}};
  auto rows = run_query(sql, q);
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

// The same as fetch_one, prepared once per PostgreSQL connection (the most
// frequent read of the API).
std::optional<Need> fetch_one_prepared(Connection& connection, std::int64_t id) {
  return need_from_rows(
      execute_prepared(connection, "need_with_attributes", kSelectOneWithAttributesPg, {std::to_string(id)}));
}

void insert_attributes(soci::session& sql, long long id, const std::vector<Attribute>& attributes) {
  for (const auto& a : attributes) sql << kInsertAttribute, soci::use(id), soci::use(a.key), soci::use(a.value);
}

// The day a need is recorded dates its reference when the buyer gave no date.
std::string reference_day(const Need& n, const std::string& now) {
  return n.reference_date ? to_string(*n.reference_date) : now.substr(0, 10);
}

struct Bound {
  std::string cpv, unit, department, start, end, status, source, reference_date, index;
  int recurring;
  soci::indicator index_indicator;
  Bound(const Need& n, const std::string& now)
      : cpv(to_string(n.cpv)),
        unit(to_string(n.unit)),
        department(to_string(n.department)),
        start(to_string(n.period_start)),
        end(to_string(n.period_end)),
        status(to_string(n.status)),
        source(to_string(n.reference_source)),
        reference_date(reference_day(n, now)),
        index(n.reference_index),
        recurring(n.recurring ? 1 : 0),
        index_indicator(n.reference_index.empty() ? soci::i_null : soci::i_ok) {}
};

// COPY text format: backslash, tab, newline and carriage return escaped.
void copy_text(std::string& out, std::string_view value) {
  for (const char c : value) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: out.push_back(c);
    }
  }
}

void copy_in(PGconn* connection, std::string_view command, const std::string& data) {
  PGresult* started = PQexec(connection, std::string(command).c_str());
  const bool ok = PQresultStatus(started) == PGRES_COPY_IN;
  PQclear(started);
  if (!ok) throw std::runtime_error(std::string("COPY refused: ") + PQerrorMessage(connection));
  constexpr std::size_t kChunk = 1 << 20;
  for (std::size_t pos = 0; pos < data.size(); pos += kChunk) {
    const auto size = std::min(kChunk, data.size() - pos);
    if (PQputCopyData(connection, data.data() + pos, static_cast<int>(size)) != 1) {
      throw std::runtime_error(std::string("COPY failed: ") + PQerrorMessage(connection));
    }
  }
  if (PQputCopyEnd(connection, nullptr) != 1)
    throw std::runtime_error(std::string("COPY failed: ") + PQerrorMessage(connection));
  bool failed = false;
  std::string message;
  while (PGresult* result = PQgetResult(connection)) {
    if (PQresultStatus(result) != PGRES_COMMAND_OK) {
      failed = true;
      message = PQresultErrorMessage(result);
    }
    PQclear(result);
  }
  if (failed) throw std::runtime_error("COPY failed: " + message);
}

}  // namespace

Result<Need> create_need(Database& database, const Actor& actor, const Need& need) {
  if (need.status != NeedStatus::draft && need.status != NeedStatus::submitted) {
    return Error::invalid("status", "un nouveau besoin est draft ou submitted", "need.status.not_allowed");
  }
  return in_transaction<Need>(database, [&](soci::session& sql) -> Result<Need> {
    if (auto active = member_takes_part(sql, need.member_id, "member", "enregistrer des besoins"); !active)
      return std::move(active).error();
    const std::string now = utc_timestamp_now();
    Bound b(need, now);
    long long member = need.member_id;
    long long quantity = need.quantity.thousandths;
    long long price = need.reference_unit_price.ten_thousandths;
    long long id = 0;
    sql << kInsert, soci::use(member), soci::use(b.cpv), soci::use(need.title), soci::use(need.description),
        soci::use(quantity), soci::use(b.unit), soci::use(price), soci::use(b.department), soci::use(b.start),
        soci::use(b.end), soci::use(b.recurring), soci::use(b.status), soci::use(now), soci::use(now),
        soci::use(b.source), soci::use(b.reference_date), soci::use(b.index, b.index_indicator), soci::into(id);
    insert_attributes(sql, id, need.attributes);
    Need created = need;
    created.reference_date = stored_date(b.reference_date);
    created.id = id;
    created.version = 1;
    write_audit(sql, actor, "need", id, "create", "", formats::to_json_text(created));
    return created;
  });
}

AsyncStatement need_statement(std::int64_t id) {
  return {"need_with_attributes", kSelectOneWithAttributesPg, {std::to_string(id)}};
}

std::optional<Need> need_from_rows(std::span<const TextRow> rows) {
  if (rows.empty()) return std::nullopt;
  const auto& first = rows.front();
  const auto text = [&](std::size_t column) -> const std::string& { return first.at(column).value(); };
  const auto integer = [&](std::size_t column) { return std::stoll(text(column)); };
  Need need = to_need(integer(0), integer(1), text(2), text(3), text(4), integer(5), text(6), integer(7), text(8),
                      text(9), text(10), static_cast<int>(integer(11)), text(12), integer(13), text(16), text(17),
                      text(18));
  for (const auto& row : rows) {
    if (row.at(14)) need.attributes.push_back({*row.at(14), row.at(15).value_or("")});
  }
  return need;
}

AsyncStatement needs_page_statement(const NeedFilter& filter, const Page& page) {
  const std::size_t limit = std::max<std::size_t>(1, std::min(page.limit, kMaxPageSize));
  unsigned filters = 0;
  std::vector<std::string> parameters{std::to_string(page.before_id.value_or(INT64_MAX)), std::to_string(limit + 1)};
  if (filter.member_id) {
    filters |= kByMember;
    parameters.push_back(std::to_string(*filter.member_id));
  }
  if (filter.status) {
    filters |= kByStatus;
    parameters.emplace_back(to_string(*filter.status));
  }
  if (!filter.cpv_prefix.empty()) {
    filters |= kByCode;
    std::string upper = filter.cpv_prefix;
    upper.back() = static_cast<char>(upper.back() + 1);
    parameters.push_back(filter.cpv_prefix);
    parameters.push_back(std::move(upper));
  }
  if (filter.from) {
    filters |= kFrom;
    parameters.push_back(to_string(*filter.from));
  }
  if (filter.to) {
    filters |= kTo;
    parameters.push_back(to_string(*filter.to));
  }
  const auto& statement = page_statement(filters);
  return {statement.name.c_str(), statement.text.c_str(), std::move(parameters)};
}

PageOf<Need> needs_page_from_rows(const std::vector<TextRow>& rows, const Page& page) {
  std::vector<Need> needs;
  std::size_t first = 0;
  while (first < rows.size()) {
    std::size_t last = first + 1;
    while (last < rows.size() && rows[last].at(0) == rows[first].at(0)) ++last;
    auto need = need_from_rows(
        {rows.begin() + static_cast<std::ptrdiff_t>(first), rows.begin() + static_cast<std::ptrdiff_t>(last)});
    needs.push_back(std::move(*need));
    first = last;
  }
  return to_page(std::move(needs), std::max<std::size_t>(1, std::min(page.limit, kMaxPageSize)));
}

Result<Need> get_need(Database& database, std::int64_t id) {
  return with_pooled_connection<Need>(database, [&](Connection& connection) -> Result<Need> {
    auto need = connection.backend() == Backend::postgresql ? fetch_one_prepared(connection, id)
                                                            : fetch_one(connection.sql(), id);
    if (!need) return Error::of(ErrorCode::not_found, "ce besoin n’existe pas", "need.not_found");
    return *need;
  });
}

Result<PageOf<Need>> list_needs(Database& database, const NeedFilter& filter, const Page& page) {
  if (database.backend() == Backend::postgresql) {
    return with_pooled_connection<PageOf<Need>>(database, [&](Connection& connection) -> Result<PageOf<Need>> {
      const auto statement = needs_page_statement(filter, page);
      return needs_page_from_rows(execute_prepared(connection, statement.name, statement.text, statement.parameters),
                                  page);
    });
  }
  return with_connection<PageOf<Need>>(database, [&](soci::session& sql) -> Result<PageOf<Need>> {
    Query q;
    q.where = "WHERE id < :i0";
    q.integers.push_back(page.before_id.value_or(INT64_MAX));
    if (filter.member_id) {
      q.where += " AND member_id = :i" + std::to_string(q.integers.size());
      q.integers.push_back(*filter.member_id);
    }
    if (filter.status) {
      q.where += " AND status = :t" + std::to_string(q.texts.size());
      q.texts.emplace_back(to_string(*filter.status));
    }
    add_code_and_period(q, filter.cpv_prefix, filter.from, filter.to);
    const std::size_t limit = std::max<std::size_t>(1, std::min(page.limit, kMaxPageSize));
    q.where += " ORDER BY id DESC LIMIT " + std::to_string(limit + 1);
    auto rows = run_query(sql, q);
    return to_page(std::move(rows), limit);
  });
}

Result<Need> update_need(Database& database, const Actor& actor, const Need& need) {
  if (need.status != NeedStatus::draft && need.status != NeedStatus::submitted) {
    return Error::invalid("status", "un acheteur ne peut mettre un besoin qu’en draft ou submitted",
                          "need.status.not_allowed");
  }
  return in_transaction<Need>(database, [&](soci::session& sql) -> Result<Need> {
    auto before = fetch_one(sql, need.id);
    if (!before) return Error::of(ErrorCode::not_found, "ce besoin n’existe pas", "need.not_found");
    if (auto editable = check_need_editable(*before); !editable) return std::move(editable).error();
    const std::string now = utc_timestamp_now();
    Bound b(need, now);
    long long quantity = need.quantity.thousandths;
    long long price = need.reference_unit_price.ten_thousandths;
    long long id = need.id;
    long long version = need.version;
    soci::statement st = (sql.prepare << kUpdate, soci::use(b.cpv), soci::use(need.title), soci::use(need.description),
                          soci::use(quantity), soci::use(b.unit), soci::use(price), soci::use(b.department),
                          soci::use(b.start), soci::use(b.end), soci::use(b.recurring), soci::use(b.status),
                          soci::use(now), soci::use(b.source), soci::use(b.reference_date),
                          soci::use(b.index, b.index_indicator), soci::use(id), soci::use(version));
    st.execute(true);
    if (st.get_affected_rows() == 0)
      return Error::of(ErrorCode::stale, "le besoin a changé depuis sa lecture : le relire et réessayer", "need.stale");
    sql << kDeleteAttributes, soci::use(id);
    insert_attributes(sql, id, need.attributes);
    Need updated = need;
    updated.reference_date = stored_date(b.reference_date);
    updated.member_id = before->member_id;
    updated.version = need.version + 1;
    write_audit(sql, actor, "need", id, "update", formats::to_json_text(*before), formats::to_json_text(updated));
    return updated;
  });
}

Result<Need> withdraw_need(Database& database, const Actor& actor, std::int64_t id,
                           std::optional<std::int64_t> version) {
  return in_transaction<Need>(database, [&](soci::session& sql) -> Result<Need> {
    auto before = fetch_one(sql, id);
    if (!before) return Error::of(ErrorCode::not_found, "ce besoin n’existe pas", "need.not_found");
    if (auto withdrawable = check_need_withdrawable(*before); !withdrawable) return std::move(withdrawable).error();
    const std::string now = utc_timestamp_now();
    long long key = id;
    long long expected = version.value_or(0);
    soci::statement st = version
                             ? (sql.prepare << kWithdrawVersioned, soci::use(now), soci::use(key), soci::use(expected))
                             : (sql.prepare << kWithdraw, soci::use(now), soci::use(key));
    st.execute(true);
    if (st.get_affected_rows() == 0)
      return Error::of(ErrorCode::stale, "le besoin a changé depuis sa lecture : le relire et réessayer", "need.stale");
    Need after = *before;
    after.status = NeedStatus::withdrawn;
    after.version += 1;
    write_audit(sql, actor, "need", id, "withdraw", formats::to_json_text(*before), formats::to_json_text(after));
    return after;
  });
}

Result<std::vector<std::int64_t>> insert_needs_bulk(Database& database, const Actor& actor,
                                                    std::span<const Need> needs) {
  if (needs.empty()) return std::vector<std::int64_t>{};
  for (const auto& n : needs) {
    if (n.status != NeedStatus::draft && n.status != NeedStatus::submitted) {
      return Error::invalid("status", "les besoins importés sont draft ou submitted", "need.status.not_allowed");
    }
  }
  const bool postgres = database.backend() == Backend::postgresql;
  return in_transaction<
      std::vector<std::int64_t>>(database, [&](soci::session& sql) -> Result<std::vector<std::int64_t>> {
    std::set<std::int64_t> members;
    for (const auto& n : needs) members.insert(n.member_id);
    for (const auto member : members) {
      if (auto active = member_takes_part(sql, member, "member", "enregistrer des besoins"); !active)
        return std::move(active).error();
    }
    std::vector<std::int64_t> ids;
    ids.reserve(needs.size());
    const std::string now = utc_timestamp_now();
    if (postgres) {
      // Ids first (one round trip), then two COPY streams: one per table.
      const auto t0 = std::chrono::steady_clock::now();
      std::vector<long long> reserved(needs.size());
      long long count = static_cast<long long>(needs.size());
      std::string sequence;
      sql << kSequence, soci::into(sequence);
      long long low = 0, high = 0, drawn = 0;
      sql << kDrawRange, soci::use(sequence), soci::use(count), soci::into(low), soci::into(high), soci::into(drawn);
      if (high - low + 1 == drawn) {
        for (std::size_t i = 0; i < reserved.size(); ++i) reserved[i] = low + static_cast<long long>(i);
      } else {
        sql << kDrawEach, soci::use(sequence), soci::use(count), soci::into(reserved);
      }
      const auto t1 = std::chrono::steady_clock::now();
      std::string rows;
      std::string attributes;
      rows.reserve(needs.size() * 160);
      for (std::size_t i = 0; i < needs.size(); ++i) {
        const Need& n = needs[i];
        ids.push_back(reserved[i]);
        const Bound b(n, now);
        rows += std::to_string(reserved[i]) + '\t' + std::to_string(n.member_id) + '\t' + b.cpv + '\t';
        copy_text(rows, n.title);
        rows += '\t';
        copy_text(rows, n.description);
        rows += '\t' + std::to_string(n.quantity.thousandths) + '\t' + b.unit + '\t' +
                std::to_string(n.reference_unit_price.ten_thousandths) + '\t' + b.department + '\t' + b.start + '\t' +
                b.end + '\t' + (n.recurring ? "1" : "0") + '\t' + b.status + "\t1\t" + now + '\t' + now + '\t' +
                b.source + '\t' + b.reference_date + '\t' +
                (n.reference_index.empty() ? std::string("\\N") : n.reference_index) + '\n';
        for (const auto& a : n.attributes) {
          attributes += std::to_string(reserved[i]) + '\t';
          copy_text(attributes, a.key);
          attributes += '\t';
          copy_text(attributes, a.value);
          attributes += '\n';
        }
      }
      const auto t2 = std::chrono::steady_clock::now();
      auto* backend = static_cast<soci::postgresql_session_backend*>(sql.get_backend());
      copy_in(backend->conn_, kCopyNeeds, rows);
      const auto t3 = std::chrono::steady_clock::now();
      if (!attributes.empty()) copy_in(backend->conn_, kCopyAttributes, attributes);
      const auto t4 = std::chrono::steady_clock::now();
      const auto ms = [](auto a, auto b) { return std::chrono::duration<double, std::milli>(b - a).count(); };
      spdlog::debug("bulk insert: ids {:.0f} ms, formatting {:.0f} ms, COPY needs {:.0f} ms, COPY attributes {:.0f} ms",
                    ms(t0, t1), ms(t1, t2), ms(t2, t3), ms(t3, t4));
    } else {
      long long member, quantity, price, id;
      std::string cpv, title, description, unit, department, start, end, status, source, reference_date,
          reference_index;
      int recurring;
      soci::indicator index_indicator = soci::i_null;
      soci::statement insert = (sql.prepare << kInsert, soci::use(member), soci::use(cpv), soci::use(title),
                                soci::use(description), soci::use(quantity), soci::use(unit), soci::use(price),
                                soci::use(department), soci::use(start), soci::use(end), soci::use(recurring),
                                soci::use(status), soci::use(now), soci::use(now), soci::use(source),
                                soci::use(reference_date), soci::use(reference_index, index_indicator), soci::into(id));
      for (const auto& n : needs) {
        const Bound b(n, now);
        member = n.member_id;
        cpv = b.cpv;
        title = n.title;
        description = n.description;
        quantity = n.quantity.thousandths;
        unit = b.unit;
        price = n.reference_unit_price.ten_thousandths;
        department = b.department;
        start = b.start;
        end = b.end;
        recurring = b.recurring;
        status = b.status;
        source = b.source;
        reference_date = b.reference_date;
        reference_index = n.reference_index;
        index_indicator = b.index_indicator;
        insert.execute(true);
        ids.push_back(id);
        insert_attributes(sql, id, n.attributes);
      }
    }
    write_audit(sql, actor, "need", ids.front(), "import", "",
                boost::json::serialize(
                    boost::json::object{{"count", ids.size()}, {"first_id", ids.front()}, {"last_id", ids.back()}}));
    return ids;
  });
}

Result<std::vector<Need>> select_submitted_needs(Database& database, const AggregationFilter& filter) {
  return with_connection<std::vector<Need>>(database, [&](soci::session& sql) -> Result<std::vector<Need>> {
    Query q;
    // An inactive member's needs are not pooled (check_member_active).
    q.where = "WHERE status = :t0 AND member_id IN (SELECT id FROM members WHERE active = 1)";
    q.texts.push_back("submitted");
    add_code_and_period(q, filter.cpv_prefix, filter.from, filter.to);
    q.where += " ORDER BY id";
    auto rows = run_query(sql, q);
    // Départements and members: few values, filtered here rather than in SQL.
    std::vector<Need> selected;
    for (auto& n : rows) {
      if (matches(filter, n)) selected.push_back(std::move(n));
    }
    return selected;
  });
}

namespace {

// The submitted needs of active members whose CPV lies in [$1, $2) and whose
// period overlaps [$3, $4]: every bound always given, so the text is fixed. On
// PostgreSQL one pass gives each need with its attributes (a row per attribute,
// name and value '' when it has none: attribute names are never empty), in
// binary: no number or date is printed by the server and parsed back here.
constexpr const char* kPoolablePg =
    "SELECT n.id, n.member_id, n.cpv, n.quantity, n.unit, n.reference_unit_price, n.department, n.period_start, "
    "n.period_end, n.recurring, n.version, COALESCE(a.name, ''), COALESCE(a.value, '') "
    "FROM needs n LEFT JOIN need_attributes a ON a.need_id = n.id "
    "WHERE n.status = 'submitted' AND n.member_id IN (SELECT id FROM members WHERE active = 1) "
    "AND n.cpv >= $1 AND n.cpv < $2 AND n.period_end >= CAST($3 AS DATE) AND n.period_start <= CAST($4 AS DATE) "
    "ORDER BY n.id, a.name";
constexpr const char* kPoolableSqlite =
    "SELECT id, member_id, cpv, quantity, unit, reference_unit_price, department, CAST(period_start AS TEXT), "
    "CAST(period_end AS TEXT), recurring, version FROM needs WHERE status = 'submitted' "
    "AND member_id IN (SELECT id FROM members WHERE active = 1) AND cpv >= :c0 AND cpv < :c1 "
    "AND period_end >= :d0 AND period_start <= :d1 ORDER BY id";
constexpr const char* kPoolableAttributesSqlite =
    "SELECT a.need_id, a.name, a.value FROM need_attributes a JOIN needs n ON n.id = a.need_id "
    "WHERE n.status = 'submitted' AND n.member_id IN (SELECT id FROM members WHERE active = 1) "
    "AND n.cpv >= :c0 AND n.cpv < :c1 AND n.period_end >= :d0 AND n.period_start <= :d1 "
    "ORDER BY a.need_id, a.name";

// The four bounds of the queries above from the filter (none: everything).
std::vector<std::string> poolable_bounds(const AggregationFilter& filter) {
  std::string lower = filter.cpv_prefix;
  std::string upper = filter.cpv_prefix;
  if (upper.empty()) upper = ":";  // after every digit
  else upper.back() = static_cast<char>(upper.back() + 1);
  return {lower, upper, filter.from ? to_string(*filter.from) : "0001-01-01",
          filter.to ? to_string(*filter.to) : "9999-12-31"};
}

// A big-endian integer of 2, 4 or 8 bytes (PostgreSQL's binary int2, int4, int8, date).
std::int64_t binary_integer(std::string_view bytes) {
  std::uint64_t value = 0;
  for (const char b : bytes) value = (value << 8) | static_cast<unsigned char>(b);
  const auto bits = bytes.size() * 8;
  if (bits > 0 && bits < 64 && (value >> (bits - 1)) != 0) value |= ~std::uint64_t{0} << bits;  // sign
  return static_cast<std::int64_t>(value);
}

std::int64_t integer_of(std::string_view text) {
  std::int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

// Turns the text columns of one row into a PoolableNeed; départements and units
// come from a handful of values, so they are parsed once each.
class PoolableReader {
 public:
  explicit PoolableReader(const AggregationFilter& filter) : filter_(filter) {}

  // One binary row of kPoolablePg: a need's columns, then one of its attributes or ''.
  void binary_row(const std::vector<std::string_view>& c) {
    const auto id = binary_integer(c[0]);
    if (id != last_id_) {
      last_id_ = id;
      PoolableNeed n;
      n.id = id;
      n.member_id = binary_integer(c[1]);
      n.cpv_digits = static_cast<std::uint32_t>(integer_of(c[2].substr(0, 8)));
      n.quantity = Quantity{binary_integer(c[3])};
      n.unit = unit_of(c[4]);
      n.reference_unit_price = UnitPrice{binary_integer(c[5])};
      n.department = department_of(c[6]);
      // A binary date counts days from 2000-01-01, ours from 1970-01-01.
      n.period_start = Date{static_cast<std::int32_t>(binary_integer(c[7]) + 10957)};
      n.period_end = Date{static_cast<std::int32_t>(binary_integer(c[8]) + 10957)};
      n.recurring = binary_integer(c[9]) != 0;
      n.version = binary_integer(c[10]);
      last_kept_ = matches(filter_, n);
      if (last_kept_) needs.add(n);
    }
    if (last_kept_ && !c[11].empty()) needs.add_attribute(c[11], c[12]);
  }

  void row(std::string_view id, std::string_view member_id, std::string_view cpv, std::string_view quantity,
           std::string_view unit, std::string_view price, std::string_view department, std::string_view start,
           std::string_view end, std::string_view recurring, std::string_view version) {
    PoolableNeed n;
    n.id = integer_of(id);
    n.member_id = integer_of(member_id);
    n.cpv_digits = static_cast<std::uint32_t>(integer_of(cpv.substr(0, 8)));
    n.quantity = Quantity{integer_of(quantity)};
    n.unit = unit_of(unit);
    n.reference_unit_price = UnitPrice{integer_of(price)};
    n.department = department_of(department);
    n.period_start = stored_date(start);
    n.period_end = stored_date(end);
    n.recurring = recurring == "1" || recurring == "t" || recurring == "true";
    n.version = integer_of(version);
    // Départements and members: few values, filtered here rather than in SQL.
    if (matches(filter_, n)) needs.add(n);
  }

  // Attributes come ordered by need id, as the needs do.
  void attribute(std::string_view need_id, std::string_view name, std::string_view value) {
    const auto id = integer_of(need_id);
    const auto all = needs.needs();
    while (next_ < all.size() && all[next_].id < id) ++next_;
    if (next_ < all.size() && all[next_].id == id) needs.add_attribute(next_, name, value);
  }

  PoolableNeeds needs;

 private:
  Unit unit_of(std::string_view text) {
    for (const auto& [name, unit] : units_) {
      if (name == text) return unit;
    }
    const auto unit = parse_unit(text, "unit").value();
    units_.emplace_back(std::string(text), unit);
    return unit;
  }
  Department department_of(std::string_view text) {
    for (const auto& [code, department] : departments_) {
      if (code == text) return department;
    }
    const auto department = parse_department(text, "department").value();
    departments_.emplace_back(std::string(text), department);
    return department;
  }
  const AggregationFilter& filter_;
  std::vector<std::pair<std::string, Unit>> units_;
  std::vector<std::pair<std::string, Department>> departments_;
  std::size_t next_ = 0;
  std::int64_t last_id_ = 0;
  bool last_kept_ = false;
};

// Runs `text` with `bounds` and hands each row's columns to `on_row`, one row at a
// time (libpq's single-row mode): no result set is ever held whole.
template <class OnRow>
void stream_pg(soci::session& sql, const char* text, const std::vector<std::string>& bounds, int result_format,
               OnRow on_row) {
  auto* backend = static_cast<soci::postgresql_session_backend*>(sql.get_backend());
  PGconn* conn = backend->conn_;
  std::vector<const char*> values;
  for (const auto& b : bounds) values.push_back(b.c_str());
  if (PQsendQueryParams(conn, text, static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr,
                        result_format) == 0 ||
      PQsetSingleRowMode(conn) == 0) {
    throw soci::postgresql_soci_error(PQerrorMessage(conn), "");
  }
  std::string failure;
  std::string state;
  std::vector<std::string_view> columns;
  while (PGresult* result = PQgetResult(conn)) {
    const auto status = PQresultStatus(result);
    if (status == PGRES_SINGLE_TUPLE && failure.empty()) {
      const int count = PQnfields(result);
      columns.resize(static_cast<std::size_t>(count));
      for (int c = 0; c < count; ++c) {
        columns[static_cast<std::size_t>(c)] = {PQgetvalue(result, 0, c),
                                                static_cast<std::size_t>(PQgetlength(result, 0, c))};
      }
      try {
        on_row(columns);
      } catch (const std::exception& e) {
        failure = e.what();
      }
    } else if (status != PGRES_TUPLES_OK && status != PGRES_SINGLE_TUPLE && failure.empty()) {
      failure = PQerrorMessage(conn);
      const char* s = PQresultErrorField(result, PG_DIAG_SQLSTATE);
      state = s != nullptr ? s : "";
    }
    PQclear(result);  // every result is read, so the connection is left ready
  }
  if (!failure.empty()) throw soci::postgresql_soci_error(failure, state.c_str());
}

}  // namespace

Result<PoolableNeeds> select_poolable_needs(Database& database, const AggregationFilter& filter) {
  const auto bounds = poolable_bounds(filter);
  return in_snapshot<PoolableNeeds>(database, [&](soci::session& sql) -> Result<PoolableNeeds> {
    PoolableReader reader(filter);
    if (database.backend() == Backend::postgresql) {
      stream_pg(sql, kPoolablePg, bounds, 1, [&](const std::vector<std::string_view>& c) { reader.binary_row(c); });
      return std::move(reader.needs);
    }
    long long id, member_id, quantity, price, version;
    int recurring;
    std::string cpv, unit, department, start, end;
    soci::statement st = (sql.prepare << kPoolableSqlite, soci::into(id), soci::into(member_id), soci::into(cpv),
                          soci::into(quantity), soci::into(unit), soci::into(price), soci::into(department),
                          soci::into(start), soci::into(end), soci::into(recurring), soci::into(version),
                          soci::use(bounds[0], "c0"), soci::use(bounds[1], "c1"), soci::use(bounds[2], "d0"),
                          soci::use(bounds[3], "d1"));
    st.execute();
    while (st.fetch()) {
      reader.row(std::to_string(id), std::to_string(member_id), cpv, std::to_string(quantity), unit,
                 std::to_string(price), department, start, end, recurring != 0 ? "1" : "0", std::to_string(version));
    }
    long long need_id;
    std::string name, value;
    soci::statement at = (sql.prepare << kPoolableAttributesSqlite, soci::into(need_id), soci::into(name),
                          soci::into(value), soci::use(bounds[0], "c0"), soci::use(bounds[1], "c1"),
                          soci::use(bounds[2], "d0"), soci::use(bounds[3], "d1"));
    at.execute();
    while (at.fetch()) reader.attribute(std::to_string(need_id), name, value);
    return std::move(reader.needs);
  });
}

}  // namespace canopee::db
