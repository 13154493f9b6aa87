#pragma once
// A document (engine/document.hpp) laid out as an A4 PDF with Cairo and Pango: the
// sender's identity, the date and the reference, the recipient, the title, then the
// blocks — headings, justified paragraphs, tables that break across pages with their
// header repeated, boxed parts for the officer to complete — and on each page a footer
// « référence — page n / N ». French typography is Pango's (DejaVu Sans, shipped
// with the product's Debian packages). The PDF's metadata carries the title, the
// reference and the document's date as its creation date: the same document gives
// the same bytes.
#include <string>

#include "engine/document.hpp"

namespace canopee::formats {

// The PDF's bytes. Throws std::runtime_error if Cairo cannot write it.
std::string render_pdf(const Document& document);

}  // namespace canopee::formats
