-- The core of the product: members, users, suppliers, needs, tenders and lots,
-- bids, awards, contracts, frozen savings, shared costs, idempotency, audit.
-- Money as BIGINT cents, unit prices as BIGINT 1/10,000 €, quantities as BIGINT
-- 1/1,000 of a unit. Booleans as INTEGER 0/1 in both dialects.

CREATE TABLE members (
  id          {{id}},
  code        TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 20),
  name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  siren       TEXT NOT NULL UNIQUE CHECK (length(siren) = 9),
  department  TEXT NOT NULL,
  active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  version     BIGINT NOT NULL DEFAULT 1,
  created_at  {{timestamp}} NOT NULL,
  updated_at  {{timestamp}} NOT NULL
);

CREATE TABLE users (
  id          {{id}},
  email       TEXT NOT NULL UNIQUE CHECK (length(email) BETWEEN 3 AND 254),
  name        TEXT NOT NULL,
  role        TEXT NOT NULL CHECK (role IN ('admin', 'officer', 'buyer', 'finance')),
  member_id   BIGINT REFERENCES members (id),
  token_hash  TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
  active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  version     BIGINT NOT NULL DEFAULT 1,
  created_at  {{timestamp}} NOT NULL,
  CHECK (role <> 'buyer' OR member_id IS NOT NULL)
);

CREATE TABLE suppliers (
  id          {{id}},
  name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  siret       TEXT NOT NULL UNIQUE CHECK (length(siret) = 14),
  department  TEXT NOT NULL,
  sme         INTEGER NOT NULL DEFAULT 0 CHECK (sme IN (0, 1)),
  version     BIGINT NOT NULL DEFAULT 1,
  created_at  {{timestamp}} NOT NULL
);

CREATE TABLE tenders (
  id                     {{id}},
  reference              TEXT NOT NULL UNIQUE,
  title                  TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  status                 TEXT NOT NULL CHECK (status IN ('draft', 'published', 'closed', 'awarded', 'cancelled')),
  vehicle                TEXT NOT NULL CHECK (vehicle IN ('groupement', 'centrale')),
  coordinator_member_id  BIGINT NOT NULL REFERENCES members (id),
  kind                   TEXT NOT NULL CHECK (kind IN ('supplies', 'services', 'works')),
  procedure              TEXT NOT NULL CHECK (procedure IN ('no_competition', 'adapted', 'formal')),
  contract_start         {{date}} NOT NULL,
  duration_months        INTEGER NOT NULL CHECK (duration_months BETWEEN 1 AND 120),
  bid_deadline           {{timestamp}},
  price_formula          TEXT NOT NULL CHECK (price_formula IN ('proportional', 'linear')),
  abnormally_low_method  TEXT NOT NULL CHECK (abnormally_low_method IN ('two_pass_mean', 'mean_minus_stddev', 'estimate_ratio')),
  framework_agreement    INTEGER NOT NULL DEFAULT 1 CHECK (framework_agreement IN (0, 1)),
  allotment_justification TEXT,
  launch_date            {{date}},
  version                BIGINT NOT NULL DEFAULT 1,
  created_at             {{timestamp}} NOT NULL,
  updated_at             {{timestamp}} NOT NULL
);

CREATE TABLE criteria (
  tender_id      BIGINT NOT NULL REFERENCES tenders (id),
  position       INTEGER NOT NULL,
  name           TEXT NOT NULL,
  weight         INTEGER NOT NULL CHECK (weight BETWEEN 1 AND 100),
  is_price       INTEGER NOT NULL CHECK (is_price IN (0, 1)),
  environmental  INTEGER NOT NULL CHECK (environmental IN (0, 1)),
  PRIMARY KEY (tender_id, position),
  UNIQUE (tender_id, name)
);

CREATE TABLE lots (
  id                   {{id}},
  tender_id            BIGINT NOT NULL REFERENCES tenders (id),
  number               INTEGER NOT NULL CHECK (number >= 1),
  lot_key              TEXT NOT NULL,
  title                TEXT NOT NULL,
  cpv                  TEXT NOT NULL,
  unit                 TEXT NOT NULL,
  department           TEXT,
  quantity             BIGINT NOT NULL CHECK (quantity > 0),
  estimated_value      BIGINT NOT NULL CHECK (estimated_value >= 0),
  status               TEXT NOT NULL CHECK (status IN ('open', 'awarded', 'unsuccessful')),
  unsuccessful_reason  TEXT,
  version              BIGINT NOT NULL DEFAULT 1,
  UNIQUE (tender_id, number)
);

CREATE TABLE lot_lines (
  lot_id                BIGINT NOT NULL REFERENCES lots (id),
  member_id             BIGINT NOT NULL REFERENCES members (id),
  quantity              BIGINT NOT NULL CHECK (quantity > 0),
  reference_value       BIGINT NOT NULL CHECK (reference_value >= 0),
  reference_unit_price  BIGINT NOT NULL CHECK (reference_unit_price >= 0),
  PRIMARY KEY (lot_id, member_id)
);

CREATE TABLE needs (
  id                    {{id}},
  member_id             BIGINT NOT NULL REFERENCES members (id),
  cpv                   TEXT NOT NULL CHECK (length(cpv) = 10),
  title                 TEXT NOT NULL,
  description           TEXT NOT NULL DEFAULT '',
  quantity              BIGINT NOT NULL CHECK (quantity > 0),
  unit                  TEXT NOT NULL,
  reference_unit_price  BIGINT NOT NULL CHECK (reference_unit_price >= 0),
  department            TEXT NOT NULL,
  period_start          {{date}} NOT NULL,
  period_end            {{date}} NOT NULL,
  recurring             INTEGER NOT NULL CHECK (recurring IN (0, 1)),
  status                TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'pooled', 'tendered', 'awarded', 'withdrawn')),
  lot_id                BIGINT REFERENCES lots (id),
  version               BIGINT NOT NULL DEFAULT 1,
  created_at            {{timestamp}} NOT NULL,
  updated_at            {{timestamp}} NOT NULL,
  CHECK (period_start <= period_end)
);
CREATE INDEX needs_member_id ON needs (member_id, id);
CREATE INDEX needs_status_id ON needs (status, id);
CREATE INDEX needs_cpv ON needs (cpv, id);
CREATE INDEX needs_lot ON needs (lot_id);

CREATE TABLE need_attributes (
  need_id  BIGINT NOT NULL REFERENCES needs (id),
  name     TEXT NOT NULL,
  value    TEXT NOT NULL,
  PRIMARY KEY (need_id, name)
);

CREATE TABLE bids (
  id              {{id}},
  lot_id          BIGINT NOT NULL REFERENCES lots (id),
  supplier_id     BIGINT NOT NULL REFERENCES suppliers (id),
  status          TEXT NOT NULL CHECK (status IN ('received', 'valid', 'irregular', 'rejected')),
  justification   TEXT NOT NULL CHECK (justification IN ('none', 'requested', 'accepted', 'refused')),
  received_at     {{timestamp}} NOT NULL,
  version         BIGINT NOT NULL DEFAULT 1,
  UNIQUE (lot_id, supplier_id)
);

CREATE TABLE bid_tiers (
  bid_id        BIGINT NOT NULL REFERENCES bids (id),
  min_quantity  BIGINT NOT NULL CHECK (min_quantity >= 0),
  unit_price    BIGINT NOT NULL CHECK (unit_price >= 0),
  PRIMARY KEY (bid_id, min_quantity)
);

CREATE TABLE bid_scores (
  bid_id     BIGINT NOT NULL REFERENCES bids (id),
  criterion  TEXT NOT NULL,
  score      BIGINT NOT NULL CHECK (score BETWEEN 0 AND 1000000),
  PRIMARY KEY (bid_id, criterion)
);

CREATE TABLE awards (
  lot_id      BIGINT PRIMARY KEY REFERENCES lots (id),
  bid_id      BIGINT NOT NULL REFERENCES bids (id),
  unit_price  BIGINT NOT NULL,
  total       BIGINT NOT NULL,
  awarded_at  {{timestamp}} NOT NULL
);

CREATE TABLE contracts (
  id           {{id}},
  lot_id       BIGINT NOT NULL REFERENCES lots (id),
  member_id    BIGINT NOT NULL REFERENCES members (id),
  supplier_id  BIGINT NOT NULL REFERENCES suppliers (id),
  quantity     BIGINT NOT NULL CHECK (quantity > 0),
  unit_price   BIGINT NOT NULL CHECK (unit_price >= 0),
  amount       BIGINT NOT NULL CHECK (amount >= 0),
  awarded_at   {{timestamp}} NOT NULL,
  UNIQUE (lot_id, member_id)
);
CREATE INDEX contracts_member ON contracts (member_id, id);

-- Frozen at award: the contract-basis figures of each member's line.
CREATE TABLE savings_lines (
  lot_id              BIGINT NOT NULL REFERENCES lots (id),
  member_id           BIGINT NOT NULL REFERENCES members (id),
  reference           BIGINT NOT NULL,
  contract            BIGINT NOT NULL,
  standalone          BIGINT NOT NULL,
  savings             BIGINT NOT NULL,
  pooling_effect      BIGINT NOT NULL,
  competition_effect  BIGINT NOT NULL,
  duration_months     INTEGER NOT NULL,
  awarded_on          {{date}} NOT NULL,
  PRIMARY KEY (lot_id, member_id),
  CHECK (savings = pooling_effect + competition_effect)
);
CREATE INDEX savings_lines_awarded_on ON savings_lines (awarded_on);

CREATE TABLE shared_costs (
  id                {{id}},
  tender_id         BIGINT NOT NULL REFERENCES tenders (id),
  label             TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
  amount            BIGINT NOT NULL CHECK (amount > 0),
  cost_key          TEXT NOT NULL CHECK (cost_key IN ('contract_value', 'quantity', 'equal', 'fixed')),
  subsidy_eligible  INTEGER NOT NULL CHECK (subsidy_eligible IN (0, 1)),
  created_at        {{timestamp}} NOT NULL
);

CREATE TABLE shared_cost_shares (
  shared_cost_id  BIGINT NOT NULL REFERENCES shared_costs (id),
  member_id       BIGINT NOT NULL REFERENCES members (id),
  basis_points    INTEGER NOT NULL CHECK (basis_points BETWEEN 0 AND 10000),
  PRIMARY KEY (shared_cost_id, member_id)
);

-- The latest split of each shared cost (recomputed at each award).
CREATE TABLE cost_splits (
  shared_cost_id  BIGINT NOT NULL REFERENCES shared_costs (id),
  member_id       BIGINT NOT NULL REFERENCES members (id),
  share           BIGINT NOT NULL,
  subsidy         BIGINT NOT NULL,
  subsidy_rate_bp INTEGER NOT NULL,
  PRIMARY KEY (shared_cost_id, member_id)
);

CREATE TABLE idempotency_keys (
  user_id       BIGINT NOT NULL REFERENCES users (id),
  idem_key      TEXT NOT NULL CHECK (length(idem_key) BETWEEN 1 AND 200),
  method        TEXT NOT NULL,
  path          TEXT NOT NULL,
  request_hash  TEXT NOT NULL,
  status        INTEGER NOT NULL,
  response      TEXT NOT NULL,
  created_at    {{timestamp}} NOT NULL,
  PRIMARY KEY (user_id, idem_key)
);

-- Append-only: the application never updates or deletes it.
CREATE TABLE audit_log (
  id          {{id}},
  at          {{timestamp}} NOT NULL,
  user_id     BIGINT,
  member_id   BIGINT,
  entity      TEXT NOT NULL,
  entity_id   BIGINT NOT NULL,
  action      TEXT NOT NULL,
  before_json {{json}},
  after_json  {{json}},
  request_id  TEXT
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, id);
