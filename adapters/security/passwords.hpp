#pragma once
// Password hashing with argon2id (libsodium's crypto_pwhash_str): the stored string
// carries the algorithm, its costs and a random salt. The costs are libsodium's
// "interactive" ones (2 passes, 64 MiB): about a tenth of a second per sign-in.
#include <string>
#include <string_view>

namespace canopee::security {

// The argon2id string of a password ("$argon2id$v=19$m=65536,t=2,p=1$…").
std::string hash_password(std::string_view password);
// Whether the password matches the stored string (false for a malformed string).
bool verify_password(std::string_view stored, std::string_view password);
// A hash of a password nobody has, verified when the e-mail address is unknown so that
// an unknown address takes as long to refuse as a wrong password.
const std::string& decoy_password_hash();

}  // namespace canopee::security
