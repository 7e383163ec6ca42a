package dev.minitower.model.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * A cron expression (classic five fields, cron-utils' UNIX definition) in an IANA time zone.
 *
 * <p>DST rule: the expression matches <em>wall-clock</em> times. Each matching local time fires
 * once: a time skipped by a spring-forward gap fires at the same offset after the gap (02:30 on a
 * day that jumps 02:00→03:00 fires at 03:30 local time); a time repeated by a fall-back overlap
 * fires once, at its first occurrence (the summer-time offset). Matching is done on local
 * date-times with cron-utils in UTC (where no DST exists) and mapped to instants with {@link
 * ZonedDateTime#ofLocal}, so the library's own DST handling never matters.
 *
 * <p>One implementation for api-service (validation, first tick) and scheduler-service (firing).
 */
public final class CronSchedule {
  private static final CronParser PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  /** Guards against expressions that match nothing for years (e.g. 30 February). */
  private static final int MAX_STEPS = 1000;

  private final ExecutionTime execution;
  private final ZoneId zone;

  private CronSchedule(ExecutionTime execution, ZoneId zone) {
    this.execution = execution;
    this.zone = zone;
  }

  /**
   * Parses and validates.
   *
   * @throws IllegalArgumentException with a message fit for a 400 answer
   */
  public static CronSchedule of(String cron, String timezone) {
    if (cron == null || cron.isBlank()) {
      throw new IllegalArgumentException("cron is required");
    }
    if (cron.length() > 200) {
      throw new IllegalArgumentException("invalid cron expression: too long");
    }
    Cron parsed;
    try {
      parsed = PARSER.parse(cron.trim());
      parsed.validate();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid cron expression: " + e.getMessage());
    }
    ZoneId zone;
    try {
      if (timezone != null && timezone.length() > 64) {
        throw new DateTimeException("too long");
      }
      zone = ZoneId.of(timezone == null || timezone.isBlank() ? "UTC" : timezone.trim());
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("invalid timezone: " + timezone);
    }
    return new CronSchedule(ExecutionTime.forCron(parsed), zone);
  }

  public ZoneId zone() {
    return zone;
  }

  /** The zone's canonical id (what is stored). */
  public String zoneId() {
    return zone.getId();
  }

  /** The first tick strictly after {@code after}; empty if the expression never matches. */
  public Optional<Instant> nextAfter(Instant after) {
    LocalDateTime local = LocalDateTime.ofInstant(after, zone);
    for (int i = 0; i < MAX_STEPS; i++) {
      Optional<ZonedDateTime> next = execution.nextExecution(local.atZone(ZoneOffset.UTC));
      if (next.isEmpty()) {
        return Optional.empty();
      }
      local = next.get().toLocalDateTime();
      Instant tick = ZonedDateTime.ofLocal(local, zone, null).toInstant();
      if (tick.isAfter(after)) {
        return Optional.of(tick);
      }
    }
    return Optional.empty();
  }
}
