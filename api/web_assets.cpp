#include "api/web_assets.hpp"

#include <array>
#include <fstream>
#include <sstream>
#include <utility>

namespace canopee::api {
namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return std::move(out).str();
}

}  // namespace

std::string_view content_type_for(std::string_view file_name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kTypes{{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".json", "application/json"},
      {".txt", "text/plain; charset=utf-8"},
  }};
  for (const auto& [extension, type] : kTypes)
    if (file_name.ends_with(extension)) return type;
  return "application/octet-stream";
}

WebAssets WebAssets::load(const std::filesystem::path& root) {
  WebAssets assets;
  std::error_code ignored;
  if (const auto index = root / "index.html"; std::filesystem::is_regular_file(index, ignored))
    assets.index_ = {std::string(content_type_for("index.html")), read_file(index)};
  const auto directory = root / "assets";
  if (!std::filesystem::is_directory(directory, ignored)) return assets;
  for (const auto& entry : std::filesystem::directory_iterator(directory, ignored)) {
    if (!entry.is_regular_file(ignored)) continue;
    const std::string name = entry.path().filename().string();
    assets.assets_.emplace(name, WebFile{std::string(content_type_for(name)), read_file(entry.path())});
  }
  return assets;
}

const WebFile* WebAssets::asset(std::string_view name) const {
  const auto found = assets_.find(name);
  return found == assets_.end() ? nullptr : &found->second;
}

}  // namespace canopee::api
