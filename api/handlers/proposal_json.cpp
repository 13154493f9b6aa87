#include "api/handlers/proposal_json.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <array>

namespace canopee::api {

namespace bj = boost::json;

namespace {

std::optional<Date> read_date(JsonInput& in, std::string_view field) {
  auto text = in.text(field, false, 10);
  if (!text) return std::nullopt;
  return in.take(parse_date(*text, in.name(field)));
}

}  // namespace

ProposalRequest read_proposal_request(JsonInput& in, Date today) {
  ProposalRequest request;
  const auto civil = to_civil(today);
  request.options.contract_start = add_months(from_civil({civil.year, civil.month, 1}), 1);
  if (const auto* f = in.raw("filter")) {
    auto filter = JsonInput::from(*f, {"cpv_prefix", "departments", "member_ids", "from", "to"}, "filter.");
    if (!filter) {
      in.fail("filter", "doit être un objet", "input.not_object");
    } else {
      if (auto p = filter->text("cpv_prefix", false, 8)) {
        if (p->empty() || p->find_first_not_of("0123456789") != std::string::npos)
          filter->fail("cpv_prefix", "doit compter 1 à 8 chiffres", "proposal.cpv_prefix.format");
        else request.filter.cpv_prefix = *p;
      }
      if (const auto* d = filter->raw("departments")) {
        if (!d->is_array()) {
          filter->fail("departments", "doit être une liste de codes de département", "input.not_list");
        } else {
          for (const auto& item : d->as_array()) {
            const auto field = filter->name("departments");
            auto parsed = item.is_string()
                              ? parse_department(item.as_string(), field)
                              : Result<Department>(
                                    Error::invalid(field, "doit être un code de département", "department.unknown"));
            if (auto department = filter->take(std::move(parsed))) request.filter.departments.push_back(*department);
          }
        }
      }
      if (const auto* m = filter->raw("member_ids")) {
        if (!m->is_array()) {
          filter->fail("member_ids", "doit être une liste d’identifiants de membres", "input.not_list");
        } else {
          for (const auto& item : m->as_array()) {
            if (item.is_int64() && item.as_int64() > 0) request.filter.member_ids.push_back(item.as_int64());
            else filter->fail("member_ids", "doit contenir des entiers positifs", "input.not_integer");
          }
        }
      }
      request.filter.from = read_date(*filter, "from");
      request.filter.to = read_date(*filter, "to");
      for (auto& e : filter->errors()) in.errors().push_back(e);
    }
  }
  if (const auto* o = in.raw("options")) {
    auto options = JsonInput::from(*o,
                                   {"cpv_depth", "split_by_department", "kind", "contract_start", "duration_months",
                                    "min_members", "launch_date", "family_depth"},
                                   "options.");
    if (!options) {
      in.fail("options", "doit être un objet", "input.not_object");
    } else {
      if (auto depth = options->text("cpv_depth", false, 20)) {
        if (auto parsed = options->take(parse_cpv_depth(*depth, options->name("cpv_depth"))))
          request.options.cpv_depth = *parsed;
      }
      if (auto depth = options->text("family_depth", false, 20)) {
        auto parsed = parse_cpv_depth(*depth, "options.family_depth");
        if (parsed && *parsed != CpvDepth::code) request.options.family_depth = *parsed;
        else
          options->fail("family_depth", "doit être division, group, class ou category",
                        "aggregation.family_depth.unknown");
      }
      if (auto split = options->boolean("split_by_department", false)) request.options.split_by_department = *split;
      if (auto kind = options->text("kind", false, 20)) {
        if (auto parsed = options->take(parse_purchase_kind(*kind, options->name("kind"))))
          request.options.kind = *parsed;
      }
      if (auto start = read_date(*options, "contract_start")) request.options.contract_start = *start;
      if (auto months = options->integer("duration_months", false, 1, 120))
        request.options.duration_months = static_cast<int>(*months);
      if (auto members = options->integer("min_members", false, 2, 1000))
        request.options.min_members = static_cast<int>(*members);
      request.launch_date = read_date(*options, "launch_date");
      for (auto& e : options->errors()) in.errors().push_back(e);
    }
  }
  return request;
}

bj::value advice_json(const ProcedureAdvice& advice) {
  bj::array small_lots;
  for (const auto& key : advice.small_lots) small_lots.push_back(bj::value(key));
  bj::array citations;
  for (const auto& c : advice.citations) citations.push_back(bj::object{{"article", c.article}, {"text", c.text}});
  bj::array warnings;
  for (const auto& w : advice.warnings) {
    warnings.push_back(bj::object{{"code", w.code}, {"article", w.article}, {"message", w.message}});
  }
  return bj::object{{"kind", to_string(advice.kind)},
                    {"procedure", to_string(advice.procedure)},
                    {"publicity", to_string(advice.publicity)},
                    {"small_lots", std::move(small_lots)},
                    {"small_lots_value", to_string(advice.small_lots_value)},
                    {"eu_threshold", to_string(advice.eu_threshold)},
                    {"no_competition_threshold", to_string(advice.no_competition_threshold)},
                    {"citations", std::move(citations)},
                    {"warnings", std::move(warnings)}};
}

namespace {

bj::object lot_json(const ProposedLot& lot, const CpvNomenclature& cpv, std::size_t need_ids_inline) {
  bj::array members;
  for (const auto& m : lot.members) {
    bj::array needs;
    const auto ids = lot.need_ids_of(m);
    for (std::size_t i = 0; i < ids.size() && i < need_ids_inline; ++i) needs.push_back(ids[i]);
    members.push_back(bj::object{{"member_id", m.member_id},
                                 {"quantity", to_string(m.quantity)},
                                 {"reference_unit_price", to_string(m.reference_unit_price)},
                                 {"reference_value", to_string(m.reference_value)},
                                 {"need_count", m.need_count},
                                 {"need_ids", std::move(needs)}});
  }
  bj::object attributes;
  for (const auto& a : lot.attributes) attributes[a.key] = a.value;
  const auto* entry = cpv.find(lot.cpv_digits);
  bj::object o{{"key", lot.key},
               {"cpv", entry ? to_string(entry->code) : cpv_digits_string(lot.cpv_digits)},
               {"label", entry ? entry->label : ""},
               {"unit", to_string(lot.unit)},
               {"quantity", to_string(lot.quantity)},
               {"estimated_value", to_string(lot.estimated_value)},
               {"attributes", std::move(attributes)},
               {"need_count", lot.need_ids.size()},
               {"members", std::move(members)}};
  o["department"] = lot.department ? bj::value(to_string(*lot.department)) : bj::value(nullptr);
  return o;
}

bj::object not_pooled_json(const Proposal& proposal, const NotPooled& n) {
  return bj::object{{"need_id", n.need_id}, {"reason", to_string(n.reason)}, {"detail", proposal.detail_of(n)}};
}

bj::array families_json(const Proposal& proposal, const CpvNomenclature& cpv) {
  bj::array families;
  for (const auto& f : proposal.families) {
    const auto* entry = cpv.find(f.cpv_digits);
    families.push_back(bj::object{{"cpv_class", cpv_digits_string(f.cpv_digits)},
                                  {"label", entry ? entry->label : ""},
                                  {"estimated_value", to_string(f.estimated_value)}});
  }
  return families;
}

std::string hex16(std::uint64_t value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, value >>= 4) out[static_cast<std::size_t>(i)] = kDigits[value & 0xfu];
  return out;
}

std::optional<std::uint64_t> parse_hex16(std::string_view text) {
  if (text.size() != 16) return std::nullopt;
  std::uint64_t value = 0;
  for (const char c : text) {
    value <<= 4;
    if (c >= '0' && c <= '9') value |= static_cast<std::uint64_t>(c - '0');
    else if (c >= 'a' && c <= 'f') value |= static_cast<std::uint64_t>(c - 'a' + 10);
    else return std::nullopt;
  }
  return value;
}

// "p<offset>.<needs>.<request>": the offset in decimal (at most 10 digits), then
// the two fingerprints in 16 hex digits each.
std::optional<ProposalPage> parse_cursor(std::string_view text) {
  if (text.size() < 36 || text.size() > 45 || text[0] != 'p') return std::nullopt;
  const auto dot = text.find('.');
  if (dot == std::string_view::npos || dot < 2 || dot > 11 || text.size() != dot + 34 || text[dot + 17] != '.')
    return std::nullopt;
  ProposalPage page;
  for (const char c : text.substr(1, dot - 1)) {
    if (c < '0' || c > '9') return std::nullopt;
    page.offset = page.offset * 10 + static_cast<std::size_t>(c - '0');
  }
  page.needs_fingerprint = parse_hex16(text.substr(dot + 1, 16));
  page.request_fingerprint = parse_hex16(text.substr(dot + 18, 16));
  if (!page.needs_fingerprint || !page.request_fingerprint) return std::nullopt;
  return page;
}

void mix(std::uint64_t& hash, std::string_view text) {
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  hash ^= 0xffu;  // a separator no text holds, so fields cannot run into each other
  hash *= 0x100000001b3ULL;
}

}  // namespace

ProposalPage read_proposal_page(JsonInput& in) {
  ProposalPage page;
  if (auto limit = in.integer("limit", false, 1, static_cast<std::int64_t>(kProposalPageMax)))
    page.limit = static_cast<std::size_t>(*limit);
  if (auto cursor = in.text("cursor", false, 64)) {
    if (auto parsed = parse_cursor(*cursor)) {
      page.offset = parsed->offset;
      page.needs_fingerprint = parsed->needs_fingerprint;
      page.request_fingerprint = parsed->request_fingerprint;
    } else {
      in.fail("cursor", "n’est pas un curseur donné par cette API", "aggregation.cursor.unknown");
    }
  }
  return page;
}

std::uint64_t request_fingerprint(const ProposalRequest& request) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  const auto& f = request.filter;
  const auto& o = request.options;
  const auto date = [](const std::optional<Date>& d) { return d ? to_string(*d) : std::string("-"); };
  mix(hash, f.cpv_prefix);
  for (const auto& d : f.departments) mix(hash, to_string(d));
  mix(hash, "|");
  for (const auto id : f.member_ids) mix(hash, std::to_string(id));
  mix(hash, "|");
  mix(hash, date(f.from));
  mix(hash, date(f.to));
  mix(hash, to_string(o.cpv_depth));
  mix(hash, o.split_by_department ? "1" : "0");
  mix(hash, to_string(o.kind));
  mix(hash, date(o.contract_start));
  mix(hash, std::to_string(o.duration_months));
  mix(hash, std::to_string(o.min_members));
  mix(hash, to_string(o.family_depth));
  mix(hash, date(request.launch_date));
  return hash;
}

Status check_proposal_page(const ProposalPage& page, std::uint64_t request, std::uint64_t needs, std::size_t items) {
  if (!page.needs_fingerprint) return ok_status();
  if (*page.request_fingerprint != request) {
    return Error::invalid("cursor", "ce curseur appartient à une autre proposition (filtre ou options différents)",
                          "aggregation.cursor.other_request");
  }
  if (*page.needs_fingerprint != needs) {
    return Error::rule_broken(ErrorCode::conflict, "aggregation.needs_changed", "cursor",
                              "les besoins soumis ont changé depuis la première page : la proposition n’est plus la "
                              "même, relancez-la depuis le début (sans curseur)");
  }
  if (page.offset == 0 || page.offset >= items) {
    return Error::invalid("cursor", "n’est pas un curseur donné par cette API", "aggregation.cursor.unknown");
  }
  return ok_status();
}

bj::value proposal_page_json(const Proposal& proposal, const ProcedureAdvice& advice, const CpvNomenclature& cpv,
                             const ProposalPage& page, std::uint64_t request, std::uint64_t needs) {
  std::size_t pooled = 0;
  for (const auto& lot : proposal.lots) pooled += lot.need_ids.size();
  std::array<std::size_t, 4> by_reason{};
  for (const auto& n : proposal.not_pooled) ++by_reason.at(static_cast<std::size_t>(n.reason));
  bj::object reasons;
  for (std::size_t r = 0; r < by_reason.size(); ++r) reasons[to_string(static_cast<NotPooledReason>(r))] = by_reason[r];
  const auto lot_count = proposal.lots.size();
  const auto items = lot_count + proposal.not_pooled.size();
  bj::array lots;
  bj::array not_pooled;
  const auto end = std::min(items, page.offset + page.limit);
  for (std::size_t i = page.offset; i < end; ++i) {
    if (i < lot_count) lots.push_back(lot_json(proposal.lots[i], cpv, kNeedIdsInline));
    else not_pooled.push_back(not_pooled_json(proposal, proposal.not_pooled[i - lot_count]));
  }
  bj::object summary{{"lot_count", lot_count},
                     {"needs_pooled", pooled},
                     {"needs_not_pooled", proposal.not_pooled.size()},
                     {"not_pooled_by_reason", std::move(reasons)},
                     {"estimated_total", to_string(proposal.estimated_total)}};
  bj::object body{{"summary", std::move(summary)},
                  {"lots", std::move(lots)},
                  {"not_pooled", std::move(not_pooled)},
                  {"estimated_total", to_string(proposal.estimated_total)},
                  {"families", families_json(proposal, cpv)},
                  {"procedure", advice_json(advice)}};
  body["next_cursor"] = end < items ? bj::value("p" + std::to_string(end) + "." + hex16(needs) + "." + hex16(request))
                                    : bj::value(nullptr);
  return body;
}

}  // namespace canopee::api
