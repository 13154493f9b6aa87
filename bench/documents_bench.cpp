// The documents of the award chain: a rejection letter and a rapport de présentation
// written by the engine (engine/award_documents, engine/presentation_report), then
// laid out as PDFs (adapters/formats/pdf_document: Cairo + Pango). The same run's
// baseline is the engine's composition of the same documents as text (plain_text):
// the ratio is the price of the layout.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "adapters/formats/pdf_document.hpp"
#include "bench/support/bench_support.hpp"
#include "engine/award_documents.hpp"
#include "engine/presentation_report.hpp"

using namespace canopee;

namespace {

BidderFacts bidder(std::int64_t id, std::int64_t total, std::int64_t price, std::int64_t tech, int rank) {
  BidderFacts b;
  b.bid_id = id;
  b.supplier = {"Fournisseur " + std::to_string(id) + " SAS", "3890123450001" + std::to_string(id % 10)};
  b.evaluation.bid_id = id;
  b.evaluation.total_price = Amount{total};
  b.evaluation.price_score = price;
  b.evaluation.scores = {{"valeur technique", tech}, {"environnement", 50'0000}};
  b.evaluation.weighted_total = (60 * price + 30 * tech + 10 * 50'0000) / 100;
  b.evaluation.rank = rank;
  b.evaluation.regularity = Regularity::valid;
  BidDecisionRecord valid;
  valid.decision.kind = BidDecisionKind::valid;
  valid.recorded_at = "2027-02-20T10:00:00Z";
  b.decisions = {valid};
  return b;
}

DocumentContext context(int lots) {
  DocumentContext c;
  Tender& t = c.tender;
  t.reference = "CNP-2027-0042";
  t.title = "Entretien des chaudières et fournitures de chauffage";
  t.procedure = Procedure::formal;
  t.contract_start = *parse_date("2027-06-01", "d");
  t.duration_months = 48;
  t.criteria = {{"prix", 60, true, false, false},
                {"valeur technique", 30, false, false, false},
                {"environnement", 10, false, true, false}};
  t.closed_at = *parse_date_time("2027-02-15T12:00:00Z", "t");
  for (int n = 1; n <= lots; ++n) {
    Lot lot;
    lot.id = n;
    lot.number = n;
    lot.title = "Lot " + std::to_string(n) + " — maintenance des chaufferies du secteur " + std::to_string(n);
    lot.cpv = "50720000-8";
    lot.unit = Unit::u;
    lot.quantity = Quantity{120'000};
    lot.estimated_value = Amount{48'000'000};
    lot.status = LotStatus::awarded;
    for (std::int64_t m = 1; m <= 4; ++m)
      lot.members.push_back({m, Quantity{30'000}, Amount{12'000'000}, UnitPrice{0}});
    t.lots.push_back(lot);
  }
  c.buyer = {"OPAL", "27020001700011"};
  c.members = {{1, {"OPAL", "27020001700011"}},
               {2, {"Reims Habitat", ""}},
               {3, {"Oise Habitat", ""}},
               {4, {"OPH d’Amiens Métropole", ""}}};
  c.dated = *parse_date("2027-03-01", "d");
  return c;
}

}  // namespace

int main(int argc, char** argv) {
  const int lots = argc > 1 ? std::atoi(argv[1]) : 20;
  const int bids = 10;
  LetterFacts letter;
  letter.context = context(1);
  letter.lot_id = 1;
  letter.winner = bidder(1, 40'000'000, 100'0000, 80'0000, 1);
  letter.recipient = bidder(2, 44'000'000, 90'9091, 70'0000, 2);
  letter.bids_received = bids;
  letter.decided_on = *parse_date("2027-02-25", "d");
  letter.standstill_days = 11;

  PresentationReportFacts report;
  report.context = context(lots);
  for (int n = 1; n <= lots; ++n) {
    ReportLot r;
    r.lot_id = n;
    for (int b = 1; b <= bids; ++b) {
      r.bidders.push_back(
          bidder(n * 100 + b, 40'000'000 + b * 1'000'000, 100'0000 - b * 5'0000, 90'0000 - b * 3'0000, b));
    }
    r.winning_bid_id = n * 100 + 1;
    r.decided_on = *parse_date("2027-02-25", "d");
    report.lots.push_back(std::move(r));
  }

  constexpr int kLetters = 200;
  std::size_t text_bytes = 0, pdf_bytes = 0;
  const auto letter_text = bench::time_runs(5, [&] {
    for (int i = 0; i < kLetters; ++i) text_bytes = plain_text(rejection_letter(letter)).size();
  });
  const auto letter_pdf = bench::time_runs(5, [&] {
    for (int i = 0; i < kLetters; ++i) pdf_bytes = formats::render_pdf(rejection_letter(letter)).size();
  });
  const double text = bench::median(letter_text) / kLetters;
  const double pdf = bench::median(letter_pdf) / kLetters;
  std::printf("rejection letter (3 criteria, marks side by side), %d per run\n", kLetters);
  std::printf("  baseline: composed as text   %8.1f µs   %8.0f letters/s   %zu bytes\n", text * 1e6, 1 / text,
              text_bytes);
  std::printf("  composed and laid out (PDF)  %8.2f ms   %8.0f letters/s   %zu bytes   %.0f× the text\n", pdf * 1e3,
              1 / pdf, pdf_bytes, pdf / text);

  std::string report_pdf;
  const auto report_text_times = bench::time_runs(5,
                                                  [&] { text_bytes = plain_text(presentation_report(report)).size(); });
  const auto report_pdf_times = bench::time_runs(5, [&] {
    report_pdf = formats::render_pdf(presentation_report(report));
  });
  const double rtext = bench::median(report_text_times);
  const double rpdf = bench::median(report_pdf_times);
  std::printf("rapport de présentation, %d lots × %d bids, 4 members\n", lots, bids);
  std::printf("  baseline: composed as text   %8.2f ms   %zu bytes\n", rtext * 1e3, text_bytes);
  std::printf("  composed and laid out (PDF)  %8.1f ms   %zu bytes   %.0f× the text\n", rpdf * 1e3, report_pdf.size(),
              rpdf / rtext);
  return 0;
}
