#pragma once
// A user as the repositories read it: the seven columns of `users` (id, email, name,
// role, member_id, active, version), in that order, bound to a statement.
#include <soci/soci.h>

#include <string>

#include "engine/parties.hpp"

namespace canopee::db {

struct UserRow {
  long long id = 0;
  std::string email, name, role;
  long long member_id = 0;
  soci::indicator member_ind = soci::i_null;
  int active = 1;
  long long version = 1;

  // Binds the seven columns as the statement's next results.
  void bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(email));
    st.exchange(soci::into(name));
    st.exchange(soci::into(role));
    st.exchange(soci::into(member_id, member_ind));
    st.exchange(soci::into(active));
    st.exchange(soci::into(version));
  }
  User to_user() const {
    User u;
    u.id = id;
    u.email = email;
    u.name = name;
    u.role = parse_role(role, "role").value();
    if (member_ind == soci::i_ok) u.member_id = member_id;
    u.active = active != 0;
    u.version = version;
    return u;
  }
};

}  // namespace canopee::db
