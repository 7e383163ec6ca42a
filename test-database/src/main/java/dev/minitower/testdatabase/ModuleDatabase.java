package dev.minitower.testdatabase;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Gives each test module a database of its own on the test cluster: {@code minitower_test_<module>}
 * (the module is the system property {@code minitower.test.database}'s value when set, else the
 * working directory's name, which surefire sets to the module's directory). The database is created
 * on first use through the cluster's default database with the same role (it has {@code CREATEDB},
 * {@code deploy/local/pg.sh}); Flyway then migrates it at start like any other. So a suite never
 * sees another suite's rows and the sweeps under test run their production SQL over every row.
 *
 * <p>A config source (found through {@code META-INF/services}; this module is never on a service's
 * run-time class path) with an ordinal above {@code application.properties} and below the
 * environment: a test profile's overrides (test-support's {@code DatabaseDownProfile}) and an
 * explicit {@code QUARKUS_DATASOURCE_JDBC_URL} still win.
 */
public class ModuleDatabase implements ConfigSource {
  static final String URL_KEY = "quarkus.datasource.jdbc.url";
  private static final Pattern JDBC_URL =
      Pattern.compile("^(jdbc:postgresql://[^/]*/)([^?]*)(.*)$");

  private static volatile String url;

  @Override
  public Set<String> getPropertyNames() {
    return Set.of(URL_KEY);
  }

  @Override
  public String getValue(String propertyName) {
    return URL_KEY.equals(propertyName) ? url() : null;
  }

  @Override
  public Map<String, String> getProperties() {
    return Map.of(URL_KEY, url());
  }

  @Override
  public int getOrdinal() {
    return 275;
  }

  @Override
  public String getName() {
    return "minitower-test-module-database";
  }

  /** The module's JDBC URL; the database exists once this returns. */
  static String url() {
    String u = url;
    if (u == null) {
      synchronized (ModuleDatabase.class) {
        u = url;
        if (u == null) {
          u = create();
          url = u;
        }
      }
    }
    return u;
  }

  /** {@code minitower_test_<module>}, lower case, anything but letters and digits as {@code _}. */
  public static String databaseName() {
    String module = System.getProperty("minitower.test.database");
    if (module == null || module.isBlank()) {
      Path dir = Path.of("").toAbsolutePath().getFileName();
      module = dir == null ? "default" : dir.toString();
    }
    return "minitower_test_" + module.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
  }

  private static String create() {
    String base = env("MINITOWER_DB_URL", "jdbc:postgresql://127.0.0.1:55432/minitower");
    Matcher m = JDBC_URL.matcher(base);
    if (!m.matches()) {
      throw new IllegalStateException("not a PostgreSQL JDBC URL: " + base);
    }
    String name = databaseName();
    String user = env("MINITOWER_DB_USER", "minitower");
    String password = env("MINITOWER_DB_PASSWORD", "minitower");
    try (Connection c = DriverManager.getConnection(base, user, password)) {
      if (!exists(c, name)) {
        try (Statement s = c.createStatement()) {
          s.execute("CREATE DATABASE \"" + name + "\"");
        } catch (SQLException e) {
          // 42P04: a concurrent build of the same module created it first.
          if (!"42P04".equals(e.getSQLState())) {
            throw e;
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot create the test database " + name + " through " + base + ": " + e.getMessage(),
          e);
    }
    return m.group(1) + name + m.group(3);
  }

  private static boolean exists(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
