-- Ties (issue 16, item 10; procurement-rules.md "Ties"): bids with equal weighted
-- totals are separated by the rule the tender announces in its rules of the
-- consultation, then only by drawing lots, recorded — never by the order of entry.
-- Existing tenders are given the usual rule, the best mark on the heaviest criterion.
ALTER TABLE tenders ADD COLUMN tie_break TEXT NOT NULL DEFAULT 'heaviest_criterion'
  CHECK (tie_break IN ('heaviest_criterion', 'lowest_price'));
-- A drawing of lots among tied bids of a lot: the bids in the order drawn (ids joined
-- by commas, the first drawn ranks first), how it was drawn (by the officer and entered,
-- or by the server's random generator), and the minutes (who was present, how).
-- Append-only: a draw is never changed, a later one holding the same bids prevails.
CREATE TABLE lot_draws (
  id              {{id}},
  lot_id          BIGINT NOT NULL REFERENCES lots (id),
  bid_order       TEXT NOT NULL,
  method          TEXT NOT NULL CHECK (method IN ('manual', 'electronic')),
  minutes         TEXT NOT NULL,
  author_user_id  BIGINT REFERENCES users (id),  -- NULL: a command run on the server
  recorded_at     {{timestamp}} NOT NULL
);
CREATE INDEX lot_draws_lot ON lot_draws (lot_id, id);
/*sqlite*/ CREATE TRIGGER lot_draws_no_update BEFORE UPDATE ON lot_draws BEGIN
  SELECT RAISE(ABORT, 'lot_draws is append-only');
END;
/*sqlite*/ CREATE TRIGGER lot_draws_no_delete BEFORE DELETE ON lot_draws BEGIN
  SELECT RAISE(ABORT, 'lot_draws is append-only');
END;
/*postgresql*/ CREATE FUNCTION lot_draws_append_only() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RAISE EXCEPTION ''lot_draws is append-only'' USING ERRCODE = ''42501''; END';
/*postgresql*/ CREATE TRIGGER lot_draws_no_change BEFORE UPDATE OR DELETE ON lot_draws FOR EACH ROW EXECUTE FUNCTION lot_draws_append_only();
/*postgresql*/ CREATE TRIGGER lot_draws_no_truncate BEFORE TRUNCATE ON lot_draws FOR EACH STATEMENT EXECUTE FUNCTION lot_draws_append_only();
/*postgresql*/ DO 'BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ''canopee_app'') THEN REVOKE UPDATE, DELETE, TRUNCATE ON lot_draws FROM canopee_app; END IF; END';
