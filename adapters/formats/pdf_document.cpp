#include "adapters/formats/pdf_document.hpp"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <array>
#include <memory>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

namespace canopee::formats {
namespace {

// A4 in points, margins of 2 cm.
constexpr double kPageWidth = 595.276;
constexpr double kPageHeight = 841.89;
constexpr double kMargin = 56.7;
constexpr double kBottom = kPageHeight - kMargin;
constexpr double kContentWidth = kPageWidth - 2 * kMargin;
constexpr double kCellPadding = 3.0;

constexpr const char* kBody = "DejaVu Sans 9.5";
constexpr const char* kBodyBold = "DejaVu Sans Bold 9.5";
constexpr const char* kSmall = "DejaVu Sans 7.5";
constexpr const char* kTitle = "DejaVu Sans Bold 14";
constexpr const char* kHeading = "DejaVu Sans Bold 11";
constexpr const char* kItalic = "DejaVu Sans Oblique 9.5";
constexpr std::array<std::pair<const char*, const char*>, 3> kTableFonts{
    {{kBody, kBodyBold}, {"DejaVu Sans 8", "DejaVu Sans Bold 8"}, {"DejaVu Sans 7", "DejaVu Sans Bold 7"}}};

enum class Align : std::uint8_t { left, right, center, justify };

struct LayoutDeleter {
  void operator()(PangoLayout* layout) const { g_object_unref(layout); }
};
using LayoutPtr = std::unique_ptr<PangoLayout, LayoutDeleter>;

// Lays the document out on `cr`; with `draw` false it only measures (the first pass
// counts the pages for the footer).
class Writer {
 public:
  Writer(cairo_t* cr, const Document& document, bool draw, int pages)
      : cr_(cr), document_(document), draw_(draw), pages_(pages) {}

  int write() {
    header();
    for (const auto& block : document_.blocks) {
      switch (block.kind) {
        case DocumentBlock::Kind::heading:
          space(8);
          text_block(block.text, kHeading, Align::left, kMargin, kContentWidth, 4);
          break;
        case DocumentBlock::Kind::paragraph:
          text_block(block.text, kBody, Align::justify, kMargin, kContentWidth, 6);
          break;
        case DocumentBlock::Kind::table: table(block.table); break;
        case DocumentBlock::Kind::to_complete: to_complete(block.text); break;
      }
    }
    if (!document_.signature.empty()) {
      space(18);
      text_block(document_.signature, kBodyBold, Align::left, kPageWidth / 2, kContentWidth / 2, 40);
    }
    footer();
    return page_;
  }

 private:
  LayoutPtr layout(const std::string& text, const char* font, double width, Align align) const {
    LayoutPtr l(pango_cairo_create_layout(cr_));
    PangoFontDescription* description = pango_font_description_from_string(font);
    pango_layout_set_font_description(l.get(), description);
    pango_font_description_free(description);
    pango_layout_set_width(l.get(), static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(l.get(), PANGO_WRAP_WORD_CHAR);
    switch (align) {
      case Align::left: pango_layout_set_alignment(l.get(), PANGO_ALIGN_LEFT); break;
      case Align::right: pango_layout_set_alignment(l.get(), PANGO_ALIGN_RIGHT); break;
      case Align::center: pango_layout_set_alignment(l.get(), PANGO_ALIGN_CENTER); break;
      case Align::justify: pango_layout_set_justify(l.get(), TRUE); break;
    }
    pango_layout_set_text(l.get(), text.c_str(), static_cast<int>(text.size()));
    return l;
  }

  static double height_of(PangoLayout* l) {
    int w = 0;
    int h = 0;
    pango_layout_get_size(l, &w, &h);
    return static_cast<double>(h) / PANGO_SCALE;
  }

  void show(PangoLayout* l, double x, double y, double grey = 0.0) {
    if (!draw_) return;
    cairo_set_source_rgb(cr_, grey, grey, grey);
    cairo_move_to(cr_, x, y);
    pango_cairo_show_layout(cr_, l);
  }

  void new_page() {
    footer();
    if (draw_) cairo_show_page(cr_);
    ++page_;
    y_ = kMargin;
  }

  void ensure(double height) {
    if (y_ + height > kBottom && y_ > kMargin) new_page();
  }

  void space(double points) { y_ += points; }

  double text_block(const std::string& text, const char* font, Align align, double x, double width, double after) {
    auto l = layout(text, font, width, align);
    const double h = height_of(l.get());
    ensure(h);
    show(l.get(), x, y_);
    y_ += h + after;
    return h;
  }

  void header() {
    const double half = kContentWidth / 2;
    double left = y_;
    for (std::size_t i = 0; i < document_.sender.size(); ++i) {
      auto l = layout(document_.sender[i], i == 0 ? kBodyBold : kSmall, half + 40, Align::left);
      show(l.get(), kMargin, left);
      left += height_of(l.get()) + 2;
    }
    auto date = layout("Le " + french_long_date(document_.dated), kBody, half - 40, Align::right);
    show(date.get(), kMargin + half + 40, y_);
    y_ = std::max(left, y_ + height_of(date.get())) + 14;
    if (!document_.recipient.empty()) {
      for (const auto& line : document_.recipient) text_block(line, kBodyBold, Align::left, kMargin + half, half, 2);
      space(12);
    }
    text_block(document_.title, kTitle, Align::center, kMargin, kContentWidth, 4);
    text_block("Référence : " + document_.reference, kSmall, Align::center, kMargin, kContentWidth, 12);
    if (!document_.subject.empty()) text_block(document_.subject, kBodyBold, Align::left, kMargin, kContentWidth, 10);
  }

  void footer() {
    auto l = layout(document_.reference + " — page " + std::to_string(page_) + " / " + std::to_string(pages_), kSmall,
                    kContentWidth, Align::center);
    show(l.get(), kMargin, kPageHeight - kMargin / 2 - 6, 0.35);
  }

  void to_complete(const std::string& what) {
    auto l = layout("À compléter : " + what, kItalic, kContentWidth - 2 * kCellPadding - 4, Align::left);
    const double h = height_of(l.get()) + 2 * kCellPadding + 24;  // room to write
    ensure(h);
    if (draw_) {
      cairo_set_source_rgb(cr_, 0.96, 0.96, 0.96);
      cairo_rectangle(cr_, kMargin, y_, kContentWidth, h);
      cairo_fill_preserve(cr_);
      cairo_set_source_rgb(cr_, 0.6, 0.6, 0.6);
      cairo_set_line_width(cr_, 0.5);
      cairo_stroke(cr_);
    }
    show(l.get(), kMargin + kCellPadding + 2, y_ + kCellPadding, 0.2);
    y_ += h + 8;
  }

  double natural_width(const std::string& text, const char* font) const {
    auto l = layout(text, font, -1, Align::left);
    pango_layout_set_width(l.get(), -1);
    int w = 0;
    int h = 0;
    pango_layout_get_size(l.get(), &w, &h);
    return static_cast<double>(w) / PANGO_SCALE + 2 * kCellPadding + 1;
  }

  // The widest word of `text` (words are split at plain spaces; a no-break space holds
  // « 9 000,00 € » together): a column narrower than that breaks a word.
  double word_width(const std::string& text, const char* font) const {
    double widest = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
      const auto end = std::min(text.find(' ', start), text.size());
      if (end > start) widest = std::max(widest, natural_width(text.substr(start, end - start), font));
      start = end + 1;
    }
    return widest;
  }

  // Each column gets at least its widest word, then the room left goes to the columns
  // whose text would wrap, in proportion to what they lack; the whole is the content width.
  // A figure is never broken: a numeric cell's least width is its whole text. Returns
  // none when even the least widths exceed the page (the caller tries a smaller font).
  std::optional<std::vector<double>> widths(const DocumentTable& t, bool whole_header_words = true) const {
    const std::size_t n = t.header.size();
    std::vector<double> least(n, 0.0);
    std::vector<double> wanted(n, 0.0);
    const auto measure = [&](std::size_t c, const std::string& text, const char* font, bool whole) {
      const double natural = natural_width(text, font);
      least[c] = std::max(least[c], whole ? natural : word_width(text, font));
      wanted[c] = std::max(wanted[c], natural);
    };
    for (std::size_t c = 0; c < n; ++c) {
      if (whole_header_words) {
        measure(c, t.header[c], table_bold_, false);
      } else {
        wanted[c] = std::max(wanted[c], natural_width(t.header[c], table_bold_));
      }
    }
    for (const auto& row : t.rows) {
      for (std::size_t c = 0; c < std::min(n, row.size()); ++c) {
        measure(c, row[c], table_font_, c < t.numeric.size() && t.numeric[c]);
      }
    }
    double least_sum = 0;
    double slack_sum = 0;
    for (std::size_t c = 0; c < n; ++c) {
      least_sum += least[c];
      slack_sum += wanted[c] - least[c];
    }
    std::vector<double> w(n);
    if (least_sum > kContentWidth) return std::nullopt;
    const double room = kContentWidth - least_sum;
    if (slack_sum <= room) {  // everything fits on one line: the rest shared in proportion
      double wanted_sum = 0;
      for (const auto x : wanted) wanted_sum += x;
      for (std::size_t c = 0; c < n; ++c) w[c] = wanted[c] / wanted_sum * kContentWidth;
      return w;
    }
    for (std::size_t c = 0; c < n; ++c) w[c] = least[c] + (wanted[c] - least[c]) / slack_sum * room;
    return w;
  }

  // One row: the height of its tallest cell; drawn with its borders.
  void row(const std::vector<std::string>& cells, const std::vector<double>& w, const std::vector<bool>& numeric,
           bool is_header) {
    std::vector<LayoutPtr> layouts;
    double h = 0;
    for (std::size_t c = 0; c < w.size(); ++c) {
      const std::string text = c < cells.size() ? cells[c] : std::string();
      const bool right = !is_header && c < numeric.size() && numeric[c];
      layouts.push_back(layout(text, is_header ? table_bold_ : table_font_, w[c] - 2 * kCellPadding,
                               right ? Align::right : Align::left));
      h = std::max(h, height_of(layouts.back().get()));
    }
    h += 2 * kCellPadding;
    if (y_ + h > kBottom && y_ > kMargin) {
      new_page();
      if (!is_header) row(current_header_, w, numeric, true);
    }
    double x = kMargin;
    for (std::size_t c = 0; c < w.size(); ++c) {
      if (draw_) {
        if (is_header) {
          cairo_set_source_rgb(cr_, 0.90, 0.92, 0.90);
          cairo_rectangle(cr_, x, y_, w[c], h);
          cairo_fill(cr_);
        }
        cairo_set_source_rgb(cr_, 0.55, 0.55, 0.55);
        cairo_set_line_width(cr_, 0.5);
        cairo_rectangle(cr_, x, y_, w[c], h);
        cairo_stroke(cr_);
      }
      show(layouts[c].get(), x + kCellPadding, y_ + kCellPadding);
      x += w[c];
    }
    y_ += h;
  }

  // A table in the body's size, or smaller (down to 6.5 points) when its figures and words
  // would not fit the width; then the headers' words may break; never a figure, if it fits.
  void table(const DocumentTable& t) {
    if (t.header.empty()) return;
    std::optional<std::vector<double>> fitted;
    for (const bool whole_header_words : {true, false}) {
      for (const auto& [font, bold] : kTableFonts) {
        table_font_ = font;
        table_bold_ = bold;
        if ((fitted = widths(t, whole_header_words))) break;
      }
      if (fitted) break;
    }
    const auto w = fitted ? *fitted
                          : std::vector<double>(t.header.size(), kContentWidth / static_cast<double>(t.header.size()));
    current_header_ = t.header;
    ensure(40);
    row(t.header, w, t.numeric, true);
    for (const auto& r : t.rows) row(r, w, t.numeric, false);
    y_ += 8;
    table_font_ = kBody;
    table_bold_ = kBodyBold;
  }

  cairo_t* cr_;
  const Document& document_;
  bool draw_;
  int pages_;
  int page_ = 1;
  double y_ = kMargin;
  std::vector<std::string> current_header_;
  const char* table_font_ = kBody;
  const char* table_bold_ = kBodyBold;
};

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

int count_pages(const Document& document) {
  cairo_surface_t* surface = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, nullptr);
  cairo_t* cr = cairo_create(surface);
  const int pages = Writer(cr, document, false, 0).write();
  cairo_destroy(cr);
  cairo_surface_destroy(surface);
  return pages;
}

}  // namespace

std::string render_pdf(const Document& document) {
  const int pages = count_pages(document);
  std::string bytes;
  cairo_surface_t* surface = cairo_pdf_surface_create_for_stream(append, &bytes, kPageWidth, kPageHeight);
  const auto date = to_string(document.dated) + "T00:00:00";
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, document.title.c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_SUBJECT, document.reference.c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR,
                                 document.sender.empty() ? "Canopée" : document.sender.front().c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Canopée");
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, date.c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, date.c_str());
  cairo_t* cr = cairo_create(surface);
  Writer(cr, document, true, pages).write();
  cairo_show_page(cr);
  const auto status = cairo_status(cr);
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  const auto finished = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS || finished != CAIRO_STATUS_SUCCESS) {
    throw std::runtime_error(std::string("PDF: ") +
                             cairo_status_to_string(status != CAIRO_STATUS_SUCCESS ? status : finished));
  }
  return bytes;
}

}  // namespace canopee::formats
