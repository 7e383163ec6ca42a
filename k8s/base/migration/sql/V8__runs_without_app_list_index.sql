-- Hot path, seventh round (issue 16). runs_app_list_idx (app_id, run_no DESC) repeated the unique
-- constraint runs_app_run_no_uq (app_id, run_no): a B-tree is read backwards as cheaply as
-- forwards, so an app's newest-first list ("WHERE app_id = ? ORDER BY run_no DESC LIMIT ?") uses the
-- constraint's index just as well. Every run writes three row versions (create, claim, result) and
-- no status change is a HOT update, so the copy cost an index entry per version and an index to
-- open per statement. RunListPlanTest checks that the list still reads the constraint's index.
DROP INDEX IF EXISTS runs_app_list_idx;
