#pragma once
// Wall-clock readings, formatted as the API and the database store them.
#include <string>

#include "engine/date.hpp"

namespace canopee {

// RFC 3339 UTC with microseconds: 2026-11-29T04:10:29.123456Z
std::string utc_timestamp_now();
// Today's date in UTC: 2026-11-29
std::string utc_date_today();
// The same instant as utc_timestamp_now, as the engine counts it.
Instant utc_instant_now();

}  // namespace canopee
