#include "engine/document.hpp"

#include <array>

#include "engine/enum_names.hpp"

namespace canopee {
namespace {

constexpr auto kKinds = enum_names<DocumentKind>("award_letter", "rejection_letter", "closure_letter", "award_notice",
                                                 "presentation_report", "contract_summary", "order_form");
constexpr auto kLabels = enum_names<DocumentKind>("Lettre d’attribution", "Lettre de rejet", "Lettre de clôture",
                                                  "Avis d’attribution", "Rapport de présentation",
                                                  "Acte d’engagement (synthèse)", "Bon de commande");

constexpr std::array<std::string_view, 12> kMonths{"janvier",   "février", "mars",     "avril",
                                                   "mai",       "juin",    "juillet",  "août",
                                                   "septembre", "octobre", "novembre", "décembre"};

}  // namespace

std::string_view to_string(DocumentKind kind) { return kKinds(kind); }
Result<DocumentKind> parse_document_kind(std::string_view text, std::string_view field) {
  return parse_value(kKinds, text, field);
}
std::string_view french_label(DocumentKind kind) { return kLabels(kind); }

Document& Document::heading(std::string text) {
  blocks.push_back({DocumentBlock::Kind::heading, std::move(text), {}});
  return *this;
}

Document& Document::paragraph(std::string text) {
  blocks.push_back({DocumentBlock::Kind::paragraph, std::move(text), {}});
  return *this;
}

Document& Document::table(DocumentTable t) {
  blocks.push_back({DocumentBlock::Kind::table, {}, std::move(t)});
  return *this;
}

Document& Document::to_complete(std::string what) {
  blocks.push_back({DocumentBlock::Kind::to_complete, std::move(what), {}});
  return *this;
}

std::string plain_text(const Document& document) {
  std::string text;
  const auto line = [&](std::string_view s) {
    text += s;
    text += '\n';
  };
  for (const auto& s : document.sender) line(s);
  for (const auto& s : document.recipient) line(s);
  line(document.title);
  line(document.reference);
  line(french_long_date(document.dated));
  if (!document.subject.empty()) line(document.subject);
  for (const auto& block : document.blocks) {
    if (block.kind != DocumentBlock::Kind::table) {
      line(block.text);
      continue;
    }
    for (const auto& cell : block.table.header) line(cell);
    for (const auto& row : block.table.rows) {
      for (const auto& cell : row) line(cell);
    }
  }
  if (!document.signature.empty()) line(document.signature);
  return text;
}

std::string french_long_date(Date date) {
  const auto c = to_civil(date);
  return (c.day == 1 ? std::string("1er") : std::to_string(c.day)) + " " + std::string(kMonths.at(c.month - 1)) + " " +
         std::to_string(c.year);
}

}  // namespace canopee
