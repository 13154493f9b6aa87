#pragma once
// Sending one e-mail over SMTP with libcurl (docs/operations.md, "Notifications").
// Configured by the environment only — the password never on a command line:
//   CANOPEE_SMTP_HOST      the server; unset: no e-mail, in-app notifications only
//   CANOPEE_SMTP_PORT      default 587 (starttls), 465 (tls), 25 (none)
//   CANOPEE_SMTP_TLS       starttls (default), tls (SMTPS from the first byte), none
//   CANOPEE_SMTP_USER      the login, if the server asks for one
//   CANOPEE_SMTP_PASSWORD  its password
//   CANOPEE_SMTP_FROM      the sender's address (required with a host)
#include <optional>
#include <string>

#include "adapters/mail/message.hpp"
#include "engine/result.hpp"

namespace canopee::mail {

enum class TlsMode : std::uint8_t { starttls, tls, none };

struct SmtpSettings {
  std::string host;
  int port = 587;
  TlsMode tls = TlsMode::starttls;
  std::string user;
  std::string password;
  std::string from_address;
  std::string from_name = "Canopée";
  long timeout_seconds = 30;
};

// From the environment: none when CANOPEE_SMTP_HOST is unset or empty; an error
// (stable code smtp.config.*) when it is set but the rest does not hold together.
Result<std::optional<SmtpSettings>> smtp_settings_from_environment();

// Sends `message`; on failure the error's rule is a stable code: smtp.connect
// (server unreachable), smtp.tls, smtp.auth, smtp.rejected (a 4xx/5xx reply:
// the message says which), smtp.timeout, smtp.failed.
Status send_email(const SmtpSettings& settings, const Message& message, Instant at);

}  // namespace canopee::mail
