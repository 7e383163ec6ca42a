package dev.minitower.bench;

import dev.minitower.store.outbox.OutboxWriter;
import dev.minitower.store.runners.RunnerQueries;
import dev.minitower.store.runs.RunQueries;
import dev.minitower.store.runs.RunSql;

/**
 * The statements of one run's lifecycle: run-store's own (the very statements the services run:
 * {@link RunSql}, the outbox insert of {@link OutboxWriter}, the token check of {@link
 * RunnerQueries}, the run view of {@link RunQueries}), and the shape of api-service's CRUD reads.
 */
final class CeilingSql {
  private CeilingSql() {}

  static final String OUTBOX_INSERT = OutboxWriter.INSERT;

  static final String NOTIFY_QUEUED = RunSql.NOTIFY_QUEUED;
  static final String INSERT_RUNS = RunSql.INSERT_RUNS;
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

  /** runner-service's token check ({@code RunnerAuthenticator} on a cache miss). */
  static final String RUNNER_TOKEN = RunnerQueries.FIND_ONLINE_BY_TOKEN_HASH;

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

  /** api-service's read of the created run for the answer (parameters: team id, run id). */
  static final String RUN_VIEW = RunQueries.FIND;
}
