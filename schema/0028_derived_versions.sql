-- Derived data computed once (issue 21 item 2; docs/performance.md "Evaluation" and
-- "Savings report"). What the API derives on every read — a tender's evaluation, the
-- savings report — changes only when one of its inputs changes; these counters move in
-- the same transaction as every such change, by triggers, so that no write path can
-- forget them. A server keeps what it computed beside the counter it read and serves
-- it again only while the counter is the same: a change through any replica is seen
-- at once by every other (each reads the counter in its first query).
--
-- Evaluation (GET /v1/tenders/{id}/evaluation): tenders.derived_version moves when the
-- tender row or its criteria change, lots.derived_version when the lot row, its bids
-- (tiers, marks, decisions), draws, member lines or award change. The tender's key is
-- its counter plus the sum of its lots' (lots only ever grow and are never deleted, and
-- a new lot starts at 1, so the sum strictly grows with every change). The counters
-- live on the rows that the writers of those tables already lock (a write on a lot's
-- bids first locks the lot; criteria change with the tender row), so no new lock is
-- taken. Needs are not counted: the evaluation reads none of their fields.
--
-- Savings report (GET /v1/reports/savings): one network-wide counter, derived_versions
-- 'finance', moves with every change of a savings line, a contract (its notification
-- date), a shared cost, its split, an aided project or its link (the subsidy's
-- status), a setting (the subsidy rates), and the few fields of lots, tenders and
-- members that the report prints (CPV, VAT rate, reference, member code). On PostgreSQL
-- the triggers are deferred to the commit, so the single row is locked only in the
-- instant of the commit (no transaction waits on it while holding other locks).
-- A statement starting with /*postgresql*/ or /*sqlite*/ runs on that backend only.

ALTER TABLE tenders ADD COLUMN derived_version BIGINT NOT NULL DEFAULT 1;

ALTER TABLE lots ADD COLUMN derived_version BIGINT NOT NULL DEFAULT 1;

CREATE TABLE derived_versions (
  name     TEXT PRIMARY KEY,
  version  BIGINT NOT NULL
);

INSERT INTO derived_versions (name, version) VALUES ('finance', 1);

-- PostgreSQL: an update of a tender or lot row moves its own counter (unless the
-- statement moves it already); the other tables move their lot's or tender's.
/*postgresql*/ CREATE FUNCTION derived_bump_own() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN IF NEW.derived_version = OLD.derived_version THEN NEW.derived_version := OLD.derived_version + 1; END IF; RETURN NEW; END';

/*postgresql*/ CREATE TRIGGER tenders_derived BEFORE UPDATE ON tenders FOR EACH ROW EXECUTE FUNCTION derived_bump_own();

/*postgresql*/ CREATE TRIGGER lots_derived BEFORE UPDATE ON lots FOR EACH ROW EXECUTE FUNCTION derived_bump_own();

/*postgresql*/ CREATE FUNCTION derived_bump_tender() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN IF TG_OP <> ''INSERT'' THEN UPDATE tenders SET derived_version = derived_version + 1 WHERE id = OLD.tender_id; END IF; IF TG_OP <> ''DELETE'' THEN UPDATE tenders SET derived_version = derived_version + 1 WHERE id = NEW.tender_id; END IF; RETURN NULL; END';

/*postgresql*/ CREATE FUNCTION derived_bump_lot() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN IF TG_OP <> ''INSERT'' THEN UPDATE lots SET derived_version = derived_version + 1 WHERE id = OLD.lot_id; END IF; IF TG_OP <> ''DELETE'' THEN UPDATE lots SET derived_version = derived_version + 1 WHERE id = NEW.lot_id; END IF; RETURN NULL; END';

/*postgresql*/ CREATE FUNCTION derived_bump_bid_lot() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN IF TG_OP <> ''INSERT'' THEN UPDATE lots SET derived_version = derived_version + 1 WHERE id = (SELECT lot_id FROM bids WHERE id = OLD.bid_id); END IF; IF TG_OP <> ''DELETE'' THEN UPDATE lots SET derived_version = derived_version + 1 WHERE id = (SELECT lot_id FROM bids WHERE id = NEW.bid_id); END IF; RETURN NULL; END';

/*postgresql*/ CREATE TRIGGER criteria_derived AFTER INSERT OR UPDATE OR DELETE ON criteria FOR EACH ROW EXECUTE FUNCTION derived_bump_tender();

/*postgresql*/ CREATE TRIGGER bids_derived AFTER INSERT OR UPDATE OR DELETE ON bids FOR EACH ROW EXECUTE FUNCTION derived_bump_lot();

/*postgresql*/ CREATE TRIGGER lot_lines_derived AFTER INSERT OR UPDATE OR DELETE ON lot_lines FOR EACH ROW EXECUTE FUNCTION derived_bump_lot();

/*postgresql*/ CREATE TRIGGER lot_draws_derived AFTER INSERT OR UPDATE OR DELETE ON lot_draws FOR EACH ROW EXECUTE FUNCTION derived_bump_lot();

/*postgresql*/ CREATE TRIGGER awards_derived AFTER INSERT OR UPDATE OR DELETE ON awards FOR EACH ROW EXECUTE FUNCTION derived_bump_lot();

/*postgresql*/ CREATE TRIGGER bid_tiers_derived AFTER INSERT OR UPDATE OR DELETE ON bid_tiers FOR EACH ROW EXECUTE FUNCTION derived_bump_bid_lot();

/*postgresql*/ CREATE TRIGGER bid_scores_derived AFTER INSERT OR UPDATE OR DELETE ON bid_scores FOR EACH ROW EXECUTE FUNCTION derived_bump_bid_lot();

/*postgresql*/ CREATE TRIGGER bid_decisions_derived AFTER INSERT OR UPDATE OR DELETE ON bid_decisions FOR EACH ROW EXECUTE FUNCTION derived_bump_bid_lot();

/*postgresql*/ CREATE FUNCTION derived_bump_finance() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN UPDATE derived_versions SET version = version + 1 WHERE name = ''finance''; RETURN NULL; END';

/*postgresql*/ CREATE CONSTRAINT TRIGGER savings_lines_finance AFTER INSERT OR UPDATE OR DELETE ON savings_lines DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION derived_bump_finance();

/*postgresql*/ CREATE CONSTRAINT TRIGGER contracts_finance AFTER INSERT OR UPDATE OR DELETE ON contracts DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION derived_bump_finance();

/*postgresql*/ CREATE CONSTRAINT TRIGGER shared_costs_finance AFTER INSERT OR UPDATE OR DELETE ON shared_costs DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION derived_bump_finance();

/*postgresql*/ CREATE CONSTRAINT TRIGGER cost_splits_finance AFTER INSERT OR UPDATE OR DELETE ON cost_splits DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION derived_bump_finance();

/*postgresql*/ CREATE CONSTRAINT TRIGGER aided_projects_finance AFTER INSERT OR UPDATE OR DELETE ON aided_projects DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION derived_bump_finance();

/*postgresql*/ CREATE CONSTRAINT TRIGGER aided_project_costs_finance AFTER INSERT OR UPDATE OR DELETE ON aided_project_costs DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION derived_bump_finance();

/*postgresql*/ CREATE CONSTRAINT TRIGGER settings_finance AFTER INSERT OR UPDATE OR DELETE ON settings DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION derived_bump_finance();

/*postgresql*/ CREATE CONSTRAINT TRIGGER lots_finance AFTER UPDATE OF cpv, vat_rate_bp, tender_id ON lots DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION derived_bump_finance();

/*postgresql*/ CREATE CONSTRAINT TRIGGER tenders_finance AFTER UPDATE OF reference ON tenders DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION derived_bump_finance();

/*postgresql*/ CREATE CONSTRAINT TRIGGER members_finance AFTER UPDATE OF code ON members DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION derived_bump_finance();

-- SQLite: the same, one trigger per event (writers are serialised: nothing to defer).
/*sqlite*/ CREATE TRIGGER tenders_derived AFTER UPDATE ON tenders WHEN NEW.derived_version = OLD.derived_version BEGIN
  UPDATE tenders SET derived_version = OLD.derived_version + 1 WHERE id = NEW.id;
END;

/*sqlite*/ CREATE TRIGGER lots_derived AFTER UPDATE ON lots WHEN NEW.derived_version = OLD.derived_version BEGIN
  UPDATE lots SET derived_version = OLD.derived_version + 1 WHERE id = NEW.id;
END;

/*sqlite*/ CREATE TRIGGER criteria_derived_insert AFTER INSERT ON criteria BEGIN
  UPDATE tenders SET derived_version = derived_version + 1 WHERE id = NEW.tender_id;
END;

/*sqlite*/ CREATE TRIGGER criteria_derived_update AFTER UPDATE ON criteria BEGIN
  UPDATE tenders SET derived_version = derived_version + 1 WHERE id = OLD.tender_id;
  UPDATE tenders SET derived_version = derived_version + 1 WHERE id = NEW.tender_id;
END;

/*sqlite*/ CREATE TRIGGER criteria_derived_delete AFTER DELETE ON criteria BEGIN
  UPDATE tenders SET derived_version = derived_version + 1 WHERE id = OLD.tender_id;
END;

/*sqlite*/ CREATE TRIGGER bids_derived_insert AFTER INSERT ON bids BEGIN
  UPDATE lots SET derived_version = derived_version + 1 WHERE id = NEW.lot_id;
END;

/*sqlite*/ CREATE TRIGGER bids_derived_update AFTER UPDATE ON bids BEGIN
  UPDATE lots SET derived_version = derived_version + 1 WHERE id = OLD.lot_id;
  UPDATE lots SET derived_version = derived_version + 1 WHERE id = NEW.lot_id;
END;

/*sqlite*/ CREATE TRIGGER bids_derived_delete AFTER DELETE ON bids BEGIN
  UPDATE lots SET derived_version = derived_version + 1 WHERE id = OLD.lot_id;
END;

/*sqlite*/ CREATE TRIGGER lot_lines_derived_insert AFTER INSERT ON lot_lines BEGIN
  UPDATE lots SET derived_version = derived_version + 1 WHERE id = NEW.lot_id;
END;

/*sqlite*/ CREATE TRIGGER lot_lines_derived_update AFTER UPDATE ON lot_lines BEGIN
  UPDATE lots SET derived_version = derived_version + 1 WHERE id = OLD.lot_id;
  UPDATE lots SET derived_version = derived_version + 1 WHERE id = NEW.lot_id;
END;

/*sqlite*/ CREATE TRIGGER lot_lines_derived_delete AFTER DELETE ON lot_lines BEGIN
  UPDATE lots SET derived_version = derived_version + 1 WHERE id = OLD.lot_id;
END;

/*sqlite*/ CREATE TRIGGER awards_derived_insert AFTER INSERT ON awards BEGIN
  UPDATE lots SET derived_version = derived_version + 1 WHERE id = NEW.lot_id;
END;

/*sqlite*/ CREATE TRIGGER awards_derived_update AFTER UPDATE ON awards BEGIN
  UPDATE lots SET derived_version = derived_version + 1 WHERE id = OLD.lot_id;
  UPDATE lots SET derived_version = derived_version + 1 WHERE id = NEW.lot_id;
END;

/*sqlite*/ CREATE TRIGGER awards_derived_delete AFTER DELETE ON awards BEGIN
  UPDATE lots SET derived_version = derived_version + 1 WHERE id = OLD.lot_id;
END;

/*sqlite*/ CREATE TRIGGER lot_draws_derived_insert AFTER INSERT ON lot_draws BEGIN
  UPDATE lots SET derived_version = derived_version + 1 WHERE id = NEW.lot_id;
END;

/*sqlite*/ CREATE TRIGGER bid_tiers_derived_insert AFTER INSERT ON bid_tiers BEGIN
  UPDATE lots SET derived_version = derived_version + 1 WHERE id = (SELECT lot_id FROM bids WHERE id = NEW.bid_id);
END;

/*sqlite*/ CREATE TRIGGER bid_tiers_derived_update AFTER UPDATE ON bid_tiers BEGIN
  UPDATE lots SET derived_version = derived_version + 1 WHERE id = (SELECT lot_id FROM bids WHERE id = OLD.bid_id);
  UPDATE lots SET derived_version = derived_version + 1 WHERE id = (SELECT lot_id FROM bids WHERE id = NEW.bid_id);
END;

/*sqlite*/ CREATE TRIGGER bid_tiers_derived_delete AFTER DELETE ON bid_tiers BEGIN
  UPDATE lots SET derived_version = derived_version + 1 WHERE id = (SELECT lot_id FROM bids WHERE id = OLD.bid_id);
END;

/*sqlite*/ CREATE TRIGGER bid_scores_derived_insert AFTER INSERT ON bid_scores BEGIN
  UPDATE lots SET derived_version = derived_version + 1 WHERE id = (SELECT lot_id FROM bids WHERE id = NEW.bid_id);
END;

/*sqlite*/ CREATE TRIGGER bid_scores_derived_update AFTER UPDATE ON bid_scores BEGIN
  UPDATE lots SET derived_version = derived_version + 1 WHERE id = (SELECT lot_id FROM bids WHERE id = OLD.bid_id);
  UPDATE lots SET derived_version = derived_version + 1 WHERE id = (SELECT lot_id FROM bids WHERE id = NEW.bid_id);
END;

/*sqlite*/ CREATE TRIGGER bid_scores_derived_delete AFTER DELETE ON bid_scores BEGIN
  UPDATE lots SET derived_version = derived_version + 1 WHERE id = (SELECT lot_id FROM bids WHERE id = OLD.bid_id);
END;

/*sqlite*/ CREATE TRIGGER bid_decisions_derived_insert AFTER INSERT ON bid_decisions BEGIN
  UPDATE lots SET derived_version = derived_version + 1 WHERE id = (SELECT lot_id FROM bids WHERE id = NEW.bid_id);
END;

/*sqlite*/ CREATE TRIGGER savings_lines_finance_insert AFTER INSERT ON savings_lines BEGIN
  UPDATE derived_versions SET version = version + 1 WHERE name = 'finance';
END;

/*sqlite*/ CREATE TRIGGER savings_lines_finance_update AFTER UPDATE ON savings_lines BEGIN
  UPDATE derived_versions SET version = version + 1 WHERE name = 'finance';
END;

/*sqlite*/ CREATE TRIGGER savings_lines_finance_delete AFTER DELETE ON savings_lines BEGIN
  UPDATE derived_versions SET version = version + 1 WHERE name = 'finance';
END;

/*sqlite*/ CREATE TRIGGER contracts_finance_insert AFTER INSERT ON contracts BEGIN
  UPDATE derived_versions SET version = version + 1 WHERE name = 'finance';
END;

/*sqlite*/ CREATE TRIGGER contracts_finance_update AFTER UPDATE ON contracts BEGIN
  UPDATE derived_versions SET version = version + 1 WHERE name = 'finance';
END;

/*sqlite*/ CREATE TRIGGER contracts_finance_delete AFTER DELETE ON contracts BEGIN
  UPDATE derived_versions SET version = version + 1 WHERE name = 'finance';
END;

/*sqlite*/ CREATE TRIGGER shared_costs_finance_insert AFTER INSERT ON shared_costs BEGIN
  UPDATE derived_versions SET version = version + 1 WHERE name = 'finance';
END;

/*sqlite*/ CREATE TRIGGER shared_costs_finance_update AFTER UPDATE ON shared_costs BEGIN
  UPDATE derived_versions SET version = version + 1 WHERE name = 'finance';
END;

/*sqlite*/ CREATE TRIGGER shared_costs_finance_delete AFTER DELETE ON shared_costs BEGIN
  UPDATE derived_versions SET version = version + 1 WHERE name = 'finance';
END;

/*sqlite*/ CREATE TRIGGER cost_splits_finance_insert AFTER INSERT ON cost_splits BEGIN
  UPDATE derived_versions SET version = version + 1 WHERE name = 'finance';
END;

/*sqlite*/ CREATE TRIGGER cost_splits_finance_update AFTER UPDATE ON cost_splits BEGIN
  UPDATE derived_versions SET version = version + 1 WHERE name = 'finance';
END;

/*sqlite*/ CREATE TRIGGER cost_splits_finance_delete AFTER DELETE ON cost_splits BEGIN
  UPDATE derived_versions SET version = version + 1 WHERE name = 'finance';
END;

/*sqlite*/ CREATE TRIGGER aided_projects_finance_insert AFTER INSERT ON aided_projects BEGIN
  UPDATE derived_versions SET version = version + 1 WHERE name = 'finance';
END;

/*sqlite*/ CREATE TRIGGER aided_projects_finance_update AFTER UPDATE ON aided_projects BEGIN
  UPDATE derived_versions SET version = version + 1 WHERE name = 'finance';
END;

/*sqlite*/ CREATE TRIGGER aided_projects_finance_delete AFTER DELETE ON aided_projects BEGIN
  UPDATE derived_versions SET version = version + 1 WHERE name = 'finance';
END;

/*sqlite*/ CREATE TRIGGER aided_project_costs_finance_insert AFTER INSERT ON aided_project_costs BEGIN
  UPDATE derived_versions SET version = version + 1 WHERE name = 'finance';
END;

/*sqlite*/ CREATE TRIGGER aided_project_costs_finance_update AFTER UPDATE ON aided_project_costs BEGIN
  UPDATE derived_versions SET version = version + 1 WHERE name = 'finance';
END;

/*sqlite*/ CREATE TRIGGER aided_project_costs_finance_delete AFTER DELETE ON aided_project_costs BEGIN
  UPDATE derived_versions SET version = version + 1 WHERE name = 'finance';
END;

/*sqlite*/ CREATE TRIGGER settings_finance_insert AFTER INSERT ON settings BEGIN
  UPDATE derived_versions SET version = version + 1 WHERE name = 'finance';
END;

/*sqlite*/ CREATE TRIGGER settings_finance_update AFTER UPDATE ON settings BEGIN
  UPDATE derived_versions SET version = version + 1 WHERE name = 'finance';
END;

/*sqlite*/ CREATE TRIGGER settings_finance_delete AFTER DELETE ON settings BEGIN
  UPDATE derived_versions SET version = version + 1 WHERE name = 'finance';
END;

/*sqlite*/ CREATE TRIGGER lots_finance_update AFTER UPDATE OF cpv, vat_rate_bp, tender_id ON lots BEGIN
  UPDATE derived_versions SET version = version + 1 WHERE name = 'finance';
END;

/*sqlite*/ CREATE TRIGGER tenders_finance_update AFTER UPDATE OF reference ON tenders BEGIN
  UPDATE derived_versions SET version = version + 1 WHERE name = 'finance';
END;

/*sqlite*/ CREATE TRIGGER members_finance_update AFTER UPDATE OF code ON members BEGIN
  UPDATE derived_versions SET version = version + 1 WHERE name = 'finance';
END;
