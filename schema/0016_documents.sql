-- The documents of a procedure (issue 17, item 7): the letters to the bidders, the
-- award notice's content, the rapport de présentation, each member's acte
-- d'engagement summary, the letters of a lot or procedure closed without award. The
-- PDF is kept as it was produced (base64, the same text on both backends) with its
-- SHA-256, which the audit row of its production repeats: the document sent is the
-- document kept. Like the audit log, documents are append-only: a new version is a
-- new row.
CREATE TABLE documents (
  id           {{id}},
  tender_id    BIGINT NOT NULL REFERENCES tenders (id),
  lot_id       BIGINT REFERENCES lots (id),
  bid_id       BIGINT REFERENCES bids (id),
  contract_id  BIGINT REFERENCES contracts (id),
  member_id    BIGINT REFERENCES members (id),
  kind         TEXT NOT NULL CHECK (kind IN ('award_letter', 'rejection_letter', 'closure_letter', 'award_notice',
                                             'presentation_report', 'contract_summary')),
  reference    TEXT NOT NULL,
  title        TEXT NOT NULL,
  dated        {{date}} NOT NULL,
  media_type   TEXT NOT NULL,
  sha256       TEXT NOT NULL CHECK (length(sha256) = 64),
  size_bytes   BIGINT NOT NULL CHECK (size_bytes > 0),
  content      TEXT NOT NULL,
  created_at   {{timestamp}} NOT NULL,
  created_by   BIGINT REFERENCES users (id)
);
CREATE INDEX documents_tender ON documents (tender_id, id);

/*sqlite*/ CREATE TRIGGER documents_no_update BEFORE UPDATE ON documents BEGIN
  SELECT RAISE(ABORT, 'documents are append-only');
END;

/*sqlite*/ CREATE TRIGGER documents_no_delete BEFORE DELETE ON documents BEGIN
  SELECT RAISE(ABORT, 'documents are append-only');
END;

/*postgresql*/ CREATE FUNCTION documents_append_only() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RAISE EXCEPTION ''documents are append-only'' USING ERRCODE = ''42501''; END';

/*postgresql*/ CREATE TRIGGER documents_no_change BEFORE UPDATE OR DELETE ON documents FOR EACH ROW EXECUTE FUNCTION documents_append_only();

-- The letter as sent: the document produced when its sending was recorded (none for
-- letters recorded before documents existed).
ALTER TABLE award_letters ADD COLUMN document_id BIGINT REFERENCES documents (id);

-- The award notice of a lot (R2183-1): the day it was sent for publication.
ALTER TABLE lots ADD COLUMN award_notice_sent_on {{date}};

-- Why a published procedure was declared without follow-up (sans suite, R2185-1).
ALTER TABLE tenders ADD COLUMN cancel_reason TEXT NOT NULL DEFAULT '';
