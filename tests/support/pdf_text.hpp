#pragma once
// Reading a PDF back as a reader would: its text by poppler-utils' pdftotext, its
// page count by pdfinfo, its SHA-256 by coreutils' sha256sum — programs independent
// of the code that wrote and hashed it. Missing programs fail the test loudly.
#include <array>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>

#include "tests/support/temp_dir.hpp"

namespace canopee::test {

inline std::string run_on_pdf(const std::string& command, const std::string& bytes, const std::string& after = "") {
  TempDir dir;
  const auto file = dir.path() / "document.pdf";
  std::ofstream(file, std::ios::binary) << bytes;
  const std::string line = command + " '" + file.string() + "'" + after + " 2>&1";
  FILE* pipe = popen(line.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("cannot run " + command);
  std::string out;
  std::array<char, 4096> buffer{};
  while (const auto n = fread(buffer.data(), 1, buffer.size(), pipe)) out.append(buffer.data(), n);
  const int status = pclose(pipe);
  if (status != 0) throw std::runtime_error(command + " failed (is poppler-utils installed?): " + out);
  return out;
}

// The text, line by line as laid out (-layout: a table row stays one line), with no-break spaces as plain spaces and
// lines joined by single spaces (a sentence may wrap anywhere).
inline std::string pdf_text(const std::string& bytes) {
  std::string text = run_on_pdf("pdftotext -layout -enc UTF-8", bytes, " -");
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 2, "\xc2\xa0") == 0) {
      out += ' ';
      ++i;
    } else if (text[i] == '\n' || text[i] == '\f') {
      out += ' ';
    } else {
      out += text[i];
    }
  }
  std::string squeezed;
  for (const char c : out) {
    if (c == ' ' && !squeezed.empty() && squeezed.back() == ' ') continue;
    squeezed += c;
  }
  return squeezed;
}

inline int pdf_pages(const std::string& bytes) {
  const auto info = run_on_pdf("pdfinfo", bytes);
  const auto at = info.find("Pages:");
  if (at == std::string::npos) throw std::runtime_error("pdfinfo: no page count");
  return std::stoi(info.substr(at + 6));
}

inline std::string sha256sum(const std::string& bytes) { return run_on_pdf("sha256sum", bytes).substr(0, 64); }

}  // namespace canopee::test
