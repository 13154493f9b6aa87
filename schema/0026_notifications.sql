-- Notifications (issue 20 item 10; engine/notification.hpp). A notification is
-- written in the transaction of the event it tells (a tender created from needs, a
-- lot awarded), or by the sweep for events that happen with time (a bid deadline
-- passed, a standstill ended, a month closed): one per event and user, whatever the
-- number of sweeps, by the unique (user_id, event_key). In-app notifications are
-- always on; each user chooses, per kind, whether an e-mail follows.

CREATE TABLE notifications (
  id          {{id}},
  user_id     BIGINT NOT NULL REFERENCES users (id),
  kind        TEXT NOT NULL CHECK (kind IN ('need_pooled', 'lot_awarded', 'bid_deadline_passed',
                                            'standstill_ended', 'report_period_closed')),
  event_key   TEXT NOT NULL CHECK (length(event_key) BETWEEN 1 AND 200),
  title       TEXT NOT NULL,
  body        TEXT NOT NULL,
  link        TEXT NOT NULL,
  created_at  {{timestamp}} NOT NULL,
  read_at     {{timestamp}},
  UNIQUE (user_id, event_key)
);
CREATE INDEX notifications_user ON notifications (user_id, id);

-- A user's choice per kind; no row: in-app only (e-mail off).
CREATE TABLE notification_preferences (
  user_id  BIGINT NOT NULL REFERENCES users (id),
  kind     TEXT NOT NULL CHECK (kind IN ('need_pooled', 'lot_awarded', 'bid_deadline_passed',
                                         'standstill_ended', 'report_period_closed')),
  email    INTEGER NOT NULL CHECK (email IN (0, 1)),
  PRIMARY KEY (user_id, kind)
);

-- E-mails to send, written beside their notification and sent by the sweep, never
-- inside a request: pending until sent, retried with a growing delay, failed after
-- the last attempt (the last error's code kept).
CREATE TABLE email_outbox (
  id               {{id}},
  notification_id  BIGINT NOT NULL UNIQUE REFERENCES notifications (id),
  recipient        TEXT NOT NULL,
  subject          TEXT NOT NULL,
  body             TEXT NOT NULL,
  status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_us  BIGINT NOT NULL DEFAULT 0,
  last_error       TEXT,
  created_at       {{timestamp}} NOT NULL,
  sent_at          {{timestamp}}
);
CREATE INDEX email_outbox_due ON email_outbox (status, next_attempt_us);
