-- Modifications of a member's contract (avenants, R2194-1 to R2194-9; issue 18 item 5):
-- numbered 1, 2, … per contract in the order they were signed, each with its ground, what
-- it changes and why, the change of the contract's maximum or amount in the contract's
-- basis (cents of euro HT or thousandths of the unit, engine/framework.hpp) and of its
-- duration in months. Like the audit log and the documents, modifications are
-- append-only: a modification is undone by another one, never by editing the first.
CREATE TABLE contract_modifications (
  id                {{id}},
  contract_id       BIGINT NOT NULL REFERENCES contracts (id),
  number            INTEGER NOT NULL CHECK (number >= 1),
  ground            TEXT NOT NULL CHECK (ground IN ('review_clause', 'additional', 'unforeseen', 'holder_change',
                                                    'non_substantial', 'de_minimis')),
  object            TEXT NOT NULL,
  justification     TEXT NOT NULL DEFAULT '',
  clause_reference  TEXT NOT NULL DEFAULT '',
  signed_on         {{date}} NOT NULL,
  amount_change     BIGINT NOT NULL,
  months_change     INTEGER NOT NULL DEFAULT 0 CHECK (months_change BETWEEN 0 AND 120),
  recorded_at       {{timestamp}} NOT NULL,
  recorded_by       BIGINT REFERENCES users (id),
  UNIQUE (contract_id, number)
);

/*sqlite*/ CREATE TRIGGER contract_modifications_no_update BEFORE UPDATE ON contract_modifications BEGIN
  SELECT RAISE(ABORT, 'contract_modifications are append-only');
END;

/*sqlite*/ CREATE TRIGGER contract_modifications_no_delete BEFORE DELETE ON contract_modifications BEGIN
  SELECT RAISE(ABORT, 'contract_modifications are append-only');
END;

/*postgresql*/ CREATE FUNCTION contract_modifications_append_only() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RAISE EXCEPTION ''contract_modifications are append-only'' USING ERRCODE = ''42501''; END';

/*postgresql*/ CREATE TRIGGER contract_modifications_no_change BEFORE UPDATE OR DELETE ON contract_modifications FOR EACH ROW EXECUTE FUNCTION contract_modifications_append_only();

/*postgresql*/ CREATE TRIGGER contract_modifications_no_truncate BEFORE TRUNCATE ON contract_modifications FOR EACH STATEMENT EXECUTE FUNCTION contract_modifications_append_only();

/*postgresql*/ DO 'BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ''canopee_app'') THEN REVOKE UPDATE, DELETE, TRUNCATE ON contract_modifications FROM canopee_app; END IF; END';
