package dev.minitower.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Records every ERROR (and worse) logged in this JVM while it is open, so a test can assert that a
 * refused request left no error or stack trace in the service log. {@code @QuarkusTest} runs the
 * service in the test's JVM, so its log goes through the same root logger.
 *
 * <pre>{@code
 * try (ErrorLogs errors = ErrorLogs.capture()) {
 *   ... requests ...
 *   assertThat(errors.messages()).isEmpty();
 * }
 * }</pre>
 */
public final class ErrorLogs extends Handler implements AutoCloseable {
  private final List<String> messages = new ArrayList<>();

  private ErrorLogs() {
    setLevel(Level.SEVERE);
  }

  public static ErrorLogs capture() {
    ErrorLogs handler = new ErrorLogs();
    Logger.getLogger("").addHandler(handler);
    return handler;
  }

  /** Logger name, message and exception of each error recorded so far. */
  public synchronized List<String> messages() {
    return List.copyOf(messages);
  }

  @Override
  public synchronized void publish(LogRecord record) {
    if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
      messages.add(
          record.getLoggerName()
              + ": "
              + record.getMessage()
              + (record.getThrown() == null ? "" : " (" + record.getThrown() + ")"));
    }
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    Logger.getLogger("").removeHandler(this);
  }
}
