// Documents laid out as PDFs (adapters/formats/pdf_document.hpp), read back with
// poppler-utils: the words as written, French letters included, tables broken across
// pages with their header repeated, the footer's page numbers, the metadata; the same
// document gives the same bytes.
#include <doctest/doctest.h>

#include "adapters/formats/pdf_document.hpp"
#include "tests/support/pdf_text.hpp"

using namespace canopee;

namespace {

bool has(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

std::size_t occurrences(const std::string& text, std::string_view part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++n;
  return n;
}

Document sample(int rows) {
  Document d;
  d.kind = DocumentKind::presentation_report;
  d.title = "Rapport de présentation";
  d.reference = "CAN-2027-003/RP";
  d.dated = *parse_date("2027-03-01", "d");
  d.sender = {"Office public de l’habitat « Oise Habitat »", "Réseau Canopée"};
  d.recipient = {"Société Œuvres & Façades"};
  d.subject = "Objet : consultation « Peintures »";
  d.paragraph("Déjà reçu : l’offre économiquement la plus avantageuse, à 12 345,67 €.");
  DocumentTable table{{"Colonne A", "Montant HT"}, {}, {false, true}};
  for (int i = 1; i <= rows; ++i) table.rows.push_back({"ligne " + std::to_string(i), std::to_string(i) + ",00 €"});
  d.table(std::move(table));
  d.to_complete("Mesures contre les conflits d’intérêts.");
  d.signature = "Le représentant du pouvoir adjudicateur";
  return d;
}

}  // namespace

TEST_CASE("a document as a PDF: its words in French, its date and reference") {
  const auto pdf = formats::render_pdf(sample(3));
  REQUIRE(pdf.starts_with("%PDF-"));
  const auto text = test::pdf_text(pdf);
  CAPTURE(text);
  CHECK(has(text, "Rapport de présentation"));
  CHECK(has(text, "Office public de l’habitat « Oise"));  // the sender wraps beside the date
  CHECK(has(text, "Société Œuvres & Façades"));
  CHECK(has(text, "Le 1er mars 2027"));
  CHECK(has(text, "Référence : CAN-2027-003/RP"));
  CHECK(has(text, "Déjà reçu : l’offre économiquement la plus avantageuse, à 12 345,67 €."));
  CHECK(has(text, "ligne 3"));
  CHECK(has(text, "À compléter : Mesures contre les conflits d’intérêts."));
  CHECK(has(text, "Le représentant du pouvoir adjudicateur"));
  CHECK(has(text, "CAN-2027-003/RP — page 1 / 1"));
  CHECK(test::pdf_pages(pdf) == 1);
  std::string info;  // pdfinfo's answer, its padding squeezed
  for (const char c : test::run_on_pdf("pdfinfo", pdf)) {
    if (c != ' ' || info.empty() || info.back() != ' ') info += c;
  }
  CAPTURE(info);
  CHECK(has(info, "Title: Rapport de présentation\n"));
  CHECK(has(info, "Subject: CAN-2027-003/RP\n"));
  CHECK(has(info, "CreationDate: Mon Mar 1 00:00:00 2027 UTC"));  // the document's date, not the clock's
  CHECK(formats::render_pdf(sample(3)) == pdf);                   // the same document, the same bytes
}

TEST_CASE("a long table breaks across pages with its header repeated, every page numbered") {
  const auto pdf = formats::render_pdf(sample(150));
  const int pages = test::pdf_pages(pdf);
  CHECK(pages >= 3);
  const auto text = test::pdf_text(pdf);
  CHECK(occurrences(text, "Colonne A") == static_cast<std::size_t>(pages));
  CHECK(has(text, "ligne 150"));
  for (int p = 1; p <= pages; ++p) {
    CHECK(has(text, "page " + std::to_string(p) + " / " + std::to_string(pages)));
  }
}

TEST_CASE("a wide table keeps its figures whole: a smaller font rather than a broken amount") {
  Document d = sample(0);
  d.blocks.clear();
  DocumentTable wide{{"Soumissionnaire", "Montant HT", "prix (60 %)", "valeur technique (25 %)",
                      "performance environnementale (15 %)", "délai de livraison (10 %)", "Note globale", "Rang"},
                     {},
                     {false, true, true, true, true, true, true, true}};
  wide.rows.push_back({"Chauffage Service Picardie", "1\u00a0125\u00a0160,00\u00a0€", "100,00", "80,00", "75,00",
                       "90,00", "91,25", "1"});
  wide.rows.push_back(
      {"Thermique de l’Oise", "1\u00a0132\u00a0300,00\u00a0€", "94,60", "85,00", "60,00", "70,00", "87,01", "2"});
  d.table(std::move(wide));
  const auto text = test::pdf_text(formats::render_pdf(d));
  CAPTURE(text);
  CHECK(has(text, "1 125 160,00 €"));
  CHECK(has(text, "1 132 300,00 €"));
  CHECK(has(text, "91,25"));  // (a header word too long for its column may break: never a figure)
}
