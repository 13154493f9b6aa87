-- Network-wide settings (subsidy rates, threshold overrides, OCDS prefix …),
-- one row per key. Values are text; the code that reads a key parses it.
CREATE TABLE settings (
  key         TEXT PRIMARY KEY,
  value       TEXT NOT NULL,
  updated_at  {{timestamp}} NOT NULL
);
