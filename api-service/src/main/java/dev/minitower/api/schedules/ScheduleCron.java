package dev.minitower.api.schedules;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.minitower.platform.error.ApiException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * Validates a schedule's cron expression (five fields, cron-utils' UNIX definition) and IANA zone,
 * and computes its first tick with the same wall-clock rule as scheduler-service's {@code
 * CronSchedule} (a time in a DST gap shifts forward; a repeated time fires at its first
 * occurrence).
 */
final class ScheduleCron {
  private static final CronParser PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  private final ExecutionTime execution;
  private final ZoneId zone;

  private ScheduleCron(ExecutionTime execution, ZoneId zone) {
    this.execution = execution;
    this.zone = zone;
  }

  /** Parses both or answers 400 with a message naming the field. */
  static ScheduleCron parse(String cron, String timezone) {
    if (cron == null || cron.isBlank()) {
      throw ApiException.badRequest("cron is required");
    }
    if (cron.length() > 200) {
      throw ApiException.badRequest("invalid cron expression: too long");
    }
    Cron parsed;
    try {
      parsed = PARSER.parse(cron.trim());
      parsed.validate();
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("invalid cron expression: " + e.getMessage());
    }
    ZoneId zone;
    try {
      if (timezone == null || timezone.isBlank() || timezone.length() > 64) {
        throw new DateTimeException("blank");
      }
      zone = ZoneId.of(timezone.trim());
    } catch (DateTimeException e) {
      throw ApiException.badRequest("invalid timezone: " + timezone);
    }
    return new ScheduleCron(ExecutionTime.forCron(parsed), zone);
  }

  /** The zone's canonical id (stored). */
  String zoneId() {
    return zone.getId();
  }

  /** The first tick strictly after {@code after}. */
  Optional<Instant> nextAfter(Instant after) {
    LocalDateTime local = LocalDateTime.ofInstant(after, zone);
    for (int i = 0; i < 1000; i++) {
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
