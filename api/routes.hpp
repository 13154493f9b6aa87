#pragma once
// Every route of the API, registered by resource.
#include "api/router.hpp"

namespace canopee::api {

void add_routes(Router& router);

void add_health_routes(Router& router);
void add_member_routes(Router& router);
void add_user_routes(Router& router);
void add_supplier_routes(Router& router);
void add_cpv_routes(Router& router);
void add_need_routes(Router& router);
void add_aggregation_routes(Router& router);
void add_tender_routes(Router& router);
void add_bid_routes(Router& router);
void add_award_routes(Router& router);
void add_contract_routes(Router& router);
void add_audit_routes(Router& router);
void add_report_routes(Router& router);
void add_web_routes(Router& router);
// Issue 19 items 9 and 10: budget codes and their exports, SPASER figures, reservations.
void add_budget_routes(Router& router);

}  // namespace canopee::api
