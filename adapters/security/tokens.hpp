#pragma once
// API tokens: 256 random bits shown once; only their SHA-256 is stored.
#include <string>
#include <string_view>

namespace canopee::security {

// "cnp_" followed by 64 hexadecimal digits (from the operating system's CSPRNG).
std::string generate_token();
// Lower-case hexadecimal SHA-256 of the token.
std::string token_hash(std::string_view token);
// Compares two strings in time independent of where they differ.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace canopee::security
