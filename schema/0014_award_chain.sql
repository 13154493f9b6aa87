-- After the award (issue 17): the letters to the bidders of an awarded lot, each with
-- the means and the instant it was sent (R2181-1 to R2181-4; the standstill runs from
-- them, R2182-1); the standstill an officer chooses for a lot passed under an adapted
-- procedure (none by default); each member contract's signature and notification
-- (R2182-4: the contract takes effect at notification), on the version read.
CREATE TABLE award_letters (
  id           {{id}},
  lot_id       BIGINT NOT NULL REFERENCES lots (id),
  bid_id       BIGINT NOT NULL REFERENCES bids (id),
  kind         TEXT NOT NULL CHECK (kind IN ('award', 'rejection')),
  means        TEXT NOT NULL CHECK (means IN ('electronic', 'post')),
  sent_at      {{timestamp}} NOT NULL,
  recorded_at  {{timestamp}} NOT NULL,
  UNIQUE (lot_id, bid_id)
);

ALTER TABLE lots ADD COLUMN standstill_days INTEGER CHECK (standstill_days BETWEEN 1 AND 60);
ALTER TABLE contracts ADD COLUMN signed_on {{date}};
ALTER TABLE contracts ADD COLUMN notified_on {{date}};
ALTER TABLE contracts ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
