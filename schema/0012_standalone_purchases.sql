-- The anti-splitting view (issue 16 item 14, R2121-6 and R2121-7): what a member buys
-- outside the joint tenders counts in the year's value of a homogeneous family too.
-- Recorded by the member's buyers or by officers; never deleted, cancelled with a
-- reason (status 'cancelled'), every change in the audit log. Money in cents HT.
CREATE TABLE standalone_purchases (
  id                  {{id}},
  member_id           BIGINT NOT NULL REFERENCES members (id),
  cpv                 TEXT NOT NULL CHECK (length(cpv) = 10),
  label               TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 300),
  amount              BIGINT NOT NULL CHECK (amount > 0),
  purchased_on        {{date}} NOT NULL,
  supplier_name       TEXT NOT NULL DEFAULT '',
  supplier_reference  TEXT NOT NULL DEFAULT '',
  status              TEXT NOT NULL DEFAULT 'recorded' CHECK (status IN ('recorded', 'cancelled')),
  cancel_reason       TEXT,
  created_by          BIGINT REFERENCES users (id),
  created_at          {{timestamp}} NOT NULL,
  cancelled_at        {{timestamp}},
  version             BIGINT NOT NULL DEFAULT 1,
  CHECK (status = 'recorded' OR cancel_reason IS NOT NULL)
);
CREATE INDEX standalone_purchases_date ON standalone_purchases (purchased_on, member_id);
CREATE INDEX standalone_purchases_member ON standalone_purchases (member_id, id);
