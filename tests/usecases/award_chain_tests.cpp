// After the award, on both backends without HTTP: letters to the bidders, the
// standstill an officer chose (adapted procedure), each member's signature and
// notification. Dates counted by hand: letters on Monday 2 November 2026 with a
// 5-day standstill allow signature from Saturday 7 November.
#include <doctest/doctest.h>

#include "adapters/db/bid_repository.hpp"
#include "adapters/db/tender_repository.hpp"
#include "tests/support/tender_flow.hpp"
#include "usecases/award.hpp"
#include "usecases/award_chain.hpp"
#include "usecases/tender_lifecycle.hpp"

using namespace canopee;
using test::day;
using test::price;
using test::qty;

namespace {

Instant utc(const char* text) { return *parse_date_time(text, "t"); }

// One lot (OPAL 300 l, Reims 700 l) awarded to Beta on 2026-11-01; Alpha's bid rejected.
struct Awarded : test::PaintLotWithBids {
  void award() { award_to_beta(); }
  Result<usecases::AwardChain> chain(const char* today) {
    return usecases::award_chain(*database, tender.id, lot_id(), day(today));
  }
  Result<usecases::AwardChain> letter(std::int64_t bid, LetterKind kind, const char* sent) {
    return usecases::prepare_and_record_letter(*database, actor, tender.id, lot_id(),
                                               {bid, kind, SendingMeans::electronic, utc(sent), {}},
                                               utc("2026-11-02T12:00:00Z"), day("2026-11-02"));
  }
};

}  // namespace

TEST_CASE("award chain: letters, chosen standstill, signature and notification per member") {
  Awarded f;
  CHECK(f.chain("2026-10-01").error().rule == "lot.not_awarded");
  f.award();

  auto chain = f.chain("2026-11-01");
  REQUIRE(chain.ok());
  CHECK(chain->procedure != Procedure::formal);  // 10,700 € of paint: no formal procedure
  CHECK(chain->stage == AwardStage::letters_to_send);
  CHECK(chain->winning_bid_id == f.beta_bid.id);
  CHECK(to_string(chain->decided_on) == "2026-11-01");
  CHECK(chain->letters_missing == std::vector<std::int64_t>{f.beta_bid.id, f.alpha_bid.id});
  REQUIRE(chain->contracts.size() == 2);
  const auto opal_contract = chain->contracts[0].member_id == f.opal.id ? chain->contracts[0] : chain->contracts[1];
  const auto reims_contract = chain->contracts[0].member_id == f.reims.id ? chain->contracts[0] : chain->contracts[1];
  CHECK_FALSE(opal_contract.signed_on.has_value());

  // No signature before every bidder is written to; nothing changes.
  const int audit = f.count("audit_log");
  auto early = usecases::sign_contract(*f.database, f.actor, opal_contract.id, std::nullopt, day("2026-11-01"),
                                       day("2026-11-01"));
  CHECK(early.error().rule == "contract.signature.letters_missing");
  CHECK(f.count("audit_log") == audit);

  // The officer chooses a 5-day standstill, then writes to the bidders.
  CHECK(
      usecases::choose_standstill(*f.database, f.actor, f.tender.id, f.lot_id(), 61, day("2026-11-02")).error().rule ==
      "standstill.days.out_of_range");
  REQUIRE(usecases::choose_standstill(*f.database, f.actor, f.tender.id, f.lot_id(), 5, day("2026-11-02")).ok());
  CHECK(f.letter(f.alpha_bid.id, LetterKind::award, "2026-11-02T10:00:00Z").error().rule == "letter.kind_mismatch");
  CHECK(f.letter(f.alpha_bid.id, LetterKind::rejection, "2026-10-31T10:00:00Z").error().rule ==
        "letter.before_decision");
  CHECK(f.letter(f.alpha_bid.id, LetterKind::rejection, "2026-11-02T12:00:01Z").error().rule ==
        "letter.sent_in_future");
  REQUIRE(f.letter(f.alpha_bid.id, LetterKind::rejection, "2026-11-02T10:00:00Z").ok());
  CHECK(f.letter(f.alpha_bid.id, LetterKind::rejection, "2026-11-02T10:00:00Z").error().rule == "letter.already_sent");
  CHECK(usecases::choose_standstill(*f.database, f.actor, f.tender.id, f.lot_id(), 3, day("2026-11-02")).error().rule ==
        "standstill.letters_sent");
  chain = f.letter(f.beta_bid.id, LetterKind::award, "2026-11-02T10:30:00Z");
  REQUIRE(chain.ok());
  CHECK(chain->letters.size() == 2);
  CHECK(chain->letters_missing.empty());
  REQUIRE(chain->standstill.has_value());
  CHECK(to_string(chain->standstill->signature_from) == "2026-11-07");
  CHECK(f.chain("2026-11-06")->stage == AwardStage::standstill);
  CHECK(f.chain("2026-11-07")->stage == AwardStage::to_sign);

  // Signature: refused on the 6th, accepted on the 7th, once.
  auto in_standstill = usecases::sign_contract(*f.database, f.actor, opal_contract.id, std::nullopt, day("2026-11-06"),
                                               day("2026-11-06"));
  CHECK(in_standstill.error().rule == "contract.signature.in_standstill");
  CHECK(in_standstill.error().message.find("07/11/2026") != std::string::npos);
  auto signed_opal = usecases::sign_contract(*f.database, f.actor, opal_contract.id, opal_contract.version,
                                             day("2026-11-07"), day("2026-11-09"));
  REQUIRE(signed_opal.ok());
  CHECK(to_string(*signed_opal->signed_on) == "2026-11-07");
  CHECK(signed_opal->version == opal_contract.version + 1);
  CHECK(usecases::sign_contract(*f.database, f.actor, opal_contract.id, std::nullopt, day("2026-11-08"),
                                day("2026-11-09"))
            .error()
            .rule == "contract.already_signed");

  // Notification: after the signature, once, on the version read.
  CHECK(usecases::notify_contract(*f.database, f.actor, reims_contract.id, std::nullopt, day("2026-11-09"),
                                  day("2026-11-09"))
            .error()
            .rule == "contract.not_signed");
  CHECK(usecases::notify_contract(*f.database, f.actor, opal_contract.id, std::nullopt, day("2026-11-06"),
                                  day("2026-11-09"))
            .error()
            .rule == "contract.notification.before_signature");
  CHECK(usecases::notify_contract(*f.database, f.actor, opal_contract.id, opal_contract.version, day("2026-11-09"),
                                  day("2026-11-09"))
            .error()
            .rule == "contract.stale");
  REQUIRE(usecases::notify_contract(*f.database, f.actor, opal_contract.id, signed_opal->version, day("2026-11-09"),
                                    day("2026-11-09"))
              .ok());
  CHECK(f.chain("2026-11-09")->stage == AwardStage::to_sign);  // Reims has not signed

  REQUIRE(usecases::sign_contract(*f.database, f.actor, reims_contract.id, std::nullopt, day("2026-11-09"),
                                  day("2026-11-09"))
              .ok());
  CHECK(f.chain("2026-11-09")->stage == AwardStage::to_notify);
  REQUIRE(usecases::notify_contract(*f.database, f.actor, reims_contract.id, std::nullopt, day("2026-11-10"),
                                    day("2026-11-10"))
              .ok());
  chain = f.chain("2026-11-10");
  CHECK(chain->stage == AwardStage::in_force);
  CHECK_FALSE(chain->award_notice_due.has_value());  // no award notice under an adapted procedure
  CHECK(usecases::sign_contract(*f.database, f.actor, 999999, std::nullopt, day("2026-11-10"), day("2026-11-10"))
            .error()
            .rule == "contract.not_found");
  CHECK(f.count("award_letters") == 2);
}
