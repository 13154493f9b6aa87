-- CPV codes loaded by `canopee cpv import` (the official nomenclature), added to
-- the starter set compiled into canopee.
CREATE TABLE cpv_codes (
  code        TEXT PRIMARY KEY CHECK (length(code) = 10),
  label       TEXT NOT NULL CHECK (length(label) > 0),
  imported_at {{timestamp}} NOT NULL
);
