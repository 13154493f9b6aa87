// The documents kept, on both backends without HTTP: a letter is kept when it is
// prepared, dated that day, and linked to its sending when recorded; documents are append-only (the
// store refuses to change them); the integrity check finds bytes that no longer
// match their hash or their audit row — which only someone bypassing the product
// (here: dropping the trigger) could cause.
#include <doctest/doctest.h>

#include "adapters/db/document_repository.hpp"
#include "tests/support/pdf_text.hpp"
#include "tests/support/tender_flow.hpp"
#include "usecases/award_chain.hpp"
#include "usecases/documents.hpp"

using namespace canopee;
using test::day;

namespace {

Instant utc(const char* text) { return *parse_date_time(text, "t"); }

struct Awarded : test::PaintLotWithBids {
  Awarded() { award_to_beta(); }
  Result<usecases::AwardChain> letter(std::int64_t bid, LetterKind kind, const char* sent, const char* now) {
    return usecases::prepare_and_record_letter(*database, actor, tender.id, lot_id(),
                                               {bid, kind, SendingMeans::post, utc(sent), {}}, utc(now),
                                               paris_date(utc(now)));
  }
  void sql(const std::string& statement) {
    auto c = database->acquire();
    REQUIRE(c.ok());
    c->sql() << statement;
  }
};

}  // namespace

TEST_CASE("documents: a letter kept as sent, dated the day it counts from; append-only; verified") {
  Awarded f;
  // Prepared and sent on 2 November, recorded on 4 November: the letter is dated the 2nd, the
  // day it was prepared (the standstill counts from the 4th, its recording: engine/post_award.hpp).
  auto chain = f.letter(f.alpha_bid.id, LetterKind::rejection, "2026-11-02T09:00:00Z", "2026-11-04T09:00:00Z");
  REQUIRE(chain.ok());
  REQUIRE(chain->letters.size() == 1);
  REQUIRE(chain->letters[0].document_id.has_value());
  auto kept = usecases::document_content(*f.database, *chain->letters[0].document_id, usecases::kEveryDocument);
  REQUIRE(kept.ok());
  CHECK(kept->first.kind == DocumentKind::rejection_letter);
  CHECK(to_string(kept->first.dated) == "2026-11-02");
  CHECK(kept->first.sha256 == test::sha256sum(kept->second));
  const auto text = test::pdf_text(kept->second);
  CAPTURE(text);
  CHECK(text.find("Le 2 novembre 2026") != std::string::npos);
  CHECK(text.find("Beta") != std::string::npos);  // the winner named to the rejected bidder
  // A member's user sees no letter; the officer's list has it.
  CHECK(usecases::document_content(*f.database, kept->first.id, {false, f.opal.id}).error().rule ==
        "document.not_found");
  CHECK(usecases::tender_documents(*f.database, f.tender.id, f.lot_id(), usecases::kEveryDocument)->size() == 1);

  // The store refuses to change or delete a document, whoever asks.
  CHECK_THROWS(f.sql("UPDATE documents SET title = 'autre' WHERE id = " + std::to_string(kept->first.id)));
  CHECK_THROWS(f.sql("DELETE FROM documents"));

  auto check = usecases::verify_documents(*f.database);
  REQUIRE(check.ok());
  CHECK(check->checked == 1);
  CHECK(check->problems.empty());

  // Bypassing the product: the bytes replaced under the trigger's nose are found out.
  if (f.database->backend() == db::Backend::sqlite) {
    f.sql("DROP TRIGGER documents_no_update");
  } else {
    f.sql("DROP TRIGGER documents_no_change ON documents");
  }
  f.sql("UPDATE documents SET content = 'JVBERi0xLjUK' WHERE id = " + std::to_string(kept->first.id));
  check = usecases::verify_documents(*f.database);
  REQUIRE(check.ok());
  REQUIRE(check->problems.size() == 1);
  CHECK(check->problems[0].find("ne correspond plus à son empreinte") != std::string::npos);
  CHECK(usecases::document_content(*f.database, kept->first.id, usecases::kEveryDocument).error().rule ==
        "document.altered");
}
