#pragma once
// Purchase orders imported from a member's own ERP as CSV (issue 18 item 7): the file
// read by formats::parse_orders_csv, then every order placed in one transaction by
// usecases::place_orders (source "import"), in the file's order — the maximum and the
// period of each contract checked order after order, cumulatively — all or none.
// Every error names the file's line and column ("ligne 7, colonne quantite").
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/db/database.hpp"
#include "adapters/db/unit_of_work.hpp"
#include "usecases/orders.hpp"

namespace canopee::usecases {

struct ImportedOrderRef {
  std::int64_t id = 0;
  std::string reference;           // ours: BC-<year>-<id>
  std::string internal_reference;  // the member's, from the file
  std::size_t line = 0;            // the order's first line in the file
  std::vector<Warning> warnings;   // order.maximum_near
};

struct OrdersImport {
  std::vector<ImportedOrderRef> orders;  // in the file's order
  std::size_t lines = 0;                 // order lines stored
};

// The orders of `member_id` (its own contracts only: another's is "introuvable").
Result<OrdersImport> import_orders(db::Database& database, const db::Actor& actor, std::int64_t member_id,
                                   std::string_view csv, Date today);

// The same for the member of code `member_code` (the command line's import).
Result<OrdersImport> import_member_orders(db::Database& database, const db::Actor& actor, std::string_view member_code,
                                          std::string_view csv, Date today);

}  // namespace canopee::usecases
