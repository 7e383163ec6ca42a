package dev.minitower.cli.output;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Upload progress on stderr. On a terminal the bar is redrawn in place; otherwise (pipes, CI logs)
 * only the finished line is written, so logs are not flooded with carriage returns.
 */
public final class ProgressBar {
  private static final int WIDTH = 30;

  private final PrintStream err;
  private final String label;
  private final long total;
  private final boolean interactive;
  private long done;
  private int lastPercent = -1;
  private boolean finished;

  public ProgressBar(PrintStream err, String label, long total, boolean interactive) {
    this.err = err;
    this.label = label;
    this.total = total;
    this.interactive = interactive;
  }

  public synchronized void advance(long bytes) {
    done = Math.min(total, done + bytes);
    int percent = total == 0 ? 100 : (int) (done * 100 / total);
    if (interactive && percent != lastPercent) {
      lastPercent = percent;
      err.print("\r" + line(percent));
      err.flush();
    }
  }

  /** Ends the bar with a newline; idempotent. */
  public synchronized void finish() {
    if (finished) {
      return;
    }
    finished = true;
    done = total;
    err.print((interactive ? "\r" : "") + line(100) + "\n");
    err.flush();
  }

  String line(int percent) {
    int filled = percent * WIDTH / 100;
    return String.format(
        Locale.ROOT,
        "%s [%s%s] %3d%% %s/%s",
        label,
        "#".repeat(filled),
        "-".repeat(WIDTH - filled),
        percent,
        human(done),
        human(total));
  }

  static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    double v = bytes;
    String[] units = {"KiB", "MiB", "GiB"};
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
