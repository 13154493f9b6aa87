-- Issue 16, items 6 and 9: when the notice was sent and the tender closed (UTC),
-- why it closed before its deadline, and what sets its minimum time limit: a
-- reduction of the open call's (R2161-3) or the "reasonable" days of a MAPA
-- (R2123-4). launch_date (0003) becomes the day of publication.
ALTER TABLE tenders ADD COLUMN published_at {{timestamp}};
ALTER TABLE tenders ADD COLUMN closed_at {{timestamp}};
ALTER TABLE tenders ADD COLUMN close_reason TEXT;
ALTER TABLE tenders ADD COLUMN time_limit_reduction TEXT NOT NULL DEFAULT 'none'
  CHECK (time_limit_reduction IN ('none', 'prior_information_notice', 'urgency'));
ALTER TABLE tenders ADD COLUMN mapa_minimum_days INTEGER NOT NULL DEFAULT 15
  CHECK (mapa_minimum_days BETWEEN 1 AND 365);
