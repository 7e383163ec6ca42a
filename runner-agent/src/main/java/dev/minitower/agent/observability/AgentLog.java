package dev.minitower.agent.observability;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Instant;

/**
 * The agent's own log: one JSON object per line ({@code time}, {@code level}, {@code msg}, then
 * attributes), as the original's slog JSON handler. Attributes are given as key/value pairs.
 */
public final class AgentLog {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PrintStream out;
  private final String runnerName;

  public AgentLog(PrintStream out, String runnerName) {
    this.out = out;
    this.runnerName = runnerName;
  }

  public void info(String msg, Object... attributes) {
    write("INFO", msg, attributes);
  }

  public void warn(String msg, Object... attributes) {
    write("WARN", msg, attributes);
  }

  public void error(String msg, Object... attributes) {
    write("ERROR", msg, attributes);
  }

  private void write(String level, String msg, Object... attributes) {
    ObjectNode line = JSON.createObjectNode();
    line.put("time", Instant.now().toString());
    line.put("level", level);
    line.put("msg", msg);
    if (runnerName != null) {
      line.put("runner", runnerName);
    }
    for (int i = 0; i + 1 < attributes.length; i += 2) {
      String key = String.valueOf(attributes[i]);
      Object value = attributes[i + 1];
      if (value == null) {
        line.putNull(key);
      } else if (value instanceof Number n
          && !(value instanceof Double || value instanceof Float)) {
        line.put(key, n.longValue());
      } else if (value instanceof Boolean b) {
        line.put(key, b);
      } else if (value instanceof Throwable t) {
        line.put(key, String.valueOf(t.getMessage() == null ? t.toString() : t.getMessage()));
      } else {
        line.put(key, String.valueOf(value));
      }
    }
    String text;
    try {
      text = JSON.writeValueAsString(line);
    } catch (Exception e) {
      text = "{\"level\":\"ERROR\",\"msg\":\"log encoding failed\"}";
    }
    synchronized (out) {
      out.println(text);
      out.flush();
    }
  }
}
