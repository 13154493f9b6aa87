#pragma once
// Keyset pagination: newest first, by id. A page starts after `before_id`.
#include <cstdint>
#include <optional>
#include <vector>

namespace canopee::db {

inline constexpr std::size_t kMaxPageSize = 500;

struct Page {
  std::optional<std::int64_t> before_id;  // none: from the newest
  std::size_t limit = 50;
};

template <class T>
struct PageOf {
  std::vector<T> items;
  std::optional<std::int64_t> next_before_id;  // none: this was the last page
};

}  // namespace canopee::db
