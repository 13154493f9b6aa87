#include "adapters/mail/smtp.hpp"

#include <curl/curl.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>

namespace canopee::mail {
namespace {

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? std::string(value) : std::string();
}

Error config_error(std::string code, std::string message) {
  return Error::rule_broken(ErrorCode::invalid, std::move(code), "smtp", std::move(message));
}

struct Upload {
  std::string text;
  std::size_t sent = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const std::size_t room = size * count;
  const std::size_t left = upload->text.size() - upload->sent;
  const std::size_t n = std::min(room, left);
  std::memcpy(buffer, upload->text.data() + upload->sent, n);
  upload->sent += n;
  return n;
}

Error send_error(std::string code, std::string message) {
  return Error::rule_broken(ErrorCode::unavailable, std::move(code), "smtp", std::move(message));
}

}  // namespace

Result<std::optional<SmtpSettings>> smtp_settings_from_environment() {
  SmtpSettings s;
  s.host = env("CANOPEE_SMTP_HOST");
  if (s.host.empty()) return std::optional<SmtpSettings>{};
  const std::string tls = env("CANOPEE_SMTP_TLS");
  if (tls.empty() || tls == "starttls") {
    s.tls = TlsMode::starttls;
    s.port = 587;
  } else if (tls == "tls") {
    s.tls = TlsMode::tls;
    s.port = 465;
  } else if (tls == "none") {
    s.tls = TlsMode::none;
    s.port = 25;
  } else {
    return config_error("smtp.config.tls", "CANOPEE_SMTP_TLS doit valoir starttls, tls ou none");
  }
  if (const std::string port = env("CANOPEE_SMTP_PORT"); !port.empty()) {
    char* end = nullptr;
    const long p = std::strtol(port.c_str(), &end, 10);
    if (*end != '\0' || p < 1 || p > 65535)
      return config_error("smtp.config.port", "CANOPEE_SMTP_PORT doit être un port entre 1 et 65535");
    s.port = static_cast<int>(p);
  }
  for (const char c : s.host) {
    if (c == '/' || c == '@' || c == ' ' || c == '?' || c == '#')
      return config_error("smtp.config.host", "CANOPEE_SMTP_HOST doit être un nom d’hôte ou une adresse");
  }
  s.user = env("CANOPEE_SMTP_USER");
  s.password = env("CANOPEE_SMTP_PASSWORD");
  s.from_address = env("CANOPEE_SMTP_FROM");
  if (!plain_address(s.from_address))
    return config_error("smtp.config.from", "CANOPEE_SMTP_FROM doit être l’adresse de l’expéditeur");
  return std::optional<SmtpSettings>{std::move(s)};
}

Status send_email(const SmtpSettings& settings, const Message& message, Instant at) {
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (!plain_address(message.to_address)) return send_error("smtp.recipient", "adresse du destinataire invalide");
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) return send_error("smtp.failed", "libcurl n’a pas démarré");
  const std::string url = std::string(settings.tls == TlsMode::tls ? "smtps://" : "smtp://") + settings.host + ":" +
                          std::to_string(settings.port);
  const std::string from = "<" + settings.from_address + ">";
  const std::string to = "<" + message.to_address + ">";
  Upload upload{render(message, at), 0};
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> rcpt(curl_slist_append(nullptr, to.c_str()),
                                                                   &curl_slist_free_all);
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(c, CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, settings.timeout_seconds);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  if (settings.tls == TlsMode::starttls) curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  if (!settings.user.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, settings.user.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, settings.password.c_str());
  }
  const CURLcode result = curl_easy_perform(c);
  if (result == CURLE_OK) return Done{};
  long reply = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply);
  const std::string detail = std::string(curl_easy_strerror(result)) +
                             (reply ? " (" + std::to_string(reply) + ")" : "");
  switch (result) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST: return send_error("smtp.connect", detail);
    case CURLE_OPERATION_TIMEDOUT: return send_error("smtp.timeout", detail);
    case CURLE_LOGIN_DENIED: return send_error("smtp.auth", detail);
    case CURLE_USE_SSL_FAILED:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION: return send_error("smtp.tls", detail);
    default: break;
  }
  if (reply >= 400) return send_error("smtp.rejected." + std::to_string(reply), detail);
  return send_error("smtp.failed", detail);
}

}  // namespace canopee::mail
