-- The officer's decisions on a bid are recorded state machines (issue 16, item 2;
-- engine/bid_review.hpp): the bid carries where its regularity and its price
-- review stand, and bid_decisions keeps every decision with its date, author and
-- reasons, append-only like the audit log.
--
-- The free `status` and `justification` fields are replaced. Existing bids keep
-- their meaning: received, valid and irregular stay; a bid `rejected` after its
-- justification was refused is a valid offer whose explanations were refused; any
-- other `rejected` bid was eliminated and is read as irregular. A bid marked
-- `valid` on a tender still receiving bids was so by the old form's default, before
-- any opening: it is read as received. A pending `requested` has no known deadline
-- and waits for its answer (engine/bid_review.cpp). These carried-over states have
-- no entry in the history: it starts with the first decision recorded after 0006.

ALTER TABLE bids ADD COLUMN regularity TEXT NOT NULL DEFAULT 'received'
  CHECK (regularity IN ('received', 'regularisation_requested', 'valid', 'irregular', 'unacceptable', 'inappropriate'));

ALTER TABLE bids ADD COLUMN price_review TEXT NOT NULL DEFAULT 'none'
  CHECK (price_review IN ('none', 'questioned', 'requested', 'answered', 'accepted', 'refused'));

ALTER TABLE bids ADD COLUMN review_requested_on {{date}};

ALTER TABLE bids ADD COLUMN review_deadline {{date}};

UPDATE bids SET
  regularity = CASE
    WHEN status = 'valid' AND lot_id IN (SELECT l.id FROM lots l JOIN tenders t ON t.id = l.tender_id
                                         WHERE t.status IN ('published', 'draft')) THEN 'received'
    WHEN status IN ('received', 'valid', 'irregular') THEN status
    WHEN justification = 'refused' THEN 'valid'
    ELSE 'irregular' END,
  price_review = justification;

ALTER TABLE bids DROP COLUMN status;

ALTER TABLE bids DROP COLUMN justification;

CREATE TABLE bid_decisions (
  id              {{id}},
  bid_id          BIGINT NOT NULL REFERENCES bids (id),
  decision        TEXT NOT NULL CHECK (decision IN ('valid', 'regularisation_requested', 'irregular', 'unacceptable',
                    'inappropriate', 'price_questioned', 'explanations_requested', 'explanations_received',
                    'explanations_accepted', 'explanations_refused')),
  reason          TEXT NOT NULL DEFAULT '',
  request         TEXT NOT NULL DEFAULT '',
  deadline        {{date}},
  received_on     {{date}},
  grounds         TEXT NOT NULL DEFAULT '',
  author_user_id  BIGINT REFERENCES users (id),  -- NULL: a command run on the server (demo data)
  recorded_at     {{timestamp}} NOT NULL
);

CREATE INDEX bid_decisions_bid ON bid_decisions (bid_id, id);

/*sqlite*/ CREATE TRIGGER bid_decisions_no_update BEFORE UPDATE ON bid_decisions BEGIN
  SELECT RAISE(ABORT, 'bid_decisions is append-only');
END;

/*sqlite*/ CREATE TRIGGER bid_decisions_no_delete BEFORE DELETE ON bid_decisions BEGIN
  SELECT RAISE(ABORT, 'bid_decisions is append-only');
END;

/*postgresql*/ CREATE FUNCTION bid_decisions_append_only() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RAISE EXCEPTION ''bid_decisions is append-only'' USING ERRCODE = ''42501''; END';

/*postgresql*/ CREATE TRIGGER bid_decisions_no_change BEFORE UPDATE OR DELETE ON bid_decisions FOR EACH ROW EXECUTE FUNCTION bid_decisions_append_only();

/*postgresql*/ CREATE TRIGGER bid_decisions_no_truncate BEFORE TRUNCATE ON bid_decisions FOR EACH STATEMENT EXECUTE FUNCTION bid_decisions_append_only();

/*postgresql*/ DO 'BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ''canopee_app'') THEN REVOKE UPDATE, DELETE, TRUNCATE ON bid_decisions FROM canopee_app; END IF; END';
