package dev.minitower.agent.exec;

import dev.minitower.agent.client.Reply;
import dev.minitower.agent.lease.LeaseState;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The one retry rule of a leased run's server calls: a transient failure is retried with doubling
 * pauses (200 ms up to 5 s) for as long as the lease is held; any other answer ends the retries.
 */
final class LeaseRetry {
  static final Duration FIRST_PAUSE = Duration.ofMillis(200);
  static final Duration MAX_PAUSE = Duration.ofSeconds(5);

  private LeaseRetry() {}

  /**
   * Sends {@code call} until it answers something other than a transient failure; {@code
   * onTransient} sees each transient failure before its pause.
   *
   * @return the first non-transient reply, or null when the lease was lost or expired first
   */
  static Reply untilAnswered(LeaseState state, Supplier<Reply> call, Consumer<Reply> onTransient)
      throws InterruptedException {
    Duration pause = FIRST_PAUSE;
    while (!state.lostOrExpired()) {
      Reply reply = call.get();
      if (!reply.transientFailure()) {
        return reply;
      }
      onTransient.accept(reply);
      pause = pause(pause);
    }
    return null;
  }

  private static Duration pause(Duration pause) throws InterruptedException {
    Thread.sleep(pause.toMillis());
    Duration next = pause.multipliedBy(2);
    return next.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : next;
  }
}
