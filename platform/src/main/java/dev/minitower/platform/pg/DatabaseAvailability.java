package dev.minitower.platform.pg;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Tells a database that cannot be reached (stopped, restarting, failing over, no connection within
 * the pool's acquisition timeout) from a failing statement, and logs each outage once: a WARN when
 * the first request fails, an INFO when a background probe reaches the database again. Requests in
 * between answer 503 {@code unavailable} with Retry-After and log nothing above DEBUG.
 */
@ApplicationScoped
public class DatabaseAvailability {
  private static final Logger LOG = Logger.getLogger(DatabaseAvailability.class);

  /** What a client should wait before retrying: about one pool acquisition timeout. */
  public static final long RETRY_AFTER_SECONDS = 5;

  private static final Duration PROBE_INTERVAL = Duration.ofSeconds(2);
  private static final String AGROAL_ACQUISITION_TIMEOUT = "acquisition timeout";

  private final AgroalDataSource dataSource;
  private final AtomicLong outageStart = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private ScheduledExecutorService prober;

  DatabaseAvailability(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * True when {@code failure} (or one of its causes) says the database is unreachable rather than
   * that a statement failed: SQLSTATE class 08 (connection exception), 57P01–57P03 (admin or crash
   * shutdown, cannot connect now), 53300 (too many connections), or the pool's acquisition timeout.
   */
  public static boolean isUnavailable(Throwable failure) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
      if (t instanceof SQLException sql) {
        int depth = 0;
        for (SQLException s = sql; s != null && depth++ < 10; s = s.getNextException()) {
          if (unavailableState(s.getSQLState())
              || s.getSQLState() == null
                  && s.getMessage() != null
                  && s.getMessage().contains(AGROAL_ACQUISITION_TIMEOUT)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean unavailableState(String state) {
    return state != null
        && (state.startsWith("08")
            || state.equals("57P01")
            || state.equals("57P02")
            || state.equals("57P03")
            || state.equals("53300"));
  }

  /** Records a request refused because the database is unreachable (see the class comment). */
  public void report(Throwable failure) {
    refused.incrementAndGet();
    if (outageStart.compareAndSet(0, System.currentTimeMillis())) {
      LOG.warnf(
          "database unavailable (%s): answering 503 until it is reachable again",
          firstLine(failure));
      startProbe();
    } else {
      LOG.debugf("database still unavailable: %s", firstLine(failure));
    }
  }

  /** Whether an outage is being reported (a request failed and no probe has succeeded since). */
  public boolean inOutage() {
    return outageStart.get() != 0;
  }

  private synchronized void startProbe() {
    if (prober == null) {
      prober =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "db-availability-probe");
                t.setDaemon(true);
                return t;
              });
    }
    prober.schedule(this::probe, PROBE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void probe() {
    boolean reachable;
    try (Connection c = dataSource.getConnection()) {
      reachable = c.isValid(2);
    } catch (SQLException | RuntimeException e) {
      reachable = false;
    }
    if (!reachable) {
      startProbe();
      return;
    }
    long since = outageStart.getAndSet(0);
    long count = refused.getAndSet(0);
    LOG.infof(
        "database reachable again after %d s (%d requests answered 503)",
        Math.max(0, (System.currentTimeMillis() - since) / 1000), count);
  }

  void stop(@Observes ShutdownEvent event) {
    synchronized (this) {
      if (prober != null) {
        prober.shutdownNow();
      }
    }
  }

  private static String firstLine(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    int cut = m.indexOf('\n');
    return cut > 0 ? m.substring(0, cut) : m;
  }
}
