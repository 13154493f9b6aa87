#include "api/report_query.hpp"

#include "api/json_input.hpp"

namespace canopee::api {

std::optional<Date> optional_date_query(const RequestContext& c, std::string_view name,
                                        std::vector<FieldError>& errors) {
  if (auto text = take(query_param(c, name), errors); text && *text) return take(parse_date(**text, name), errors);
  return std::nullopt;
}

Result<std::optional<std::int64_t>> member_query(const RequestContext& c, std::vector<FieldError>& errors) {
  std::optional<std::int64_t> member;
  if (auto m = take(query_param(c, "member_id"), errors); m && *m) {
    member = parse_integer(**m);
    if (!member || *member < 1) {
      member.reset();
      errors.push_back({"member_id", "doit être l’identifiant d’un membre", "query.not_integer"});
    }
  }
  if (auto scope = member_scope(c)) {
    if (member && *member != *scope)
      return Error::of(ErrorCode::not_found, "ce membre n’est pas dans votre périmètre", "member.not_found");
    member = *scope;
  }
  return member;
}

void check_csv_dialect(const RequestContext& c, std::vector<FieldError>& errors) {
  if (auto d = query_param(c, "csv"); d && *d && **d != "rfc4180" && **d != "french")
    errors.push_back({"csv", "doit être rfc4180 ou french", "report.csv.unknown"});
}

}  // namespace canopee::api
