package dev.minitower.bench;

import dev.minitower.model.hash.Sha256;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ceiling: the same lifecycle as the HTTP burst (create with its outbox row and notify; lease,
 * start, one heartbeat, one log batch, result, each with the outbox rows the services write) as
 * direct JDBC transactions against the same PostgreSQL, with the same number of producers and
 * runners, and no service in between.
 */
public final class Ceiling {
  private static final long TTL_MS = 60_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** One app of the bench and its latest version. */
  public record AppRef(long id, String slug, long versionId) {}

  /** The rows the lifecycle needs, prepared over HTTP by the bench setup. */
  public record Target(
      long teamId,
      String teamSlug,
      List<AppRef> apps,
      long environmentId,
      String environment,
      List<Long> runnerIds,
      String teamTokenHash,
      List<String> runnerTokenHashes) {}

  /** What one ceiling pass measured. */
  public record Result(
      int runs,
      int producers,
      int workers,
      double createSeconds,
      double drainSeconds,
      long completed,
      Latency.Summary createTx,
      Latency.Summary leaseTx,
      Latency.Summary startTx,
      Latency.Summary heartbeatTx,
      Latency.Summary logsTx,
      Latency.Summary resultTx) {
    public double totalSeconds() {
      return createSeconds + drainSeconds;
    }

    public double runsPerSecond() {
      return totalSeconds() <= 0 ? 0 : completed / totalSeconds();
    }

    public double drainRunsPerSecond() {
      return drainSeconds <= 0 ? 0 : completed / drainSeconds;
    }
  }

  private final String url;
  private final String user;
  private final String password;
  private final Target target;
  private final boolean shaped;
  private final boolean minimal;
  private final AtomicLong nextApp = new AtomicLong();
  private final Latency create = new Latency();
  private final Latency lease = new Latency();
  private final Latency start = new Latency();
  private final Latency heartbeat = new Latency();
  private final Latency logs = new Latency();
  private final Latency result = new Latency();

  /**
   * @param shaped also issue the statements a service adds around each transition (token lookups,
   *     the app/version/environment reads and the re-read of the created run, the separate lease
   *     check before a log batch or a result), still without HTTP
   */
  public Ceiling(String url, String user, String password, Target target, boolean shaped) {
    this(url, user, password, target, shaped, false);
  }

  /**
   * @param minimal the minimal-commit lifecycle of this repo's agent instead: create, the fused
   *     lease-and-start, the result carrying the log lines (three commits per run, no heartbeat)
   */
  public Ceiling(
      String url, String user, String password, Target target, boolean shaped, boolean minimal) {
    this.minimal = minimal;
    this.shaped = shaped;
    this.url = url;
    this.user = user;
    this.password = password;
    this.target = target;
  }

  /** Looks up the team, app, version and environment ids of the bench's own rows. */
  public static Target target(
      String url,
      String user,
      String password,
      long teamId,
      List<String> appSlugs,
      String environment,
      List<Long> runnerIds,
      String teamTokenHash,
      List<String> runnerTokenHashes)
      throws SQLException {
    try (Connection c = DriverManager.getConnection(url, user, password)) {
      String teamSlug = null;
      List<AppRef> apps = new ArrayList<>();
      long envId;
      for (String appSlug : appSlugs) {
        try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT t.slug, ap.id, (SELECT v.id FROM app_versions v WHERE v.app_id = ap.id"
                    + " ORDER BY v.version_no DESC LIMIT 1) FROM teams t JOIN apps ap"
                    + " ON ap.team_id = t.id WHERE t.id = ? AND ap.slug = ?")) {
          ps.setLong(1, teamId);
          ps.setString(2, appSlug);
          try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              throw new SQLException("bench app not found in the database: " + appSlug);
            }
            teamSlug = rs.getString(1);
            apps.add(new AppRef(rs.getLong(2), appSlug, rs.getLong(3)));
          }
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement("SELECT id FROM environments WHERE team_id = ? AND name = ?")) {
        ps.setLong(1, teamId);
        ps.setString(2, environment);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw new SQLException("bench environment not found: " + environment);
          }
          envId = rs.getLong(1);
        }
      }
      return new Target(
          teamId,
          teamSlug,
          List.copyOf(apps),
          envId,
          environment,
          runnerIds,
          teamTokenHash,
          runnerTokenHashes);
    }
  }

  public Result run(int runs, int producers) throws Exception {
    int workers = target.runnerIds().size();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(producers, workers));
    try {
      long t0 = System.nanoTime();
      List<Future<?>> fs = new ArrayList<>();
      for (int p = 0; p < producers; p++) {
        int share = runs / producers + (p < runs % producers ? 1 : 0);
        fs.add(pool.submit(() -> produce(share)));
      }
      for (Future<?> f : fs) {
        f.get();
      }
      long t1 = System.nanoTime();
      AtomicLong completed = new AtomicLong();
      fs.clear();
      for (int i = 0; i < workers; i++) {
        long runnerId = target.runnerIds().get(i);
        String tokenHash = target.runnerTokenHashes().get(i);
        fs.add(pool.submit(() -> drain(runnerId, tokenHash, completed)));
      }
      for (Future<?> f : fs) {
        f.get();
      }
      long t2 = System.nanoTime();
      return new Result(
          runs,
          producers,
          workers,
          (t1 - t0) / 1e9,
          (t2 - t1) / 1e9,
          completed.get(),
          create.summary(),
          lease.summary(),
          start.summary(),
          heartbeat.summary(),
          logs.summary(),
          result.summary());
    } finally {
      pool.shutdownNow();
    }
  }

  private Connection connect() throws SQLException {
    Connection c = DriverManager.getConnection(url, user, password);
    c.setAutoCommit(false);
    return c;
  }

  private Void produce(int count) throws SQLException {
    // the services' reads run in auto-commit on a connection of their own
    try (Connection c = connect();
        Connection ro = DriverManager.getConnection(url, user, password);
        PreparedStatement insert = c.prepareStatement(CeilingSql.INSERT_RUNS);
        PreparedStatement outbox = c.prepareStatement(CeilingSql.OUTBOX_INSERT);
        PreparedStatement notify = c.prepareStatement(CeilingSql.NOTIFY_QUEUED);
        PreparedStatement teamToken = ro.prepareStatement(CeilingSql.TEAM_TOKEN);
        PreparedStatement app = ro.prepareStatement(CeilingSql.APP);
        PreparedStatement version = ro.prepareStatement(CeilingSql.LATEST_VERSION);
        PreparedStatement env = ro.prepareStatement(CeilingSql.ENVIRONMENT);
        PreparedStatement reread = ro.prepareStatement(CeilingSql.RUN_VIEW)) {
      for (int i = 0; i < count; i++) {
        long t0 = System.nanoTime();
        AppRef a = target.apps().get((int) (nextApp.getAndIncrement() % target.apps().size()));
        if (shaped) {
          teamToken.setString(1, target.teamTokenHash());
          drainQuery(teamToken);
          app.setLong(1, target.teamId());
          app.setString(2, a.slug());
          drainQuery(app);
          version.setLong(1, a.id());
          drainQuery(version);
          env.setLong(1, target.teamId());
          env.setString(2, target.environment());
          drainQuery(env);
        }
        // one create: one element per array (api-service's group commit passes several)
        int k = 1;
        insert.setArray(k++, c.createArrayOf("bigint", new Long[] {target.teamId()}));
        insert.setArray(k++, c.createArrayOf("bigint", new Long[] {a.id()}));
        insert.setArray(k++, c.createArrayOf("bigint", new Long[] {a.versionId()}));
        insert.setArray(k++, c.createArrayOf("bigint", new Long[] {target.environmentId()}));
        insert.setArray(k++, c.createArrayOf("text", new String[] {target.environment()}));
        insert.setArray(k++, c.createArrayOf("bigint", new Long[] {null}));
        insert.setArray(k++, c.createArrayOf("text", new String[] {null}));
        insert.setArray(k++, c.createArrayOf("int4", new Integer[] {0}));
        insert.setArray(k++, c.createArrayOf("int4", new Integer[] {0}));
        insert.setArray(k++, c.createArrayOf("bool", new Boolean[] {false}));
        insert.setArray(k++, c.createArrayOf("text", new String[] {null}));
        insert.setArray(k, c.createArrayOf("text", new String[] {null}));
        long runId;
        long runNo;
        try (ResultSet rs = insert.executeQuery()) {
          rs.next();
          runId = rs.getLong("id");
          runNo = rs.getLong("run_no");
        }
        event(outbox, "created", runId, runNo, 1, "queued", null, 0);
        notify.setString(1, target.environment());
        drainQuery(notify);
        c.commit();
        if (shaped) {
          reread.setLong(1, target.teamId());
          reread.setLong(2, runId);
          drainQuery(reread);
        }
        create.recordNanos(System.nanoTime() - t0);
      }
    }
    return null;
  }

  private Void drain(long runnerId, String tokenHash, AtomicLong completed) throws SQLException {
    try (Connection c = connect();
        Connection ro = DriverManager.getConnection(url, user, password);
        PreparedStatement auth = ro.prepareStatement(CeilingSql.RUNNER_TOKEN);
        PreparedStatement lockRunner = c.prepareStatement(CeilingSql.LOCK_RUNNER_COUNT_ACTIVE);
        PreparedStatement leaseSt =
            c.prepareStatement(minimal ? CeilingSql.LEASE_AND_START : CeilingSql.LEASE);
        PreparedStatement outbox = c.prepareStatement(CeilingSql.OUTBOX_INSERT);
        PreparedStatement lockRun = c.prepareStatement(CeilingSql.LOCK_RUN);
        PreparedStatement lockLive = c.prepareStatement(CeilingSql.LOCK_LIVE_ATTEMPT);
        PreparedStatement attemptStart = c.prepareStatement(CeilingSql.ATTEMPT_START);
        PreparedStatement runStart = c.prepareStatement(CeilingSql.RUN_START);
        PreparedStatement attemptState = c.prepareStatement(CeilingSql.ATTEMPT_STATE);
        PreparedStatement hb = c.prepareStatement(CeilingSql.HEARTBEAT);
        PreparedStatement touch = c.prepareStatement(CeilingSql.TOUCH_RUNNER);
        PreparedStatement insertLogs = c.prepareStatement(CeilingSql.INSERT_LOGS);
        PreparedStatement lockOwn = c.prepareStatement(CeilingSql.LOCK_OWN_ATTEMPT);
        PreparedStatement attemptFinish = c.prepareStatement(CeilingSql.ATTEMPT_FINISH);
        PreparedStatement runFinish = c.prepareStatement(CeilingSql.RUN_FINISH)) {
      while (true) {
        // lease
        long t0 = System.nanoTime();
        authenticate(auth, tokenHash);
        String hash = sha256(newLeaseToken());
        lockRunner.setLong(1, runnerId);
        drainQuery(lockRunner);
        leaseSt.setString(1, target.environment());
        leaseSt.setNull(2, Types.BIGINT);
        leaseSt.setNull(3, Types.BIGINT);
        leaseSt.setInt(4, 1);
        leaseSt.setLong(5, runnerId);
        leaseSt.setArray(6, c.createArrayOf("text", new String[] {hash}));
        leaseSt.setLong(7, TTL_MS);
        long runId;
        long runNo;
        long attemptId;
        long seq;
        try (ResultSet rs = leaseSt.executeQuery()) {
          if (!rs.next()) {
            c.commit();
            return null; // queue drained
          }
          runId = rs.getLong("run_id");
          runNo = rs.getLong("run_no");
          attemptId = rs.getLong("attempt_id");
          seq = rs.getLong("event_seq");
        }
        event(outbox, "leased", runId, runNo, minimal ? seq - 1 : seq, "leased", runnerId, 1);
        if (minimal) {
          event(outbox, "started", runId, runNo, seq, "running", runnerId, 1);
        }
        c.commit();
        lease.recordNanos(System.nanoTime() - t0);
        if (minimal) {
          // the result carries the log lines: one transaction
          t0 = System.nanoTime();
          lockRun.setLong(1, runId);
          drainQuery(lockRun);
          guard(lockOwn, runId, runnerId, hash);
          drainQuery(lockOwn);
          guard(attemptState, runId, runnerId, hash);
          drainQuery(attemptState);
          insertLogLines(c, insertLogs, attemptId, runId);
          finish(attemptFinish, runFinish, outbox, runId, runNo, runnerId, attemptId);
          c.commit();
          result.recordNanos(System.nanoTime() - t0);
          completed.incrementAndGet();
          continue;
        }

        // start
        t0 = System.nanoTime();
        authenticate(auth, tokenHash);
        lockRun.setLong(1, runId);
        drainQuery(lockRun);
        guard(lockLive, runId, runnerId, hash);
        drainQuery(lockLive);
        attemptStart.setLong(1, attemptId);
        attemptStart.executeUpdate();
        runStart.setLong(1, runId);
        try (ResultSet rs = runStart.executeQuery()) {
          rs.next();
          seq = rs.getLong("event_seq");
        }
        event(outbox, "started", runId, runNo, seq, "running", runnerId, 1);
        guard(attemptState, runId, runnerId, hash);
        drainQuery(attemptState);
        c.commit();
        start.recordNanos(System.nanoTime() - t0);

        // heartbeat
        t0 = System.nanoTime();
        authenticate(auth, tokenHash);
        hb.setLong(1, TTL_MS);
        hb.setLong(2, runId);
        hb.setLong(3, runnerId);
        hb.setString(4, hash);
        drainQuery(hb);
        touch.setLong(1, runnerId);
        touch.executeUpdate();
        c.commit();
        heartbeat.recordNanos(System.nanoTime() - t0);

        // one log batch
        t0 = System.nanoTime();
        authenticate(auth, tokenHash);
        requireLive(c, attemptState, runId, runnerId, hash);
        guard(attemptState, runId, runnerId, hash);
        drainQuery(attemptState);
        insertLogLines(c, insertLogs, attemptId, runId);
        c.commit();
        logs.recordNanos(System.nanoTime() - t0);

        // result
        t0 = System.nanoTime();
        authenticate(auth, tokenHash);
        requireLive(c, attemptState, runId, runnerId, hash);
        lockRun.setLong(1, runId);
        drainQuery(lockRun);
        guard(lockOwn, runId, runnerId, hash);
        drainQuery(lockOwn);
        finish(attemptFinish, runFinish, outbox, runId, runNo, runnerId, attemptId);
        c.commit();
        result.recordNanos(System.nanoTime() - t0);
        completed.incrementAndGet();
      }
    }
  }

  private static void insertLogLines(
      Connection c, PreparedStatement insertLogs, long attemptId, long runId) throws SQLException {
    insertLogs.setLong(1, attemptId);
    insertLogs.setLong(2, runId);
    insertLogs.setInt(3, 1);
    Long[] seqs = {1L, 2L, 3L};
    String[] streams = {"stdout", "stdout", "stdout"};
    String[] lines = new String[3];
    Timestamp[] times = new Timestamp[3];
    for (int i = 0; i < 3; i++) {
      lines[i] = "bench line " + (i + 1) + " of run " + runId;
      times[i] = Timestamp.from(Instant.now());
    }
    insertLogs.setArray(4, c.createArrayOf("bigint", seqs));
    insertLogs.setArray(5, c.createArrayOf("text", streams));
    insertLogs.setArray(6, c.createArrayOf("text", lines));
    insertLogs.setArray(7, c.createArrayOf("timestamptz", times));
    insertLogs.executeUpdate();
  }

  private void finish(
      PreparedStatement attemptFinish,
      PreparedStatement runFinish,
      PreparedStatement outbox,
      long runId,
      long runNo,
      long runnerId,
      long attemptId)
      throws SQLException {
    attemptFinish.setString(1, "completed");
    attemptFinish.setInt(2, 0);
    attemptFinish.setNull(3, Types.VARCHAR);
    attemptFinish.setLong(4, attemptId);
    drainQuery(attemptFinish);
    runFinish.setString(1, "completed");
    runFinish.setLong(2, runId);
    long seq;
    try (ResultSet rs = runFinish.executeQuery()) {
      rs.next();
      seq = rs.getLong("event_seq");
    }
    event(outbox, "completed", runId, runNo, seq, "completed", runnerId, 1);
  }

  /** The service's runner-token lookup, one round trip on its own (shaped only). */
  private void authenticate(PreparedStatement auth, String tokenHash) throws SQLException {
    if (shaped) {
      auth.setString(1, tokenHash);
      drainQuery(auth);
    }
  }

  /** The service's lease check before it reads a body, in its own transaction (shaped only). */
  private void requireLive(
      Connection c, PreparedStatement attemptState, long runId, long runnerId, String hash)
      throws SQLException {
    if (shaped) {
      guard(attemptState, runId, runnerId, hash);
      drainQuery(attemptState);
      c.commit();
    }
  }

  private static void guard(PreparedStatement ps, long runId, long runnerId, String hash)
      throws SQLException {
    ps.setLong(1, runId);
    ps.setLong(2, runnerId);
    ps.setString(3, hash);
  }

  private static void drainQuery(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        // consume
      }
    }
  }

  /** An outbox row shaped like the services' CloudEvents (same columns, similar payload size). */
  private void event(
      PreparedStatement ps,
      String type,
      long runId,
      long runNo,
      long seq,
      String status,
      Long runnerId,
      int attemptNo)
      throws SQLException {
    UUID id = UUID.randomUUID();
    String payload =
        String.format(
            Locale.ROOT,
            "{\"specversion\":\"1.0\",\"id\":\"%s\",\"source\":\"/minitower/bench-ceiling\","
                + "\"type\":\"dev.minitower.run.%s\",\"subject\":\"%d\",\"time\":\"%s\","
                + "\"datacontenttype\":\"application/json\",\"sequence\":%d,\"data\":{"
                + "\"run_id\":%d,\"run_no\":%d,\"team_id\":%d,\"team_slug\":\"%s\",\"app_id\":%d,"
                + "\"app_slug\":\"%s\",\"environment\":\"%s\",\"status\":\"%s\","
                + "\"retry_count\":0,\"attempt_no\":%d,\"runner_id\":%s}}",
            id,
            type,
            runId,
            Instant.now(),
            seq,
            runId,
            runNo,
            target.teamId(),
            target.teamSlug(),
            target.apps().get(0).id(),
            target.apps().get(0).slug(),
            target.environment(),
            status,
            attemptNo,
            runnerId == null ? "null" : runnerId.toString());
    ps.setObject(1, id);
    ps.setString(2, "minitower.run-events");
    ps.setString(3, Long.toString(runId));
    ps.setString(4, "dev.minitower.run." + type);
    ps.setString(5, payload);
    ps.executeUpdate();
  }

  private static String newLeaseToken() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static String sha256(String s) {
    return Sha256.hex(s);
  }
}
