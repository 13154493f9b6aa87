#pragma once
// The Common Procurement Vocabulary (Regulation (EC) No 213/2008): codes
// "NNNNNNNN-N" (8 digits and a check digit), a tree by significant digits —
// division (2), group (3), class (4), category (5), and finer codes.
// A code is valid when it is in the loaded nomenclature: the starter set compiled
// into canopee, plus what `canopee cpv import` loaded.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/result.hpp"

namespace canopee {

enum class CpvDepth : std::uint8_t { division = 2, group = 3, class_ = 4, category = 5, code = 8 };

Result<CpvDepth> parse_cpv_depth(std::string_view text, std::string_view field);
std::string_view to_string(CpvDepth depth);

struct CpvCode {
  std::uint32_t digits = 0;  // the 8-digit number, e.g. 45442100
  std::uint8_t check = 0;    // the check digit
  constexpr auto operator<=>(const CpvCode&) const = default;
};

std::string to_string(CpvCode code);                  // "45442100-8"
std::string cpv_digits_string(std::uint32_t digits);  // "09310000"
// The code's digits kept to `depth` significant digits, the rest zeroed.
std::uint32_t cpv_prefix(std::uint32_t digits, CpvDepth depth);
// How many leading digits carry meaning (2 to 8): 45442100 → 6.
int cpv_significant_digits(std::uint32_t digits);

// Folds French text for searching: lower case, accents removed, œ → oe, æ → ae.
std::string fold_for_search(std::string_view text);

class CpvNomenclature {
 public:
  struct Entry {
    CpvCode code;
    std::string label;   // French label
    std::string folded;  // fold_for_search(label)
  };

  // The starter set compiled into canopee (a few hundred codes with their parents).
  static CpvNomenclature starter();

  CpvNomenclature() = default;
  // Adds or replaces an entry; errors name the field ("code", "label").
  Status add(std::string_view code, std::string_view label);
  // Adds every entry of another nomenclature (its labels win).
  void merge(const CpvNomenclature& other);

  const Entry* find(std::uint32_t digits) const;
  // Parses "NNNNNNNN-N" (or 8 digits alone) and checks it is loaded; the error
  // says how to load the full nomenclature.
  Result<CpvCode> validate(std::string_view text, std::string_view field) const;
  // Entries whose code starts with `code_prefix` (digits) and whose label holds
  // every word of `query` (accents and case ignored; a numeric query matches codes),
  // by code, at most `limit`.
  std::vector<const Entry*> search(std::string_view query, std::string_view code_prefix, std::size_t limit) const;

  std::size_t size() const { return entries_.size(); }
  const std::vector<Entry>& entries() const { return entries_; }

 private:
  std::vector<Entry> entries_;  // sorted by code digits
};

}  // namespace canopee
