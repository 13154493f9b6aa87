#pragma once
// Which tender a caller may see: officers all; buyers and member-level finance
// only those in which their member has a lot line (404 for the others).
#include "adapters/db/tender_repository.hpp"
#include "api/handler_support.hpp"

namespace canopee::api {

inline bool tender_concerns(const Tender& tender, std::int64_t member_id) {
  for (const auto& lot : tender.lots) {
    for (const auto& m : lot.members) {
      if (m.member_id == member_id) return true;
    }
  }
  return false;
}

// The tender named by the {id} path parameter, if the caller may see it.
inline Result<Tender> visible_tender(RequestContext& c) {
  auto id = path_id(c, "id");
  if (!id) return std::move(id).error();
  auto tender = db::get_tender(c.read_database(), *id);
  if (!tender) return tender;
  if (auto scope = member_scope(c); scope && !tender_concerns(*tender, *scope)) {
    return Error{ErrorCode::not_found, "consultation introuvable", {}, "tender.not_found"};
  }
  return tender;
}

// The lot named by the {lot} path parameter, if it is one of `tender`'s.
inline Result<const Lot*> lot_of(const Tender& tender, RequestContext& c) {
  auto lot_id = path_id(c, "lot");
  if (!lot_id) return std::move(lot_id).error();
  if (const Lot* lot = find_lot(tender, *lot_id)) return lot;
  return Error{ErrorCode::not_found, "ce lot n’est pas un lot de cette consultation", {}, "lot.not_found"};
}

}  // namespace canopee::api
