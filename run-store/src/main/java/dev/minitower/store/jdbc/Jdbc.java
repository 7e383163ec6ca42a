package dev.minitower.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Thin helpers over JDBC: bind parameters by position, map rows, nothing else. */
public final class Jdbc {
  private Jdbc() {}

  /** Maps the current row of a result set. */
  @FunctionalInterface
  public interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  public static <T> List<T> query(Connection c, String sql, RowMapper<T> mapper, Object... params)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (rs.next()) {
          out.add(mapper.map(rs));
        }
        return out;
      }
    }
  }

  public static <T> Optional<T> queryOne(
      Connection c, String sql, RowMapper<T> mapper, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.ofNullable(mapper.map(rs)) : Optional.empty();
      }
    }
  }

  public static int update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      return ps.executeUpdate();
    }
  }

  public static void bind(PreparedStatement ps, Object... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      Object p = params[i];
      int idx = i + 1;
      if (p == null) {
        ps.setNull(idx, Types.NULL);
      } else if (p instanceof Instant instant) {
        ps.setTimestamp(idx, Timestamp.from(instant));
      } else if (p instanceof Jsonb json) {
        ps.setObject(idx, json.text(), Types.OTHER);
      } else if (p instanceof TypedNull typed) {
        ps.setNull(idx, typed.sqlType());
      } else {
        ps.setObject(idx, p);
      }
    }
  }

  public static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp ts = rs.getTimestamp(column);
    return ts == null ? null : ts.toInstant();
  }

  public static Long longOrNull(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  public static Integer intOrNull(ResultSet rs, String column) throws SQLException {
    int v = rs.getInt(column);
    return rs.wasNull() ? null : v;
  }

  /** A JSON text bound as {@code jsonb}. */
  public record Jsonb(String text) {}

  /** A typed SQL NULL (needed where PostgreSQL cannot infer a parameter's type). */
  public record TypedNull(int sqlType) {
    public static final TypedNull BIGINT = new TypedNull(Types.BIGINT);
    public static final TypedNull TIMESTAMP = new TypedNull(Types.TIMESTAMP_WITH_TIMEZONE);
    public static final TypedNull INTEGER = new TypedNull(Types.INTEGER);
    public static final TypedNull TEXT = new TypedNull(Types.VARCHAR);
  }

  /** A nullable Long parameter that keeps its SQL type when null. */
  public static Object bigint(Long value) {
    return value == null ? TypedNull.BIGINT : value;
  }

  /** A nullable Integer parameter that keeps its SQL type when null. */
  public static Object integer(Integer value) {
    return value == null ? TypedNull.INTEGER : value;
  }

  /** A nullable String parameter that keeps its SQL type when null. */
  public static Object text(String value) {
    return value == null ? TypedNull.TEXT : value;
  }

  /** True when the failure is a unique-constraint violation (SQLSTATE 23505). */
  public static boolean isUniqueViolation(SQLException e) {
    return "23505".equals(e.getSQLState());
  }
}
