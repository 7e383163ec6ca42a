package dev.minitower.agent.config;

import dev.minitower.model.time.GoDuration;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How workloads are confined: the sandbox kind, the host uid they run as, network, extra read-only
 * paths and the per-run resource limits.
 *
 * @param mode {@code MINITOWER_SANDBOX}: {@link Mode#BWRAP} (default) or {@link Mode#NONE}
 *     (development only)
 * @param uid {@code MINITOWER_SANDBOX_UID}: host uid and gid of workloads when the agent runs as
 *     root (default 61000; never 0)
 * @param network {@code MINITOWER_SANDBOX_NETWORK}: {@code on} (default) or {@code off}
 * @param readOnlyPaths {@code MINITOWER_SANDBOX_RO_PATHS}: extra host paths (comma-separated) shown
 *     read-only at the same place, e.g. {@code /opt/tools}
 * @param limits {@code MINITOWER_LIMIT_*}
 */
public record SandboxConfig(
    Mode mode, int uid, boolean network, List<Path> readOnlyPaths, Limits limits) {

  /** The sandbox implementations. */
  public enum Mode {
    /** bubblewrap: user, PID, IPC, UTS and mount namespaces per run. */
    BWRAP,
    /** No confinement: workloads run as the agent's user. Development only. */
    NONE
  }

  /**
   * Per-run limits, applied as rlimits inside the sandbox (the process count per run through the
   * run's own user namespace).
   *
   * @param processes {@code MINITOWER_LIMIT_PROCESSES}: processes and threads at once (512)
   * @param memoryBytes {@code MINITOWER_LIMIT_MEMORY}: address space per process (4GiB)
   * @param fileSizeBytes {@code MINITOWER_LIMIT_FILE_SIZE}: largest file a run can write (1GiB)
   * @param cpu {@code MINITOWER_LIMIT_CPU}: CPU time per process (1h)
   * @param openFiles {@code MINITOWER_LIMIT_OPEN_FILES}: open files per process (1024)
   */
  public record Limits(
      int processes, long memoryBytes, long fileSizeBytes, Duration cpu, int openFiles) {
    public static Limits defaults() {
      return new Limits(512, 4L << 30, 1L << 30, Duration.ofHours(1), 1024);
    }
  }

  public static final int DEFAULT_UID = 61000;

  public static SandboxConfig defaults() {
    return new SandboxConfig(Mode.BWRAP, DEFAULT_UID, true, List.of(), Limits.defaults());
  }

  public SandboxConfig withMode(Mode value) {
    return new SandboxConfig(value, uid, network, readOnlyPaths, limits);
  }

  public SandboxConfig withNetwork(boolean value) {
    return new SandboxConfig(mode, uid, value, readOnlyPaths, limits);
  }

  public SandboxConfig withLimits(Limits value) {
    return new SandboxConfig(mode, uid, network, readOnlyPaths, value);
  }

  /** Reads the {@code MINITOWER_SANDBOX*} and {@code MINITOWER_LIMIT_*} variables. */
  static SandboxConfig fromEnvironment(Map<String, String> env) throws ConfigException {
    String modeText = env.getOrDefault("MINITOWER_SANDBOX", "").strip().toLowerCase(Locale.ROOT);
    Mode mode =
        switch (modeText) {
          case "", "bwrap", "bubblewrap" -> Mode.BWRAP;
          case "none" -> Mode.NONE;
          default ->
              throw new ConfigException(
                  "invalid MINITOWER_SANDBOX: "
                      + modeText
                      + " (use bwrap, or none for development)");
        };
    int uid = (int) integer(env, "MINITOWER_SANDBOX_UID", DEFAULT_UID, 1, Integer.MAX_VALUE - 1);
    String net = env.getOrDefault("MINITOWER_SANDBOX_NETWORK", "").strip().toLowerCase(Locale.ROOT);
    boolean network =
        switch (net) {
          case "", "on", "true", "1" -> true;
          case "off", "false", "0" -> false;
          default -> throw new ConfigException("invalid MINITOWER_SANDBOX_NETWORK: " + net);
        };
    List<Path> ro = new ArrayList<>();
    for (String p : env.getOrDefault("MINITOWER_SANDBOX_RO_PATHS", "").split(",")) {
      String s = p.strip();
      if (s.isEmpty()) {
        continue;
      }
      Path path = Path.of(s);
      if (!path.isAbsolute()) {
        throw new ConfigException("MINITOWER_SANDBOX_RO_PATHS: " + s + " is not absolute");
      }
      ro.add(path.normalize());
    }
    Limits d = Limits.defaults();
    Limits limits =
        new Limits(
            (int) integer(env, "MINITOWER_LIMIT_PROCESSES", d.processes(), 8, 1_000_000),
            bytes(env, "MINITOWER_LIMIT_MEMORY", d.memoryBytes(), 64L << 20),
            bytes(env, "MINITOWER_LIMIT_FILE_SIZE", d.fileSizeBytes(), 1L << 20),
            cpu(env, d.cpu()),
            (int) integer(env, "MINITOWER_LIMIT_OPEN_FILES", d.openFiles(), 32, 1_048_576));
    return new SandboxConfig(mode, uid, network, List.copyOf(ro), limits);
  }

  private static long integer(
      Map<String, String> env, String key, long fallback, long min, long max)
      throws ConfigException {
    String text = env.getOrDefault(key, "").strip();
    if (text.isEmpty()) {
      return fallback;
    }
    long v;
    try {
      v = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new ConfigException("invalid " + key + ": " + text);
    }
    if (v < min || v > max) {
      throw new ConfigException(key + " must be between " + min + " and " + max);
    }
    return v;
  }

  private static long bytes(Map<String, String> env, String key, long fallback, long min)
      throws ConfigException {
    String text = env.getOrDefault(key, "").strip();
    if (text.isEmpty()) {
      return fallback;
    }
    long v;
    try {
      v = parseBytes(text);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("invalid " + key + ": " + e.getMessage());
    }
    if (v < min) {
      throw new ConfigException(key + " must be at least " + formatBytes(min));
    }
    return v;
  }

  private static Duration cpu(Map<String, String> env, Duration fallback) throws ConfigException {
    String text = env.getOrDefault("MINITOWER_LIMIT_CPU", "").strip();
    if (text.isEmpty()) {
      return fallback;
    }
    Duration d;
    try {
      d = GoDuration.parse(text);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("invalid MINITOWER_LIMIT_CPU: " + e.getMessage());
    }
    if (d.toSeconds() < 1) {
      throw new ConfigException("MINITOWER_LIMIT_CPU must be at least 1s");
    }
    return d;
  }

  /**
   * {@code 1048576}, {@code 512KiB}, {@code 256MiB}, {@code 4GiB} (also K/M/G, KB/MB/GB = 1024).
   */
  public static long parseBytes(String text) {
    String t = text.strip();
    int i = 0;
    while (i < t.length() && Character.isDigit(t.charAt(i))) {
      i++;
    }
    if (i == 0) {
      throw new IllegalArgumentException("not a size: " + text);
    }
    long n;
    try {
      n = Long.parseLong(t.substring(0, i));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a size: " + text);
    }
    String unit = t.substring(i).strip().toLowerCase(Locale.ROOT);
    int shift =
        switch (unit) {
          case "", "b" -> 0;
          case "k", "kb", "kib" -> 10;
          case "m", "mb", "mib" -> 20;
          case "g", "gb", "gib" -> 30;
          case "t", "tb", "tib" -> 40;
          default -> throw new IllegalArgumentException("unknown unit in " + text);
        };
    if (n > (Long.MAX_VALUE >> shift)) {
      throw new IllegalArgumentException("too large: " + text);
    }
    return n << shift;
  }

  /** The largest exact binary unit: {@code 256 MiB}, {@code 4 GiB}, {@code 1000 bytes}. */
  public static String formatBytes(long bytes) {
    String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    long v = bytes;
    while (u < units.length - 1 && v >= 1024 && v % 1024 == 0) {
      v /= 1024;
      u++;
    }
    return v + " " + units[u];
  }
}
