// Issue 16, item 2: the officer's decisions on a bid are state machines
// (engine/bid_review.hpp). Every transition is tried from every state: the
// allowed ones are listed by hand below from R2152-1 to R2152-4 and L2152-6,
// everything else must be refused without changing the review.
#include <doctest/doctest.h>

#include <set>
#include <tuple>
#include <utility>

#include "engine/bid_review.hpp"

using namespace canopee;

namespace {

Date day(const char* text) { return *parse_date(text, "d"); }

const Date kToday = day("2027-03-10");

DecisionContext context(bool flagged = false) { return {true, true, flagged, kToday}; }

// A decision with the fields its kind requires, filled with plausible values.
BidDecision complete(BidDecisionKind kind) {
  BidDecision d{kind};
  switch (kind) {
    case BidDecisionKind::valid: break;
    case BidDecisionKind::regularisation_requested:
    case BidDecisionKind::explanations_requested:
      d.request = "Merci de compléter votre offre.";
      d.deadline = day("2027-03-20");
      break;
    case BidDecisionKind::explanations_received: d.received_on = kToday; break;
    case BidDecisionKind::explanations_refused:
      d.reason = "Les explications ne justifient pas le prix.";
      d.grounds = {1, 4};
      break;
    default: d.reason = "Motif détaillé."; break;
  }
  return d;
}

constexpr BidDecisionKind kAllKinds[] = {BidDecisionKind::valid,
                                         BidDecisionKind::regularisation_requested,
                                         BidDecisionKind::irregular,
                                         BidDecisionKind::unacceptable,
                                         BidDecisionKind::inappropriate,
                                         BidDecisionKind::price_questioned,
                                         BidDecisionKind::explanations_requested,
                                         BidDecisionKind::explanations_received,
                                         BidDecisionKind::explanations_accepted,
                                         BidDecisionKind::explanations_refused};

}  // namespace

TEST_CASE("bid review: the regularity machine, every decision from every state") {
  using R = Regularity;
  using K = BidDecisionKind;
  // Allowed (from, decision) → to, with no price review under way.
  const std::set<std::pair<R, K>> allowed = {
      {R::received, K::valid},
      {R::received, K::regularisation_requested},
      {R::received, K::irregular},
      {R::received, K::unacceptable},
      {R::received, K::inappropriate},
      {R::regularisation_requested, K::valid},
      {R::regularisation_requested, K::irregular},
      {R::valid, K::irregular},
      {R::valid, K::unacceptable},
      {R::valid, K::inappropriate},
      {R::irregular, K::regularisation_requested},  // R2152-2: an offer found irregular may be invited to regularise
  };
  for (R from : {R::received, R::regularisation_requested, R::valid, R::irregular, R::unacceptable, R::inappropriate}) {
    for (K kind : {K::valid, K::regularisation_requested, K::irregular, K::unacceptable, K::inappropriate}) {
      CAPTURE(to_string(from));
      CAPTURE(to_string(kind));
      BidReview current{from, PriceReview::none, {}, {}};
      if (from == R::regularisation_requested)
        current.requested_on = day("2027-03-01"), current.deadline = day("2027-03-08");
      const auto next = decide(current, complete(kind), context());
      CHECK(next.ok() == allowed.contains({from, kind}));
      if (!next) {
        CHECK(next.error().code == ErrorCode::conflict);
        CHECK(next.error().rule.starts_with("bid.decision."));
        continue;
      }
      CHECK(to_string(next->regularity) == to_string(kind));  // each decision is named after the state it leads to
      CHECK(next->price_review == PriceReview::none);
      if (kind == K::regularisation_requested) {
        CHECK(next->requested_on == kToday);
        CHECK(next->deadline == day("2027-03-20"));
      } else {
        CHECK_FALSE(next->deadline.has_value());  // a regularisation decided clears its request
      }
    }
  }
}

TEST_CASE("bid review: the price review machine, every decision from every state") {
  using P = PriceReview;
  using K = BidDecisionKind;
  // Flagged by the formula, explanations may be asked at once; without the
  // flag, the officer first records the doubt (price_questioned).
  const std::set<std::tuple<bool, P, K>> allowed = {
      {false, P::none, K::price_questioned},           {false, P::questioned, K::explanations_requested},
      {true, P::none, K::explanations_requested},      {true, P::questioned, K::explanations_requested},
      {false, P::requested, K::explanations_received}, {true, P::requested, K::explanations_received},
      {false, P::answered, K::explanations_accepted},  {true, P::answered, K::explanations_accepted},
      {false, P::answered, K::explanations_refused},   {true, P::answered, K::explanations_refused},
  };
  for (bool flagged : {false, true}) {
    for (P from : {P::none, P::questioned, P::requested, P::answered, P::accepted, P::refused}) {
      for (K kind : {K::price_questioned, K::explanations_requested, K::explanations_received, K::explanations_accepted,
                     K::explanations_refused}) {
        CAPTURE(flagged);
        CAPTURE(to_string(from));
        CAPTURE(to_string(kind));
        BidReview current{Regularity::valid, from, {}, {}};
        if (from == P::requested) current.requested_on = day("2027-03-01"), current.deadline = day("2027-03-15");
        const auto next = decide(current, complete(kind), context(flagged));
        CHECK(next.ok() == allowed.contains(std::tuple{flagged, from, kind}));
        if (!next) {
          CHECK(next.error().code == ErrorCode::conflict);
          continue;
        }
        CHECK(next->regularity == Regularity::valid);
      }
    }
  }
}

TEST_CASE("bid review: the path of an abnormally low offer, with its dates") {
  BidReview review;  // received, nothing asked
  review = *decide(review, complete(BidDecisionKind::valid), context(true));
  auto request = complete(BidDecisionKind::explanations_requested);
  review = *decide(review, request, context(true));
  CHECK(review.price_review == PriceReview::requested);
  CHECK(review.requested_on == kToday);
  CHECK(review.deadline == day("2027-03-20"));

  SUBCASE("refused without an answer: only once the deadline has passed (L2152-6)") {
    auto too_soon = decide(review, complete(BidDecisionKind::explanations_refused),
                           {true, true, true, day("2027-03-20")});
    REQUIRE_FALSE(too_soon.ok());
    CHECK(too_soon.error().rule == "bid.decision.deadline_not_passed");
    CHECK(too_soon.error().message.find("20/03/2027") != std::string::npos);
    auto after = decide(review, complete(BidDecisionKind::explanations_refused), {true, true, true, day("2027-03-21")});
    REQUIRE(after.ok());
    CHECK(after->price_review == PriceReview::refused);
    CHECK_FALSE(after->deadline.has_value());
  }
  SUBCASE("the answer is dated between the request and today") {
    auto received = complete(BidDecisionKind::explanations_received);
    received.received_on = day("2027-03-09");  // the day before the request
    auto early = decide(review, received, context(true));
    REQUIRE_FALSE(early.ok());
    CHECK(early.error().code == ErrorCode::invalid);
    CHECK(early.error().fields.at(0).field == "received_on");
    received.received_on = day("2027-03-11");  // tomorrow
    CHECK(decide(review, received, context(true)).error().fields.at(0).code == "bid.decision.received_on_future");
    received.received_on = kToday;
    auto answered = decide(review, received, context(true));
    REQUIRE(answered.ok());
    CHECK(answered->price_review == PriceReview::answered);
    auto accepted = decide(*answered, complete(BidDecisionKind::explanations_accepted), context(true));
    REQUIRE(accepted.ok());
    CHECK(accepted->price_review == PriceReview::accepted);
    // Accepted is final: no second request, no refusal afterwards.
    CHECK_FALSE(decide(*accepted, complete(BidDecisionKind::explanations_refused), context(true)).ok());
    CHECK_FALSE(decide(*accepted, complete(BidDecisionKind::explanations_requested), context(true)).ok());
  }
}

TEST_CASE("bid review: regularisation is not for an offer that seems abnormally low (R2152-2)") {
  const BidReview received;
  auto flagged = decide(received, complete(BidDecisionKind::regularisation_requested), context(true));
  REQUIRE_FALSE(flagged.ok());
  CHECK(flagged.error().rule == "bid.decision.regularisation_abnormally_low");
  CHECK(flagged.error().message.find("R2152-2") != std::string::npos);
  const BidReview questioned{Regularity::received, PriceReview::questioned, {}, {}};
  CHECK_FALSE(decide(questioned, complete(BidDecisionKind::regularisation_requested), context(false)).ok());
  // Its explanations accepted, the offer is no longer abnormally low.
  const BidReview accepted{Regularity::received, PriceReview::accepted, {}, {}};
  CHECK(decide(accepted, complete(BidDecisionKind::regularisation_requested), context(true)).ok());
  // Once regularisation is asked, the regularised offer is valid or irregular, nothing else.
  const BidReview asked = *decide(received, complete(BidDecisionKind::regularisation_requested), context(false));
  CHECK(decide(asked, complete(BidDecisionKind::unacceptable), context(false)).error().rule ==
        "bid.decision.after_regularisation");
  CHECK(decide(asked, complete(BidDecisionKind::explanations_requested), context(true)).error().rule ==
        "bid.decision.request_pending");
}

TEST_CASE("bid review: decisions wait for the bids to be opened and stop once the lot is settled") {
  for (auto kind : kAllKinds) {
    CAPTURE(to_string(kind));
    const auto open = decide(BidReview{}, complete(kind), {false, true, true, kToday});
    REQUIRE_FALSE(open.ok());
    CHECK(open.error().rule == "bid.decision.tender_not_closed");
    const auto settled = decide(BidReview{}, complete(kind), {true, false, true, kToday});
    REQUIRE_FALSE(settled.ok());
    CHECK(settled.error().rule == "bid.decision.lot_settled");
  }
}

TEST_CASE("bid review: each decision takes exactly its fields") {
  SUBCASE("a rejection needs its reason") {
    for (auto kind : {BidDecisionKind::irregular, BidDecisionKind::unacceptable, BidDecisionKind::inappropriate,
                      BidDecisionKind::price_questioned}) {
      CAPTURE(to_string(kind));
      BidDecision d{kind};
      for (const char* blank : {"", "  \n\t "}) {
        d.reason = blank;
        const auto r = decide(BidReview{}, d, context());
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == ErrorCode::invalid);
        CHECK(r.error().fields.at(0).field == "reason");
        CHECK(r.error().fields.at(0).code == "bid.decision.reason_missing");
      }
    }
  }
  SUBCASE("text limits: 4000 code points, valid UTF-8, no control character") {
    BidDecision d{BidDecisionKind::irregular};
    std::string at_limit;
    for (int i = 0; i < 4000; ++i) at_limit += "é";  // 4000 code points, 8000 bytes
    d.reason = at_limit;
    CHECK(decide(BidReview{}, d, context()).ok());
    d.reason = at_limit + "e";
    CHECK(decide(BidReview{}, d, context()).error().fields.at(0).code == "text.too_long");
    d.reason = "motif\x01";
    CHECK(decide(BidReview{}, d, context()).error().fields.at(0).code == "text.malformed");
    d.reason = "\xC3";
    CHECK(decide(BidReview{}, d, context()).error().fields.at(0).code == "text.malformed");
  }
  SUBCASE("a request needs its text and a deadline after today") {
    BidDecision d{BidDecisionKind::explanations_requested};
    auto r = decide(BidReview{}, d, context(true));
    REQUIRE_FALSE(r.ok());
    std::set<std::string> fields;
    for (const auto& f : r.error().fields) fields.insert(f.field);
    CHECK(fields == std::set<std::string>{"request", "deadline"});
    d.request = "Justifiez votre prix.";
    d.deadline = kToday;  // today: no time to answer
    CHECK(decide(BidReview{}, d, context(true)).error().fields.at(0).code == "bid.decision.deadline_not_future");
    d.deadline = day("2027-03-11");
    CHECK(decide(BidReview{}, d, context(true)).ok());
  }
  SUBCASE("a refusal names the R2152-3 items, each once, from 1 to 5, ascending") {
    BidReview answered{Regularity::valid, PriceReview::answered, {}, {}};
    BidDecision d = complete(BidDecisionKind::explanations_refused);
    for (const auto& [grounds, ok] : std::vector<std::pair<std::vector<int>, bool>>{{{}, false},
                                                                                    {{0}, false},
                                                                                    {{6}, false},
                                                                                    {{2, 2}, false},
                                                                                    {{3, 1}, false},
                                                                                    {{1}, true},
                                                                                    {{5}, true},
                                                                                    {{1, 2, 3, 4, 5}, true}}) {
      d.grounds = grounds;
      CAPTURE(grounds.size());
      CHECK(decide(answered, d, context()).ok() == ok);
    }
    CHECK(explanation_ground_label(4).starts_with("4° la réglementation applicable"));
    CHECK(explanation_ground_label(6).empty());
  }
  SUBCASE("a field the decision does not take is refused, not ignored") {
    BidDecision d = complete(BidDecisionKind::valid);
    d.grounds = {1};
    d.deadline = day("2027-04-01");
    const auto r = decide(BidReview{}, d, context());
    REQUIRE_FALSE(r.ok());
    std::set<std::string> fields;
    for (const auto& f : r.error().fields) fields.insert(f.field);
    CHECK(fields == std::set<std::string>{"grounds", "deadline"});
  }
}

TEST_CASE("bid review: decisions have stable names") {
  for (auto kind : kAllKinds) CHECK(*parse_bid_decision_kind(to_string(kind), "decision") == kind);
  const auto unknown = parse_bid_decision_kind("rejected", "decision");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().fields.at(0).code == "bid.decision.unknown");
}

TEST_CASE("bid review: what the review of this change found, each refused with its rule") {
  SUBCASE("an offer rejected as abnormally low takes no other decision, regularity included") {
    const BidReview rejected{Regularity::received, PriceReview::refused, {}, {}};
    for (auto kind : kAllKinds) {
      CAPTURE(to_string(kind));
      CHECK(decide(rejected, complete(kind), context()).error().rule == "bid.decision.bid_rejected");
    }
  }
  SUBCASE("a regularised offer is not declared regular while its price is in doubt (R2152-2)") {
    const BidReview asked{Regularity::regularisation_requested, PriceReview::none, day("2027-03-01"),
                          day("2027-03-08")};
    CHECK(decide(asked, complete(BidDecisionKind::valid), context(true)).error().rule ==
          "bid.decision.regularisation_abnormally_low");
    BidReview questioned = asked;
    questioned.price_review = PriceReview::questioned;
    CHECK_FALSE(decide(questioned, complete(BidDecisionKind::valid), context(false)).ok());
    CHECK(decide(asked, complete(BidDecisionKind::valid), context(false)).ok());
  }
  SUBCASE("the bidder keeps its whole deadline to regularise") {
    const BidReview asked{Regularity::regularisation_requested, PriceReview::none, day("2027-03-01"), kToday};
    const auto early = decide(asked, complete(BidDecisionKind::irregular), context());
    REQUIRE_FALSE(early.ok());
    CHECK(early.error().rule == "bid.decision.deadline_not_passed");
    CHECK(early.error().message.find("10/03/2027") != std::string::npos);  // a French date
    CHECK(decide(asked, complete(BidDecisionKind::irregular), {true, true, false, day("2027-03-11")}).ok());
    CHECK(decide(asked, complete(BidDecisionKind::valid), context()).ok());  // regularised in time
  }
  SUBCASE("an offer eliminated as irregular may still be invited to regularise; unacceptable may not") {
    const BidReview irregular{Regularity::irregular, PriceReview::none, {}, {}};
    CHECK(decide(irregular, complete(BidDecisionKind::regularisation_requested), context()).ok());
    CHECK(decide(irregular, complete(BidDecisionKind::valid), context()).error().rule == "bid.decision.bid_eliminated");
    const BidReview unacceptable{Regularity::unacceptable, PriceReview::none, {}, {}};
    const auto r = decide(unacceptable, complete(BidDecisionKind::regularisation_requested), context());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("inacceptable") != std::string::npos);  // the French label, not the code
  }
  SUBCASE("no answer: refused once the deadline has passed, without grounds; a request with no deadline waits") {
    BidDecision refusal{BidDecisionKind::explanations_refused};
    refusal.reason = "Aucune réponse dans le délai.";
    const BidReview requested{Regularity::valid, PriceReview::requested, day("2027-03-01"), day("2027-03-09")};
    CHECK(decide(requested, refusal, context()).ok());
    const BidReview migrated{Regularity::valid, PriceReview::requested, {}, {}};
    CHECK(decide(migrated, refusal, context()).error().rule == "bid.decision.deadline_not_passed");
    const BidReview answered{Regularity::valid, PriceReview::answered, {}, {}};
    CHECK(decide(answered, refusal, context()).error().fields.at(0).code == "bid.decision.grounds_missing");
  }
  SUBCASE("a reason of no-break spaces is blank; a blank optional remark is no remark") {
    BidDecision d{BidDecisionKind::irregular};
    d.reason = "\xC2\xA0\xE2\x80\xAF ";
    CHECK(decide(BidReview{}, d, context()).error().fields.at(0).code == "bid.decision.reason_missing");
    BidDecision remark{BidDecisionKind::valid};
    remark.reason = "  ";
    CHECK(decide(BidReview{}, remark, context()).ok());
  }
}
