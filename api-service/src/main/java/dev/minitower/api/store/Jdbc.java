package dev.minitower.api.store;

import dev.minitower.store.jdbc.Jdbc.RowMapper;
import dev.minitower.store.jdbc.StoreException;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * run-store's {@link dev.minitower.store.jdbc.Jdbc} (one set of binding rules) on the injected data
 * source. Inside a {@code @Transactional} service method the connection is the transaction's;
 * outside one each call auto-commits. Failures are run-store's {@link StoreException} (500).
 */
@ApplicationScoped
public class Jdbc {
  private final AgroalDataSource dataSource;

  public Jdbc(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  public <T> List<T> list(String sql, RowMapper<T> mapper, Object... params) {
    try (Connection c = dataSource.getConnection()) {
      return dev.minitower.store.jdbc.Jdbc.query(c, sql, mapper, params);
    } catch (SQLException e) {
      throw new StoreException("query", e);
    }
  }

  public <T> Optional<T> one(String sql, RowMapper<T> mapper, Object... params) {
    try (Connection c = dataSource.getConnection()) {
      return dev.minitower.store.jdbc.Jdbc.queryOne(c, sql, mapper, params);
    } catch (SQLException e) {
      throw new StoreException("query", e);
    }
  }

  public int update(String sql, Object... params) {
    try (Connection c = dataSource.getConnection()) {
      return dev.minitower.store.jdbc.Jdbc.update(c, sql, params);
    } catch (SQLException e) {
      throw new StoreException("update", e);
    }
  }
}
