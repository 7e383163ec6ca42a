package dev.minitower.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time and memory of the stack's processes from {@code /proc}: the services named by {@code
 * $MTW_HOME/pids/*.pid}, Kafka ({@code kafka/kafka.pid}) and PostgreSQL (the postmaster of {@code
 * pg/data/postmaster.pid} plus all its backends), and the bench itself.
 */
public final class ProcStats {
  /** Linux USER_HZ; 100 on every mainstream kernel. */
  static final double CLOCK_TICKS = 100.0;

  /** One process (or process family) at one instant. */
  public record Sample(String name, long pid, double cpuSeconds, long rssKb, long hwmKb) {}

  private final Path mtwHome;

  public ProcStats(Path mtwHome) {
    this.mtwHome = mtwHome;
  }

  /** The processes to watch, by name. */
  public Map<String, Long> pids() {
    Map<String, Long> out = new LinkedHashMap<>();
    Path dir = mtwHome.resolve("pids");
    if (Files.isDirectory(dir)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.pid")) {
        List<Path> files = new ArrayList<>();
        ds.forEach(files::add);
        files.sort(null);
        for (Path f : files) {
          String name = f.getFileName().toString().replaceFirst("\\.pid$", "");
          readPid(f).ifPresent(p -> out.put(name, p));
        }
      } catch (IOException e) {
        // no pids: report nothing
      }
    }
    readPid(mtwHome.resolve("kafka/kafka.pid")).ifPresent(p -> out.put("kafka", p));
    readPid(mtwHome.resolve("pg/data/postmaster.pid")).ifPresent(p -> out.put("postgres", p));
    out.put("bench", ProcessHandle.current().pid());
    return out;
  }

  private static java.util.Optional<Long> readPid(Path f) {
    try {
      String first = Files.readAllLines(f).get(0).trim();
      long pid = Long.parseLong(first);
      return Files.isDirectory(Path.of("/proc/" + pid))
          ? java.util.Optional.of(pid)
          : java.util.Optional.empty();
    } catch (IOException | RuntimeException e) {
      return java.util.Optional.empty();
    }
  }

  public Map<String, Sample> sample() {
    Map<String, Sample> out = new LinkedHashMap<>();
    pids()
        .forEach(
            (name, pid) -> {
              double cpu = cpuSeconds(pid);
              if ("postgres".equals(name)) {
                // backends: the live ones, plus the ended ones the postmaster has reaped
                cpu += childrenCpu(pid) + reapedChildrenCpu(pid);
              }
              long[] mem = memoryKb(pid);
              out.put(name, new Sample(name, pid, cpu, mem[0], mem[1]));
            });
    return out;
  }

  /** utime + stime of one process, in seconds; fields 14 and 15 of {@code /proc/<pid>/stat}. */
  static double cpuSeconds(long pid) {
    try {
      return parseStatCpu(Files.readString(Path.of("/proc/" + pid + "/stat")));
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** utime + stime from the text of a stat file (the command name may hold spaces or ')'). */
  static double parseStatCpu(String stat) {
    String rest = stat.substring(stat.lastIndexOf(')') + 2);
    String[] f = rest.trim().split("\\s+");
    // rest starts at field 3 (state): utime is field 14 → index 11, stime index 12
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / CLOCK_TICKS;
  }

  /** cutime + cstime (fields 16 and 17): CPU of ended children that the process waited for. */
  static double parseReapedChildrenCpu(String stat) {
    String rest = stat.substring(stat.lastIndexOf(')') + 2);
    String[] f = rest.trim().split("\\s+");
    return (Long.parseLong(f[13]) + Long.parseLong(f[14])) / CLOCK_TICKS;
  }

  private static double reapedChildrenCpu(long pid) {
    try {
      return parseReapedChildrenCpu(Files.readString(Path.of("/proc/" + pid + "/stat")));
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  static long parentPid(String stat) {
    String rest = stat.substring(stat.lastIndexOf(')') + 2);
    return Long.parseLong(rest.trim().split("\\s+")[1]);
  }

  private static double childrenCpu(long parent) {
    double sum = 0;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path p : ds) {
        try {
          String stat = Files.readString(p.resolve("stat"));
          if (parentPid(stat) == parent) {
            sum += parseStatCpu(stat);
          }
        } catch (IOException | RuntimeException e) {
          // process ended meanwhile
        }
      }
    } catch (IOException e) {
      return sum;
    }
    return sum;
  }

  /** VmRSS and VmHWM in kB from {@code /proc/<pid>/status}. */
  static long[] memoryKb(long pid) {
    try {
      return parseStatus(Files.readString(Path.of("/proc/" + pid + "/status")));
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0};
    }
  }

  static long[] parseStatus(String status) {
    long rss = 0;
    long hwm = 0;
    for (String line : status.split("\n")) {
      if (line.startsWith("VmRSS:")) {
        rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
      } else if (line.startsWith("VmHWM:")) {
        hwm = Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return new long[] {rss, hwm};
  }

  /** CPU seconds spent between two samples, per process. */
  public static Map<String, Double> cpuDelta(
      Map<String, Sample> before, Map<String, Sample> after) {
    Map<String, Double> out = new LinkedHashMap<>();
    after.forEach(
        (name, s) -> {
          Sample b = before.get(name);
          if (b != null && b.pid() == s.pid()) {
            out.put(name, Math.max(0, s.cpuSeconds() - b.cpuSeconds()));
          }
        });
    return out;
  }
}
