package dev.minitower.system.faults;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Packaged services on one database and one broker; closes them and drops the database. */
public final class Stack implements AutoCloseable {
  /** The fault scenarios' timing: short leases, a fast reaper. */
  public static final Map<String, String> FAST =
      Map.of(
          "MINITOWER_BOOTSTRAP_TOKEN", "boot-secret",
          "MINITOWER_LEASE_TTL", "5s",
          "MINITOWER_EXPIRY_CHECK_INTERVAL", "1s",
          "MINITOWER_SCHEDULE_CHECK_INTERVAL", "1s",
          "MINITOWER_LOGIN_RATE_PER_MINUTE", "1000",
          "MINITOWER_SIGNUP_RATE_PER_MINUTE", "1000",
          "MINITOWER_BCRYPT_COST", "4");

  public final String jdbcUrl;
  public final String kafka;
  private final boolean ownDatabase;
  public final List<Svc> services = new ArrayList<>();
  public final List<AgentProc> agents = new ArrayList<>();
  private final List<AutoCloseable> extras = new ArrayList<>();

  public Stack(String jdbcUrl, String kafka, boolean ownDatabase) {
    this.jdbcUrl = jdbcUrl;
    this.kafka = kafka;
    this.ownDatabase = ownDatabase;
  }

  /** A fresh database on the shared PostgreSQL, the shared broker. */
  public static Stack fresh(String prefix) throws Exception {
    return new Stack(Sys.createDatabase(prefix), Sys.KAFKA, true);
  }

  public Svc add(String module, Map<String, String> env) throws Exception {
    Map<String, String> all = new HashMap<>(FAST);
    all.putAll(env);
    Svc s = Svc.start(module, jdbcUrl, kafka, all);
    services.add(s);
    return s;
  }

  public Svc add(String module) throws Exception {
    return add(module, Map.of());
  }

  public void track(AutoCloseable c) {
    extras.add(c);
  }

  public AgentProc agent(AgentProc a) {
    agents.add(a);
    return a;
  }

  public void awaitReady(Svc... which) {
    List<Svc> list = which.length == 0 ? services : List.of(which);
    await()
        .atMost(Duration.ofSeconds(180))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              for (Svc s : list) {
                if (!s.isAlive()) {
                  throw new AssertionError(s.module + " exited while starting:\n" + s.logTail());
                }
              }
              return list.stream().allMatch(Svc::ready);
            });
  }

  public long scalar(String sql) {
    return Sys.scalar(jdbcUrl, sql);
  }

  @Override
  public void close() {
    for (AgentProc a : agents) {
      try {
        a.close();
      } catch (Exception e) {
        System.err.println("agent close: " + e);
      }
    }
    for (Svc s : services) {
      try {
        s.close();
      } catch (Exception e) {
        System.err.println("service close: " + e);
      }
    }
    for (AutoCloseable c : extras) {
      try {
        c.close();
      } catch (Exception e) {
        System.err.println("close: " + e);
      }
    }
    if (ownDatabase) {
      Sys.dropDatabase(jdbcUrl);
    }
  }
}
