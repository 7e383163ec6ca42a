package dev.minitower.agent.fake;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minitower.model.runner.LogEntry;
import dev.minitower.model.runner.ResultRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/** One run on the fake server, with its scripted behaviour and everything the agent sent. */
public final class FakeRun {
  public final long runId;
  public final long runNo;
  public final String appSlug;
  public final int versionNo;
  public final String entrypoint;
  public final Integer timeoutSeconds;
  public final ObjectNode input;
  public final List<String> importPaths;
  public final boolean importPathsInLease;
  public final byte[] artifact;
  public volatile String shaOverride;

  /** The lease names the artifact's digest (as servers of this repo do); null otherwise. */
  public volatile boolean shaInLease;

  volatile int attemptNo;
  volatile String leaseToken;
  volatile String status = "queued";
  volatile Instant expiresAt;
  volatile ResultRequest result;

  /** Scripting. */
  public volatile boolean cancelRequested;

  public volatile Integer heartbeatStatus;
  public final AtomicInteger failLogPosts = new AtomicInteger();
  public final AtomicInteger failResultPosts = new AtomicInteger();

  /** Observations. */
  public final CountDownLatch started = new CountDownLatch(1);

  public final AtomicInteger heartbeats = new AtomicInteger();
  public final AtomicInteger duplicateLogs = new AtomicInteger();
  public final AtomicInteger rejectedBatches = new AtomicInteger();
  public final Map<Long, LogEntry> logs = new ConcurrentSkipListMap<>();
  public final List<ResultRequest> resultPosts = new CopyOnWriteArrayList<>();

  private FakeRun(Builder b, long runId) {
    this.runId = runId;
    this.runNo = runId - 100;
    this.appSlug = b.appSlug;
    this.versionNo = b.versionNo;
    this.entrypoint = b.entrypoint;
    this.timeoutSeconds = b.timeoutSeconds;
    this.input = b.input;
    this.importPaths = b.importPaths;
    this.importPathsInLease = b.importPathsInLease;
    this.artifact = b.artifact;
  }

  boolean live() {
    return status.equals("leased") || status.equals("running") || status.equals("cancelling");
  }

  /** The lease expiry the server last granted (null before the first lease). */
  public Instant expiresAt() {
    return expiresAt;
  }

  public ResultRequest result() {
    return result;
  }

  public String leaseToken() {
    return leaseToken;
  }

  public List<String> lines(String stream) {
    return logs.values().stream()
        .filter(e -> e.stream().equals(stream))
        .map(LogEntry::line)
        .collect(Collectors.toList());
  }

  public static Builder builder(byte[] artifact, String entrypoint) {
    return new Builder(artifact, entrypoint);
  }

  /** What to enqueue. */
  public static final class Builder {
    private final byte[] artifact;
    private final String entrypoint;
    private String appSlug = "app";
    private int versionNo = 1;
    private Integer timeoutSeconds;
    private ObjectNode input;
    private List<String> importPaths = List.of();
    private boolean importPathsInLease = true;

    private Builder(byte[] artifact, String entrypoint) {
      this.artifact = artifact;
      this.entrypoint = entrypoint;
    }

    public Builder app(String slug, int version) {
      this.appSlug = slug;
      this.versionNo = version;
      return this;
    }

    public Builder timeoutSeconds(int value) {
      this.timeoutSeconds = value;
      return this;
    }

    public Builder input(ObjectNode value) {
      this.input = value;
      return this;
    }

    public Builder importPaths(List<String> value, boolean inLease) {
      this.importPaths = value;
      this.importPathsInLease = inLease;
      return this;
    }

    FakeRun build(long runId) {
      return new FakeRun(this, runId);
    }
  }
}
