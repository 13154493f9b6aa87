-- Price revision of contracts in execution (issue 18, item 4; R2112-9 to R2112-14).
-- Index values as the statistics office publishes them (BT/TP indices, INSEE price
-- indices), loaded by an admin, never fetched: one value per index and month, in
-- 1/10,000 of a point. A value once loaded may be corrected (INSEE revises provisional
-- values); each load and correction writes an audit row with the value before and after.
CREATE TABLE price_indices (
  code       TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 20),
  month      TEXT NOT NULL CHECK (length(month) = 7),
  value      BIGINT NOT NULL CHECK (value > 0),
  source     TEXT NOT NULL CHECK (source IN ('typed', 'csv')),
  loaded_at  {{timestamp}} NOT NULL,
  PRIMARY KEY (code, month)
);

-- The price form of a lot, part of the consultation: set while the tender is a draft.
CREATE TABLE lot_price_terms (
  lot_id              BIGINT PRIMARY KEY REFERENCES lots (id),
  kind                TEXT NOT NULL CHECK (kind IN ('firm', 'firm_actualisable', 'revisable')),
  fixed_part_bp       INTEGER NOT NULL CHECK (fixed_part_bp BETWEEN 0 AND 10000),
  index_code          TEXT,
  base_month          TEXT,
  first_revision_on   {{date}},
  periodicity_months  INTEGER CHECK (periodicity_months BETWEEN 1 AND 120),
  version             BIGINT NOT NULL DEFAULT 1
);

-- Each revision of an awarded lot, with what it was computed from and its French
-- explanation (the formula, the index values and the coefficient; each contract's prices are in
-- contract_prices); the coefficient is the exact rational num / den.
CREATE TABLE price_revisions (
  id               {{id}},
  lot_id           BIGINT NOT NULL REFERENCES lots (id),
  effective_on     {{date}} NOT NULL,
  index_code       TEXT NOT NULL,
  index_month      TEXT NOT NULL,
  index_value      BIGINT NOT NULL CHECK (index_value > 0),
  base_month       TEXT NOT NULL,
  base_value       BIGINT NOT NULL CHECK (base_value > 0),
  coefficient_num  BIGINT NOT NULL CHECK (coefficient_num > 0),
  coefficient_den  BIGINT NOT NULL CHECK (coefficient_den > 0),
  explanation      TEXT NOT NULL,
  recorded_at      {{timestamp}} NOT NULL,
  recorded_by      BIGINT REFERENCES users (id),
  UNIQUE (lot_id, effective_on)
);

-- The price of each member contract of the lot from that revision, and why.
CREATE TABLE contract_prices (
  contract_id  BIGINT NOT NULL REFERENCES contracts (id),
  revision_id  BIGINT NOT NULL REFERENCES price_revisions (id),
  unit_price   BIGINT NOT NULL CHECK (unit_price >= 0),
  explanation  TEXT NOT NULL,
  PRIMARY KEY (contract_id, revision_id)
);
CREATE INDEX contract_prices_revision ON contract_prices (revision_id);
