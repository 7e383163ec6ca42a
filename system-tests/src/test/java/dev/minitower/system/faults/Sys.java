package dev.minitower.system.faults;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The shared local stack (PostgreSQL and Kafka the test script started), throwaway databases on it,
 * the profile (short/long) and the reliability report. Public so that the security suite can use it
 * too.
 */
public final class Sys {
  public static final String JDBC_URL =
      env("MINITOWER_DB_URL", "jdbc:postgresql://127.0.0.1:55432/minitower");
  public static final String DB_USER = env("MINITOWER_DB_USER", "minitower");
  public static final String DB_PASSWORD = env("MINITOWER_DB_PASSWORD", "minitower");
  public static final String KAFKA = env("MINITOWER_KAFKA_BOOTSTRAP", "127.0.0.1:19092");

  private Sys() {}

  public static Path root() {
    return Path.of(System.getProperty("minitower.root", "..")).toAbsolutePath().normalize();
  }

  /** {@code -Dminitower.profile=long}: more runs, more faults, minutes of outage. */
  public static boolean longProfile() {
    return "long".equalsIgnoreCase(System.getProperty("minitower.profile", "short"));
  }

  /** {@code shortValue} in the short profile, {@code longValue} in the long one. */
  public static int pick(int shortValue, int longValue) {
    return longProfile() ? longValue : shortValue;
  }

  /** Creates an empty database on the server of {@code adminUrl} and answers its JDBC URL. */
  public static String createDatabase(String adminUrl, String prefix) throws SQLException {
    String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = connect(adminUrl);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return adminUrl.substring(0, adminUrl.lastIndexOf('/') + 1) + name;
  }

  public static String createDatabase(String prefix) throws SQLException {
    return createDatabase(JDBC_URL, prefix);
  }

  public static void dropDatabase(String url) {
    String name = url.substring(url.lastIndexOf('/') + 1);
    String admin = url.substring(0, url.lastIndexOf('/') + 1) + "postgres";
    try (Connection c = connect(admin);
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      System.err.println("drop " + name + ": " + e.getMessage());
    }
  }

  public static Connection connect(String url) throws SQLException {
    return DriverManager.getConnection(url, DB_USER, DB_PASSWORD);
  }

  public static long scalar(String url, String sql) {
    try (Connection c = connect(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : 0L;
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  public static List<String> strings(String url, String sql) {
    try (Connection c = connect(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  public static void exec(String url, String sql) {
    try (Connection c = connect(url);
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Prints one report line and appends it to system-tests/target/reliability-report.txt. */
  public static synchronized void report(String line) {
    System.out.println(line);
    try {
      Path file = root().resolve("system-tests/target/reliability-report.txt");
      Files.createDirectories(file.getParent());
      Files.writeString(
          file,
          java.time.Instant.now() + " " + (longProfile() ? "long " : "short ") + line + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      System.err.println("report: " + e);
    }
  }

  /** Runs a command to completion and answers its combined output; fails on a non-zero exit. */
  public static String sh(java.util.Map<String, String> env, String... cmd) {
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().putAll(env);
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Sends a signal (KILL, STOP, CONT, TERM) to one process id. */
  public static void signal(long pid, String sig) {
    sh(java.util.Map.of(), "kill", "-" + sig, Long.toString(pid));
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
