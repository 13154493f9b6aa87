-- The audit log is append-only: who did what stays as it was written.
--
-- On both backends a trigger refuses UPDATE and DELETE of audit rows, whoever
-- asks (the table's owner included). On PostgreSQL, TRUNCATE is refused too, and
-- the grants give the application's role, canopee_app, every right it needs on
-- the other tables but only SELECT and INSERT on audit_log. The role is created
-- here when the migrating user may create roles; operators then log the servers
-- in as a member of it (docs/operations.md "Database roles").
-- A statement starting with /*postgresql*/ or /*sqlite*/ runs on that backend only.

/*sqlite*/ CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;

/*sqlite*/ CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;

/*postgresql*/ CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RAISE EXCEPTION ''audit_log is append-only'' USING ERRCODE = ''42501''; END';

/*postgresql*/ CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

/*postgresql*/ CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

/*postgresql*/ DO 'BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ''canopee_app'') AND (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user) THEN CREATE ROLE canopee_app NOLOGIN; END IF; END';

/*postgresql*/ DO 'BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ''canopee_app'') THEN GRANT USAGE ON SCHEMA public TO canopee_app; GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO canopee_app; GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO canopee_app; REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM canopee_app; ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO canopee_app; ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO canopee_app; END IF; END';
