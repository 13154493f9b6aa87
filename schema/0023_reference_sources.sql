-- The reference of the savings (issue 19, item 2): each need says where its reference price comes
-- from (the DAE's list), the day it is dated and, optionally, the published index that actualises
-- it to the award date (the DAE's reference is the historical price *actualisé*).
ALTER TABLE needs ADD COLUMN reference_source TEXT NOT NULL DEFAULT 'historical_price'
  CHECK (reference_source IN ('historical_price', 'other_buyer_price', 'supplier_quotes', 'average_of_offers',
                              'budget_estimate'));
ALTER TABLE needs ADD COLUMN reference_date {{date}};
ALTER TABLE needs ADD COLUMN reference_index TEXT CHECK (reference_index IS NULL OR length(reference_index) BETWEEN 1 AND 20);

-- Needs recorded before: the price their buyer typed was what it paid then, dated the day the need
-- was recorded.
/*sqlite*/ UPDATE needs SET reference_date = substr(created_at, 1, 10) WHERE reference_date IS NULL;
/*postgresql*/ UPDATE needs SET reference_date = CAST(created_at AS DATE) WHERE reference_date IS NULL;

-- What each savings line's reference was computed from at the award, need by need: the raw share
-- of the frozen lot line, the reference used (actualised, or the offers' average), the index and
-- its two values with their months, the average and how many bids it took, and the French
-- explanation. savings_lines.reference is the sum of `actualised` over the (lot, member).
CREATE TABLE savings_references (
  lot_id              BIGINT NOT NULL REFERENCES lots (id),
  member_id           BIGINT NOT NULL REFERENCES members (id),
  need_id             BIGINT NOT NULL REFERENCES needs (id),
  source              TEXT NOT NULL CHECK (source IN ('historical_price', 'other_buyer_price', 'supplier_quotes',
                                                      'average_of_offers', 'budget_estimate')),
  reference_date      {{date}} NOT NULL,
  raw                 BIGINT NOT NULL,
  actualised          BIGINT NOT NULL,
  index_code          TEXT,
  base_month          TEXT CHECK (base_month IS NULL OR length(base_month) = 7),
  base_value          BIGINT CHECK (base_value IS NULL OR base_value > 0),
  current_month       TEXT CHECK (current_month IS NULL OR length(current_month) = 7),
  current_value       BIGINT CHECK (current_value IS NULL OR current_value > 0),
  average_unit_price  BIGINT CHECK (average_unit_price IS NULL OR average_unit_price >= 0),
  average_bids        INTEGER CHECK (average_bids IS NULL OR average_bids > 0),
  missing             INTEGER NOT NULL CHECK (missing IN (0, 1)),
  explanation         TEXT NOT NULL,
  PRIMARY KEY (lot_id, member_id, need_id)
);
