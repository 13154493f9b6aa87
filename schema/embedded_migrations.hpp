#pragma once
// The numbered SQL migrations of schema/, compiled into the binary.
#include <span>
#include <string_view>

namespace canopee::schema {

struct EmbeddedMigration {
  int version;            // the NNNN prefix of the file name
  std::string_view name;  // the file name without extension
  std::string_view sql;   // the file's text, in the portable dialect of docs/development.md
};

// All migrations, in ascending version order.
std::span<const EmbeddedMigration> embedded_migrations();

}  // namespace canopee::schema
