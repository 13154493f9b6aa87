#pragma once
// The order form (bon de commande) a member sends to the supplier: who orders under
// which framework agreement and lot, the lines at the contract's price in force, the
// delivery asked for. Written as a Document (engine/document.hpp), laid out as a PDF
// by the adapter.
#include <string>

#include "engine/document.hpp"
#include "engine/orders.hpp"
#include "engine/units.hpp"

namespace canopee {

struct OrderFormFacts {
  Order order;
  std::string member_name;
  std::string supplier_name;
  std::string tender_reference;
  std::string tender_title;
  int lot_number = 0;
  std::string lot_title;
  Unit unit = Unit::u;
};

Document order_form(const OrderFormFacts& facts);

}  // namespace canopee
