package dev.minitower.bench;

import dev.minitower.store.runs.RunSql;

/**
 * The statements of one run's lifecycle: run-store's own {@link RunSql} (the very statements the
 * services run), and the outbox insert of {@code OutboxWriter}.
 */
final class CeilingSql {
  private CeilingSql() {}

  static final String OUTBOX_INSERT =
      "INSERT INTO outbox (event_id, topic, message_key, event_type, payload)"
          + " VALUES (?, ?, ?, ?, ?::jsonb)";

  static final String NOTIFY_QUEUED = RunSql.NOTIFY_QUEUED;
  static final String INSERT_RUN = RunSql.INSERT_RUN;
  static final String LOCK_RUN = RunSql.LOCK_RUN;
  static final String LOCK_RUNNER_COUNT_ACTIVE = RunSql.LOCK_RUNNER_COUNT_ACTIVE;
  static final String LEASE = RunSql.LEASE;
  static final String LEASE_AND_START = RunSql.LEASE_AND_START;
  static final String LOCK_LIVE_ATTEMPT = RunSql.LOCK_LIVE_ATTEMPT;
  static final String LOCK_OWN_ATTEMPT = RunSql.LOCK_OWN_ATTEMPT;
  static final String ATTEMPT_STATE = RunSql.ATTEMPT_STATE;
  static final String ATTEMPT_START = RunSql.ATTEMPT_START;
  static final String RUN_START = RunSql.RUN_START;
  static final String HEARTBEAT = RunSql.HEARTBEAT;
  static final String TOUCH_RUNNER = RunSql.TOUCH_RUNNER;
  static final String INSERT_LOGS = RunSql.INSERT_LOGS;
  static final String ATTEMPT_FINISH = RunSql.ATTEMPT_FINISH;
  static final String RUN_FINISH = RunSql.RUN_FINISH;

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
