package dev.minitower.bench;

/**
 * The statements of one run's lifecycle, copied verbatim from run-store's {@code RunSql} (which is
 * package-private there), and the outbox insert of {@code OutboxWriter}. Keep in step with them.
 */
final class CeilingSql {
  private CeilingSql() {}

  private static final String LIVE = "('leased', 'running', 'cancelling')";
  private static final String RUN_RETURNING =
      " RETURNING r.*, t.slug AS team_slug, ap.slug AS app_slug";
  private static final String RUN_FROM = " FROM teams t, apps ap";
  private static final String RUN_JOIN = " AND t.id = r.team_id AND ap.id = r.app_id";
  private static final String SELECT_RUN =
      "SELECT r.*, t.slug AS team_slug, ap.slug AS app_slug FROM runs r"
          + " JOIN teams t ON t.id = r.team_id JOIN apps ap ON ap.id = r.app_id";

  static final String OUTBOX_INSERT =
      "INSERT INTO outbox (event_id, topic, message_key, event_type, payload)"
          + " VALUES (?, ?, ?, ?, ?::jsonb)";

  static final String NOTIFY_QUEUED = "SELECT pg_notify('minitower_run_queued', ?)";

  static final String LOCK_APP =
      "SELECT 1 FROM apps WHERE id = ? AND team_id = ? FOR NO KEY UPDATE";

  static final String INSERT_RUN =
      "WITH ins AS (INSERT INTO runs (team_id, app_id, app_version_id, environment_id,"
          + " environment_name, schedule_id, run_no, input, priority, max_retries,"
          + " retry_on_failure, idempotency_key, request_hash, event_seq)"
          + " VALUES (?, ?, ?, ?, ?, ?,"
          + " (SELECT COALESCE(max(run_no), 0) + 1 FROM runs WHERE app_id = ?),"
          + " ?::jsonb, ?, ?, ?, ?, ?, 1) RETURNING *)"
          + " SELECT ins.*, t.slug AS team_slug, ap.slug AS app_slug FROM ins"
          + " JOIN teams t ON t.id = ins.team_id JOIN apps ap ON ap.id = ins.app_id";

  static final String LOCK_RUN = SELECT_RUN + " WHERE r.id = ? FOR UPDATE OF r";

  static final String LOCK_RUNNER_COUNT_ACTIVE =
      "WITH me AS (UPDATE runners SET status = 'online', last_seen_at = now()"
          + " WHERE id = ? RETURNING id)"
          + " SELECT count(a.id) FROM me LEFT JOIN run_attempts a ON a.runner_id = me.id"
          + " AND a.status IN "
          + LIVE
          + " AND a.lease_expires_at > now()";

  static final String LEASE =
      "WITH picked AS (SELECT r.id FROM runs r"
          + " WHERE r.environment_name = ? AND r.status = 'queued' AND NOT r.cancel_requested"
          + " AND r.available_at <= now() AND (?::bigint IS NULL OR r.team_id = ?::bigint)"
          + " ORDER BY r.priority DESC, r.queued_at, r.id LIMIT 1 FOR UPDATE SKIP LOCKED),"
          + " upd AS (UPDATE runs r SET status = 'leased', updated_at = now(),"
          + " event_seq = r.event_seq + 1 FROM picked WHERE r.id = picked.id AND r.status = 'queued'"
          + " RETURNING r.*),"
          + " att AS (INSERT INTO run_attempts (run_id, attempt_no, runner_id, lease_token_hash,"
          + " lease_expires_at, status, queued_at)"
          + " SELECT upd.id, COALESCE((SELECT max(a.attempt_no) FROM run_attempts a"
          + " WHERE a.run_id = upd.id), 0) + 1, ?, ?, now() + ? * interval '1 millisecond',"
          + " 'leased', upd.queued_at FROM upd RETURNING id, run_id, attempt_no, lease_expires_at)"
          + " SELECT upd.id AS run_id, upd.run_no, upd.team_id, t.slug AS team_slug, upd.app_id,"
          + " ap.slug AS app_slug, v.version_no, v.entrypoint, v.timeout_seconds,"
          + " upd.input::text AS input, v.artifact_sha256, v.import_paths::text AS import_paths,"
          + " att.id AS attempt_id, att.attempt_no, att.lease_expires_at, upd.environment_name,"
          + " upd.event_seq"
          + " FROM upd JOIN att ON att.run_id = upd.id JOIN teams t ON t.id = upd.team_id"
          + " JOIN apps ap ON ap.id = upd.app_id JOIN app_versions v ON v.id = upd.app_version_id";

  private static final String ATTEMPT_GUARD =
      " a.run_id = ? AND a.runner_id = ? AND a.lease_token_hash = ?";
  private static final String LIVE_UNEXPIRED =
      " AND a.status IN " + LIVE + " AND a.lease_expires_at > now()";

  static final String LOCK_LIVE_ATTEMPT =
      "SELECT a.*, (a.lease_expires_at > now()) AS unexpired FROM run_attempts a WHERE"
          + ATTEMPT_GUARD
          + LIVE_UNEXPIRED
          + " FOR UPDATE";

  static final String LOCK_OWN_ATTEMPT =
      "SELECT a.*, (a.lease_expires_at > now()) AS unexpired FROM run_attempts a WHERE"
          + ATTEMPT_GUARD
          + " FOR UPDATE";

  static final String ATTEMPT_STATE =
      "SELECT a.id, a.run_id, a.attempt_no, a.status, a.lease_expires_at, r.cancel_requested,"
          + " r.status AS run_status FROM run_attempts a JOIN runs r ON r.id = a.run_id WHERE"
          + ATTEMPT_GUARD
          + LIVE_UNEXPIRED;

  static final String ATTEMPT_START =
      "UPDATE run_attempts SET status = 'running', started_at = COALESCE(started_at, now()),"
          + " updated_at = now() WHERE id = ? AND status = 'leased'";

  static final String RUN_START =
      "UPDATE runs r SET status = 'running', started_at = COALESCE(r.started_at, now()),"
          + " updated_at = now(), event_seq = r.event_seq + 1"
          + RUN_FROM
          + " WHERE r.id = ? AND r.status = 'leased'"
          + RUN_JOIN
          + RUN_RETURNING;

  static final String HEARTBEAT =
      "UPDATE run_attempts a SET lease_expires_at = now() + ? * interval '1 millisecond',"
          + " updated_at = now() FROM runs r WHERE r.id = a.run_id AND"
          + ATTEMPT_GUARD
          + LIVE_UNEXPIRED
          + " RETURNING a.id, a.run_id, a.attempt_no, a.status, a.lease_expires_at,"
          + " r.cancel_requested, r.status AS run_status";

  static final String TOUCH_RUNNER =
      "UPDATE runners SET last_seen_at = now() WHERE id = ?"
          + " AND (last_seen_at IS NULL OR last_seen_at < now() - interval '5 seconds')";

  static final String INSERT_LOGS =
      "INSERT INTO run_logs (attempt_id, run_id, attempt_no, seq, stream, line, logged_at)"
          + " SELECT ?, ?, ?, u.seq, u.stream, u.line, u.logged_at"
          + " FROM unnest(?::bigint[], ?::text[], ?::text[], ?::timestamptz[])"
          + " AS u(seq, stream, line, logged_at)"
          + " ON CONFLICT (attempt_id, seq) DO NOTHING";

  static final String ATTEMPT_FINISH =
      "UPDATE run_attempts SET status = ?, exit_code = ?, error_message = ?, finished_at = now(),"
          + " updated_at = now() WHERE id = ?";

  static final String ATTEMPT_TIMES = "SELECT finished_at FROM run_attempts WHERE id = ?";

  static final String RUN_FINISH =
      "UPDATE runs r SET status = ?, finished_at = now(), updated_at = now(),"
          + " event_seq = r.event_seq + 1"
          + RUN_FROM
          + " WHERE r.id = ? AND r.status IN "
          + LIVE
          + RUN_JOIN
          + RUN_RETURNING;

  // ---- what the services add around the transitions (for the "service-shaped" ceiling)

  /** runner-service {@code RunnerAuthenticator.FIND}. */
  static final String RUNNER_TOKEN =
      "SELECT id, name, environment, team_id, max_concurrent FROM runners"
          + " WHERE token_hash = ? AND status = 'online'";

  /** api-service {@code TokenStore} lookup (shape). */
  static final String TEAM_TOKEN =
      "SELECT t.id, t.team_id, tm.slug, t.role, t.last_used_at FROM team_tokens t"
          + " JOIN teams tm ON tm.id = t.team_id WHERE t.token_hash = ?";

  static final String APP =
      "SELECT id, slug, description, disabled, created_at, updated_at FROM apps"
          + " WHERE team_id = ? AND slug = ?";

  static final String LATEST_VERSION =
      "SELECT * FROM app_versions WHERE app_id = ? ORDER BY version_no DESC LIMIT 1";

  static final String ENVIRONMENT =
      "SELECT id, name, is_default, created_at FROM environments WHERE team_id = ? AND name = ?";

  /** api-service {@code RunQueryStore} read of the created run for the answer. */
  static final String RUN_VIEW =
      "SELECT r.id, r.app_id, a.slug, r.run_no, v.version_no, r.status, r.input::text,"
          + " r.priority, r.max_retries, r.retry_count, r.cancel_requested, r.queued_at,"
          + " r.started_at, r.finished_at, r.environment_name, r.retry_on_failure, r.request_hash"
          + " FROM runs r JOIN apps a ON a.id = r.app_id"
          + " JOIN app_versions v ON v.id = r.app_version_id WHERE r.id = ? AND r.team_id = ?";
}
