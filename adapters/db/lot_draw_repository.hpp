#pragma once
// Drawing lots among tied bids (issue 16, item 10; procurement-rules.md "Ties"):
// the stored draws of a tender's lots, append-only, read into the evaluation
// (engine/evaluation.hpp TieDraw), and the record of a new one.
#include <soci/soci.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "adapters/db/database.hpp"
#include "adapters/db/unit_of_work.hpp"
#include "engine/evaluation.hpp"

namespace canopee::db {

enum class DrawMethod : std::uint8_t { manual, electronic };
std::string_view to_string(DrawMethod method);
Result<DrawMethod> parse_draw_method(std::string_view text, std::string_view field);

struct LotDraw {
  std::int64_t id = 0;
  std::int64_t lot_id = 0;
  std::vector<std::int64_t> order;  // the first drawn ranks first
  DrawMethod method = DrawMethod::manual;
  std::string minutes;              // the procès-verbal: who was present, how lots were drawn
  std::int64_t author_user_id = 0;  // 0: a command run on the server
  std::string author_name;
  std::string recorded_at;  // RFC 3339, UTC
};

// What the officer asks: a draw made by hand and entered (`order` is the drawn
// order), or made by the server's random generator among the tied bids (`order`
// names them, in any order; it may be empty when the lot has a single tie).
struct DrawRequest {
  DrawMethod method = DrawMethod::manual;
  std::vector<std::int64_t> order;
  std::string minutes;
};

// The draws of every lot of a tender, oldest first, by lot id.
std::map<std::int64_t, std::vector<LotDraw>> load_tender_draws(soci::session& sql, std::int64_t tender_id);
std::vector<TieDraw> tie_draws(const std::vector<LotDraw>& draws);
bool lot_has_draw(soci::session& sql, std::int64_t lot_id);
// Inserts the draw (its order as drawn) and returns it as stored.
LotDraw insert_draw(soci::session& sql, const Actor& actor, std::int64_t lot_id, DrawMethod method,
                    const std::vector<std::int64_t>& order, const std::string& minutes);

Result<std::vector<LotDraw>> list_lot_draws(Database& database, std::int64_t tender_id, std::int64_t lot_id);

}  // namespace canopee::db
