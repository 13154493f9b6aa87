-- Framework agreements in execution (issue 18). The tender's renewals (R2112-4), the
-- justification of a framework beyond 4 years (L2125-1) and the margin of the maxima
-- derived from the estimate; each lot's basis (value or quantity) and the maxima and
-- minima an officer set per member (R2162-4; a member not listed has the derived one).
CREATE TABLE framework_terms (
  tender_id               BIGINT PRIMARY KEY REFERENCES tenders (id),
  renewals                INTEGER NOT NULL CHECK (renewals BETWEEN 0 AND 10),
  renewal_months          INTEGER NOT NULL CHECK (renewal_months BETWEEN 0 AND 120),
  duration_justification  TEXT NOT NULL,
  margin_bp               INTEGER NOT NULL CHECK (margin_bp BETWEEN 0 AND 100000)
);

CREATE TABLE lot_bounds (
  lot_id  BIGINT PRIMARY KEY REFERENCES lots (id),
  basis   TEXT NOT NULL CHECK (basis IN ('value', 'quantity'))
);

CREATE TABLE member_bounds (
  lot_id     BIGINT NOT NULL REFERENCES lots (id),
  member_id  BIGINT NOT NULL REFERENCES members (id),
  maximum    BIGINT CHECK (maximum > 0),
  minimum    BIGINT CHECK (minimum >= 0),
  PRIMARY KEY (lot_id, member_id)
);

-- The purchase orders (bons de commande) a member places against its contract, and
-- their lines at the price in force on the order's day. An order counts against the
-- member's maximum from its sending until it is cancelled.
CREATE TABLE orders (
  id                 {{id}},
  reference          TEXT NOT NULL UNIQUE,
  contract_id        BIGINT NOT NULL REFERENCES contracts (id),
  status             TEXT NOT NULL CHECK (status IN ('draft', 'sent', 'partially_delivered', 'delivered', 'invoiced', 'paid', 'cancelled')),
  ordered_on         {{date}} NOT NULL,
  sent_on            {{date}},
  delivered_on       {{date}},
  invoiced_on        {{date}},
  paid_on            {{date}},
  cancelled_on       {{date}},
  delivery_place     TEXT NOT NULL,
  delivery_date      {{date}},
  invoice_reference  TEXT NOT NULL DEFAULT '',
  invoiced_amount    BIGINT CHECK (invoiced_amount > 0),
  cancel_reason      TEXT NOT NULL DEFAULT '',
  total              BIGINT NOT NULL CHECK (total >= 0),
  source             TEXT NOT NULL DEFAULT 'web' CHECK (source IN ('web', 'import')),
  version            BIGINT NOT NULL DEFAULT 1,
  created_at         {{timestamp}} NOT NULL
);
CREATE INDEX orders_contract ON orders (contract_id, id);

CREATE TABLE order_lines (
  order_id     BIGINT NOT NULL REFERENCES orders (id),
  line_no      INTEGER NOT NULL CHECK (line_no >= 1),
  description  TEXT NOT NULL,
  quantity     BIGINT NOT NULL CHECK (quantity > 0),
  unit_price   BIGINT NOT NULL CHECK (unit_price >= 0),
  amount       BIGINT NOT NULL CHECK (amount >= 0),
  delivered    BIGINT NOT NULL DEFAULT 0 CHECK (delivered >= 0 AND delivered <= quantity),
  revision_id  BIGINT,
  PRIMARY KEY (order_id, line_no)
);
