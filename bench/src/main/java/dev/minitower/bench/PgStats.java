package dev.minitower.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the database itself says: committed transactions of the bench's database ({@code
 * pg_stat_database.xact_commit}, read-only ones included, as every transaction the services open
 * costs a round trip), and pgbench's tpcb-like on the same cluster as the reference of what these
 * cores and this disk do.
 */
final class PgStats {
  private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial");

  private PgStats() {}

  /**
   * Committed transactions of the current database, and WAL flushes of the whole cluster ({@code
   * pg_stat_wal.wal_sync}: the commits that waited for the disk; a read-only transaction flushes
   * nothing, and one flush may cover several commits).
   */
  record Counters(long commits, long walSyncs) {}

  /** {@link Counters} so far (stats flush ≤ 1 s late). */
  static Counters counters(String url, String user, String password) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, user, password);
        Statement s = c.createStatement()) {
      // Each backend reports its counters when idle; a short pause lets them arrive.
      sleep(1_100);
      s.execute("SELECT pg_stat_clear_snapshot()");
      try (ResultSet rs =
          s.executeQuery(
              "SELECT (SELECT xact_commit FROM pg_stat_database"
                  + " WHERE datname = current_database()), (SELECT wal_sync FROM pg_stat_wal)")) {
        rs.next();
        return new Counters(rs.getLong(1), rs.getLong(2));
      }
    }
  }

  /** Committed transactions of the current database so far. */
  static long xactCommit(String url, String user, String password) throws SQLException {
    return counters(url, user, password).commits();
  }

  /**
   * pgbench tpcb-like (scale 4, 4 clients, 2 threads, 10 s) in a database of its own on the same
   * cluster; NaN when pgbench is not installed or fails (reported as such).
   */
  static double pgbenchTps(String url, String user, String password) {
    String bin = pgbenchBinary();
    if (bin == null) {
      System.err.println("pgbench not found: the reference is skipped");
      return Double.NaN;
    }
    URI u = URI.create(url.substring("jdbc:".length()));
    String db = "minitower_pgbench";
    String admin = url.substring(0, url.lastIndexOf('/') + 1) + "postgres";
    try (Connection c = DriverManager.getConnection(admin, user, password);
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + db);
      s.execute("CREATE DATABASE " + db);
    } catch (SQLException e) {
      System.err.println("pgbench skipped: cannot create its database: " + e.getMessage());
      return Double.NaN;
    }
    try {
      List<String> conn =
          List.of("-h", u.getHost(), "-p", Integer.toString(u.getPort()), "-U", user);
      run(bin, conn, List.of("-i", "-q", "-s", "4", db), password);
      String out = run(bin, conn, List.of("-c", "4", "-j", "2", "-T", "10", db), password);
      Matcher m = TPS.matcher(out);
      return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    } catch (IOException | InterruptedException e) {
      System.err.println("pgbench failed: " + e.getMessage());
      return Double.NaN;
    } finally {
      try (Connection c = DriverManager.getConnection(admin, user, password);
          Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + db);
      } catch (SQLException e) {
        System.err.println("could not drop " + db + ": " + e.getMessage());
      }
    }
  }

  private static String run(String bin, List<String> conn, List<String> args, String password)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(bin);
    cmd.addAll(conn);
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("PGPASSWORD", password);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException("pgbench " + args + " failed: " + out.strip());
    }
    return out;
  }

  private static String pgbenchBinary() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "pgbench"))) {
        return Path.of(dir, "pgbench").toString();
      }
    }
    try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      return versions
          .map(v -> v.resolve("bin/pgbench"))
          .filter(Files::isExecutable)
          .map(Path::toString)
          .sorted()
          .reduce((a, b) -> b)
          .orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
