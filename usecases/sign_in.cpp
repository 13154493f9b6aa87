#include "usecases/sign_in.hpp"

#include "adapters/security/passwords.hpp"
#include "adapters/security/tokens.hpp"

namespace canopee::usecases {
namespace {

// A random secret like an API token, with its own prefix so that a session or a link
// pasted where a token is expected is recognised for what it is.
std::string secret(std::string_view prefix) { return std::string(prefix) + security::generate_token().substr(4); }

}  // namespace

Result<SignInResult> sign_in(db::Database& database, const db::Actor& actor, const std::string& email,
                             const std::string& password, Instant now) {
  SignInResult result;
  if (email.size() > 254 || password.size() > kPasswordMaxBytes) return result;  // refused, nothing to look up
  auto found = db::find_password_account(database, email);
  if (!found) return std::move(found).error();
  if (!*found || !(*found)->password_hash) {
    (void)security::verify_password(security::decoy_password_hash(), password);  // as long as a real check
    return result;
  }
  const auto& account = **found;
  result.user = account.user;
  if (now < account.locked_until) {
    result.outcome = SignInResult::Outcome::locked;
    result.locked_until = account.locked_until;
    return result;
  }
  if (!security::verify_password(*account.password_hash, password)) {
    auto failed = db::record_failed_sign_in(database, actor, account.user.id, now);
    if (!failed) return std::move(failed).error();
    if (failed->locked_until) {
      result.outcome = SignInResult::Outcome::locked;
      result.locked_until = *failed->locked_until;
    }
    return result;
  }
  if (!account.user.active) {
    result.outcome = SignInResult::Outcome::revoked;
    return result;
  }
  result.session_token = secret("cns_");
  result.times = new_session_times(now);
  CANOPEE_TRY_STATUS(
      db::open_session(database, actor, account.user.id, security::token_hash(result.session_token), result.times));
  result.outcome = SignInResult::Outcome::signed_in;
  return result;
}

Result<PasswordLink> issue_password_link(db::Database& database, const db::Actor& actor, std::int64_t user_id,
                                         Instant now) {
  PasswordLink link{secret("cnl_"), add_seconds(now, kPasswordLinkSeconds)};
  CANOPEE_TRY_STATUS(db::issue_password_link(database, actor, user_id, security::token_hash(link.token), link.expires));
  return link;
}

Result<User> set_password_with_link(db::Database& database, const db::Actor& actor, const std::string& link_token,
                                    const std::string& password, Instant now) {
  const auto hash = security::token_hash(link_token);
  auto lookup = db::find_password_link(database, hash, now);
  if (!lookup) return std::move(lookup).error();
  switch (lookup->state) {
    case db::LinkState::unknown:
      return Error::of(ErrorCode::not_found, "ce lien n’existe pas : demandez-en un nouveau à votre administrateur",
                       "password_link.unknown");
    case db::LinkState::used:
      return Error::of(ErrorCode::conflict,
                       "ce lien a déjà servi ou a été remplacé : demandez-en un nouveau à votre administrateur",
                       "password_link.used");
    case db::LinkState::expired:
      return Error::of(ErrorCode::conflict, "ce lien a expiré : demandez-en un nouveau à votre administrateur",
                       "password_link.expired");
    case db::LinkState::usable: break;
  }
  const User& user = *lookup->user;
  CANOPEE_TRY_STATUS(check_password(password, user.email));
  CANOPEE_TRY_STATUS(db::set_password_by_link(database, actor, hash, security::hash_password(password), now));
  return user;
}

std::string csrf_token_for(const std::string& session_token) { return security::token_hash("csrf:" + session_token); }

}  // namespace canopee::usecases
