-- Only pooled needs have a lot: index those alone (imports add needs without one).
DROP INDEX needs_lot;
CREATE INDEX needs_lot ON needs (lot_id) WHERE lot_id IS NOT NULL;
