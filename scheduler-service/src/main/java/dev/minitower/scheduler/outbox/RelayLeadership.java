package dev.minitower.scheduler.outbox;

import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jboss.logging.Logger;

/**
 * Leader election of the outbox relay: a session-level PostgreSQL advisory lock held on one
 * dedicated connection. Only the holder publishes. When the holder's process or connection dies,
 * PostgreSQL releases the lock and a standby takes over on its next try. The holder checks its
 * connection before every batch, so a leader that lost its session stops after at most one batch.
 */
public class RelayLeadership implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(RelayLeadership.class);

  private final AgroalDataSource dataSource;
  private final long lockKey;
  private Connection connection;

  public RelayLeadership(AgroalDataSource dataSource, long lockKey) {
    this.dataSource = dataSource;
    this.lockKey = lockKey;
  }

  /** True when this instance holds the lock (acquiring it if free). */
  public synchronized boolean holdOrAcquire() {
    if (connection != null) {
      if (stillHeld()) {
        return true;
      }
      LOG.warn("outbox relay lost its leadership session");
      release();
    }
    try {
      Connection c = dataSource.getConnection();
      boolean acquired;
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
        ps.setLong(1, lockKey);
        try (ResultSet rs = ps.executeQuery()) {
          acquired = rs.next() && rs.getBoolean(1);
        }
      }
      if (!acquired) {
        c.close();
        return false;
      }
      connection = c;
      LOG.infof("outbox relay leadership acquired lock_key=%d", lockKey);
      return true;
    } catch (SQLException e) {
      LOG.warnf("outbox relay election error error=%s", e.getMessage());
      return false;
    }
  }

  public synchronized boolean isLeader() {
    return connection != null;
  }

  private boolean stillHeld() {
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                + " AND pid = pg_backend_pid() AND objid = (? & 4294967295)::oid"
                + " AND classid = (? >> 32)::oid")) {
      ps.setQueryTimeout(5);
      ps.setLong(1, lockKey);
      ps.setLong(2, lockKey);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getInt(1) > 0;
      }
    } catch (SQLException e) {
      return false;
    }
  }

  /** Gives the lock up (closing the session releases it even if the unlock fails). */
  public synchronized void release() {
    if (connection == null) {
      return;
    }
    try (PreparedStatement ps = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
      ps.setLong(1, lockKey);
      ps.execute();
    } catch (SQLException e) {
      // the session is gone: the lock went with it
    }
    try {
      connection.close();
    } catch (SQLException e) {
      // ignore
    }
    connection = null;
  }

  @Override
  public void close() {
    release();
  }
}
