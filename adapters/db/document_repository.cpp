#include "adapters/db/document_repository.hpp"

#include <boost/json.hpp>

#include "adapters/db/unit_of_work.hpp"
#include "adapters/security/digest.hpp"

namespace canopee::db {
namespace {

constexpr std::string_view kInsertDocument =
    "INSERT INTO documents (tender_id, lot_id, bid_id, contract_id, member_id, kind, reference, title, dated, "
    "media_type, sha256, size_bytes, content, created_at, created_by, letter_means) VALUES (:tender, :lot, :bid, "
    ":contract, :member, :kind, :reference, :title, :dated, :media, :sha, :size, :content, :created, :by, :means) "
    "RETURNING id";
constexpr std::string_view kDocumentColumns =
    "SELECT id, tender_id, lot_id, bid_id, contract_id, member_id, kind, reference, title, CAST(dated AS TEXT), "
    "media_type, sha256, size_bytes, CAST(created_at AS TEXT), created_by, letter_means FROM documents ";
constexpr std::string_view kOfTender = "WHERE tender_id = :key ORDER BY id";
constexpr std::string_view kOfLot = "WHERE lot_id = :key ORDER BY id";
constexpr std::string_view kById = "WHERE id = :key";
constexpr std::string_view kLettersOfBid =
    "WHERE bid_id = :key AND kind IN ('award_letter', 'rejection_letter') ORDER BY id";
constexpr std::string_view kCountReferences =
    "SELECT COUNT(*) FROM documents WHERE tender_id = :tender AND (reference = :reference OR "
    "substr(reference, 1, length(CAST(:prefix AS TEXT))) = CAST(:prefix2 AS TEXT))";
constexpr std::string_view kAuditedSha =
    "SELECT CAST(after_json AS TEXT) FROM audit_log WHERE entity = 'document' AND entity_id = :id "
    "AND action = 'produce' ORDER BY id LIMIT 1";
constexpr std::string_view kContent = "SELECT content FROM documents WHERE id = :id";
constexpr std::string_view kLinkLetter = "UPDATE award_letters SET document_id = :document WHERE id = :id";
constexpr std::string_view kNoticeSentOn = "SELECT CAST(award_notice_sent_on AS TEXT) FROM lots WHERE id = :lot";
constexpr std::string_view kSaveNoticeSentOn = "UPDATE lots SET award_notice_sent_on = :on WHERE id = :lot";

constexpr std::string_view kContractTerms =
    "SELECT id, lot_id, member_id, supplier_id, quantity, unit_price, amount FROM contracts ";
constexpr std::string_view kTermsOfLot = "WHERE lot_id = :key ORDER BY member_id";
constexpr std::string_view kTermsById = "WHERE id = :key";

constexpr std::string_view kIntegrity =
    "SELECT d.id, d.reference, d.sha256, d.content, (SELECT CAST(a.after_json AS TEXT) FROM audit_log a "
    "WHERE a.entity = 'document' AND a.entity_id = d.id AND a.action = 'produce' ORDER BY a.id LIMIT 1) "
    "FROM documents d ORDER BY d.id";

constexpr std::string_view kPdf = "application/pdf";

std::optional<std::int64_t> optional_id(long long value, soci::indicator ind) {
  return ind == soci::i_ok ? std::optional<std::int64_t>(value) : std::nullopt;
}

std::vector<StoredDocument> read_documents(soci::session& sql, std::string_view where, long long key) {
  std::vector<StoredDocument> out;
  long long id = 0, tender = 0, lot = 0, bid = 0, contract = 0, member = 0, size = 0, by = 0;
  soci::indicator lot_ind, bid_ind, contract_ind, member_ind, by_ind, means_ind;
  std::string kind, reference, title, dated, media, sha, created, means;
  soci::statement st(sql);
  st.alloc();
  st.prepare(std::string(kDocumentColumns) + std::string(where));
  st.exchange(soci::into(id));
  st.exchange(soci::into(tender));
  st.exchange(soci::into(lot, lot_ind));
  st.exchange(soci::into(bid, bid_ind));
  st.exchange(soci::into(contract, contract_ind));
  st.exchange(soci::into(member, member_ind));
  for (auto* target : {&kind, &reference, &title, &dated, &media, &sha}) st.exchange(soci::into(*target));
  st.exchange(soci::into(size));
  st.exchange(soci::into(created));
  st.exchange(soci::into(by, by_ind));
  st.exchange(soci::into(means, means_ind));
  st.exchange(soci::use(key, "key"));
  st.define_and_bind();
  st.execute();
  while (st.fetch()) {
    StoredDocument d;
    d.id = id;
    d.subject = {tender, optional_id(lot, lot_ind), optional_id(bid, bid_ind), optional_id(contract, contract_ind),
                 optional_id(member, member_ind)};
    d.kind = parse_document_kind(kind, "kind").value();
    d.reference = reference;
    d.title = title;
    d.dated = stored_date(dated);
    d.media_type = media;
    d.sha256 = sha;
    d.size_bytes = size;
    d.created_at = normalize_timestamp(created);
    d.created_by = optional_id(by, by_ind);
    if (means_ind == soci::i_ok) d.subject.letter_means = parse_sending_means(means, "letter_means").value();
    out.push_back(std::move(d));
  }
  return out;
}

std::vector<ContractTerms> read_terms(soci::session& sql, std::string_view where, long long key) {
  std::vector<ContractTerms> out;
  long long id = 0, lot = 0, member = 0, supplier = 0, quantity = 0, unit_price = 0, amount = 0;
  soci::statement st(sql);
  st.alloc();
  st.prepare(std::string(kContractTerms) + std::string(where));
  for (auto* target : {&id, &lot, &member, &supplier, &quantity, &unit_price, &amount})
    st.exchange(soci::into(*target));
  st.exchange(soci::use(key, "key"));
  st.define_and_bind();
  st.execute();
  while (st.fetch()) {
    out.push_back({id, lot, member, supplier, Quantity{quantity}, UnitPrice{unit_price}, Amount{amount}});
  }
  return out;
}

// The "sha256" an audit row's JSON carries (empty when none).
std::string sha_of_audit(const std::string& audit) {
  boost::system::error_code ec;
  const auto parsed = boost::json::parse(audit, ec);
  if (ec || !parsed.is_object() || !parsed.as_object().contains("sha256") || !parsed.at("sha256").is_string())
    return "";
  return std::string(parsed.at("sha256").as_string());
}

boost::json::value id_or_null(const std::optional<std::int64_t>& id) {
  return id ? boost::json::value(*id) : boost::json::value(nullptr);
}

}  // namespace

StoredDocument insert_document(soci::session& sql, const Actor& actor, const DocumentSubject& subject,
                               const Document& document, const std::string& pdf, Instant now) {
  StoredDocument d;
  d.subject = subject;
  d.kind = document.kind;
  d.reference = document.reference;
  d.title = document.title;
  d.dated = document.dated;
  d.media_type = std::string(kPdf);
  d.sha256 = security::sha256_hex(pdf);
  d.size_bytes = static_cast<std::int64_t>(pdf.size());
  d.created_at = to_utc_string(now);
  d.created_by = actor.user_id;

  long long tender = subject.tender_id, lot = subject.lot_id.value_or(0), bid = subject.bid_id.value_or(0);
  long long contract = subject.contract_id.value_or(0), member = subject.member_id.value_or(0);
  long long size = d.size_bytes, by = actor.user_id.value_or(0), id = 0;
  soci::indicator lot_ind = subject.lot_id ? soci::i_ok : soci::i_null;
  soci::indicator bid_ind = subject.bid_id ? soci::i_ok : soci::i_null;
  soci::indicator contract_ind = subject.contract_id ? soci::i_ok : soci::i_null;
  soci::indicator member_ind = subject.member_id ? soci::i_ok : soci::i_null;
  soci::indicator by_ind = actor.user_id ? soci::i_ok : soci::i_null;
  soci::indicator means_ind = subject.letter_means ? soci::i_ok : soci::i_null;
  const std::string means = subject.letter_means ? std::string(to_string(*subject.letter_means)) : std::string();
  const std::string kind(to_string(d.kind)), dated = to_string(d.dated), content = security::base64_encode(pdf);
  sql << kInsertDocument, soci::use(tender), soci::use(lot, lot_ind), soci::use(bid, bid_ind),
      soci::use(contract, contract_ind), soci::use(member, member_ind), soci::use(kind), soci::use(d.reference),
      soci::use(d.title), soci::use(dated), soci::use(d.media_type), soci::use(d.sha256), soci::use(size),
      soci::use(content), soci::use(d.created_at), soci::use(by, by_ind), soci::use(means, means_ind), soci::into(id);
  d.id = id;
  write_audit(sql, actor, "document", d.id, "produce", "",
              boost::json::serialize(boost::json::object{{"kind", kind},
                                                         {"reference", d.reference},
                                                         {"tender_id", subject.tender_id},
                                                         {"lot_id", id_or_null(subject.lot_id)},
                                                         {"bid_id", id_or_null(subject.bid_id)},
                                                         {"contract_id", id_or_null(subject.contract_id)},
                                                         {"sha256", d.sha256},
                                                         {"size_bytes", d.size_bytes},
                                                         {"letter_means", means.empty() ? boost::json::value(nullptr)
                                                                                        : boost::json::value(means)}}));
  return d;
}

std::vector<StoredDocument> load_documents(soci::session& sql, std::int64_t tender_id,
                                           std::optional<std::int64_t> lot_id) {
  if (lot_id) {
    auto of_lot = read_documents(sql, kOfLot, *lot_id);
    std::erase_if(of_lot, [&](const StoredDocument& d) { return d.subject.tender_id != tender_id; });
    return of_lot;
  }
  return read_documents(sql, kOfTender, tender_id);
}

std::optional<StoredDocument> load_document(soci::session& sql, std::int64_t id) {
  auto found = read_documents(sql, kById, id);
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::optional<StoredDocument> latest_letter(soci::session& sql, std::int64_t lot_id, std::int64_t bid_id) {
  auto letters = read_documents(sql, kLettersOfBid, bid_id);
  std::erase_if(letters, [&](const StoredDocument& d) { return d.subject.lot_id != lot_id; });
  if (letters.empty()) return std::nullopt;
  return letters.back();
}

std::int64_t count_references(soci::session& sql, std::int64_t tender_id, const std::string& reference) {
  long long tender = tender_id, count = 0;
  const std::string prefix = reference + "-v";
  sql << kCountReferences, soci::use(tender), soci::use(reference), soci::use(prefix), soci::use(prefix),
      soci::into(count);
  return count;
}

std::string audited_sha256(soci::session& sql, std::int64_t id) {
  long long key = id;
  std::string audit;
  soci::indicator ind;
  sql << kAuditedSha, soci::use(key), soci::into(audit, ind);
  if (!sql.got_data() || ind != soci::i_ok) return "";
  return sha_of_audit(audit);
}

std::optional<std::string> load_document_content(soci::session& sql, std::int64_t id) {
  long long key = id;
  std::string content;
  sql << kContent, soci::use(key), soci::into(content);
  if (!sql.got_data()) return std::nullopt;
  return security::base64_decode(content);
}

std::vector<ContractTerms> load_lot_contract_terms(soci::session& sql, std::int64_t lot_id) {
  return read_terms(sql, kTermsOfLot, lot_id);
}

std::optional<ContractTerms> load_contract_terms(soci::session& sql, std::int64_t contract_id) {
  auto found = read_terms(sql, kTermsById, contract_id);
  if (found.empty()) return std::nullopt;
  return found.front();
}

void each_document_integrity(soci::session& sql, const std::function<void(const DocumentIntegrity&)>& visit) {
  long long id = 0;
  std::string reference, sha, content, audit;
  soci::indicator audit_ind;
  soci::statement st = (sql.prepare << kIntegrity, soci::into(id), soci::into(reference), soci::into(sha),
                        soci::into(content), soci::into(audit, audit_ind));
  st.execute();
  while (st.fetch()) {
    DocumentIntegrity d{id, reference, sha, "", ""};
    if (const auto bytes = security::base64_decode(content)) d.content_sha = security::sha256_hex(*bytes);
    if (audit_ind == soci::i_ok) d.audited_sha = sha_of_audit(audit);
    visit(d);
  }
}

void link_letter_document(soci::session& sql, std::int64_t letter_id, std::int64_t document_id) {
  long long letter = letter_id, document = document_id;
  sql << kLinkLetter, soci::use(document), soci::use(letter);
}

std::optional<Date> load_award_notice_sent_on(soci::session& sql, std::int64_t lot_id) {
  long long lot = lot_id;
  std::string on;
  soci::indicator ind;
  sql << kNoticeSentOn, soci::use(lot), soci::into(on, ind);
  if (!sql.got_data() || ind != soci::i_ok) return std::nullopt;
  return stored_date(on);
}

void save_award_notice_sent_on(soci::session& sql, std::int64_t lot_id, Date sent_on) {
  long long lot = lot_id;
  const std::string on = to_string(sent_on);
  sql << kSaveNoticeSentOn, soci::use(on), soci::use(lot);
}

}  // namespace canopee::db
