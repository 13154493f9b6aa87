#pragma once
// Keyset pagination: newest first, by id. A page starts after `before_id`.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace canopee::db {

inline constexpr std::size_t kMaxPageSize = 500;

struct Page {
  std::optional<std::int64_t> before_id;  // none: from the newest
  std::size_t limit = 50;
};

// The limit asked, kept within 1–kMaxPageSize.
inline std::size_t clamp_limit(std::size_t limit) { return std::max<std::size_t>(1, std::min(limit, kMaxPageSize)); }

// The id a page starts below: the largest there is when none was given.
inline long long before_key(const Page& page) { return page.before_id.value_or(std::numeric_limits<long long>::max()); }

// The tail of a page's query over a table with an `id` column: `:before` bound to before_key().
inline std::string page_tail(std::string_view id_column, std::size_t limit) {
  return std::string(id_column) + " < :before ORDER BY " + std::string(id_column) + " DESC LIMIT " +
         std::to_string(clamp_limit(limit) + 1);
}

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

// The page of `ids` read with `LIMIT limit + 1`: the ids to show, and where the next page starts.
inline PageOf<long long> to_id_page(std::vector<long long> ids, std::size_t limit) {
  PageOf<long long> page;
  if (ids.size() > limit) {
    ids.resize(limit);
    page.next_before_id = ids.back();
  }
  page.items = std::move(ids);
  return page;
}

}  // namespace canopee::db
