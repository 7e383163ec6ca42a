package dev.minitower.agent.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LeaseStateTest {
  static final long SECOND = 1_000_000_000L;

  static LeaseState lease() {
    return new LeaseState(
        dev.minitower.model.runner.LeaseResponse.builder()
            .runId(1)
            .runNo(1)
            .appId(1)
            .appSlug("a")
            .versionNo(1)
            .entrypoint("main.py")
            .attemptId(1)
            .attemptNo(1)
            .leaseToken("tok")
            .build());
  }

  @Test
  void sixtySecondTtlGivesTheOriginalsHeartbeatIntervalAndFencesFiveSecondsEarly() {
    LeaseState lease = lease();
    Instant serverNow = Instant.parse("2026-01-01T00:00:00Z");
    long sent = 1_000 * SECOND;

    // Date has second precision, so the agent assumes the server was up to 1 s later.
    lease.renewed(serverNow.plusSeconds(61), serverNow, sent, Duration.ofSeconds(2));

    assertThat(lease.ttl()).isEqualTo(Duration.ofSeconds(60));
    assertThat(lease.nextBeatAtNanos() - sent)
        .isEqualTo(Duration.ofSeconds(55).dividedBy(3).toNanos());
    assertThat(lease.fenceDeadlinePassed(sent + 55 * SECOND - 1)).isFalse();
    assertThat(lease.fenceDeadlinePassed(sent + 55 * SECOND + 1)).isTrue();
  }

  @Test
  void shortTtlKeepsTheMinimumIntervalAndAProportionalMargin() {
    LeaseState lease = lease();
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    lease.renewed(now.plusSeconds(7), now, 0, Duration.ofSeconds(2));
    assertThat(lease.nextBeatAtNanos()).isEqualTo(2 * SECOND);
    assertThat(lease.fenceDeadlinePassed(4 * SECOND - 1)).isFalse();
    assertThat(lease.fenceDeadlinePassed(4 * SECOND + 1)).isTrue();
  }

  @Test
  void firstStopReasonWinsAndLosingTheLeaseStillMarksItLost() {
    LeaseState lease = lease();
    AtomicInteger stops = new AtomicInteger();
    lease.onStop(stops::incrementAndGet);

    assertThat(lease.stop(StopReason.CANCEL_REQUESTED)).isTrue();
    lease.lose("heartbeat answered 410");

    assertThat(lease.stopReason()).isEqualTo(StopReason.CANCEL_REQUESTED);
    assertThat(lease.lost()).isTrue();
    assertThat(stops.get()).isEqualTo(1);
  }
}
