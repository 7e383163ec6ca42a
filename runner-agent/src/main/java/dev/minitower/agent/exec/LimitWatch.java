package dev.minitower.agent.exec;

import dev.minitower.agent.config.SandboxConfig;
import dev.minitower.agent.config.SandboxConfig.Limits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Iterator;
import java.util.stream.Stream;

/**
 * Tells which per-run limit ended a run, so the result can say so. rlimits do not report
 * themselves: a CPU limit ends the process with SIGXCPU, a file size limit with SIGXFSZ or {@code
 * EFBIG} (the rlimit is one byte above the configured limit, so a file cut there is proof that a
 * write went past the limit, while a file of exactly the limit is allowed), an address-space limit
 * with a failed allocation the program reports its own way, a process limit with failing forks (and
 * the agent counting the sandbox's tasks reaching the limit). The evidence is read from the exit
 * status, the run's output and its workspace.
 */
final class LimitWatch {
  private static final int SIGXCPU = 24;
  private static final int SIGXFSZ = 25;
  private static final int MAX_FILES_SCANNED = 20_000;

  private final Limits limits;
  private volatile boolean memoryHint;
  private volatile boolean openFilesHint;
  private volatile boolean forkHint;
  private volatile boolean forkFailed;
  private volatile boolean processLimitReached;

  LimitWatch(Limits limits) {
    this.limits = limits;
  }

  /** Looks at one line of the run's output. */
  void observe(String line) {
    if (line.contains("MemoryError")
        || line.contains("Cannot allocate memory")
        || line.contains("std::bad_alloc")
        || line.contains("memory exhausted")
        || line.contains("out of memory")) {
      memoryHint = true;
    }
    if (line.contains("Too many open files")) {
      openFilesHint = true;
    }
    if (line.contains("Cannot fork")
        || line.contains("can't fork")
        || line.contains("fork: retry")
        || line.contains("fork: Resource temporarily unavailable")) {
      forkFailed = true;
    } else if (line.contains("Resource temporarily unavailable")) {
      forkHint = true;
    }
  }

  /** The agent saw the sandbox at its process limit (and ended it). */
  void processLimitReached() {
    processLimitReached = true;
  }

  boolean atProcessLimit(int tasks) {
    // The sandbox's own init is not counted by the caller; the workload can reach limit - 1.
    return tasks >= limits.processes() - 1;
  }

  /**
   * The message naming the limit the run hit, or null. {@code exit} is the workload's exit status
   * (128 + signal when a signal ended it).
   */
  String verdict(int exit, Path workspace) {
    if (processLimitReached || forkFailed) {
      // A shell's own "Cannot fork" is proof even when the script carried on and exited 0.
      return processMessage();
    }
    if (exit == 128 + SIGXCPU) {
      return "CPU time limit exceeded (" + limits.cpu().toSeconds() + "s per process)";
    }
    if (exit == 128 + SIGXFSZ || fileOverLimit(workspace)) {
      return "file size limit exceeded ("
          + SandboxConfig.formatBytes(limits.fileSizeBytes())
          + " per file)";
    }
    if (exit == 0) {
      return null;
    }
    if (memoryHint) {
      return "memory limit exceeded ("
          + SandboxConfig.formatBytes(limits.memoryBytes())
          + " address space per process)";
    }
    if (openFilesHint) {
      return "open files limit exceeded (" + limits.openFiles() + " per process)";
    }
    if (forkHint) {
      return processMessage();
    }
    return null;
  }

  private String processMessage() {
    return "process limit exceeded (" + limits.processes() + " processes and threads)";
  }

  /** The rlimit given to the sandbox: one byte above the limit (see the class comment). */
  static long fileSizeRlimit(Limits limits) {
    return limits.fileSizeBytes() + 1;
  }

  /** A regular file larger than the limit: a write was cut at the rlimit. */
  private boolean fileOverLimit(Path workspace) {
    if (workspace == null) {
      return false;
    }
    try (Stream<Path> walk = Files.walk(workspace)) {
      Iterator<Path> it = walk.iterator();
      int n = 0;
      while (it.hasNext() && n++ < MAX_FILES_SCANNED) {
        Path p = it.next();
        BasicFileAttributes a =
            Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (a.isRegularFile() && a.size() > limits.fileSizeBytes()) {
          return true;
        }
      }
    } catch (IOException | RuntimeException e) {
      // a file vanished meanwhile: no evidence
    }
    return false;
  }
}
