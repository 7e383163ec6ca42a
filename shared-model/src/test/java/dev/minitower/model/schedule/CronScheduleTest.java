package dev.minitower.model.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Next-tick maths, including both DST transitions of Europe/Paris in 2026. */
class CronScheduleTest {

  @Test
  void everyFiveMinutesInUtc() {
    CronSchedule cron = CronSchedule.of("*/5 * * * *", "UTC");
    assertThat(cron.nextAfter(Instant.parse("2026-01-01T10:02:30Z")))
        .contains(Instant.parse("2026-01-01T10:05:00Z"));
    assertThat(cron.nextAfter(Instant.parse("2026-01-01T10:05:00Z")))
        .contains(Instant.parse("2026-01-01T10:10:00Z"));
  }

  @Test
  void dailyTimeIsWallClockTimeOfTheZone() {
    CronSchedule cron = CronSchedule.of("0 9 * * *", "America/New_York");
    assertThat(cron.nextAfter(Instant.parse("2026-01-15T00:00:00Z")))
        .contains(Instant.parse("2026-01-15T14:00:00Z"));
    assertThat(cron.nextAfter(Instant.parse("2026-07-15T00:00:00Z")))
        .contains(Instant.parse("2026-07-15T13:00:00Z"));
  }

  @Test
  void springForwardFiresATimeInTheGapOnceAfterTheGap() {
    // Europe/Paris, 2026-03-29: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist that day.
    CronSchedule cron = CronSchedule.of("30 2 * * *", "Europe/Paris");
    assertThat(ticks(cron, Instant.parse("2026-03-27T12:00:00Z"), 3))
        .containsExactly(
            Instant.parse("2026-03-28T01:30:00Z"), // 02:30 CET
            Instant.parse("2026-03-29T01:30:00Z"), // 03:30 CEST, the gap shifted forward
            Instant.parse("2026-03-30T00:30:00Z")); // 02:30 CEST
  }

  @Test
  void springForwardHourlyHasNoDuplicateTick() {
    CronSchedule cron = CronSchedule.of("0 * * * *", "Europe/Paris");
    assertThat(ticks(cron, Instant.parse("2026-03-28T23:30:00Z"), 4))
        .containsExactly(
            Instant.parse("2026-03-29T00:00:00Z"), // 01:00 CET
            Instant.parse("2026-03-29T01:00:00Z"), // 02:00 missing → 03:00 CEST
            Instant.parse("2026-03-29T02:00:00Z"), // 04:00 CEST
            Instant.parse("2026-03-29T03:00:00Z"));
  }

  @Test
  void fallBackFiresARepeatedTimeOnceAtItsFirstOccurrence() {
    // Europe/Paris, 2026-10-25: 03:00 CEST falls back to 02:00 CET; 02:30 happens twice.
    CronSchedule cron = CronSchedule.of("30 2 * * *", "Europe/Paris");
    assertThat(ticks(cron, Instant.parse("2026-10-24T12:00:00Z"), 3))
        .containsExactly(
            Instant.parse("2026-10-25T00:30:00Z"), // 02:30 CEST (first occurrence only)
            Instant.parse("2026-10-26T01:30:00Z"), // 02:30 CET
            Instant.parse("2026-10-27T01:30:00Z"));
  }

  @Test
  void fallBackHourlyFiresEachWallClockHourOnce() {
    CronSchedule cron = CronSchedule.of("0 * * * *", "Europe/Paris");
    assertThat(ticks(cron, Instant.parse("2026-10-24T23:30:00Z"), 4))
        .containsExactly(
            Instant.parse("2026-10-25T00:00:00Z"), // 02:00 CEST
            Instant.parse("2026-10-25T02:00:00Z"), // 03:00 CET (02:00 CET is a repeat)
            Instant.parse("2026-10-25T03:00:00Z"),
            Instant.parse("2026-10-25T04:00:00Z"));
  }

  @Test
  void invalidExpressionsAndZonesAreRejectedWithClearMessages() {
    assertThatThrownBy(() -> CronSchedule.of("61 * * * *", "UTC"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid cron expression");
    assertThatThrownBy(() -> CronSchedule.of("* * *", "UTC"))
        .hasMessageStartingWith("invalid cron expression");
    assertThatThrownBy(() -> CronSchedule.of("* * * * *", "Mars/Olympus"))
        .hasMessage("invalid timezone: Mars/Olympus");
    assertThatThrownBy(() -> CronSchedule.of(" ", "UTC")).hasMessage("cron is required");
  }

  private static List<Instant> ticks(CronSchedule cron, Instant from, int n) {
    List<Instant> out = new ArrayList<>();
    Instant t = from;
    for (int i = 0; i < n; i++) {
      t = cron.nextAfter(t).orElseThrow();
      out.add(t);
    }
    return out;
  }
}
