package dev.minitower.store.jdbc;

import dev.minitower.store.jdbc.Jdbc.RowMapper;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * One read on a connection of the data source: the transaction's inside one, an auto-committed one
 * outside. A failure is a {@link StoreException}.
 */
public final class Reads {
  private Reads() {}

  public static <T> List<T> list(
      DataSource dataSource, String sql, RowMapper<T> mapper, Object... params) {
    try (Connection c = dataSource.getConnection()) {
      return Jdbc.query(c, sql, mapper, params);
    } catch (SQLException e) {
      throw new StoreException("query", e);
    }
  }

  public static <T> Optional<T> one(
      DataSource dataSource, String sql, RowMapper<T> mapper, Object... params) {
    try (Connection c = dataSource.getConnection()) {
      return Jdbc.queryOne(c, sql, mapper, params);
    } catch (SQLException e) {
      throw new StoreException("query", e);
    }
  }
}
