#pragma once
// A buyer editing its own need while it can still change (draft or submitted): the
// fields the request gave, patched over the need as read and validated against the
// nomenclature (engine/need.cpp: patch_need), stored on the version read.
#include <cstdint>
#include <optional>

#include "adapters/db/database.hpp"
#include "adapters/db/unit_of_work.hpp"
#include "engine/cpv.hpp"
#include "engine/need.hpp"

namespace canopee::usecases {

// `read` is the need as the caller read it (its access check's read); need.not_editable
// once pooled, tendered, awarded or withdrawn.
Result<Need> edit_need(db::Database& database, const db::Actor& actor, const CpvNomenclature& nomenclature,
                       const Need& read, const NeedDraft& patch, std::optional<NeedStatus> status,
                       std::optional<std::int64_t> version);

}  // namespace canopee::usecases
