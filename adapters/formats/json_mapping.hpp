#pragma once
// The JSON representation of each domain record (design.md §7), used for the API
// responses and the audit log's before/after images: one place per resource.
// Money, prices and quantities are decimal strings; dates YYYY-MM-DD.
#include <boost/json/value.hpp>
#include <boost/json/value_from.hpp>
#include <string>
#include <string_view>

#include "engine/need.hpp"
#include "engine/orders.hpp"
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
boost::json::value to_json(const Order& order);

// The text of to_json(need), byte for byte what boost::json::serialize writes,
// appended to `out` without building the value first: the lists of needs are the
// API's largest hot answers, and the value tree took a quarter of their time.
void append_json(std::string& out, const Need& need);
// A JSON string (quotes included), escaped as boost::json::serialize escapes it.
void append_json_string(std::string& out, std::string_view text);

// Serialised, for the audit log.
template <class T>
std::string to_json_text(const T& record);

}  // namespace canopee::formats

namespace canopee {

// The same representations as Boost.JSON conversions, found by argument-dependent
// lookup: boost::json::value_from(record), and of a vector or map of records.
#define CANOPEE_JSON_CONVERSION(Record)                                                                       \
  inline void tag_invoke(const boost::json::value_from_tag&, boost::json::value& out, const Record& record) { \
    out = formats::to_json(record);                                                                           \
  }
CANOPEE_JSON_CONVERSION(Member)
CANOPEE_JSON_CONVERSION(User)
CANOPEE_JSON_CONVERSION(Supplier)
CANOPEE_JSON_CONVERSION(Need)
CANOPEE_JSON_CONVERSION(Lot)
CANOPEE_JSON_CONVERSION(Tender)
CANOPEE_JSON_CONVERSION(Bid)
CANOPEE_JSON_CONVERSION(StandalonePurchase)
CANOPEE_JSON_CONVERSION(Order)
#undef CANOPEE_JSON_CONVERSION

}  // namespace canopee
