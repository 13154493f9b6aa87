#pragma once
// The records kept about requests and changes: idempotency keys (one effect per
// key and user) and the audit trail.
#include <optional>
#include <string>
#include <vector>

#include "adapters/db/database.hpp"
#include "adapters/db/page.hpp"

namespace canopee::db {

struct StoredResponse {
  std::string method;
  std::string path;
  std::string request_hash;
  int status = 0;
  std::string body;
};

// The response stored for this user and key, if any.
Result<std::optional<StoredResponse>> find_idempotent_response(Database& database, std::int64_t user_id,
                                                               const std::string& key);
// Stores it; a concurrent request with the same key makes this a conflict.
Status store_idempotent_response(Database& database, std::int64_t user_id, const std::string& key,
                                 const StoredResponse& response);

struct AuditEntry {
  std::int64_t id = 0;
  std::string at;
  std::optional<std::int64_t> user_id;
  std::optional<std::int64_t> member_id;
  std::string entity;
  std::int64_t entity_id = 0;
  std::string action;
  std::string before_json;  // empty when none
  std::string after_json;
  std::string request_id;
};

// Newest first; filtered by entity (and id) when given.
Result<PageOf<AuditEntry>> list_audit(Database& database, const std::string& entity,
                                      std::optional<std::int64_t> entity_id, const Page& page);

}  // namespace canopee::db

namespace canopee::db {
// Claims a key before the request runs (status 0 = in progress); a conflict means
// another request holds it (in progress or done: look it up).
Status reserve_idempotency_key(Database& database, std::int64_t user_id, const std::string& key,
                               const std::string& method, const std::string& path, const std::string& request_hash);
Status complete_idempotency_key(Database& database, std::int64_t user_id, const std::string& key, int status,
                                const std::string& body);
// Frees a key whose request failed, so that it can be retried.
Status release_idempotency_key(Database& database, std::int64_t user_id, const std::string& key);
}  // namespace canopee::db
