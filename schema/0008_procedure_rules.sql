-- Procedure integrity (issue 16): the rules the engine applies need a few facts
-- stored beside the tender.
--
-- A cost criterion may be a life-cycle cost (R2152-9/10), the only single criterion
-- allowed for consultations launched from 2026-08-21 (R2152-7).
ALTER TABLE criteria ADD COLUMN life_cycle_cost INTEGER NOT NULL DEFAULT 0 CHECK (life_cycle_cost IN (0, 1));

-- The officer's own estimate of a lot (R2121-1: a sincere estimate of the whole need),
-- taking precedence over the sum of the members' reference values, which is zero or
-- short when members gave no reference price. NULL: the references stand.
ALTER TABLE lots ADD COLUMN officer_estimate BIGINT CHECK (officer_estimate IS NULL OR officer_estimate > 0);

-- Procurement thresholds as dated settings: rows added by an administrator (CLI
-- `canopee thresholds add`, or POST /v1/thresholds) when a new decree or EU regulation
-- is published, over the built-in table of engine/thresholds.cpp (the defaults). A row
-- for a threshold starting on the same day as a built-in entry replaces it. Seeded with
-- nothing: the built-in table stands until an operator adds a row. Money in cents; the
-- small-lots share in percent.
CREATE TABLE threshold_settings (
  id          {{id}},
  threshold   TEXT NOT NULL CHECK (threshold IN ('eu_supplies_services', 'eu_works', 'no_competition_supplies_services',
                                                 'no_competition_works', 'mapa_publicity', 'small_lot_supplies_services',
                                                 'small_lot_works', 'small_lots_share_percent')),
  valid_from  {{date}} NOT NULL,
  valid_until {{date}},
  value       BIGINT NOT NULL CHECK (value > 0),
  source      TEXT NOT NULL CHECK (length(source) BETWEEN 1 AND 300),
  created_at  {{timestamp}} NOT NULL,
  UNIQUE (threshold, valid_from),
  CHECK (valid_until IS NULL OR valid_until >= valid_from)
);
