-- The other obligations of 21 August 2026 (loi 2021-1104 art. 35, issue 16 item 15):
-- summaries of a tender's execution clauses, checked at publication (engine/tender.cpp,
-- execution_condition_errors).
--
-- Environmental considerations in the execution conditions of every contract launched
-- from 2026-08-21 (L2112-2 as amended).
ALTER TABLE tenders ADD COLUMN environmental_conditions TEXT NOT NULL DEFAULT '';
-- Social considerations for contracts at or above the EU thresholds (L2112-2-1), or
-- the justification of the exception (the need does not allow it, it would restrict
-- competition, or make execution technically or economically difficult).
ALTER TABLE tenders ADD COLUMN social_considerations TEXT NOT NULL DEFAULT '';
ALTER TABLE tenders ADD COLUMN social_exception TEXT NOT NULL DEFAULT '';
