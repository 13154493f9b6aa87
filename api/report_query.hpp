#pragma once
// The query parameters the finance reports share (savings, realised savings, budget
// exports): an optional period bound, the member filter within the caller's scope,
// and the CSV dialect. Problems are collected in `errors` so that a report answers
// them all at once.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "api/handler_support.hpp"

namespace canopee::api {

// `name` as YYYY-MM-DD when present.
std::optional<Date> optional_date_query(const RequestContext& c, std::string_view name,
                                        std::vector<FieldError>& errors);

// member_id of the query: positive, and within the caller's scope (404 otherwise);
// a scoped caller (a buyer, a member's finance user) without one gets its own member.
Result<std::optional<std::int64_t>> member_query(const RequestContext& c, std::vector<FieldError>& errors);

// ?csv= is rfc4180 or french (report.csv.unknown).
void check_csv_dialect(const RequestContext& c, std::vector<FieldError>& errors);

}  // namespace canopee::api
