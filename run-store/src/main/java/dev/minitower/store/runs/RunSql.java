package dev.minitower.store.runs;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every SQL statement of the run transitions over the queue tables ({@code runs}, {@code
 * run_attempts}, {@code run_logs}) in one place; their reads are {@link RunQueries}'. Guards name
 * the statuses of {@link dev.minitower.model.run.RunTransition}; "live" is {@code leased, running,
 * cancelling}; lease validity always includes {@code lease_expires_at > now()} (database clock).
 *
 * <p>Public so that the bench's SQL ceiling runs these very statements, not a copy; services go
 * through {@link RunLifecycle}, {@link AttemptTransitions} and {@link RunReaper}.
 */
public final class RunSql {
  private RunSql() {}

  private static final String LIVE = "('leased', 'running', 'cancelling')";

  /** Columns of {@link RunRows.RunRow} for a {@code runs r} joined to team and app. */
  private static final String RUN_RETURNING =
      " RETURNING r.*, t.slug AS team_slug, ap.slug AS app_slug";

  private static final String RUN_FROM = " FROM teams t, apps ap";
  private static final String RUN_JOIN = " AND t.id = r.team_id AND ap.id = r.app_id";

  private static final String SELECT_RUN =
      "SELECT r.*, t.slug AS team_slug, ap.slug AS app_slug FROM runs r"
          + " JOIN teams t ON t.id = r.team_id JOIN apps ap ON ap.id = r.app_id";

  /** Channel on which a transaction announces, at commit, that a run became leasable. */
  public static final String QUEUED_CHANNEL = "minitower_run_queued";

  public static final String NOTIFY_QUEUED = "SELECT pg_notify('" + QUEUED_CHANNEL + "', ?)";

  /** Channel on which log appends announce their run id at commit (live log tailing). */
  public static final String LOGS_CHANNEL = "minitower_run_logs";

  public static final String FIND_BY_IDEMPOTENCY_KEY =
      "SELECT id, run_no, request_hash FROM runs"
          + " WHERE team_id = ? AND app_id = ? AND idempotency_key = ?";

  /**
   * Creates queued runs, one per element of its arrays (a group commit of api-service passes
   * several; every other create one), each numbered by its app's sequence ({@code app_run_no_<app
   * id>}, V5) in the order of the arrays: no lock outlives the statement, so producers of one app
   * do not wait for each other's commits. An element inserts nothing when its app is not its
   * team's, or when its idempotency key was taken meanwhile (the caller then reads the winner).
   * Each new row is answered with its element's position ({@code ord}, from 1) and what the client
   * API's view of it needs (so the create reads nothing back), and announces itself on {@link
   * #QUEUED_CHANNEL} (delivered at commit), in the same round trip.
   *
   * <p>The run ids are drawn from the identity's sequence before the insert so that each answered
   * row names its element ({@code RETURNING} cannot). Run numbers follow {@code ord} because
   * PostgreSQL (9.6 and later) evaluates a volatile function of a sorted query's target list after
   * the sort; {@code RunCreateBatchTest} checks the order. The caller orders the elements (see
   * {@link RunLifecycle#createAll}). Parameters, one array each: team, app, version, environment id
   * and name, schedule, input, priority, max retries, retry on failure, idempotency key, request
   * hash.
   */
  public static final String INSERT_RUNS =
      "WITH u AS MATERIALIZED (SELECT nextval(s.seq) AS id, x.*"
          + " FROM (SELECT pg_get_serial_sequence('runs', 'id')::regclass AS seq) s,"
          + " unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::text[], ?::bigint[],"
          + " ?::text[], ?::int[], ?::int[], ?::boolean[], ?::text[], ?::text[]) WITH ORDINALITY"
          + " AS x(team_id, app_id, app_version_id, environment_id, environment_name,"
          + " schedule_id, input, priority, max_retries, retry_on_failure, idempotency_key,"
          + " request_hash, ord)),"
          + " ins AS (INSERT INTO runs (id, team_id, app_id, app_version_id, environment_id,"
          + " environment_name, schedule_id, run_no, input, priority, max_retries,"
          + " retry_on_failure, idempotency_key, request_hash, event_seq) OVERRIDING SYSTEM VALUE"
          + " SELECT u.id, u.team_id, ap.id, u.app_version_id, u.environment_id,"
          + " u.environment_name, u.schedule_id, nextval(('app_run_no_' || ap.id)::regclass),"
          + " u.input::jsonb, u.priority, u.max_retries, u.retry_on_failure, u.idempotency_key,"
          + " u.request_hash, 1 FROM u JOIN apps ap ON ap.id = u.app_id AND ap.team_id = u.team_id"
          + " ORDER BY u.ord"
          + " ON CONFLICT (team_id, app_id, idempotency_key) WHERE idempotency_key IS NOT NULL"
          + " DO NOTHING RETURNING *)"
          + " SELECT u.ord, ins.*, ins.input::text AS input_text, t.slug AS team_slug,"
          + " ap.slug AS app_slug, v.version_no, pg_notify('"
          + QUEUED_CHANNEL
          + "', ins.environment_name)::text AS queued_notified FROM ins JOIN u ON u.id = ins.id"
          + " JOIN teams t ON t.id = ins.team_id JOIN apps ap ON ap.id = ins.app_id"
          + " JOIN app_versions v ON v.id = ins.app_version_id ORDER BY u.ord";

  public static final String LOCK_RUN = SELECT_RUN + " WHERE r.id = ? FOR UPDATE OF r";

  public static final String LOCK_RUN_IN_TEAM =
      SELECT_RUN + " WHERE r.id = ? AND r.team_id = ? FOR UPDATE OF r";

  public static final String CANCEL_QUEUED =
      "UPDATE runs r SET status = 'cancelled', cancel_requested = true, finished_at = now(),"
          + " updated_at = now(), event_seq = r.event_seq + 1"
          + RUN_FROM
          + " WHERE r.id = ? AND r.status = 'queued'"
          + RUN_JOIN
          + RUN_RETURNING;

  public static final String REQUEST_CANCEL =
      "UPDATE runs r SET status = 'cancelling', cancel_requested = true, updated_at = now(),"
          + " event_seq = r.event_seq + 1"
          + RUN_FROM
          + " WHERE r.id = ? AND r.status IN ('leased', 'running')"
          + RUN_JOIN
          + RUN_RETURNING;

  public static final String ATTEMPT_REQUEST_CANCEL =
      "UPDATE run_attempts SET status = 'cancelling', updated_at = now()"
          + " WHERE run_id = ? AND status IN ('leased', 'running') RETURNING runner_id";

  /** Channel on which a cancel request announces the runner holding the run, at commit. */
  public static final String CANCEL_CHANNEL = "minitower_run_cancel";

  public static final String NOTIFY_CANCEL = "SELECT pg_notify('" + CANCEL_CHANNEL + "', ?)";

  /** The runs of one runner whose live attempt is being cancelled (the cancel push). */
  public static final String CANCELLING_OF_RUNNER =
      "SELECT run_id FROM run_attempts WHERE runner_id = ? AND status = 'cancelling'"
          + " AND lease_expires_at > now() ORDER BY run_id LIMIT 256";

  /**
   * Locks the runner row (serialising its own lease calls), refreshes its liveness, and counts its
   * live, unexpired attempts. No row when the runner is no longer online (its token is cached by
   * runner-service, so this is the authoritative check for the lease itself).
   *
   * <p>{@code last_seen_at} is written only when it is over a second old, or not yet past the
   * token's issue (the first claim after a registration marks the token in use, which a second
   * registration under the same name checks). A busy runner claims many times a second; writing the
   * row each time cost a new row version and an entry in each of its four indexes ({@code
   * last_seen_at} is indexed), against a lock alone.
   */
  public static final String LOCK_RUNNER_COUNT_ACTIVE =
      "WITH me AS (SELECT id, last_seen_at IS NULL OR last_seen_at <= token_issued_at"
          + " OR last_seen_at < now() - interval '1 second' AS stale FROM runners"
          + " WHERE id = ? AND status = 'online' FOR UPDATE),"
          + " touched AS (UPDATE runners r SET last_seen_at = now() FROM me"
          + " WHERE r.id = me.id AND me.stale)"
          + " SELECT (SELECT count(*) FROM run_attempts a WHERE a.runner_id = me.id"
          + " AND a.status IN "
          + LIVE
          + " AND a.lease_expires_at > now()) FROM me";

  /**
   * The claim's limit in {@link #LOCK_RUNNER_AND_LEASE}: the requested count, at most the runner's
   * free slots (its maximum less its live, unexpired attempts), 0 when it is not online.
   * Parameters: requested count, max concurrent, runner id.
   */
  private static final String FREE_SLOTS =
      "COALESCE((SELECT GREATEST(0, LEAST(?::int, ?::int - (SELECT count(*) FROM run_attempts a"
          + " WHERE a.runner_id = me.id AND a.status IN "
          + LIVE
          + " AND a.lease_expires_at > now()))) FROM runners me"
          + " WHERE me.id = ? AND me.status = 'online'), 0)";

  /**
   * The read-only look before a claim. First column: the runner is online, its token has been used
   * since it was issued (so the first poll after a registration still goes to the claim, which
   * marks the token in use), it was seen within the given milliseconds, and it has a free slot
   * (fewer live leases than the given maximum; a full runner goes on to the claim's refusal).
   * Second: a run is leasable for it now (the claim's own filter, on {@code runs_lease_pick_idx}).
   * No row when the runner does not exist. Parameters: touch window in ms, max concurrent,
   * environment, team (twice), runner id.
   */
  public static final String CLAIM_PROBE =
      "SELECT me.status = 'online' AND me.last_seen_at > me.token_issued_at"
          + " AND me.last_seen_at > now() - ? * interval '1 millisecond'"
          + " AND (SELECT count(*) FROM run_attempts a WHERE a.runner_id = me.id"
          + " AND a.status IN "
          + LIVE
          + " AND a.lease_expires_at > now()) < ?,"
          + " EXISTS (SELECT 1 FROM runs r"
          + " WHERE r.environment_name = ? AND r.status = 'queued' AND NOT r.cancel_requested"
          + " AND r.available_at <= now() AND (?::bigint IS NULL OR r.team_id = ?::bigint))"
          + " FROM runners me WHERE me.id = ?";

  /**
   * The claim: one statement picks the best leasable runs ({@code runs_lease_pick_idx}, up to the
   * given count, {@code FOR UPDATE SKIP LOCKED}), moves them to leased and creates their attempts,
   * each with its own lease token hash (the {@code n}-th run in pick order gets the {@code n}-th
   * hash). Parameters: environment, team (twice), limit, runner id, token hashes, ttl in ms.
   *
   * <p>The update finds the picked rows by their {@code ctid} (a TID scan), still guarded by id and
   * status. Found by id, PostgreSQL kept the generic plan it made while {@code runs} was nearly
   * empty: a sequential scan of the whole table on every claim, 1.8 ms a claim after a few thousand
   * runs (docs/performance.md, fifth round). The row is locked by {@code picked} in the same
   * statement, so its {@code ctid} cannot change in between; were it ever to differ, the guard
   * makes the run not claimed, never claimed twice.
   */
  public static final String LEASE = claim(false);

  /**
   * The fused claim for runners that start at once ({@code start=true} of the batch lease): as
   * {@link #LEASE}, but run and attempt go straight on to running (queued → leased → running in one
   * statement; {@code event_seq} moves by two, one event per transition).
   */
  public static final String LEASE_AND_START = claim(true);

  /**
   * {@link #LOCK_RUNNER_COUNT_ACTIVE}, then the claim ({@link #LEASE}), as two statements sent in
   * one round trip (pgjdbc sends both, then one Sync). Two statements, not one: the claim counts
   * the runner's live attempts with a snapshot taken <em>after</em> the first statement locked the
   * runner row, so two claims of one runner (a long poll and a result's next run) cannot both see
   * the same free slot. A single statement would count with a snapshot taken before it waited for
   * that lock. The claim takes {@code min(requested, free slots)} runs, none when the runner is not
   * online. First result: the runner's live lease count (no row when it is not online). Second: the
   * grants. Parameters: runner id; then environment, team (twice), requested count, max concurrent,
   * runner id, runner id, token hashes, ttl in ms.
   */
  public static final String LOCK_RUNNER_AND_LEASE =
      LOCK_RUNNER_COUNT_ACTIVE + "; " + claim(false, FREE_SLOTS);

  /** As {@link #LOCK_RUNNER_AND_LEASE}, with the fused start of {@link #LEASE_AND_START}. */
  public static final String LOCK_RUNNER_AND_LEASE_AND_START =
      LOCK_RUNNER_COUNT_ACTIVE + "; " + claim(true, FREE_SLOTS);

  private static String claim(boolean start) {
    return claim(start, "?");
  }

  private static String claim(boolean start, String limit) {
    String status = start ? "'running'" : "'leased'";
    return "WITH picked AS (SELECT r.id, r.ctid AS tid FROM runs r"
        + " WHERE r.environment_name = ? AND r.status = 'queued' AND NOT r.cancel_requested"
        + " AND r.available_at <= now() AND (?::bigint IS NULL OR r.team_id = ?::bigint)"
        + " ORDER BY r.priority DESC, r.queued_at, r.id LIMIT "
        + limit
        + " FOR UPDATE SKIP LOCKED),"
        + " upd AS (UPDATE runs r SET status = "
        + status
        + (start ? ", started_at = COALESCE(r.started_at, now())" : "")
        + ", updated_at = now(), event_seq = r.event_seq + "
        + (start ? "2" : "1")
        + " FROM picked WHERE r.ctid = picked.tid AND r.id = picked.id AND r.status = 'queued'"
        + " RETURNING r.*),"
        + " numbered AS (SELECT upd.id, upd.queued_at, row_number() OVER"
        + " (ORDER BY upd.priority DESC, upd.queued_at, upd.id) AS n FROM upd),"
        + " att AS (INSERT INTO run_attempts (run_id, attempt_no, runner_id, lease_token_hash,"
        + " lease_expires_at, status, queued_at, started_at)"
        + " SELECT numbered.id, COALESCE((SELECT max(a.attempt_no) FROM run_attempts a"
        + " WHERE a.run_id = numbered.id), 0) + 1, ?, (?::text[])[numbered.n],"
        + " now() + ? * interval '1 millisecond', "
        + status
        + ", numbered.queued_at, "
        + (start ? "now()" : "NULL::timestamptz")
        + " FROM numbered RETURNING id, run_id, attempt_no, lease_expires_at)"
        + " SELECT upd.id AS run_id, upd.run_no, upd.team_id, t.slug AS team_slug, upd.app_id,"
        + " ap.slug AS app_slug, v.version_no, v.entrypoint, v.timeout_seconds,"
        + " upd.input::text AS input, v.artifact_sha256, v.import_paths::text AS import_paths,"
        + " att.id AS attempt_id, att.attempt_no, att.lease_expires_at, upd.environment_name,"
        + " upd.event_seq, upd.retry_count, upd.status AS run_status, v.secret_names"
        + " FROM upd JOIN att ON att.run_id = upd.id JOIN teams t ON t.id = upd.team_id"
        + " JOIN apps ap ON ap.id = upd.app_id JOIN app_versions v ON v.id = upd.app_version_id"
        + " ORDER BY upd.priority DESC, upd.queued_at, upd.id";
  }

  private static final String ATTEMPT_GUARD =
      " a.run_id = ? AND a.runner_id = ? AND a.lease_token_hash = ?";

  private static final String LIVE_UNEXPIRED =
      " AND a.status IN " + LIVE + " AND a.lease_expires_at > now()";

  public static final String LOCK_LIVE_ATTEMPT =
      "SELECT a.*, (a.lease_expires_at > now()) AS unexpired FROM run_attempts a WHERE"
          + ATTEMPT_GUARD
          + LIVE_UNEXPIRED
          + " FOR UPDATE";

  public static final String LOCK_OWN_ATTEMPT =
      "SELECT a.*, (a.lease_expires_at > now()) AS unexpired FROM run_attempts a WHERE"
          + ATTEMPT_GUARD
          + " FOR UPDATE";

  /**
   * {@link #LOCK_RUN} and {@link #LOCK_OWN_ATTEMPT} in one round trip (run row first, as everywhere
   * else): the run's columns as {@code LOCK_RUN}, the attempt's prefixed {@code att_}. No row when
   * either is missing. Parameters: runner id, lease token hash, run id.
   */
  public static final String LOCK_RUN_AND_OWN_ATTEMPT =
      "SELECT r.*, t.slug AS team_slug, ap.slug AS app_slug, a.id AS att_id,"
          + " a.attempt_no AS att_attempt_no, a.runner_id AS att_runner_id,"
          + " a.status AS att_status, a.exit_code AS att_exit_code, a.queued_at AS att_queued_at,"
          + " a.started_at AS att_started_at, (a.lease_expires_at > now()) AS att_unexpired"
          + " FROM runs r JOIN teams t ON t.id = r.team_id JOIN apps ap ON ap.id = r.app_id"
          + " JOIN run_attempts a ON a.run_id = r.id AND a.runner_id = ? AND a.lease_token_hash = ?"
          + " WHERE r.id = ? FOR UPDATE OF r, a";

  public static final String ATTEMPT_STATE =
      "SELECT a.id, a.run_id, a.attempt_no, a.status, a.lease_expires_at, r.cancel_requested,"
          + " r.status AS run_status FROM run_attempts a JOIN runs r ON r.id = a.run_id WHERE"
          + ATTEMPT_GUARD
          + LIVE_UNEXPIRED;

  public static final String ATTEMPT_START =
      "UPDATE run_attempts SET status = 'running', started_at = COALESCE(started_at, now()),"
          + " updated_at = now() WHERE id = ? AND status = 'leased'";

  public static final String RUN_START =
      "UPDATE runs r SET status = 'running', started_at = COALESCE(r.started_at, now()),"
          + " updated_at = now(), event_seq = r.event_seq + 1"
          + RUN_FROM
          + " WHERE r.id = ? AND r.status = 'leased'"
          + RUN_JOIN
          + RUN_RETURNING;

  public static final String HEARTBEAT =
      "UPDATE run_attempts a SET lease_expires_at = now() + ? * interval '1 millisecond',"
          + " updated_at = now() FROM runs r WHERE r.id = a.run_id AND"
          + ATTEMPT_GUARD
          + LIVE_UNEXPIRED
          + " RETURNING a.id, a.run_id, a.attempt_no, a.status, a.lease_expires_at,"
          + " r.cancel_requested, r.status AS run_status";

  /** Liveness refresh, written at most every few seconds per runner (hot path). */
  public static final String TOUCH_RUNNER =
      "UPDATE runners SET last_seen_at = now() WHERE id = ?"
          + " AND (last_seen_at IS NULL OR last_seen_at < now() - interval '5 seconds')";

  public static final String INSERT_LOGS =
      "INSERT INTO run_logs (attempt_id, run_id, attempt_no, seq, stream, line, logged_at)"
          + " SELECT ?, ?, ?, u.seq, u.stream, u.line, u.logged_at"
          + " FROM unnest(?::bigint[], ?::text[], ?::text[], ?::timestamptz[])"
          + " AS u(seq, stream, line, logged_at)"
          + " ON CONFLICT (attempt_id, seq) DO NOTHING";

  /**
   * {@link #INSERT_LOGS} and, when it stored a line, the announcement of the run id (the last
   * parameter) on {@link #LOGS_CHANNEL}, in one round trip; answers the number of lines stored.
   */
  public static final String INSERT_LOGS_AND_NOTIFY =
      "WITH ins AS ("
          + INSERT_LOGS
          + " RETURNING 1), n AS (SELECT count(*) AS stored FROM ins)"
          + " SELECT n.stored, CASE WHEN n.stored > 0 THEN pg_notify('"
          + LOGS_CHANNEL
          + "', ?) END FROM n";

  public static final String ATTEMPT_FINISH =
      "UPDATE run_attempts SET status = ?, exit_code = ?, error_message = ?, finished_at = now(),"
          + " updated_at = now() WHERE id = ? RETURNING finished_at";

  public static final String REQUEUE_AFTER_FAILURE =
      "UPDATE runs r SET status = 'queued', retry_count = r.retry_count + 1, queued_at = now(),"
          + " available_at = now() + ? * interval '1 millisecond', updated_at = now(),"
          + " event_seq = r.event_seq + 1"
          + RUN_FROM
          + " WHERE r.id = ? AND r.status IN ('leased', 'running')"
          + RUN_JOIN
          + RUN_RETURNING;

  public static final String RUN_FINISH =
      "UPDATE runs r SET status = ?, finished_at = now(), updated_at = now(),"
          + " event_seq = r.event_seq + 1"
          + RUN_FROM
          + " WHERE r.id = ? AND r.status IN "
          + LIVE
          + RUN_JOIN
          + RUN_RETURNING;

  /**
   * The result of a live attempt in one statement: the attempt finishes ({@link #ATTEMPT_FINISH})
   * and its run ends ({@link #RUN_FINISH}); no row when the run is no longer live (the caller
   * refuses, which rolls the attempt back too). Returns the run as {@link #RUN_FINISH} plus the
   * attempt's {@code attempt_finished_at}. Parameters: attempt status, exit code, error, attempt
   * id, run status, run id.
   */
  public static final String FINISH_ATTEMPT_AND_RUN = withAttemptFinish(RUN_FINISH);

  /**
   * As {@link #FINISH_ATTEMPT_AND_RUN} for a failure that retries: the run is requeued ({@link
   * #REQUEUE_AFTER_FAILURE}) and announced on {@link #QUEUED_CHANNEL}. Parameters: attempt status,
   * exit code, error, attempt id, backoff in ms, run id.
   */
  public static final String FINISH_ATTEMPT_AND_REQUEUE =
      withAttemptFinish(REQUEUE_AFTER_FAILURE)
          + ", pg_notify('"
          + QUEUED_CHANNEL
          + "', r.environment_name)::text AS queued_notified";

  /**
   * {@link #FINISH_ATTEMPT_AND_RUN} with the result's log lines stored in the same statement
   * ({@link #withLogs}).
   */
  public static final String FINISH_ATTEMPT_AND_RUN_WITH_LOGS = withLogs(FINISH_ATTEMPT_AND_RUN);

  /** {@link #FINISH_ATTEMPT_AND_REQUEUE} with the result's log lines ({@link #withLogs}). */
  public static final String FINISH_ATTEMPT_AND_REQUEUE_WITH_LOGS =
      withLogs(FINISH_ATTEMPT_AND_REQUEUE);

  /**
   * {@code finish} (one of the four finishing statements above) followed by the runner's lock and
   * claim ({@link #LOCK_RUNNER_AND_LEASE}, or {@link #LOCK_RUNNER_AND_LEASE_AND_START} when {@code
   * start}): a result that asks for its runner's next run sends all three statements in one round
   * trip. The claim runs after the finish in the same transaction, so it counts the finished
   * attempt's slot as free. Parameters: {@code finish}'s, then the claim's.
   */
  public static String finishThenClaim(String finish, boolean start) {
    String fused = (start ? FINISH_THEN_CLAIM_AND_START : FINISH_THEN_CLAIM).get(finish);
    if (fused == null) {
      throw new IllegalArgumentException("not a finishing statement: " + finish);
    }
    return fused;
  }

  // Built once: the driver keys its prepared statements by the SQL text.
  private static final Map<String, String> FINISH_THEN_CLAIM = finishesThen(LOCK_RUNNER_AND_LEASE);
  private static final Map<String, String> FINISH_THEN_CLAIM_AND_START =
      finishesThen(LOCK_RUNNER_AND_LEASE_AND_START);

  /** Each finishing statement, mapped to itself followed by {@code claim}. */
  private static Map<String, String> finishesThen(String claim) {
    Map<String, String> fused = new HashMap<>();
    for (String finish :
        List.of(
            FINISH_ATTEMPT_AND_RUN,
            FINISH_ATTEMPT_AND_REQUEUE,
            FINISH_ATTEMPT_AND_RUN_WITH_LOGS,
            FINISH_ATTEMPT_AND_REQUEUE_WITH_LOGS)) {
      fused.put(finish, finish + "; " + claim);
    }
    return Map.copyOf(fused);
  }

  /**
   * {@code finish} (one of the two statements above) preceded by {@link #INSERT_LOGS} and, when it
   * stored a line, the announcement of the run on {@link #LOGS_CHANNEL}: a result's last lines and
   * its end in one round trip instead of two. Parameters: those of {@link #INSERT_LOGS_AND_NOTIFY}
   * (attempt id, run id, attempt number, the four arrays, the run id as text), then {@code
   * finish}'s. The announcement's one-row CTE joins the run update so that it is evaluated.
   */
  private static String withLogs(String finish) {
    String head = "WITH af AS (";
    String from = RUN_FROM + ", af WHERE";
    if (!finish.startsWith(head) || !finish.contains(from)) {
      throw new IllegalStateException("not a finishing statement: " + finish);
    }
    return "WITH lg AS ("
        + INSERT_LOGS
        + " RETURNING 1), lgn AS (SELECT CASE WHEN count(*) > 0 THEN pg_notify('"
        + LOGS_CHANNEL
        + "', ?)::text END AS logs_notified FROM lg), "
        + finish.substring("WITH ".length()).replace(from, RUN_FROM + ", af, lgn WHERE");
  }

  /**
   * {@code runUpdate} (one of the guarded run updates above, unchanged, so its guard is the one
   * {@code RunSqlGuardTest} checks) preceded by {@link #ATTEMPT_FINISH} in the same statement.
   */
  private static String withAttemptFinish(String runUpdate) {
    String from = RUN_FROM + " WHERE";
    if (!runUpdate.contains(from)) {
      throw new IllegalStateException("not a run update of this class: " + runUpdate);
    }
    return "WITH af AS ("
        + ATTEMPT_FINISH
        + ") "
        + runUpdate.replace(from, RUN_FROM + ", af WHERE")
        + ", af.finished_at AS attempt_finished_at";
  }

  public static final String EXPIRED_ATTEMPTS =
      "SELECT id FROM run_attempts WHERE status IN "
          + LIVE
          + " AND lease_expires_at <= COALESCE(?::timestamptz, now())"
          + " ORDER BY lease_expires_at LIMIT ?";

  public static final String LOCK_RUN_OF_ATTEMPT_SKIP_LOCKED =
      SELECT_RUN
          + " WHERE r.id = (SELECT run_id FROM run_attempts WHERE id = ?)"
          + " FOR UPDATE OF r SKIP LOCKED";

  public static final String LOCK_EXPIRED_ATTEMPT =
      "SELECT a.*, false AS unexpired FROM run_attempts a WHERE a.id = ? AND a.status IN "
          + LIVE
          + " AND a.lease_expires_at <= COALESCE(?::timestamptz, now()) FOR UPDATE";

  public static final String ATTEMPT_END =
      "UPDATE run_attempts SET status = ?, finished_at = now(), updated_at = now() WHERE id = ?";

  public static final String REQUEUE_EXPIRED =
      "UPDATE runs r SET status = 'queued', retry_count = r.retry_count + 1, queued_at = now(),"
          + " available_at = now(), updated_at = now(), event_seq = r.event_seq + 1"
          + RUN_FROM
          + " WHERE r.id = ? AND r.status IN ('leased', 'running')"
          + RUN_JOIN
          + RUN_RETURNING;
}
