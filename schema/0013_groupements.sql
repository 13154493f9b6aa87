-- The groupement de commandes convention (L2113-6 to L2113-8, issue 16 item 13): the
-- members who signed it and the day each signed, the coordinator and its mission, the
-- scope (CPV families and a period), and the key of the common costs. A tender of the
-- vehicle "groupement" belongs to one; tenders made before this migration keep NULL.
CREATE TABLE groupements (
  id                     {{id}},
  name                   TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  reference              TEXT NOT NULL UNIQUE CHECK (length(reference) BETWEEN 1 AND 50),
  coordinator_member_id  BIGINT NOT NULL REFERENCES members (id),
  mission                TEXT NOT NULL CHECK (mission IN ('procedure', 'notification', 'execution')),
  period_start           {{date}} NOT NULL,
  period_end             {{date}} NOT NULL,
  cost_key               TEXT NOT NULL CHECK (cost_key IN ('contract_value', 'quantity', 'equal', 'fixed')),
  version                BIGINT NOT NULL DEFAULT 1,
  created_at             {{timestamp}} NOT NULL,
  updated_at             {{timestamp}} NOT NULL,
  CHECK (period_start <= period_end)
);

-- The families the convention covers: CPV prefixes of 2 to 8 digits.
CREATE TABLE groupement_scope (
  groupement_id  BIGINT NOT NULL REFERENCES groupements (id),
  cpv_prefix     TEXT NOT NULL CHECK (length(cpv_prefix) BETWEEN 2 AND 8),
  PRIMARY KEY (groupement_id, cpv_prefix)
);

-- Each member's signature of the convention (the day it joined).
CREATE TABLE groupement_members (
  groupement_id  BIGINT NOT NULL REFERENCES groupements (id),
  member_id      BIGINT NOT NULL REFERENCES members (id),
  signed_on      {{date}} NOT NULL,
  PRIMARY KEY (groupement_id, member_id)
);
CREATE INDEX groupement_members_member ON groupement_members (member_id);

ALTER TABLE tenders ADD COLUMN groupement_id BIGINT REFERENCES groupements (id);
