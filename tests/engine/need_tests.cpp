#include <doctest/doctest.h>

#include <algorithm>

#include "tests/support/need_builder.hpp"

using namespace canopee;

namespace {

bool has_error(const Error& e, const std::string& field) {
  return std::any_of(e.fields.begin(), e.fields.end(), [&](const FieldError& f) { return f.field == field; });
}

}  // namespace

TEST_CASE("a complete need validates into exact values") {
  auto draft = test::need_draft("45442100-8", "12.5", "m2", "18.4500", "80");
  draft.description = "Halls d'entrée,\nbâtiments A à D";
  draft.recurring = true;
  draft.attributes = {{"teinte", "blanc"}, {"finition", "mat"}};
  auto need = validate_need(draft, test::starter_cpv());
  REQUIRE(need.ok());
  CHECK(need->cpv.digits == 45442100);
  CHECK(need->quantity.thousandths == 12500);
  CHECK(need->unit == Unit::m2);
  CHECK(need->reference_unit_price.ten_thousandths == 184500);
  CHECK(to_string(need->department) == "80");
  CHECK(need->recurring);
  REQUIRE(need->attributes.size() == 2);
  CHECK(need->attributes[0].key == "finition");  // sorted by key
}

TEST_CASE("every problem of a need is reported at once, each naming its field") {
  NeedDraft empty;
  auto missing = validate_need(empty, test::starter_cpv());
  REQUIRE_FALSE(missing.ok());
  for (const char* field :
       {"cpv", "title", "quantity", "unit", "reference_unit_price", "department", "period_start", "period_end"}) {
    CAPTURE(field);
    CHECK(has_error(missing.error(), field));
  }

  NeedDraft bad = test::need_draft("99999999-9", "-3", "furlong", "1.23456", "20");
  bad.title = "   ";
  bad.period_start = "2026-12-31";
  bad.period_end = "2026-01-01";
  bad.attributes = {{"Bad Key", "x"}, {"ok", ""}};
  auto invalid = validate_need(bad, test::starter_cpv());
  REQUIRE_FALSE(invalid.ok());
  for (const char* field : {"cpv", "title", "quantity", "unit", "reference_unit_price", "department", "period_end",
                            "attributes", "attributes.ok"}) {
    CAPTURE(field);
    CHECK(has_error(invalid.error(), field));
  }
}

TEST_CASE("need values at their limits") {
  CHECK_FALSE(validate_need(test::need_draft("44810000-1", "0"), test::starter_cpv()).ok());
  CHECK(validate_need(test::need_draft("44810000-1", "0.001"), test::starter_cpv()).ok());
  CHECK(validate_need(test::need_draft("44810000-1", "1", "l", "0"), test::starter_cpv()).ok());
  CHECK_FALSE(validate_need(test::need_draft("44810000-1", "1", "l", "-0.0001"), test::starter_cpv()).ok());
  CHECK_FALSE(validate_need(test::need_draft("44810000-1", "0.0001"), test::starter_cpv()).ok());  // 4 decimals
  // a billion units at a million euros is beyond the largest amount
  CHECK_FALSE(validate_need(test::need_draft("44810000-1", "1000000000", "l", "1000000"), test::starter_cpv()).ok());

  auto long_title = test::need_draft();
  long_title.title = std::string(200, 'e');
  CHECK(validate_need(long_title, test::starter_cpv()).ok());
  long_title.title = std::string(201, 'e');
  CHECK_FALSE(validate_need(long_title, test::starter_cpv()).ok());
  auto accented = test::need_draft();
  accented.title = "";
  for (int i = 0; i < 200; ++i) *accented.title += "é";  // 200 characters, 400 bytes
  CHECK(validate_need(accented, test::starter_cpv()).ok());
  auto control = test::need_draft();
  control.title = "Peinture\x01";
  CHECK_FALSE(validate_need(control, test::starter_cpv()).ok());
  auto broken_utf8 = test::need_draft();
  broken_utf8.title = "Peinture \xC3";
  CHECK_FALSE(validate_need(broken_utf8, test::starter_cpv()).ok());
  auto duplicate = test::need_draft();
  duplicate.attributes = {{"teinte", "blanc"}, {"teinte", "gris"}};
  CHECK(has_error(validate_need(duplicate, test::starter_cpv()).error(), "attributes.teinte"));
}

TEST_CASE("a patch changes only the fields it carries and keeps identity") {
  const Need original = test::make_need(7, 3, test::need_draft());
  NeedDraft patch;
  patch.quantity = "250";
  auto patched = patch_need(original, patch, test::starter_cpv());
  REQUIRE(patched.ok());
  CHECK(patched->quantity.thousandths == 250000);
  CHECK(patched->id == 7);
  CHECK(patched->member_id == 3);
  CHECK(patched->title == original.title);
  NeedDraft bad;
  bad.period_end = "2025-01-01";  // before the start kept from the original
  CHECK_FALSE(patch_need(original, bad, test::starter_cpv()).ok());
}

TEST_CASE("the need status machine") {
  using S = NeedStatus;
  CHECK(need_transition_allowed(S::draft, S::submitted));
  CHECK(need_transition_allowed(S::submitted, S::withdrawn));
  CHECK(need_transition_allowed(S::submitted, S::pooled));
  CHECK(need_transition_allowed(S::pooled, S::tendered));
  CHECK(need_transition_allowed(S::tendered, S::awarded));
  CHECK(need_transition_allowed(S::tendered, S::submitted));  // lot unsuccessful or tender cancelled
  CHECK_FALSE(need_transition_allowed(S::pooled, S::withdrawn));
  CHECK_FALSE(need_transition_allowed(S::awarded, S::submitted));
  CHECK_FALSE(need_transition_allowed(S::withdrawn, S::submitted));
  CHECK(need_is_editable(S::submitted));
  CHECK_FALSE(need_is_editable(S::pooled));
  CHECK(parse_need_status("tendered", "status").value() == S::tendered);
  CHECK_FALSE(parse_need_status("done", "status").ok());
}

TEST_CASE("a need changes or is withdrawn only as a draft or submitted, said in French") {
  Need n;
  n.status = NeedStatus::submitted;
  CHECK(check_need_editable(n));
  CHECK(check_need_withdrawable(n));
  n.status = NeedStatus::pooled;
  const auto refused = check_need_editable(n);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().rule == "need.not_editable");
  CHECK(refused.error().message == "le besoin est « mutualisé » : il ne peut plus changer");
  n.status = NeedStatus::withdrawn;
  CHECK(check_need_withdrawable(n).error().rule == "need.not_withdrawable");
  CHECK(check_need_withdrawable(n).error().message == "le besoin est « retiré » : il ne peut plus être retiré");
  CHECK(french_label(NeedStatus::tendered) == "en consultation");
}
