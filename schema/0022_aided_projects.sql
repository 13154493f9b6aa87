-- Aided projects (issue 19 items 6 and 7; engine/aided_project.hpp): what the CGLLS's
-- Fonds de soutien à l'innovation funds — a study, assistance, engineering, a digital
-- tool — with its members, its eligible expenses (HT, VAT, recoverable or not), the
-- shared costs of joint tenders that belong to it, the rate that applies and the status
-- of the aid. `projected` is the subsidy as last computed (rate, project cap, members'
-- rolling caps); `granted_amount` is what the CGLLS decided, which may differ.
-- Settings read (none is required; no cap is built in): subsidy.collective_rate_bp,
-- subsidy.single_rate_bp, aid.project_cap_cents, aid.member_cap_cents, aid.member_cap_months.
CREATE TABLE aided_projects (
  id                {{id}},
  kind              TEXT NOT NULL CHECK (kind IN ('study', 'assistance', 'engineering', 'digital_tool', 'other')),
  title             TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  collective        INTEGER NOT NULL CHECK (collective IN (0, 1)),
  rate_override_bp  INTEGER CHECK (rate_override_bp BETWEEN 0 AND 10000),
  rate_reason       TEXT NOT NULL DEFAULT '',
  planned_on        {{date}} NOT NULL,
  status            TEXT NOT NULL CHECK (status IN ('planned', 'requested', 'granted', 'paid', 'refused', 'abandoned')),
  requested_on      {{date}},
  granted_on        {{date}},
  paid_on           {{date}},
  closed_on         {{date}},
  granted_amount    BIGINT CHECK (granted_amount > 0),
  projected         BIGINT NOT NULL DEFAULT 0 CHECK (projected >= 0),
  version           BIGINT NOT NULL DEFAULT 1,
  created_at        {{timestamp}} NOT NULL,
  updated_at        {{timestamp}} NOT NULL,
  CHECK (status NOT IN ('granted', 'paid') OR (granted_amount IS NOT NULL AND granted_on IS NOT NULL))
);

-- Each member's part of the projected subsidy (and of the granted amount once granted),
-- as last computed: what the next projects' rolling caps count.
CREATE TABLE aided_project_members (
  project_id  BIGINT NOT NULL REFERENCES aided_projects (id),
  member_id   BIGINT NOT NULL REFERENCES members (id),
  projected   BIGINT NOT NULL DEFAULT 0 CHECK (projected >= 0),
  granted     BIGINT CHECK (granted >= 0),
  PRIMARY KEY (project_id, member_id)
);
CREATE INDEX aided_project_members_member ON aided_project_members (member_id);

CREATE TABLE aided_project_expenses (
  id               {{id}},
  project_id       BIGINT NOT NULL REFERENCES aided_projects (id),
  member_id        BIGINT NOT NULL REFERENCES members (id),
  label            TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
  amount_ht        BIGINT NOT NULL CHECK (amount_ht > 0),
  vat              BIGINT NOT NULL CHECK (vat >= 0),
  vat_rate_bp      INTEGER CHECK (vat_rate_bp BETWEEN 0 AND 10000),
  vat_recoverable  INTEGER NOT NULL CHECK (vat_recoverable IN (0, 1))
);
CREATE INDEX aided_project_expenses_project ON aided_project_expenses (project_id);

-- A shared cost of a joint tender belongs to one project at most (the primary key).
CREATE TABLE aided_project_costs (
  shared_cost_id  BIGINT PRIMARY KEY REFERENCES shared_costs (id),
  project_id      BIGINT NOT NULL REFERENCES aided_projects (id)
);
CREATE INDEX aided_project_costs_project ON aided_project_costs (project_id);

-- The status history, append-only like the audit log: each step with its date (and the
-- amount of a grant), who recorded it and when.
CREATE TABLE aided_project_steps (
  id           {{id}},
  project_id   BIGINT NOT NULL REFERENCES aided_projects (id),
  status       TEXT NOT NULL CHECK (status IN ('planned', 'requested', 'granted', 'paid', 'refused', 'abandoned')),
  step_on      {{date}} NOT NULL,
  amount       BIGINT,
  recorded_at  {{timestamp}} NOT NULL,
  recorded_by  BIGINT REFERENCES users (id)
);
CREATE INDEX aided_project_steps_project ON aided_project_steps (project_id, id);

/*sqlite*/ CREATE TRIGGER aided_project_steps_no_update BEFORE UPDATE ON aided_project_steps BEGIN
  SELECT RAISE(ABORT, 'aided_project_steps are append-only');
END;

/*sqlite*/ CREATE TRIGGER aided_project_steps_no_delete BEFORE DELETE ON aided_project_steps BEGIN
  SELECT RAISE(ABORT, 'aided_project_steps are append-only');
END;

/*postgresql*/ CREATE FUNCTION aided_project_steps_append_only() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RAISE EXCEPTION ''aided_project_steps are append-only'' USING ERRCODE = ''42501''; END';

/*postgresql*/ CREATE TRIGGER aided_project_steps_no_change BEFORE UPDATE OR DELETE ON aided_project_steps FOR EACH ROW EXECUTE FUNCTION aided_project_steps_append_only();

/*postgresql*/ CREATE TRIGGER aided_project_steps_no_truncate BEFORE TRUNCATE ON aided_project_steps FOR EACH STATEMENT EXECUTE FUNCTION aided_project_steps_append_only();

/*postgresql*/ DO 'BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ''canopee_app'') THEN REVOKE UPDATE, DELETE, TRUNCATE ON aided_project_steps FROM canopee_app; END IF; END';
