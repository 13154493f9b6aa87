#include "api/routes.hpp"

namespace canopee::api {

// Thresholds as dated settings (api/handlers/thresholds.cpp).
void add_threshold_routes(Router& router);
// Groupements de commandes (api/handlers/groupements.cpp).
void add_groupement_routes(Router& router);
void add_splitting_routes(Router& router);    // api/handlers/splitting.cpp
void add_award_chain_routes(Router& router);  // api/handlers/award_chain.cpp
void add_document_routes(Router& router);     // api/handlers/documents.cpp
void add_framework_routes(Router& router);    // api/handlers/framework.cpp
void add_order_routes(Router& router);        // api/handlers/orders.cpp
// Orders imported from CSV and the realised savings (issue 18 items 6 and 7).
void add_order_import_routes(Router& router);      // api/handlers/order_imports.cpp
void add_realised_savings_routes(Router& router);  // api/handlers/realised_savings.cpp
// Modifications of member contracts (api/handlers/modifications.cpp).
void add_modification_routes(Router& router);

// Price revision (api/handlers/price_revision.cpp).
void add_price_revision_routes(Router& router);

// Aided projects, the CGLLS subsidy (issue 19 items 6 and 7; api/handlers/aided_projects.cpp).
void add_aided_project_routes(Router& router);

// Password sign-in and browser sessions (issue 20 item 9; api/handlers/sessions.cpp).
void add_session_routes(Router& router);
// Sign-in through a member's identity provider (OpenID Connect; api/handlers/oidc.cpp).
void add_oidc_routes(Router& router);

// Notifications and their preferences (issue 20 item 10; api/handlers/notifications.cpp).
void add_notification_routes(Router& router);

void add_routes(Router& router) {
  add_health_routes(router);
  add_member_routes(router);
  add_user_routes(router);
  add_supplier_routes(router);
  add_cpv_routes(router);
  add_need_routes(router);
  add_aggregation_routes(router);
  add_tender_routes(router);
  add_bid_routes(router);
  add_award_routes(router);
  add_contract_routes(router);
  add_award_chain_routes(router);
  add_document_routes(router);
  add_framework_routes(router);
  add_order_routes(router);
  add_audit_routes(router);
  add_report_routes(router);
  add_threshold_routes(router);
  add_groupement_routes(router);
  add_splitting_routes(router);
  add_modification_routes(router);
  add_price_revision_routes(router);
  add_web_routes(router);
  // Issue 18 items 6 and 7.
  add_order_import_routes(router);
  add_realised_savings_routes(router);
  add_budget_routes(router);
  // Issue 19 items 6 and 7.
  add_aided_project_routes(router);
  add_session_routes(router);
  add_notification_routes(router);
  add_oidc_routes(router);
}

}  // namespace canopee::api
