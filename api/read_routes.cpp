// The GET routes that may read from the PostgreSQL standby (issue 21 item 5).
//
// A route is here when a read up to --read-max-lag old (5 s by default) serves its
// caller as well as a fresh one, and the client who just wrote still sees its
// write (Canopee-Read-After: the standby only once it has replayed that write).
// Its handler reads through RequestContext::read_database(), nothing else.
//
// Never here:
//  - writes (POST, PATCH, PUT, DELETE), and the reads that decide them: a write's
//    handler and the use cases it calls read on the primary (read_database() of a
//    write is the primary);
//  - authentication (token → user, sessions): on the primary, so that a revoked
//    user is refused at once;
//  - the idempotency records, the evaluation, allocation and award pages, the
//    exports (OCDS, DECP, DQE), the documents, the audit log, the notifications:
//    they stay on the primary until someone checks each against a stale read.
//
// Kept a short while (recent reads, --read-cache-max-age; PostgreSQL only): the
// lists below, read far more often than they change. Their answer is kept with the
// primary's WAL position read before its statement, and served again for at most
// the max age to any caller of the same role, member and query — or to none but a
// client whose last write is older than that position (read-your-writes: a write
// then a read by the same client always sees the write). A miss reads on the
// primary. Only a 200 JSON answer with no header of its own may be kept: the kept
// one is sent as the JSON alone (gzip when the client accepts it).
#include "api/read_routes.hpp"

#include <array>
#include <stdexcept>
#include <string>

#include "api/cookies.hpp"

namespace canopee::api {
namespace {

constexpr std::array<std::string_view, 13> kStandbyReadRoutes = {
    "/v1/needs",                         // a buyer's needs, an officer's search
    "/v1/needs/{id}",                    //
    "/v1/tenders",                       //
    "/v1/tenders/{id}",                  // with its lots and groupement
    "/v1/tenders/{id}/lots/{lot}/bids",  //
    "/v1/contracts",                     // and its CSV/XLSX export
    "/v1/orders",                        // and its CSV/XLSX export
    "/v1/orders/{id}",                   //
    "/v1/members",                       //
    "/v1/members/{id}",                  //
    "/v1/suppliers",                     //
    "/v1/suppliers/{id}",                //
    "/v1/reports/savings",               // the savings report (JSON, CSV, XLSX)
};

constexpr std::array<std::string_view, 1> kRecentReadRoutes = {
    "/v1/needs",  // a buyer's needs, an officer's search: the busiest list
};

}  // namespace

std::span<const std::string_view> standby_read_routes() { return kStandbyReadRoutes; }
std::span<const std::string_view> recent_read_routes() { return kRecentReadRoutes; }

void mark_standby_read_routes(Router& router) {
  for (const auto pattern : kStandbyReadRoutes) {
    if (!router.allow_standby_reads(pattern))
      throw std::logic_error("api/read_routes.cpp names no GET route " + std::string(pattern));
  }
  for (const auto pattern : kRecentReadRoutes) {
    if (!router.keep_recent_reads(pattern))
      throw std::logic_error("api/read_routes.cpp keeps no standby read " + std::string(pattern));
  }
}

Result<std::optional<db::Lsn>> read_after_position(const http::fields& headers) {
  std::optional<db::Lsn> position;
  if (const auto count = headers.count(kReadAfterHeader); count > 0) {
    const auto parsed = count == 1 ? db::Lsn::parse(headers[kReadAfterHeader]) : std::nullopt;
    if (!parsed) {
      return Error::invalid(std::string(kReadAfterHeader),
                            "doit être une position WAL PostgreSQL reçue d’une écriture, telle que 16/B374D848",
                            "read_after.format");
    }
    position = parsed;
  }
  if (auto cookie = cookie_value(headers[http::field::cookie], kReadAfterCookie)) {
    if (auto parsed = db::Lsn::parse(*cookie); parsed && (!position || *position < *parsed)) position = parsed;
  }
  return position;
}

}  // namespace canopee::api
