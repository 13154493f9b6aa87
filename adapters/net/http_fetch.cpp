#include "adapters/net/http_fetch.hpp"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <mutex>

namespace canopee::net {
namespace {

struct Sink {
  std::string* body;
  std::size_t limit;
  bool overflow = false;
};

std::size_t on_data(char* data, std::size_t size, std::size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const auto bytes = size * count;
  if (sink->body->size() + bytes > sink->limit) {
    sink->overflow = true;
    return 0;  // aborts the transfer
  }
  sink->body->append(data, bytes);
  return bytes;
}

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

Error unreachable(const std::string& url, std::string_view why) {
  spdlog::warn("identity provider request to {} failed: {}", url, why);
  return Error::of(ErrorCode::unavailable, "le fournisseur d’identité ne répond pas", "oidc.provider_unavailable");
}

}  // namespace

std::string form_escape(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if ((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      out.push_back(c);
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(hex[b >> 4]);
      out.push_back(hex[b & 15]);
    }
  }
  return out;
}

Result<HttpReply> fetch(const HttpRequest& request) {
  global_init();
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return unreachable(request.url, "curl_easy_init");
  HttpReply reply;
  Sink sink{&reply.body, request.max_body};
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, request.timeout_ms);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, std::min<long>(request.timeout_ms, 5000));
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(curl_slist_append(nullptr,
                                                                                        "Accept: application/json"),
                                                                      curl_slist_free_all);
  if (!request.authorization.empty()) {
    headers.reset(curl_slist_append(headers.release(), ("Authorization: " + request.authorization).c_str()));
  }
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  std::string form;
  if (!request.form.empty()) {
    for (const auto& [name, value] : request.form) {
      if (!form.empty()) form.push_back('&');
      form += form_escape(name) + "=" + form_escape(value);
    }
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, form.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(form.size()));
  }
  const CURLcode rc = curl_easy_perform(h);
  if (sink.overflow) return unreachable(request.url, "answer too large");
  if (rc != CURLE_OK) return unreachable(request.url, curl_easy_strerror(rc));
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply.status);
  char* type = nullptr;
  curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &type);
  if (type != nullptr) reply.content_type = type;
  return reply;
}

}  // namespace canopee::net
