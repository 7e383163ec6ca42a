package dev.minitower.bench;

import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** A thread-safe latency distribution in microseconds (HdrHistogram, 3 significant digits). */
public final class Latency {
  private static final long MAX_MICROS = 3_600_000_000L;
  private final Recorder recorder = new Recorder(MAX_MICROS, 3);
  private final Histogram total = new Histogram(MAX_MICROS, 3);

  /** Records one sample given in nanoseconds (negative values count as 0). */
  public void recordNanos(long nanos) {
    long micros = Math.max(0, nanos / 1000);
    recorder.recordValue(Math.min(micros, MAX_MICROS));
  }

  /** Everything recorded so far. */
  public synchronized Histogram snapshot() {
    total.add(recorder.getIntervalHistogram());
    return total.copy();
  }

  public Summary summary() {
    return Summary.of(snapshot());
  }

  /** Count and percentiles in milliseconds. */
  public record Summary(long count, double p50, double p90, double p99, double max, double mean) {
    static Summary of(Histogram h) {
      if (h.getTotalCount() == 0) {
        return new Summary(0, 0, 0, 0, 0, 0);
      }
      return new Summary(
          h.getTotalCount(),
          ms(h.getValueAtPercentile(50)),
          ms(h.getValueAtPercentile(90)),
          ms(h.getValueAtPercentile(99)),
          ms(h.getMaxValue()),
          h.getMean() / 1000.0);
    }

    private static double ms(long micros) {
      return micros / 1000.0;
    }

    public String brief() {
      return count == 0
          ? "-"
          : String.format(Locale.ROOT, "p50 %s / p99 %s ms (n=%d)", fmt(p50), fmt(p99), count);
    }
  }

  /** Milliseconds with a precision that suits their size. */
  public static String fmt(double ms) {
    if (ms >= 100) {
      return String.format(Locale.ROOT, "%.0f", ms);
    }
    if (ms >= 10) {
      return String.format(Locale.ROOT, "%.1f", ms);
    }
    return String.format(Locale.ROOT, "%.2f", ms);
  }
}
