#pragma once
// The built web application (web/dist): index.html and the hashed files under
// assets/, read once at start and served from memory. Missing is not an error —
// an API-only deployment simply answers 404 at /.
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

namespace canopee::api {

struct WebFile {
  std::string content_type;
  std::string body;
};

class WebAssets {
 public:
  WebAssets() = default;
  // Reads `root`/index.html and every regular file directly under `root`/assets.
  static WebAssets load(const std::filesystem::path& root);

  const WebFile* index() const { return index_.body.empty() ? nullptr : &index_; }
  const WebFile* asset(std::string_view name) const;
  std::size_t size() const { return assets_.size() + (index() ? 1 : 0); }

 private:
  WebFile index_;
  std::map<std::string, WebFile, std::less<>> assets_;
};

// The content type served for a file name, from its extension.
std::string_view content_type_for(std::string_view file_name);

}  // namespace canopee::api
