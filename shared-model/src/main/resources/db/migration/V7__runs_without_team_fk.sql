-- Hot path, sixth round (issue 16). Every created run checked its team through the foreign key
-- runs.team_id -> teams: a FOR KEY SHARE lock on the team's row per create, the one row every
-- producer of a team locks, so concurrent creates turned its lock into a multixact each time
-- (auto_explain during ./mtw bench burst: 0.10 ms a create, the costliest of the five keys the
-- insert checks). The composite key runs (app_id, team_id) -> apps (id, team_id) already ties every
-- run to its team: an app belongs to one team (apps.team_id -> teams), and deleting a team deletes
-- its apps by cascade, which delete their runs by cascade. runs.team_id stays, checked by that
-- composite key, for the reads and indexes by team.
ALTER TABLE runs DROP CONSTRAINT IF EXISTS runs_team_id_fkey;
