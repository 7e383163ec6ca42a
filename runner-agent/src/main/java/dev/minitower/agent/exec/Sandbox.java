package dev.minitower.agent.exec;

import dev.minitower.agent.config.SandboxConfig;
import dev.minitower.agent.config.SandboxConfig.Limits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Builds the bubblewrap command line that confines one workload (or one setup command).
 *
 * <p>Every command gets fresh PID, IPC, UTS and mount namespaces and a user namespace of its own;
 * {@code --die-with-parent} plus the PID namespace mean that when the sandbox's init ends, the
 * kernel kills every process started in it, whatever it called ({@code setsid}, double fork).
 *
 * <p>Two ways to get an unprivileged user outside the sandbox:
 *
 * <ul>
 *   <li><b>agent is root</b> (the local stack): bubblewrap runs privileged, so it can mount the
 *       run's directories from anywhere in the 0700 data dir; inside, {@code setpriv} drops to the
 *       dedicated host uid ({@code MINITOWER_SANDBOX_UID}) with no capabilities and no new
 *       privileges, then {@code unshare --user} enters a user namespace of the run's own (uid 1000
 *       inside). The kernel counts the process limit per user namespace, so one run's fork bomb
 *       cannot starve another run that shares the host uid.
 *   <li><b>agent is unprivileged</b> (containers, Kubernetes): bubblewrap creates the user
 *       namespace itself (uid 1000 inside, the agent's uid outside).
 * </ul>
 *
 * <p>Inside: system directories and a short list of {@code /etc} files read-only, {@code /proc} of
 * the sandbox's own PID namespace, a minimal {@code /dev}, a private {@code /dev/shm}, the {@link
 * Confinement}'s directories, and nothing else: not the agent's data dir, token file or other runs.
 * The root itself is read-only. Limits are rlimits set by {@code prlimit} as the last step.
 */
public final class Sandbox {
  /** Uid and gid the workload sees inside its user namespace. */
  static final int INNER_UID = 1000;

  private static final List<String> SYSTEM_DIRS =
      List.of("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32");

  /** World-readable configuration programs commonly need; nothing else of /etc is shown. */
  private static final List<String> ETC_FILES =
      List.of(
          "/etc/alternatives",
          "/etc/ca-certificates",
          "/etc/ca-certificates.conf",
          "/etc/crypto-policies",
          "/etc/debian_version",
          "/etc/lsb-release",
          "/etc/os-release",
          "/etc/gai.conf",
          "/etc/host.conf",
          "/etc/hosts",
          "/etc/ld.so.cache",
          "/etc/ld.so.conf",
          "/etc/ld.so.conf.d",
          "/etc/localtime",
          "/etc/mime.types",
          "/etc/nsswitch.conf",
          "/etc/pki",
          "/etc/protocols",
          "/etc/resolv.conf",
          "/etc/services",
          "/etc/ssl",
          "/etc/timezone",
          "/etc/python3",
          "/etc/python3.9",
          "/etc/python3.10",
          "/etc/python3.11",
          "/etc/python3.12",
          "/etc/python3.13");

  private static final long SHM_BYTES = 64L << 20;

  /** The private {@code /tmp} (memory); {@code TMPDIR} points to the workspace's disk instead. */
  private static final long TMP_BYTES = 256L << 20;

  private final SandboxConfig config;
  private final String bwrap;
  private final String setpriv;
  private final String unshare;
  private final String prlimit;
  private final boolean agentIsRoot;

  private Sandbox(SandboxConfig config, boolean agentIsRoot) {
    this.config = config;
    this.agentIsRoot = agentIsRoot;
    this.bwrap = ProcessLauncher.find("bwrap");
    this.setpriv = ProcessLauncher.find("setpriv");
    this.unshare = ProcessLauncher.find("unshare");
    this.prlimit = ProcessLauncher.find("prlimit");
  }

  public static Sandbox create(SandboxConfig config) {
    return new Sandbox(config, currentUid() == 0);
  }

  public boolean enabled() {
    return config.mode() == SandboxConfig.Mode.BWRAP;
  }

  public SandboxConfig config() {
    return config;
  }

  public Limits limits() {
    return config.limits();
  }

  /** Host uid of workload processes. */
  public int workloadUid() {
    return agentIsRoot ? config.uid() : currentUid();
  }

  /** One line for the startup log. */
  public String describe() {
    if (!enabled()) {
      return "none";
    }
    return agentIsRoot
        ? "bwrap, host uid " + config.uid() + ", user namespace per run"
        : "bwrap, unprivileged user namespace";
  }

  /**
   * Refuses to go on when a sandbox cannot be built here: tools missing, namespaces refused (a
   * container that masks {@code /proc}), the workload uid not usable. Runs {@code /bin/true} in a
   * real sandbox; the message says what failed and how to fix it.
   */
  public void check(Path scratch) throws SandboxUnavailable {
    if (!enabled()) {
      return;
    }
    List<String> missing = new ArrayList<>();
    if (bwrap == null) {
      missing.add("bwrap (apt-get install bubblewrap)");
    }
    if (prlimit == null) {
      missing.add("prlimit (util-linux)");
    }
    if (agentIsRoot && (setpriv == null || unshare == null)) {
      missing.add("setpriv and unshare (util-linux)");
    }
    if (!missing.isEmpty()) {
      throw new SandboxUnavailable("missing " + String.join(", ", missing));
    }
    if (agentIsRoot && config.uid() == 0) {
      throw new SandboxUnavailable("MINITOWER_SANDBOX_UID must not be 0");
    }
    try {
      Files.createDirectories(scratch);
      handOver(scratch);
      Launch launch =
          launch(
              new Confinement(scratch, List.of(scratch), List.of()),
              List.of("/bin/sh", "-c", "test \"$(id -u)\" = " + INNER_UID + " && touch ./ok"),
              Map.of("PATH", AgentPaths.SYSTEM_PATH));
      ProcessBuilder pb = new ProcessBuilder(launch.command()).redirectErrorStream(true);
      pb.environment().clear();
      pb.environment().put("PATH", AgentPaths.SYSTEM_PATH);
      pb.directory(Path.of("/").toFile());
      Process p = pb.start();
      try (var in = p.getOutputStream()) {
        in.write(launch.stdin());
      }
      String out = new String(p.getInputStream().readNBytes(2048), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new SandboxUnavailable("the sandbox self-test did not finish in 20 s");
      }
      if (p.exitValue() != 0 || !Files.exists(scratch.resolve("ok"))) {
        String first =
            out.isEmpty() ? "exit status " + p.exitValue() : out.lines().findFirst().get();
        throw new SandboxUnavailable(first);
      }
    } catch (IOException e) {
      throw new SandboxUnavailable(e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SandboxUnavailable("interrupted");
    } finally {
      PythonEnvironments.deleteTree(scratch);
    }
  }

  /**
   * How to start a confined command: bubblewrap reads its arguments from stdin ({@code --args 0})
   * rather than its command line, so neither the mount layout nor the run's environment (inputs may
   * hold a team's secrets) shows in {@code ps} on the host or as pid 1 inside the sandbox. The
   * caller writes {@code stdin} and closes it; the workload then finds its stdin at end of file.
   */
  public record Launch(List<String> command, byte[] stdin) {}

  public Launch launch(Confinement c, List<String> command, Map<String, String> env) {
    List<String> full = wrap(c, command, env);
    // bubblewrap takes options from the fd, the command (from "--" on) from its argv.
    int end = full.indexOf("--");
    java.io.ByteArrayOutputStream args = new java.io.ByteArrayOutputStream();
    for (String arg : full.subList(1, end)) {
      args.writeBytes(arg.getBytes(StandardCharsets.UTF_8));
      args.write(0);
    }
    List<String> argv = new ArrayList<>(List.of(full.get(0), "--args", "0"));
    argv.addAll(full.subList(end, full.size()));
    return new Launch(List.copyOf(argv), args.toByteArray());
  }

  /** The full bubblewrap command line that runs {@code command} with exactly {@code env}. */
  List<String> wrap(Confinement c, List<String> command, Map<String, String> env) {
    List<String> a = new ArrayList<>();
    a.add(bwrap);
    if (!agentIsRoot) {
      a.addAll(
          List.of(
              "--unshare-user",
              "--uid",
              Integer.toString(INNER_UID),
              "--gid",
              Integer.toString(INNER_UID)));
    }
    a.addAll(
        List.of(
            "--unshare-pid",
            "--unshare-ipc",
            "--unshare-uts",
            "--unshare-cgroup-try",
            "--die-with-parent",
            "--new-session"));
    if (!config.network()) {
      a.add("--unshare-net");
    }
    a.add("--clearenv");
    for (Map.Entry<String, String> e : env.entrySet()) {
      a.addAll(List.of("--setenv", e.getKey(), e.getValue()));
    }
    for (String dir : SYSTEM_DIRS) {
      Path p = Path.of(dir);
      if (Files.isSymbolicLink(p)) {
        try {
          a.addAll(List.of("--symlink", Files.readSymbolicLink(p).toString(), dir));
        } catch (IOException e) {
          // unreadable link: leave it out
        }
      } else if (Files.isDirectory(p)) {
        a.addAll(List.of("--ro-bind", dir, dir));
      }
    }
    a.addAll(List.of("--perms", "0755", "--dir", "/etc"));
    for (String f : ETC_FILES) {
      a.addAll(List.of("--ro-bind-try", f, f));
    }
    a.addAll(List.of("--proc", "/proc", "--dev", "/dev"));
    a.addAll(List.of("--perms", "1777", "--size", Long.toString(SHM_BYTES), "--tmpfs", "/dev/shm"));
    List<Path> extra = new ArrayList<>();
    for (Path p : config.readOnlyPaths()) {
      if (Files.exists(p)) {
        extra.add(p);
      }
    }
    // Mount points inherit the host directories' modes (0700 for the data dir): make the
    // directories leading to each mount traversable, or the unprivileged workload cannot reach it.
    java.util.TreeSet<Path> parents = new java.util.TreeSet<>();
    for (List<Path> group : List.of(extra, c.readOnly(), c.writable())) {
      for (Path p : group) {
        for (Path q = p.getParent(); q != null && q.getNameCount() > 0; q = q.getParent()) {
          if (!q.equals(Path.of("/tmp"))) {
            parents.add(q);
          }
        }
      }
    }
    for (Path q : parents) {
      a.addAll(List.of("--perms", "0755", "--dir", q.toString()));
    }
    for (Path p : extra) {
      a.addAll(List.of("--ro-bind", p.toString(), p.toString()));
    }
    for (Path p : c.readOnly()) {
      a.addAll(List.of("--ro-bind", p.toString(), p.toString()));
    }
    for (Path p : c.writable()) {
      a.addAll(List.of("--bind", p.toString(), p.toString()));
    }
    a.addAll(List.of("--chdir", c.cwd().toString(), "--remount-ro", "/", "--"));
    if (agentIsRoot) {
      String uid = Integer.toString(config.uid());
      a.addAll(
          List.of(
              setpriv,
              "--reuid=" + uid,
              "--regid=" + uid,
              "--clear-groups",
              "--inh-caps=-all",
              "--bounding-set=-all",
              "--no-new-privs",
              "--",
              unshare,
              "--user",
              "--map-user=" + INNER_UID,
              "--map-group=" + INNER_UID,
              "--"));
    }
    Limits l = config.limits();
    long cpu = Math.max(1, l.cpu().toSeconds());
    a.addAll(
        List.of(
            prlimit,
            "--nproc=" + l.processes(),
            "--as=" + l.memoryBytes(),
            "--fsize=" + LimitWatch.fileSizeRlimit(l),
            // SIGXCPU at the soft limit tells the run why it ends; SIGKILL 5 s later if ignored.
            "--cpu=" + cpu + ":" + (cpu + 5),
            "--nofile=" + l.openFiles(),
            "--core=0",
            "--"));
    a.addAll(command);
    return a;
  }

  /** Gives {@code dir} (recursively) to the workload uid, so the sandboxed run can write it. */
  public void handOver(Path dir) throws IOException {
    if (enabled() && agentIsRoot) {
      chown(dir, config.uid());
    }
  }

  /**
   * Takes {@code dir} back from the workload uid (a built virtualenv): defence in depth besides its
   * read-only mount.
   */
  public void takeBack(Path dir) throws IOException {
    if (enabled() && agentIsRoot) {
      chown(dir, 0);
    }
  }

  private static void chown(Path dir, int uid) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", uid, LinkOption.NOFOLLOW_LINKS);
      }
    }
  }

  static int currentUid() {
    try {
      return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException | UnsupportedOperationException e) {
      return -1;
    }
  }

  /** The sandbox cannot be built on this machine; the message says why. */
  public static final class SandboxUnavailable extends Exception {
    public SandboxUnavailable(String message) {
      super(message);
    }
  }
}
