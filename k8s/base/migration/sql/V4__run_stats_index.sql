-- Serves the per-app stats of api-service (GET /api/v1/apps/{app}/runs/stats[/durations]): "this
-- app's runs queued since T", grouped by time bucket and status, with durations from
-- started_at/finished_at. The key gives the range scan; INCLUDE carries the columns the aggregates
-- read, so a vacuumed table answers from the index alone. status/started_at/finished_at change
-- together with status, which runs_team_status_idx already indexes, so no update that could be HOT
-- before stops being HOT.
-- The team-wide stats (GET /api/v1/runs/stats, /runs/stats/apps) range-scan the existing
-- runs_team_list_idx (team_id, queued_at DESC); a second team index would only cost writes.
CREATE INDEX runs_app_stats_idx ON runs (team_id, app_id, queued_at)
    INCLUDE (status, started_at, finished_at);
