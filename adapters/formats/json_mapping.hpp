#pragma once
// The JSON representation of each domain record (design.md §7), used for the API
// responses and the audit log's before/after images: one place per resource.
// Money, prices and quantities are decimal strings; dates YYYY-MM-DD.
#include <boost/json/value.hpp>
#include <string>

#include "engine/need.hpp"
#include "engine/parties.hpp"
#include "engine/splitting.hpp"
#include "engine/tender.hpp"

namespace canopee::formats {

boost::json::value to_json(const Member& member);
boost::json::value to_json(const User& user);
boost::json::value to_json(const Supplier& supplier);
boost::json::value to_json(const Need& need);
boost::json::value to_json(const Lot& lot);
boost::json::value to_json(const Tender& tender);
boost::json::value to_json(const Bid& bid);
boost::json::value to_json(const StandalonePurchase& purchase);

// Serialised, for the audit log.
template <class T>
std::string to_json_text(const T& record);

}  // namespace canopee::formats
