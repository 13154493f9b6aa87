-- Savings by the DAE method (issue 19): one-off purchases are not annualised, a flat
-- price cannot measure the pooling effect, and each lot carries its VAT rate.
--
-- The part of each member's lot line that comes from one-off needs (quantity over the
-- contract, in the lot's unit, and reference value); the rest recurs every year.
ALTER TABLE lot_lines ADD COLUMN one_off_quantity BIGINT NOT NULL DEFAULT 0;
ALTER TABLE lot_lines ADD COLUMN one_off_reference_value BIGINT NOT NULL DEFAULT 0;
-- Frozen at award beside the line's figures: the one-off part of the reference, the
-- contract and the standalone cost (the 12-month basis never annualises these parts),
-- and whether the winning price schedule has tiers (a single price cannot measure the
-- pooling effect: 0 by construction).
ALTER TABLE savings_lines ADD COLUMN one_off_reference BIGINT NOT NULL DEFAULT 0;
ALTER TABLE savings_lines ADD COLUMN one_off_contract BIGINT NOT NULL DEFAULT 0;
ALTER TABLE savings_lines ADD COLUMN one_off_standalone BIGINT NOT NULL DEFAULT 0;
ALTER TABLE savings_lines ADD COLUMN pooling_measurable INTEGER NOT NULL DEFAULT 1 CHECK (pooling_measurable IN (0, 1));
-- The lot's VAT rate in basis points (2000 = 20 %; 1000 and 550 for works on dwellings,
-- CGI 279-0 bis, 278-0 bis A, 278 sexies). Every amount stored is HT; TTC is derived.
ALTER TABLE lots ADD COLUMN vat_rate_bp INTEGER NOT NULL DEFAULT 2000 CHECK (vat_rate_bp BETWEEN 0 AND 10000);

-- Lines stored before this migration: a member's line whose needs are all one-off is
-- one-off; any other line (a recurring need, or no need at all) stays recurring, as the
-- former rule counted it.
UPDATE lot_lines SET one_off_quantity = quantity, one_off_reference_value = reference_value
WHERE EXISTS (SELECT 1 FROM needs n WHERE n.lot_id = lot_lines.lot_id AND n.member_id = lot_lines.member_id)
  AND NOT EXISTS (SELECT 1 FROM needs n WHERE n.lot_id = lot_lines.lot_id AND n.member_id = lot_lines.member_id
                  AND n.recurring = 1);
UPDATE savings_lines SET one_off_reference = reference, one_off_contract = contract, one_off_standalone = standalone
WHERE EXISTS (SELECT 1 FROM lot_lines ll WHERE ll.lot_id = savings_lines.lot_id
              AND ll.member_id = savings_lines.member_id AND ll.one_off_quantity > 0
              AND ll.one_off_quantity = ll.quantity);
UPDATE savings_lines SET pooling_measurable = 0
WHERE (SELECT COUNT(*) FROM awards a JOIN bid_tiers bt ON bt.bid_id = a.bid_id
       WHERE a.lot_id = savings_lines.lot_id) <= 1;
