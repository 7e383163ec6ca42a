package dev.minitower.testsupport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what the service under test logs (its root logger) while open, so a test can assert that
 * a refused request logged no ERROR and no stack trace.
 */
public final class LogCapture extends Handler implements AutoCloseable {
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();

  private LogCapture() {
    setLevel(Level.ALL);
  }

  public static LogCapture start() {
    LogCapture capture = new LogCapture();
    Logger.getLogger("").addHandler(capture);
    return capture;
  }

  @Override
  public void publish(LogRecord record) {
    records.add(record);
  }

  /** Records at {@code level} or above. */
  public List<LogRecord> atLeast(Level level) {
    return records.stream().filter(r -> r.getLevel().intValue() >= level.intValue()).toList();
  }

  /** Records at {@code level} or above from logger {@code name} (a class name). */
  public List<LogRecord> from(String name, Level level) {
    return atLeast(level).stream().filter(r -> name.equals(r.getLoggerName())).toList();
  }

  /** Records that carry a throwable (would print a stack trace). */
  public List<LogRecord> withStackTraces() {
    return records.stream().filter(r -> r.getThrown() != null).toList();
  }

  /** Every record as one line, for assertion messages. */
  public String describe() {
    StringBuilder b = new StringBuilder();
    for (LogRecord r : records) {
      b.append(r.getLevel())
          .append(' ')
          .append(r.getLoggerName())
          .append(": ")
          .append(r.getMessage())
          .append(r.getThrown() == null ? "" : " [" + r.getThrown() + "]")
          .append('\n');
    }
    return b.toString();
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    Logger.getLogger("").removeHandler(this);
  }
}
