package dev.minitower.platform.time;

import dev.minitower.model.time.GoDuration;
import io.quarkus.runtime.configuration.DurationConverter;
import jakarta.annotation.Priority;
import java.time.Duration;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * Reads every {@link Duration} setting of the services in Go syntax first, as the original read its
 * {@code MINITOWER_*} durations ({@code 1.5m}, {@code 1h30m}, {@code 250ms}), and what Go does not
 * know the way Quarkus does (ISO-8601 {@code PT30S}, {@code 5S}, days {@code 2d}, a bare number of
 * seconds), so Quarkus' own settings keep working. Registered through {@code META-INF/services};
 * its priority is above Quarkus' converter (200).
 */
@Priority(300)
public class GoDurationConverter implements Converter<Duration> {
  private static final long serialVersionUID = 1L;

  @Override
  public Duration convert(String value) {
    String text = value.strip();
    if (text.isEmpty()) {
      return null; // an empty value is a missing value, as for every converter
    }
    if (quarkusOnly(text)) {
      return DurationConverter.parseDuration(text);
    }
    return GoDuration.parse(text);
  }

  /**
   * ISO-8601 ({@code P…}), upper-case units ({@code 5S}, {@code 1M}), days or a bare number: forms
   * only Quarkus' syntax has (Go's units are lower-case, and it knows no days).
   */
  private static boolean quarkusOnly(String text) {
    String unsigned = text.startsWith("-") || text.startsWith("+") ? text.substring(1) : text;
    return unsigned.startsWith("P")
        || unsigned.startsWith("p")
        || unsigned.chars().anyMatch(c -> c >= 'A' && c <= 'Z')
        || unsigned.endsWith("d")
        || (!unsigned.isEmpty() && unsigned.chars().allMatch(Character::isDigit));
  }
}
