package dev.minitower.store.stats;

import dev.minitower.store.jdbc.StoreException;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The read-only queries behind the queue gauges (pending runs, online runners, outbox backlog),
 * each bounded by a statement timeout.
 */
@ApplicationScoped
public class QueueGauges {
  // NOT cancel_requested matches runs_lease_pick_idx; a queued run is never cancel-requested.
  private static final String PENDING =
      "SELECT t.slug, a.slug, r.environment_name, count(*) FROM runs r"
          + " JOIN teams t ON t.id = r.team_id JOIN apps a ON a.id = r.app_id"
          + " WHERE r.status = 'queued' AND NOT r.cancel_requested GROUP BY 1, 2, 3";
  private static final String ONLINE =
      "SELECT environment, count(*) FROM runners WHERE status = 'online' GROUP BY 1";
  private static final String BACKLOG = "SELECT count(*) FROM outbox WHERE published_at IS NULL";

  /** One labelled value; labels in the gauge's label order. */
  public record Group(List<String> labels, long value) {}

  /** Everything the gauges show, read together. */
  public record Snapshot(List<Group> pending, List<Group> online, long outboxBacklog) {}

  private final AgroalDataSource dataSource;

  QueueGauges(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  public Snapshot read(int timeoutSeconds) {
    try (Connection c = dataSource.getConnection()) {
      List<Group> pending = groups(c, PENDING, 3, timeoutSeconds);
      List<Group> online = groups(c, ONLINE, 1, timeoutSeconds);
      List<Group> backlog = groups(c, BACKLOG, 0, timeoutSeconds);
      return new Snapshot(pending, online, backlog.isEmpty() ? 0 : backlog.get(0).value());
    } catch (SQLException e) {
      throw new StoreException("gauge queries", e);
    }
  }

  private static List<Group> groups(Connection c, String sql, int labelCount, int timeout)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setQueryTimeout(timeout);
      try (ResultSet rs = ps.executeQuery()) {
        List<Group> out = new ArrayList<>();
        while (rs.next()) {
          List<String> labels = new ArrayList<>(labelCount);
          for (int i = 1; i <= labelCount; i++) {
            labels.add(rs.getString(i));
          }
          out.add(new Group(labels, rs.getLong(labelCount + 1)));
        }
        return out;
      }
    }
  }
}
