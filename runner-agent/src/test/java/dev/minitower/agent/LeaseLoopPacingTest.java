package dev.minitower.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The lease loop's pacing against a server that never has work (the fake answers 204; it offers no
 * batch lease, so the original lease is used). Bounds are loose: this guards against the two loop
 * bugs (a poll storm with {@code MINITOWER_LEASE_WAIT=0}, a second pause after every empty long
 * poll), not the exact interval.
 */
class LeaseLoopPacingTest extends AgentTestSupport {

  @Test
  void plainPollingWaitsThePollIntervalBetweenEmptyPolls() throws Exception {
    startAgent(c -> c.withLeaseWait(Duration.ZERO).withPollInterval(Duration.ofMillis(200)));
    await().atMost(Duration.ofSeconds(10)).until(() -> server.leasePolls.get() > 0);
    int before = server.leasePolls.get();
    Thread.sleep(3_000);
    int polls = server.leasePolls.get() - before;
    // 200-300 ms apart (interval plus up to 50 % jitter): about 10-15 in 3 s; the bug made
    // thousands.
    assertThat(polls).isBetween(4, 25);
  }

  @Test
  void anEmptyLongPollIsFollowedByTheNextPollAtOnce() throws Exception {
    startAgent(c -> c.withLeaseWait(Duration.ofSeconds(1)).withPollInterval(Duration.ofSeconds(3)));
    await().atMost(Duration.ofSeconds(10)).until(() -> server.leasePolls.get() > 0);
    int before = server.leasePolls.get();
    Thread.sleep(6_000);
    int polls = server.leasePolls.get() - before;
    // Each poll is held 1 s by the server: about 6 in 6 s. With a 3-4.5 s pause after each (the
    // bug) there were at most 2.
    assertThat(polls).isBetween(4, 8);
    assertThat(agentLog()).contains("batch lease not offered by the server");
  }
}
