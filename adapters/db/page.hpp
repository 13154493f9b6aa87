#pragma once
// Keyset pagination: newest first, by id. A page starts after `before_id`.
#include <cstdint>
#include <optional>
#include <utility>
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

// The page of `rows` read with `LIMIT limit + 1` (newest first): at most `limit`
// items, and where the next page starts when there was one more row.
template <class T>
PageOf<T> to_page(std::vector<T> rows, std::size_t limit) {
  PageOf<T> page;
  if (rows.size() > limit) {
    rows.resize(limit);
    page.next_before_id = rows.back().id;
  }
  page.items = std::move(rows);
  return page;
}

}  // namespace canopee::db
