#include "engine/cpv.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace canopee {
namespace {

struct StarterEntry {
  const char* code;
  const char* label;
};

constexpr StarterEntry kStarter[] = {
#include "engine/cpv_starter_data.inc"
};

constexpr std::pair<std::string_view, CpvDepth> kDepthNames[] = {{"division", CpvDepth::division},
                                                                 {"group", CpvDepth::group},
                                                                 {"class", CpvDepth::class_},
                                                                 {"category", CpvDepth::category},
                                                                 {"code", CpvDepth::code}};

constexpr std::string_view kLoadHint =
    "n’est pas dans la nomenclature CPV chargée ; pour charger la liste officielle complète, lancer "
    "`canopee cpv import FICHIER` avec le CSV officiel CPV 2008 (voir docs/operations.md)";

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Parses "NNNNNNNN-N" or "NNNNNNNN"; the check digit is nullopt in the second form.
bool parse_code_text(std::string_view text, std::uint32_t& digits, std::optional<std::uint8_t>& check) {
  if (text.size() != 8 && text.size() != 10) return false;
  digits = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    if (!is_digit(text[i])) return false;
    digits = digits * 10 + static_cast<std::uint32_t>(text[i] - '0');
  }
  if (text.size() == 10) {
    if (text[8] != '-' || !is_digit(text[9])) return false;
    check = static_cast<std::uint8_t>(text[9] - '0');
  } else {
    check.reset();
  }
  return true;
}

// Two-byte UTF-8 sequences of Latin-1 letters (C3 xx) and Œ/œ/Æ (C5 92/93, C3 86/A6).
std::string_view fold_latin(unsigned char lead, unsigned char next) {
  if (lead == 0xC3) {
    switch (next) {
      case 0x80:
      case 0x81:
      case 0x82:
      case 0x83:
      case 0x84:
      case 0x85:
      case 0xA0:
      case 0xA1:
      case 0xA2:
      case 0xA3:
      case 0xA4:
      case 0xA5: return "a";
      case 0x86:
      case 0xA6: return "ae";
      case 0x87:
      case 0xA7: return "c";
      case 0x88:
      case 0x89:
      case 0x8A:
      case 0x8B:
      case 0xA8:
      case 0xA9:
      case 0xAA:
      case 0xAB: return "e";
      case 0x8C:
      case 0x8D:
      case 0x8E:
      case 0x8F:
      case 0xAC:
      case 0xAD:
      case 0xAE:
      case 0xAF: return "i";
      case 0x91:
      case 0xB1: return "n";
      case 0x92:
      case 0x93:
      case 0x94:
      case 0x95:
      case 0x96:
      case 0xB2:
      case 0xB3:
      case 0xB4:
      case 0xB5:
      case 0xB6: return "o";
      case 0x99:
      case 0x9A:
      case 0x9B:
      case 0x9C:
      case 0xB9:
      case 0xBA:
      case 0xBB:
      case 0xBC: return "u";
      case 0x9D:
      case 0xBD:
      case 0xBF: return "y";
      default: return {};
    }
  }
  if (lead == 0xC5 && (next == 0x92 || next == 0x93)) return "oe";
  return {};
}

}  // namespace

Result<CpvDepth> parse_cpv_depth(std::string_view text, std::string_view field) {
  for (const auto& [name, depth] : kDepthNames) {
    if (name == text) return depth;
  }
  return Error::invalid(std::string(field), "doit être l’un de code, category, class, group, division",
                        "cpv.depth.unknown");
}

std::string_view to_string(CpvDepth depth) {
  for (const auto& [name, d] : kDepthNames) {
    if (d == depth) return name;
  }
  return "code";
}

std::string cpv_digits_string(std::uint32_t digits) {
  std::string out(8, '0');
  for (int i = 7; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = static_cast<char>('0' + digits % 10);
    digits /= 10;
  }
  return out;
}

std::string to_string(CpvCode code) {
  return cpv_digits_string(code.digits) + '-' + static_cast<char>('0' + code.check);
}

std::uint32_t cpv_prefix(std::uint32_t digits, CpvDepth depth) {
  static constexpr std::uint32_t kDivisor[] = {100000000, 10000000, 1000000, 100000, 10000, 1000, 100, 10, 1};
  const auto divisor = kDivisor[static_cast<int>(depth)];
  return digits / divisor * divisor;
}

int cpv_significant_digits(std::uint32_t digits) {
  int zeros = 0;
  while (zeros < 6 && digits % 10 == 0) {
    digits /= 10;
    ++zeros;
  }
  return 8 - zeros;
}

std::string fold_for_search(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c));
    } else if (i + 1 < text.size()) {
      const auto folded = fold_latin(c, static_cast<unsigned char>(text[i + 1]));
      if (!folded.empty()) {
        out += folded;
        ++i;
      } else {
        out.push_back(static_cast<char>(c));  // other characters kept as they are
      }
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

CpvNomenclature CpvNomenclature::starter() {
  CpvNomenclature nomenclature;
  nomenclature.entries_.reserve(std::size(kStarter));
  for (const auto& entry : kStarter) {
    [[maybe_unused]] const auto status = nomenclature.add(entry.code, entry.label);
  }
  return nomenclature;
}

Status CpvNomenclature::add(std::string_view code, std::string_view label) {
  std::uint32_t digits = 0;
  std::optional<std::uint8_t> check;
  if (code.size() != 10 || !parse_code_text(code, digits, check)) {
    return Error::invalid("code", "doit être un code CPV NNNNNNNN-N", "cpv.format");
  }
  if (label.empty()) return Error::invalid("label", "ne doit pas être vide", "cpv.label.empty");
  if (label.size() > 1000) return Error::invalid("label", "dépasse 1000 caractères", "cpv.label.length");
  Entry entry{CpvCode{digits, *check}, std::string(label), fold_for_search(label)};
  const auto it = std::lower_bound(entries_.begin(), entries_.end(), digits,
                                   [](const Entry& e, std::uint32_t d) { return e.code.digits < d; });
  if (it != entries_.end() && it->code.digits == digits) {
    *it = std::move(entry);
  } else {
    entries_.insert(it, std::move(entry));
  }
  return ok_status();
}

void CpvNomenclature::merge(const CpvNomenclature& other) {
  std::vector<Entry> merged;
  merged.reserve(entries_.size() + other.entries_.size());
  auto a = entries_.begin();
  auto b = other.entries_.begin();
  while (a != entries_.end() || b != other.entries_.end()) {
    if (b == other.entries_.end() || (a != entries_.end() && a->code.digits < b->code.digits)) {
      merged.push_back(std::move(*a++));
    } else {
      if (a != entries_.end() && a->code.digits == b->code.digits) ++a;
      merged.push_back(*b++);
    }
  }
  entries_ = std::move(merged);
}

const CpvNomenclature::Entry* CpvNomenclature::find(std::uint32_t digits) const {
  const auto it = std::lower_bound(entries_.begin(), entries_.end(), digits,
                                   [](const Entry& e, std::uint32_t d) { return e.code.digits < d; });
  return it != entries_.end() && it->code.digits == digits ? &*it : nullptr;
}

Result<CpvCode> CpvNomenclature::validate(std::string_view text, std::string_view field) const {
  std::uint32_t digits = 0;
  std::optional<std::uint8_t> check;
  if (!parse_code_text(text, digits, check)) {
    return Error::invalid(std::string(field), "doit être un code CPV NNNNNNNN-N, par exemple 45442100-8", "cpv.format");
  }
  const Entry* entry = find(digits);
  if (entry == nullptr)
    return Error::invalid(std::string(field), std::string(text) + " " + std::string(kLoadHint), "cpv.unknown");
  if (check && *check != entry->code.check) {
    return Error::invalid(std::string(field), "chiffre de contrôle erroné : le code est " + to_string(entry->code),
                          "cpv.check_digit");
  }
  return entry->code;
}

std::vector<const CpvNomenclature::Entry*> CpvNomenclature::search(std::string_view query, std::string_view code_prefix,
                                                                   std::size_t limit) const {
  std::vector<const Entry*> found;
  if (limit == 0) return found;
  std::vector<std::string> words;
  const std::string folded = fold_for_search(query);
  std::string digits_query;
  for (std::size_t pos = 0; pos < folded.size();) {
    const auto end = std::min(folded.find(' ', pos), folded.size());
    if (end > pos) words.push_back(folded.substr(pos, end - pos));
    pos = end + 1;
  }
  // A query of digits (and a dash) is a code prefix.
  if (words.size() == 1 &&
      std::all_of(words[0].begin(), words[0].end(), [](char c) { return is_digit(c) || c == '-'; })) {
    digits_query = words[0].substr(0, words[0].find('-'));
    words.clear();
  }
  // Start at the first code with the prefix: the entries are sorted by code.
  const auto first = std::lower_bound(entries_.begin(), entries_.end(), code_prefix,
                                      [](const Entry& e, std::string_view p) {
                                        return cpv_digits_string(e.code.digits).compare(0, p.size(), p) < 0;
                                      });
  for (auto it = first; it != entries_.end() && found.size() < limit; ++it) {
    const std::string code = cpv_digits_string(it->code.digits);
    if (code.compare(0, code_prefix.size(), code_prefix) != 0) break;
    if (!digits_query.empty() && code.compare(0, digits_query.size(), digits_query) != 0) continue;
    const bool all_words = std::all_of(words.begin(), words.end(),
                                       [&](const std::string& w) { return it->folded.find(w) != std::string::npos; });
    if (all_words) found.push_back(&*it);
  }
  return found;
}

}  // namespace canopee
