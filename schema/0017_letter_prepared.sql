-- A letter to a bidder is prepared (produced and kept) before it is sent, then its
-- sending is recorded (issue 17): what the bidder receives is the document kept, and
-- the standstill never runs from a day before the letter existed. The letter states
-- the standstill of its means of sending, so the means it was prepared for is kept
-- with it; recording a sending by another means is refused.
ALTER TABLE documents ADD COLUMN letter_means TEXT CHECK (letter_means IS NULL OR letter_means IN ('electronic', 'post'));
