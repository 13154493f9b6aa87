#pragma once
// Whether a tender may move now — published, closed or cancelled — and, for
// publication, the procedure advice frozen on the day the notice is sent. One guard
// for the use case to call before it saves (usecases/tender_lifecycle.hpp).
#include <optional>
#include <string>

#include "engine/date.hpp"
#include "engine/groupement.hpp"
#include "engine/procedure.hpp"
#include "engine/result.hpp"
#include "engine/tender.hpp"
#include "engine/thresholds.hpp"

namespace canopee {

struct TransitionContext {
  Date today;                                  // the day of the transition (the notice's day when publishing)
  Instant at;                                  // its instant
  std::string reason;                          // why a tender closes before its deadline, or is cancelled
  const Groupement* groupement = nullptr;      // the tender's groupement, when it names one
  const ThresholdTable* thresholds = nullptr;  // the thresholds in force; the built-in table when null
};

// Refused with the rule's code: a transition the state machine does not have
// (tender.transition_not_allowed); publication without what it needs
// (check_publishable), with a member who had not signed the convention by the
// notice's day (L2113-6), or without the execution conditions the frozen procedure
// requires (L2112-2-1); closing before the deadline without a reason (check_close);
// cancelling once a lot is awarded (tender.cancel.lot_awarded), or a launched
// procedure without its reasons (tender.cancel.reason_required, R2185-1). Publication answers
// the advice computed at `today`, to be stored; the other transitions none.
Result<std::optional<ProcedureAdvice>> check_transition(const Tender& tender, TenderStatus to,
                                                        const TransitionContext& context);

}  // namespace canopee
