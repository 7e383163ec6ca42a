package dev.minitower.system;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** The local stack the test script started (deploy/local), and throwaway databases on it. */
final class TestStack {
  static final String JDBC_URL =
      env("MINITOWER_DB_URL", "jdbc:postgresql://127.0.0.1:55432/minitower");
  static final String DB_USER = env("MINITOWER_DB_USER", "minitower");
  static final String DB_PASSWORD = env("MINITOWER_DB_PASSWORD", "minitower");
  static final String KAFKA = env("MINITOWER_KAFKA_BOOTSTRAP", "127.0.0.1:19092");

  private TestStack() {}

  static Path root() {
    return Path.of(System.getProperty("minitower.root", "..")).toAbsolutePath().normalize();
  }

  /** Creates an empty database and answers its JDBC URL. */
  static String createDatabase(String prefix) throws SQLException {
    String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = connect(JDBC_URL);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return JDBC_URL.substring(0, JDBC_URL.lastIndexOf('/') + 1) + name;
  }

  static void dropDatabase(String url) throws SQLException {
    String name = url.substring(url.lastIndexOf('/') + 1);
    try (Connection c = connect(JDBC_URL);
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
  }

  static Connection connect(String url) throws SQLException {
    return DriverManager.getConnection(url, DB_USER, DB_PASSWORD);
  }

  /** Every port handed out in this JVM: the services started with them may still be running. */
  private static final java.util.Set<Integer> HANDED_OUT =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * A port free now and never handed out before in this run. The kernel may offer a port again once
   * its probe socket is closed, and two services of one test given the same port would answer each
   * other's probes (a likely cause of UiEndToEndIT once seeing /ready 200 while api-service had not
   * bound its ports yet).
   */
  static int freePort() {
    while (true) {
      try (ServerSocket s = new ServerSocket(0)) {
        if (HANDED_OUT.add(s.getLocalPort())) {
          return s.getLocalPort();
        }
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
