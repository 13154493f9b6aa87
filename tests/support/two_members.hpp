#pragma once
// A running server with an administrator, an officer and two members A and B
// (department 02), and a way to submit needs as a buyer of each: the starting
// point of the API scenarios on a pooled paint or service purchase.
#include <string>

#include "tests/support/api_server.hpp"

namespace canopee::test {

struct TwoMembers {
  ApiServer s;
  Call admin{s.client, s.user(Role::admin, std::nullopt, "admin@x.example")};
  Call officer{s.client, s.user(Role::officer, std::nullopt, "officer@x.example")};
  std::int64_t a = member("A", "270200017");
  std::int64_t b = member("B", "270510027");

  std::int64_t member(const char* code, const char* siren) {
    const auto reply = post_member(admin, code, siren);
    REQUIRE_MESSAGE(reply.result_int() == 201, reply.body());
    return id_of(reply);
  }

  // A submitted need of `member` for 2027, recorded by a new buyer of that member.
  void need(std::int64_t member_id, const char* cpv, const char* quantity, const char* unit, const char* price,
            bool recurring = false) {
    const Call buyer{s.client, s.user(Role::buyer, member_id, "buyer." + std::to_string(++buyers_) + "@x.example")};
    auto draft = in_year(need_draft(cpv, quantity, unit, price), "2027");
    draft.recurring = recurring;
    const auto reply = buyer.post("/v1/needs", need_body(draft));
    REQUIRE_MESSAGE(reply.result_int() == 201, reply.body());
  }

 private:
  int buyers_ = 0;
};

}  // namespace canopee::test
