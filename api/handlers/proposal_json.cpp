#include "api/handlers/proposal_json.hpp"

#include <boost/json.hpp>

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

bj::value proposal_json(const Proposal& proposal, const ProcedureAdvice* advice, const CpvNomenclature& cpv) {
  bj::array lots;
  for (const auto& lot : proposal.lots) {
    bj::array members;
    for (const auto& m : lot.members) {
      bj::array needs;
      for (const auto id : lot.need_ids_of(m)) needs.push_back(id);
      members.push_back(bj::object{{"member_id", m.member_id},
                                   {"quantity", to_string(m.quantity)},
                                   {"reference_unit_price", to_string(m.reference_unit_price)},
                                   {"reference_value", to_string(m.reference_value)},
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
                 {"members", std::move(members)}};
    o["department"] = lot.department ? bj::value(to_string(*lot.department)) : bj::value(nullptr);
    lots.push_back(std::move(o));
  }
  bj::array not_pooled;
  for (const auto& n : proposal.not_pooled) {
    not_pooled.push_back(bj::object{{"need_id", n.need_id}, {"reason", to_string(n.reason)}, {"detail", n.detail}});
  }
  bj::array families;
  for (const auto& f : proposal.families) {
    const auto* entry = cpv.find(f.cpv_digits);
    families.push_back(bj::object{{"cpv_class", cpv_digits_string(f.cpv_digits)},
                                  {"label", entry ? entry->label : ""},
                                  {"estimated_value", to_string(f.estimated_value)}});
  }
  bj::object body{{"lots", std::move(lots)},
                  {"not_pooled", std::move(not_pooled)},
                  {"estimated_total", to_string(proposal.estimated_total)},
                  {"families", std::move(families)}};
  body["procedure"] = advice ? advice_json(*advice) : bj::value(nullptr);
  return body;
}

}  // namespace canopee::api
