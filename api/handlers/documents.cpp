// The documents of a procedure (usecases/documents.cpp): the list of a tender's
// documents, producing one, downloading the bytes kept, a letter's draft, the award
// notice's fields.
#include <boost/json.hpp>

#include "api/handler_support.hpp"
#include "api/handlers/tender_access.hpp"
#include "api/json_input.hpp"
#include "api/routes.hpp"
#include "usecases/documents.hpp"

namespace canopee::api {
namespace {

namespace bj = boost::json;

bj::value id_or_null(const std::optional<std::int64_t>& id) { return id ? bj::value(*id) : bj::value(nullptr); }

bj::object document_json(const db::StoredDocument& d) {
  return bj::object{{"id", d.id},
                    {"tender_id", d.subject.tender_id},
                    {"lot_id", id_or_null(d.subject.lot_id)},
                    {"bid_id", id_or_null(d.subject.bid_id)},
                    {"contract_id", id_or_null(d.subject.contract_id)},
                    {"member_id", id_or_null(d.subject.member_id)},
                    {"letter_means",
                     d.subject.letter_means ? bj::value(to_string(*d.subject.letter_means)) : bj::value(nullptr)},
                    {"kind", to_string(d.kind)},
                    {"kind_label", french_label(d.kind)},
                    {"reference", d.reference},
                    {"title", d.title},
                    {"dated", to_string(d.dated)},
                    {"media_type", d.media_type},
                    {"sha256", d.sha256},
                    {"size_bytes", d.size_bytes},
                    {"created_at", d.created_at},
                    {"created_by", id_or_null(d.created_by)},
                    {"href", "/v1/documents/" + std::to_string(d.id)}};
}

// A download name from the reference: letters, digits, '-' and '_' only.
std::string file_name(std::string_view reference) {
  std::string name;
  for (const char ch : reference) {
    const bool plain = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-';
    name += plain ? ch : '_';
  }
  return name.empty() ? "document" : name;
}

Response pdf_response(std::string bytes, std::string_view reference, const std::string& sha256) {
  Response response{http::status::ok, 11};
  response.set(http::field::content_type, "application/pdf");
  response.set(http::field::content_disposition, "attachment; filename=\"" + file_name(reference) + ".pdf\"");
  response.set(http::field::cache_control, "private, no-store");
  if (!sha256.empty()) {
    response.set(http::field::etag, "\"" + sha256 + "\"");
    response.set("Canopee-Document-Sha256", sha256);
  }
  response.body() = std::move(bytes);
  return response;
}

usecases::DocumentReader reader_of(const RequestContext& c) {
  return {c.user && c.user->role == Role::officer, member_scope(c)};
}

// An optional positive id in the body; an error named after the field otherwise.
std::optional<std::int64_t> optional_id(JsonInput& in, const char* field) {
  if (in.is_null(field)) return std::nullopt;
  return in.integer(field, false, 1, INT64_MAX);
}

}  // namespace

void add_document_routes(Router& router) {
  router.add(http::verb::get, "/v1/tenders/{id}/documents", {Role::officer, Role::buyer, Role::finance},
             [](RequestContext& c) {
               CANOPEE_TRY_RESPOND_STATUS(allowed_query(c, {"lot"}));
               CANOPEE_TRY_RESPOND(tender, visible_tender(c));
               CANOPEE_TRY_RESPOND(lot_text, query_param(c, "lot"));
               std::optional<std::int64_t> lot;
               if (lot_text) {
                 lot = parse_integer(*lot_text);
                 if (!lot || *lot < 1) {
                   return error(Error::invalid("lot", "l’identifiant d’un lot de la consultation", "value.invalid"));
                 }
               }
               return respond(usecases::tender_documents(c.services.database, tender.id, lot, reader_of(c)),
                              [](const std::vector<db::StoredDocument>& documents) {
                                return list_json(documents, document_json);
                              });
             });

  router.add(http::verb::post, "/v1/tenders/{id}/documents", {Role::officer}, [](RequestContext& c) {
    if (auto r = require_json(c)) return *r;
    CANOPEE_TRY_RESPOND(tender, visible_tender(c));
    CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(), {"kind", "lot_id", "bid_id", "contract_id"}));
    usecases::DocumentRequest request;
    if (auto text = in.text("kind", true, 40)) {
      if (auto kind = parse_document_kind(*text, "kind")) request.kind = *kind;
      else in.fail("kind", "award_notice, presentation_report, contract_summary ou closure_letter", "value.unknown");
    }
    request.lot_id = optional_id(in, "lot_id");
    request.bid_id = optional_id(in, "bid_id");
    request.contract_id = optional_id(in, "contract_id");
    CANOPEE_TRY_RESPOND_STATUS(in.finish());
    return respond(usecases::produce_document(c.services.database, c.actor, tender.id, request,
                                              c.services.instant_now(), c.services.today()),
                   document_json, http::status::created);
  });

  router.add(http::verb::get, "/v1/documents/{id}", {Role::officer, Role::buyer, Role::finance}, [](RequestContext& c) {
    CANOPEE_TRY_RESPOND(id, path_id(c, "id"));
    CANOPEE_TRY_RESPOND(kept, usecases::document_content(c.services.database, id, reader_of(c)));
    return pdf_response(std::move(kept.second), kept.first.reference, kept.first.sha256);
  });

  // A letter is prepared (kept) before it is sent; its sending is recorded afterwards (POST …/letters).
  router.add(http::verb::post, "/v1/tenders/{id}/lots/{lot}/letters/prepare", {Role::officer}, [](RequestContext& c) {
    if (auto r = require_json(c)) return *r;
    CANOPEE_TRY_RESPOND(tender, visible_tender(c));
    CANOPEE_TRY_RESPOND(lot, lot_of(tender, c));
    CANOPEE_TRY_RESPOND(in, JsonInput::parse(c.request.body(), {"bid_id", "means"}));
    const auto bid_id = in.integer("bid_id", true, 1, INT64_MAX);
    SendingMeans means = SendingMeans::electronic;
    if (auto text = in.text("means", true, 20)) {
      if (auto parsed = parse_sending_means(*text, "means")) means = *parsed;
      else in.fail("means", "electronic (voie électronique) ou post (autre moyen)", "value.unknown");
    }
    CANOPEE_TRY_RESPOND_STATUS(in.finish());
    return respond(usecases::prepare_letter(c.services.database, c.actor, tender.id, lot->id, *bid_id, means,
                                            c.services.instant_now()),
                   document_json, http::status::created);
  });

  router.add(http::verb::get, "/v1/tenders/{id}/lots/{lot}/letters/preview", {Role::officer}, [](RequestContext& c) {
    CANOPEE_TRY_RESPOND_STATUS(allowed_query(c, {"bid_id", "means"}));
    CANOPEE_TRY_RESPOND(tender, visible_tender(c));
    CANOPEE_TRY_RESPOND(lot, lot_of(tender, c));
    CANOPEE_TRY_RESPOND(bid_text, query_param(c, "bid_id"));
    const auto bid = bid_text ? parse_integer(*bid_text) : std::nullopt;
    if (!bid || *bid < 1) {
      return error(Error::invalid("bid_id", "l’identifiant de l’offre à qui écrire",
                                  bid_text ? "value.invalid" : "field.required"));
    }
    CANOPEE_TRY_RESPOND(means_text, query_param(c, "means"));
    SendingMeans means = SendingMeans::electronic;
    if (means_text) {
      auto parsed = parse_sending_means(*means_text, "means");
      if (!parsed) return error(parsed.error());
      means = *parsed;
    }
    CANOPEE_TRY_RESPOND(pdf, usecases::preview_letter(c.services.database, tender.id, lot->id, *bid, means,
                                                      c.services.today()));
    return pdf_response(std::move(pdf), tender.reference + "-projet", "");
  });

  router.add(http::verb::get, "/v1/tenders/{id}/lots/{lot}/award-notice", {Role::officer}, [](RequestContext& c) {
    CANOPEE_TRY_RESPOND(tender, visible_tender(c));
    CANOPEE_TRY_RESPOND(lot, lot_of(tender, c));
    return respond(usecases::award_notice_content(c.services.database, tender.id, lot->id, c.services.today()),
                   [](const std::vector<NoticeField>& fields) {
                     bj::array out;
                     for (const auto& f : fields) {
                       out.push_back(bj::object{{"code", f.code}, {"label", f.label}, {"value", f.value}});
                     }
                     return bj::object{{"fields", std::move(out)}};
                   });
  });
}

}  // namespace canopee::api
