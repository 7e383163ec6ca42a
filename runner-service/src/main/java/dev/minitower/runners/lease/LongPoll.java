package dev.minitower.runners.lease;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A long poll over {@code LISTEN/NOTIFY}: register the wake-up, try, and wait (without a thread)
 * for the wake-up or a re-check slice, until the try answers, the deadline passes or the client
 * goes away. The wake-up is registered <em>before</em> each try, so a change committed between a
 * fruitless try and the wait still wakes the poll (it is never lost until the next re-check).
 */
public final class LongPoll<T> {
  /**
   * One try; {@code notified} = a wake-up that completed with {@code true} led to it (for leases: a
   * run was just queued), not the first try, a re-check slice or another wake-up.
   */
  @FunctionalInterface
  public interface Attempt<T> {
    T run(boolean notified);
  }

  private final Supplier<CompletableFuture<Boolean>> wakeUp;
  private final Attempt<T> attempt;
  private final Predicate<T> answered;
  private final T nothing;
  private final BooleanSupplier clientGone;
  private final Duration recheck;
  private final Executor executor;
  private final Runnable wakeUnused;

  /**
   * @param wakeUp registers and returns the next wake-up (completing it unregisters it)
   * @param attempt one try (blocking; runs on the caller's thread, then on {@code executor}); told
   *     whether a wake-up completed with {@code true} led to it
   * @param answered whether a try's outcome ends the poll
   * @param nothing the answer when the poll ends without one
   * @param wakeUnused called when the poll ends without using a wake-up it received (the client
   *     went away, or the wake-up came during its last try), so that a wake-up meant for one waiter
   *     can be handed on
   */
  public LongPoll(
      Supplier<CompletableFuture<Boolean>> wakeUp,
      Attempt<T> attempt,
      Predicate<T> answered,
      T nothing,
      BooleanSupplier clientGone,
      Duration recheck,
      Executor executor,
      Runnable wakeUnused) {
    this.wakeUnused = wakeUnused;
    this.wakeUp = wakeUp;
    this.attempt = attempt;
    this.answered = answered;
    this.nothing = nothing;
    this.clientGone = clientGone;
    this.recheck = recheck;
    this.executor = executor;
  }

  /**
   * Polls for up to {@code wait}; a zero wait is one try. A client already gone gets no try (its
   * answer, a lease say, would reach nobody).
   */
  public CompletionStage<T> run(Duration wait) {
    if (clientGone.getAsBoolean()) {
      return CompletableFuture.completedFuture(nothing);
    }
    if (wait.isZero() || wait.isNegative()) {
      return CompletableFuture.completedFuture(attempt.run(false));
    }
    return next(System.nanoTime() + wait.toNanos(), false);
  }

  private CompletionStage<T> next(long deadline, boolean notified) {
    CompletableFuture<Boolean> wake = wakeUp.get();
    T outcome;
    try {
      outcome = attempt.run(notified);
    } catch (RuntimeException e) {
      wake.complete(null);
      throw e;
    }
    long remaining = deadline - System.nanoTime();
    boolean done = answered.test(outcome);
    if (done || remaining <= 0 || clientGone.getAsBoolean()) {
      if (!wake.complete(null) && !done) {
        // A wake-up arrived during this last try, which started before its cause committed: the
        // poll ends without using it, so it goes on to another waiter.
        wakeUnused.run();
      }
      return CompletableFuture.completedFuture(outcome);
    }
    long slice = Math.min(remaining, recheck.toNanos());
    // The slice ends the wake-up exceptionally (which unregisters it too), so the next try knows
    // whether a notification led to it or it only re-checks.
    return wake.orTimeout(slice, TimeUnit.NANOSECONDS)
        .handle((woken, e) -> e == null && Boolean.TRUE.equals(woken))
        .thenComposeAsync(
            notifiedNow -> {
              if (clientGone.getAsBoolean()) {
                wakeUnused.run();
                return CompletableFuture.completedFuture(nothing);
              }
              return next(deadline, notifiedNow);
            },
            executor);
  }
}
