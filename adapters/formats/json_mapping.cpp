#include "adapters/formats/json_mapping.hpp"

#include <boost/json.hpp>

namespace canopee::formats {

namespace json = boost::json;

json::value to_json(const Member& m) {
  return json::object{{"id", m.id},
                      {"code", m.code},
                      {"name", m.name},
                      {"siren", m.siren},
                      {"siret", m.siret ? json::value(*m.siret) : json::value(nullptr)},
                      {"department", to_string(m.department)},
                      {"active", m.active},
                      {"version", m.version}};
}

json::value to_json(const User& u) {
  json::object o{{"id", u.id},         {"email", u.email},    {"name", u.name}, {"role", to_string(u.role)},
                 {"active", u.active}, {"version", u.version}};
  o["member_id"] = u.member_id ? json::value(*u.member_id) : json::value(nullptr);
  return o;
}

json::value to_json(const Supplier& s) {
  return json::object{{"id", s.id},       {"name", s.name},
                      {"siret", s.siret}, {"department", to_string(s.department)},
                      {"sme", s.sme},     {"version", s.version}};
}

json::value to_json(const Need& n) {
  json::object attributes;
  for (const auto& a : n.attributes) attributes[a.key] = a.value;
  return json::object{{"id", n.id},
                      {"member_id", n.member_id},
                      {"cpv", to_string(n.cpv)},
                      {"title", n.title},
                      {"description", n.description},
                      {"quantity", to_string(n.quantity)},
                      {"unit", to_string(n.unit)},
                      {"reference_unit_price", to_string(n.reference_unit_price)},
                      {"reference_source", to_string(n.reference_source)},
                      {"reference_date", n.reference_date ? json::value(to_string(*n.reference_date)) : json::value()},
                      {"reference_index", n.reference_index.empty() ? json::value() : json::value(n.reference_index)},
                      {"reference_missing", reference_missing(n)},
                      {"department", to_string(n.department)},
                      {"period_start", to_string(n.period_start)},
                      {"period_end", to_string(n.period_end)},
                      {"recurring", n.recurring},
                      {"attributes", std::move(attributes)},
                      {"status", to_string(n.status)},
                      {"version", n.version}};
}

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t plain = 0;  // the start of the run of characters written as they are
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + plain, i - plain);
    plain = i + 1;
    out.push_back('\\');
    switch (c) {
      case '"': out.push_back('"'); break;
      case '\\': out.push_back('\\'); break;
      case '\b': out.push_back('b'); break;
      case '\f': out.push_back('f'); break;
      case '\n': out.push_back('n'); break;
      case '\r': out.push_back('r'); break;
      case '\t': out.push_back('t'); break;
      default:
        out.append("u00");
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xf]);
    }
  }
  out.append(text.data() + plain, text.size() - plain);
  out.push_back('"');
}

void append_json(std::string& out, const Need& n) {
  // The keys in to_json's order. An object's keys are unique: a repeated attribute
  // name keeps its first place and its last value, as json::object's operator[] does.
  const auto key = [&out](std::string_view k) {
    out.push_back(',');
    append_json_string(out, k);
    out.push_back(':');
  };
  const auto text = [&out](std::string_view v) { append_json_string(out, v); };
  out.append("{\"id\":");
  out.append(std::to_string(n.id));
  key("member_id"), out.append(std::to_string(n.member_id));
  key("cpv"), text(to_string(n.cpv));
  key("title"), text(n.title);
  key("description"), text(n.description);
  key("quantity"), text(to_string(n.quantity));
  key("unit"), text(to_string(n.unit));
  key("reference_unit_price"), text(to_string(n.reference_unit_price));
  key("reference_source"), text(to_string(n.reference_source));
  key("reference_date");
  if (n.reference_date) {
    text(to_string(*n.reference_date));
  } else {
    out.append("null");
  }
  key("reference_index");
  if (n.reference_index.empty()) {
    out.append("null");
  } else {
    text(n.reference_index);
  }
  key("reference_missing"), out.append(reference_missing(n) ? "true" : "false");
  key("department"), text(to_string(n.department));
  key("period_start"), text(to_string(n.period_start));
  key("period_end"), text(to_string(n.period_end));
  key("recurring"), out.append(n.recurring ? "true" : "false");
  key("attributes");
  out.push_back('{');
  bool first = true;
  const auto& attributes = n.attributes;
  for (std::size_t i = 0; i < attributes.size(); ++i) {
    bool seen = false;
    for (std::size_t j = 0; j < i && !seen; ++j) seen = attributes[j].key == attributes[i].key;
    if (seen) continue;
    const std::string* value = &attributes[i].value;
    for (std::size_t j = i + 1; j < attributes.size(); ++j) {
      if (attributes[j].key == attributes[i].key) value = &attributes[j].value;
    }
    if (!first) out.push_back(',');
    first = false;
    text(attributes[i].key);
    out.push_back(':');
    text(*value);
  }
  out.push_back('}');
  key("status"), text(to_string(n.status));
  key("version"), out.append(std::to_string(n.version));
  out.push_back('}');
}

json::value to_json(const Lot& l) {
  json::array members;
  for (const auto& m : l.members) {
    members.push_back(json::object{{"member_id", m.member_id},
                                   {"quantity", to_string(m.quantity)},
                                   {"reference_value", to_string(m.reference_value)},
                                   {"reference_unit_price", to_string(m.reference_unit_price)}});
  }
  json::array needs;
  for (const auto id : l.need_ids) needs.push_back(id);
  json::object o{{"id", l.id},
                 {"number", l.number},
                 {"key", l.key},
                 {"title", l.title},
                 {"cpv", l.cpv},
                 {"unit", to_string(l.unit)},
                 {"quantity", to_string(l.quantity)},
                 {"estimated_value", to_string(l.estimated_value)},
                 {"status", to_string(l.status)},
                 {"members", std::move(members)},
                 {"need_ids", std::move(needs)},
                 {"version", l.version}};
  o["department"] = l.department ? json::value(to_string(*l.department)) : json::value(nullptr);
  o["officer_estimate"] = l.officer_estimate ? json::value(to_string(*l.officer_estimate)) : json::value(nullptr);
  o["vat_rate"] = format_decimal(l.vat_rate_bp, 2, 1);
  if (l.status == LotStatus::unsuccessful) o["unsuccessful_reason"] = l.unsuccessful_reason;
  return o;
}

json::value to_json(const Tender& t) {
  json::array criteria;
  for (const auto& c : t.criteria) {
    criteria.push_back(json::object{{"name", c.name},
                                    {"weight", c.weight},
                                    {"price", c.is_price},
                                    {"environmental", c.environmental},
                                    {"life_cycle_cost", c.life_cycle_cost}});
  }
  json::array lots;
  for (const auto& l : t.lots) lots.push_back(to_json(l));
  json::object o{{"id", t.id},
                 {"reference", t.reference},
                 {"title", t.title},
                 {"status", to_string(t.status)},
                 {"vehicle", to_string(t.vehicle)},
                 {"coordinator_member_id", t.coordinator_member_id},
                 {"groupement_id", t.groupement_id ? json::value(*t.groupement_id) : json::value(nullptr)},
                 {"kind", to_string(t.kind)},
                 {"procedure", to_string(t.procedure)},
                 {"contract_start", to_string(t.contract_start)},
                 {"duration_months", t.duration_months},
                 {"criteria", std::move(criteria)},
                 {"price_formula", to_string(t.price_formula)},
                 {"abnormally_low_method", to_string(t.abnormally_low_method)},
                 {"tie_break", to_string(t.tie_break)},
                 {"framework_agreement", t.framework_agreement},
                 {"allotment_justification", t.allotment_justification},
                 {"lots", std::move(lots)},
                 {"version", t.version}};
  o["bid_deadline"] = t.bid_deadline.empty() ? json::value(nullptr) : json::value(t.bid_deadline);
  o["launch_date"] = t.launch_date ? json::value(to_string(*t.launch_date)) : json::value(nullptr);
  // The deadline in Paris time with its offset (the instant is the same).
  const auto deadline = parse_date_time(t.bid_deadline, "bid_deadline");
  o["bid_deadline_paris"] = deadline ? json::value(to_paris_string(*deadline)) : json::value(nullptr);
  o["time_limit_reduction"] = to_string(t.time_limit_reduction);
  o["mapa_minimum_days"] = t.mapa_minimum_days;
  const auto limit = minimum_time_limit(t.procedure, t.time_limit_reduction, t.mapa_minimum_days);
  o["minimum_time_limit"] = json::object{{"days", limit.days}, {"article", limit.article}, {"basis", limit.basis}};
  o["published_at"] = t.published_at ? json::value(to_utc_string(*t.published_at)) : json::value(nullptr);
  o["closed_at"] = t.closed_at ? json::value(to_utc_string(*t.closed_at)) : json::value(nullptr);
  o["close_reason"] = t.close_reason.empty() ? json::value(nullptr) : json::value(t.close_reason);
  // Why a launched procedure was declared without follow-up (R2185-1), null otherwise.
  o["cancel_reason"] = t.cancel_reason.empty() ? json::value(nullptr) : json::value(t.cancel_reason);
  // The execution conditions (L2112-2, L2112-2-1), "" when none.
  o["environmental_conditions"] = t.environmental_conditions;
  o["social_considerations"] = t.social_considerations;
  o["social_exception"] = t.social_exception;
  return o;
}

namespace {

json::value date_or_null(const std::optional<Date>& date) {
  return date ? json::value(to_string(*date)) : json::value(nullptr);
}

json::value to_json(const BidDecisionRecord& r) {
  const BidDecision& d = r.decision;
  json::array grounds;
  for (int g : d.grounds) grounds.push_back(g);
  json::object o{{"id", r.id},
                 {"decision", to_string(d.kind)},
                 {"recorded_at", r.recorded_at},
                 {"author", r.author_user_id == 0
                                ? json::value(nullptr)
                                : json::value(json::object{{"user_id", r.author_user_id}, {"name", r.author_name}})},
                 {"reason", d.reason},
                 {"request", d.request},
                 {"deadline", date_or_null(d.deadline)},
                 {"received_on", date_or_null(d.received_on)},
                 {"grounds", std::move(grounds)}};
  return o;
}

}  // namespace

json::value to_json(const Bid& b) {
  json::array tiers;
  for (const auto& t : b.tiers) {
    tiers.push_back(json::object{{"min_quantity", to_string(t.min_quantity)}, {"unit_price", to_string(t.unit_price)}});
  }
  json::object scores;
  for (const auto& s : b.scores) scores[s.criterion] = format_decimal(s.score, kScoreScale, 0);
  json::array decisions;
  for (const auto& d : b.decisions) decisions.push_back(to_json(d));
  json::object o{{"id", b.id},
                 {"lot_id", b.lot_id},
                 {"supplier_id", b.supplier_id},
                 {"regularity", to_string(b.review.regularity)},
                 {"price_review", to_string(b.review.price_review)},
                 {"requested_on", date_or_null(b.review.requested_on)},
                 {"answer_deadline", date_or_null(b.review.deadline)},
                 {"tiers", std::move(tiers)},
                 {"scores", std::move(scores)},
                 {"received_at", b.received_at},
                 {"decisions", std::move(decisions)},
                 {"version", b.version}};
  return o;
}

json::value to_json(const StandalonePurchase& p) {
  json::object o{{"id", p.id},
                 {"member_id", p.member_id},
                 {"cpv", to_string(p.cpv)},
                 {"family", cpv_digits_string(homogeneous_family(p.cpv.digits))},
                 {"label", p.label},
                 {"amount", to_string(p.amount)},
                 {"purchased_on", to_string(p.purchased_on)},
                 {"supplier_name", p.supplier_name},
                 {"supplier_reference", p.supplier_reference},
                 {"status", p.cancelled ? "cancelled" : "recorded"},
                 {"created_at", p.created_at},
                 {"version", p.version}};
  o["created_by"] = p.created_by ? json::value(*p.created_by) : json::value(nullptr);
  o["cancel_reason"] = p.cancelled ? json::value(p.cancel_reason) : json::value(nullptr);
  o["cancelled_at"] = p.cancelled ? json::value(p.cancelled_at) : json::value(nullptr);
  return o;
}

json::value to_json(const Order& order) {
  const auto date = [](const std::optional<Date>& d) { return d ? json::value(to_string(*d)) : json::value(nullptr); };
  json::array lines;
  for (const auto& line : order.lines) {
    lines.push_back(
        json::object{{"description", line.description},
                     {"quantity", to_string(line.quantity)},
                     {"unit_price", to_string(line.unit_price)},
                     {"amount", to_string(line.amount)},
                     {"delivered", to_string(line.delivered)},
                     {"revision_id", line.revision_id ? json::value(*line.revision_id) : json::value(nullptr)},
                     {"budget_nature", line.budget_nature ? json::value(*line.budget_nature) : json::value(nullptr)},
                     {"budget_analytic",
                      line.budget_analytic ? json::value(*line.budget_analytic) : json::value(nullptr)}});
  }
  return json::object{{"id", order.id},
                      {"reference", order.reference},
                      {"contract_id", order.contract_id},
                      {"tender_id", order.tender_id},
                      {"lot_id", order.lot_id},
                      {"member_id", order.member_id},
                      {"status", to_string(order.status)},
                      {"status_label", french_label(order.status)},
                      {"ordered_on", to_string(order.ordered_on)},
                      {"sent_on", date(order.sent_on)},
                      {"delivered_on", date(order.delivered_on)},
                      {"invoiced_on", date(order.invoiced_on)},
                      {"paid_on", date(order.paid_on)},
                      {"cancelled_on", date(order.cancelled_on)},
                      {"delivery_place", order.delivery_place},
                      {"delivery_date", date(order.delivery_date)},
                      {"invoice_reference", order.invoice_reference},
                      {"invoiced_amount",
                       order.invoiced_amount ? json::value(to_string(*order.invoiced_amount)) : json::value(nullptr)},
                      {"cancel_reason", order.cancel_reason},
                      {"total", to_string(order.total)},
                      {"lines", std::move(lines)},
                      {"version", order.version}};
}

template <class T>
std::string to_json_text(const T& record) {
  return json::serialize(to_json(record));
}

template std::string to_json_text(const Member&);
template std::string to_json_text(const User&);
template std::string to_json_text(const Supplier&);
template std::string to_json_text(const Need&);
template std::string to_json_text(const Lot&);
template std::string to_json_text(const Tender&);
template std::string to_json_text(const Bid&);
template std::string to_json_text(const StandalonePurchase&);
template std::string to_json_text(const Order&);

}  // namespace canopee::formats
