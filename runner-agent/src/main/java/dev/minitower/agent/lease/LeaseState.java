package dev.minitower.agent.lease;

import dev.minitower.model.runner.LeaseResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One held lease and what has happened to it. Lease timing is kept on the monotonic clock: the TTL
 * the server grants ({@code lease_expires_at} minus the server's {@code Date}) is counted from the
 * moment the request was sent, so clock skew between agent and server and a frozen agent (SIGSTOP)
 * both err on the side of giving the lease up early.
 */
public final class LeaseState {
  /** Fallback TTL when the server's expiry cannot be read (the original's). */
  static final Duration FALLBACK_TTL = Duration.ofSeconds(60);

  /** Safety margin before the expiry, at most 5 s (the original's skew), at most a third of TTL. */
  static final Duration MAX_SKEW = Duration.ofSeconds(5);

  private final LeaseResponse lease;
  private final List<Runnable> stopListeners = new CopyOnWriteArrayList<>();
  private volatile long fenceAtNanos;
  private volatile long nextBeatAtNanos;
  private volatile long intervalNanos;
  private volatile Duration ttl = FALLBACK_TTL;
  private volatile StopReason stopReason;
  private volatile String lostDetail;
  private volatile boolean lost;
  private volatile boolean stopped;
  private volatile Runnable onSelfFence = () -> {};

  public LeaseState(LeaseResponse lease) {
    this.lease = lease;
  }

  public LeaseResponse lease() {
    return lease;
  }

  public long runId() {
    return lease.runId();
  }

  public String leaseToken() {
    return lease.leaseToken();
  }

  /**
   * Records a granted or extended lease.
   *
   * @param expiresAt server's {@code lease_expires_at}, may be null
   * @param serverNow server's {@code Date}, may be null (then the local clock stands in)
   * @param sentAtNanos {@link System#nanoTime()} just before the request was sent
   * @param minInterval lower bound of the heartbeat interval
   */
  public synchronized void renewed(
      Instant expiresAt, Instant serverNow, long sentAtNanos, Duration minInterval) {
    Duration granted = FALLBACK_TTL;
    if (expiresAt != null) {
      // Date and lease_expires_at both have second precision: assume the later server time.
      Instant now = serverNow == null ? Instant.now() : serverNow.plusSeconds(1);
      granted = Duration.between(now, expiresAt);
      if (granted.compareTo(Duration.ofSeconds(1)) < 0) {
        granted = Duration.ofSeconds(1);
      }
    }
    ttl = granted;
    Duration skew = granted.dividedBy(3).compareTo(MAX_SKEW) < 0 ? granted.dividedBy(3) : MAX_SKEW;
    fenceAtNanos = sentAtNanos + granted.minus(skew).toNanos();
    Duration interval = granted.minus(skew).dividedBy(3);
    if (interval.compareTo(minInterval) < 0) {
      interval = minInterval;
    }
    intervalNanos = interval.toNanos();
    nextBeatAtNanos = sentAtNanos + intervalNanos;
  }

  /** Schedules the next heartbeat attempt after a failed one. */
  public void retryBeatAfter(Duration delay) {
    nextBeatAtNanos = System.nanoTime() + delay.toNanos();
  }

  public long nextBeatAtNanos() {
    return nextBeatAtNanos;
  }

  /** Due within half an interval: worth including in a batch heartbeat sent now anyway. */
  public boolean beatDueSoon(long nowNanos) {
    return nowNanos - (nextBeatAtNanos - intervalNanos / 2) >= 0;
  }

  public Duration ttl() {
    return ttl;
  }

  /** True once the lease can no longer be trusted: the local safety deadline has passed. */
  public boolean fenceDeadlinePassed(long nowNanos) {
    return nowNanos - fenceAtNanos > 0;
  }

  /**
   * True when the lease is lost, self-fencing first if the safety deadline has passed. Every
   * lease-scoped write checks this, so an agent resumed after a freeze never sends anything before
   * noticing that its lease may have run out.
   */
  public boolean lostOrExpired() {
    if (!lost && fenceDeadlinePassed(System.nanoTime())) {
      selfFence();
    }
    return lost;
  }

  /** Gives the lease up because its safety deadline passed without a successful heartbeat. */
  void selfFence() {
    boolean first;
    synchronized (this) {
      first = !lost;
    }
    if (first) {
      onSelfFence.run();
    }
    lose(SELF_FENCED);
  }

  /** Called once when the agent gives this lease up by itself (for the agent log). */
  void onSelfFence(Runnable listener) {
    this.onSelfFence = listener;
  }

  /** {@link #lostDetail()} of a lease given up by the agent itself. */
  public static final String SELF_FENCED = "no successful heartbeat within the lease TTL";

  /** Asks the workload to stop; the first reason wins. Returns true if this call decided it. */
  public boolean stop(StopReason reason) {
    synchronized (this) {
      if (stopped) {
        return false;
      }
      stopped = true;
      stopReason = reason;
    }
    for (Runnable r : stopListeners) {
      r.run();
    }
    return true;
  }

  /** Marks the lease lost for good (no more writes, no result) and stops the workload. */
  public void lose(String detail) {
    synchronized (this) {
      if (lost) {
        return;
      }
      lost = true;
      lostDetail = detail;
    }
    stop(StopReason.LEASE_LOST);
  }

  public boolean lost() {
    return lost;
  }

  public String lostDetail() {
    return lostDetail;
  }

  public boolean stopRequested() {
    return stopped;
  }

  public StopReason stopReason() {
    return stopReason;
  }

  /** Runs {@code listener} when the workload must stop, at once if that is already decided. */
  public void onStop(Runnable listener) {
    stopListeners.add(listener);
    if (stopped) {
      listener.run();
    }
  }

  public void removeStopListener(Runnable listener) {
    stopListeners.remove(listener);
  }
}
