package dev.minitower.store.outbox;

import dev.minitower.store.jdbc.Jdbc;
import dev.minitower.store.jdbc.StoreException;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Every SQL statement of the outbox relay over the {@code outbox} table (the writes of events are
 * {@link OutboxWriter}'s). Marking and deleting are each their own transaction.
 */
@ApplicationScoped
public class OutboxStore {
  // Served by outbox_unpublished_idx (id) WHERE published_at IS NULL.
  private static final String UNPUBLISHED =
      "SELECT id, event_id, topic, message_key, event_type, payload::text AS payload, created_at"
          + " FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT ?";
  private static final String MARK_PUBLISHED =
      "UPDATE outbox SET published_at = ? WHERE id = ANY(?) AND published_at IS NULL";
  // Served by outbox_published_idx (published_at) WHERE published_at IS NOT NULL.
  private static final String DELETE_PUBLISHED =
      "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE published_at IS NOT NULL"
          + " AND published_at < ? ORDER BY published_at LIMIT ?)";

  /** An outbox row as the relay sends it. */
  public record Row(
      long id,
      String eventId,
      String topic,
      String key,
      String type,
      String payload,
      Instant createdAt) {}

  private final AgroalDataSource dataSource;

  OutboxStore(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  public List<Row> unpublished(int limit) {
    try (Connection c = dataSource.getConnection()) {
      return Jdbc.query(
          c,
          UNPUBLISHED,
          rs ->
              new Row(
                  rs.getLong("id"),
                  rs.getString("event_id"),
                  rs.getString("topic"),
                  rs.getString("message_key"),
                  rs.getString("event_type"),
                  rs.getString("payload"),
                  Jdbc.instant(rs, "created_at")),
          limit);
    } catch (SQLException e) {
      throw new StoreException("read outbox", e);
    }
  }

  /** Marks acknowledged rows published, in one transaction. */
  public int markPublished(List<Long> ids, Instant at) {
    if (ids.isEmpty()) {
      return 0;
    }
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              try (Connection c = dataSource.getConnection();
                  PreparedStatement ps = c.prepareStatement(MARK_PUBLISHED)) {
                ps.setTimestamp(1, java.sql.Timestamp.from(at));
                ps.setArray(2, c.createArrayOf("bigint", ids.toArray()));
                return ps.executeUpdate();
              } catch (SQLException e) {
                throw new StoreException("mark outbox published", e);
              }
            });
  }

  /** Deletes up to {@code limit} rows published before {@code before}; answers how many. */
  public int deletePublished(Instant before, int limit) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              try (Connection c = dataSource.getConnection()) {
                return Jdbc.update(c, DELETE_PUBLISHED, before, limit);
              } catch (SQLException e) {
                throw new StoreException("delete published outbox rows", e);
              }
            });
  }
}
