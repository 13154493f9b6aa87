#pragma once
// RFC 9457 problem details: every error the API returns is one of these.
#include <string>
#include <string_view>
#include <vector>

#include "api/http.hpp"
#include "engine/result.hpp"

namespace canopee::api {

inline constexpr std::string_view kProblemContentType = "application/problem+json";

// type is a short slug ("not-found", "validation"); it becomes urn:canopee:problem:<slug>.
// code, when given, is the stable code of the broken rule ("award.better_bid_undecided").
Response make_problem(http::status status, std::string_view type, std::string_view detail,
                      const std::vector<FieldError>& errors = {}, std::string_view code = {});

// The one place where engine and repository error codes become HTTP statuses.
Response problem_from_error(const Error& error);

}  // namespace canopee::api
