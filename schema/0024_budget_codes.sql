-- Budget and accounting codes, reserved contracts (issue 19 items 9 and 10).
--
-- Each member's own codes: the nature (its chart of accounts, e.g. 6152 « Entretien et
-- réparations ») and the analytic axis (a programme, a group of buildings). A code is
-- never deleted nor renamed once created (needs and order lines carry it as text):
-- it is deactivated, and its label may change.
CREATE TABLE budget_codes (
  id          {{id}},
  member_id   BIGINT NOT NULL REFERENCES members (id),
  kind        TEXT NOT NULL CHECK (kind IN ('nature', 'analytic')),
  code        TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 40),
  label       TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
  active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  version     BIGINT NOT NULL DEFAULT 1,
  created_at  {{timestamp}} NOT NULL,
  UNIQUE (member_id, kind, code)
);

-- The codes a need is charged to (one row per coded need; a need without a row has
-- none). Kept beside the need so that its own columns stay the need's.
CREATE TABLE need_budget_codes (
  need_id          BIGINT PRIMARY KEY REFERENCES needs (id),
  budget_nature    TEXT,
  budget_analytic  TEXT
);

-- The codes an order line is charged to: by default those of the member's needs in the
-- lot when they all agree.
ALTER TABLE order_lines ADD COLUMN budget_nature TEXT;
ALTER TABLE order_lines ADD COLUMN budget_analytic TEXT;

-- Contracts reserved (L2113-12: ESAT and entreprises adaptées; L2113-13: SIAE;
-- L2113-15: ESS enterprises for health, social and cultural services). Settable on a draft.
ALTER TABLE tenders ADD COLUMN reserved TEXT NOT NULL DEFAULT 'none' CHECK (reserved IN ('none', 'esat_ea', 'siae', 'ess'));
