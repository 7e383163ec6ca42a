package dev.minitower.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minitower.cli.ExitCodes;
import dev.minitower.cli.http.ApiClient;
import dev.minitower.cli.output.TerminalText;
import dev.minitower.model.run.RunStatus;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Incremental reading of a run's logs that survives retries.
 *
 * <p>Sequence numbers restart at 1 for every attempt, so the single monotonic {@code after_seq} the
 * original CLI kept silently skipped the first lines of a retry. Here:
 *
 * <ul>
 *   <li>the server's cursor is used whenever the server sends one: {@code next_after_seq}, with
 *       {@code next_after_attempt} when present (api-service's compound cursor), and pages are read
 *       until {@code has_more} is false;
 *   <li>otherwise the cursor is the highest seq seen of the <em>current</em> attempt ({@code
 *       retry_count + 1} of the last run observed, or the newest {@code attempt_no} seen), so a new
 *       attempt is read from its first line; if an answer nevertheless shows an attempt newer than
 *       expected, the read is repeated from 0 so that attempt's early lines are not lost;
 *   <li>lines without {@code attempt_no} (servers that return only the latest attempt) are
 *       attributed to the current attempt;
 *   <li>lines are de-duplicated on (attempt, seq), so re-reads never print a line twice, and a
 *       {@code --- attempt N ---} separator is printed when the attempt changes.
 * </ul>
 */
final class LogTail {
  private final ApiClient api;
  private final long runId;
  private final PrintStream out;
  private final long floorSeq;
  private Long serverCursor;
  private Long serverAttemptCursor;
  private long newestAttempt;
  private long lastRetryCount = -1;
  private Long floorAttempt;
  private Long lastPrintedAttempt;
  private final Map<Long, Long> maxSeqByAttempt = new HashMap<>();
  private final Set<String> seen = new HashSet<>();

  private boolean raw;

  LogTail(ApiClient api, long runId, PrintStream out, long afterSeq) {
    this.api = api;
    this.runId = runId;
    this.out = out;
    this.floorSeq = afterSeq;
  }

  /** Safety bound on pages read in one poll. */
  private static final int MAX_PAGES = 10_000;

  /**
   * Everything after the cursor as one response (for {@code --json}): the pages' {@code logs}
   * concatenated, the last page's cursor fields.
   */
  JsonNode fetchAll() {
    JsonNode first = fetch(cursor());
    if (!(first instanceof ObjectNode merged) || !hasMore(first)) {
      return first;
    }
    ArrayNode logs = merged.withArray("logs");
    JsonNode page = first;
    for (int i = 0; i < MAX_PAGES && hasMore(page); i++) {
      rememberServerCursor(page);
      page = fetch(cursor());
      for (JsonNode l : lines(page)) {
        logs.add(l);
      }
      page.fields()
          .forEachRemaining(
              e -> {
                if (!e.getKey().equals("logs")) {
                  merged.set(e.getKey(), e.getValue());
                }
              });
    }
    return merged;
  }

  private JsonNode fetch(long afterSeq) {
    Map<String, Object> q = new LinkedHashMap<>();
    q.put("after_seq", afterSeq);
    if (serverCursor != null && serverAttemptCursor != null) {
      q.put("after_attempt", serverAttemptCursor);
    }
    return api.get(ApiClient.withQuery("/api/v1/runs/" + runId + "/logs", q));
  }

  private long currentAttempt() {
    return Math.max(newestAttempt, lastRetryCount >= 0 ? lastRetryCount + 1 : 0);
  }

  private long cursor() {
    if (serverCursor != null) {
      return serverCursor;
    }
    if (maxSeqByAttempt.isEmpty() && lastRetryCount <= 0) {
      return floorSeq;
    }
    return maxSeqByAttempt.getOrDefault(currentAttempt(), 0L);
  }

  /** Print lines byte-for-byte (job colours) instead of escaping control characters. */
  LogTail raw(boolean value) {
    this.raw = value;
    return this;
  }

  /** Tells the tail about the run, so a retry (a new attempt) is noticed even before it logs. */
  void observe(JsonNode run) {
    lastRetryCount = Math.max(lastRetryCount, run.path("retry_count").asLong(0));
  }

  /** Reads what is new (every page) and prints it. */
  void poll() {
    for (int i = 0; i < MAX_PAGES; i++) {
      if (!pollPage()) {
        return;
      }
    }
  }

  /** Reads and prints one page; true when the server says more pages follow. */
  private boolean pollPage() {
    long cursor = cursor();
    JsonNode resp = fetch(cursor);
    long expected = currentAttempt();
    if (!hasServerCursor(resp) && cursor > 0 && expected > 0 && maxAttempt(resp) > expected) {
      resp = fetch(0);
    }
    long fallbackAttempt = currentAttempt();
    for (JsonNode l : lines(resp)) {
      long attempt = l.hasNonNull("attempt_no") ? l.get("attempt_no").asLong() : fallbackAttempt;
      long seq = l.path("seq").asLong();
      newestAttempt = Math.max(newestAttempt, attempt);
      maxSeqByAttempt.merge(attempt, seq, Math::max);
      print(l, attempt, seq);
    }
    rememberServerCursor(resp);
    return hasMore(resp);
  }

  private void rememberServerCursor(JsonNode resp) {
    if (hasServerCursor(resp)) {
      serverCursor = resp.get("next_after_seq").asLong();
      JsonNode attempt = resp.get("next_after_attempt");
      serverAttemptCursor = attempt != null && attempt.isIntegralNumber() ? attempt.asLong() : null;
    }
  }

  private static boolean hasMore(JsonNode resp) {
    return resp != null && resp.path("has_more").asBoolean(false) && !resp.path("logs").isEmpty();
  }

  private static Iterable<JsonNode> lines(JsonNode resp) {
    return resp == null ? List.of() : resp.path("logs");
  }

  private static long maxAttempt(JsonNode resp) {
    long max = 0;
    for (JsonNode l : lines(resp)) {
      max = Math.max(max, l.path("attempt_no").asLong(0));
    }
    return max;
  }

  private static boolean hasServerCursor(JsonNode resp) {
    return resp != null && resp.path("next_after_seq").isIntegralNumber();
  }

  private void print(JsonNode l, long attempt, long seq) {
    if (floorAttempt == null) {
      floorAttempt = attempt;
    }
    if (attempt == floorAttempt && seq <= floorSeq) {
      return;
    }
    if (!seen.add(attempt + ":" + seq)) {
      return;
    }
    if (attempt > 0 && (lastPrintedAttempt == null ? attempt > 1 : attempt != lastPrintedAttempt)) {
      out.println("--- attempt " + attempt + " ---");
    }
    if (attempt > 0) {
      lastPrintedAttempt = attempt;
    }
    out.println(
        "["
            + seq
            + "] "
            + l.path("stream").asText("").toUpperCase(Locale.ROOT)
            + " "
            + (raw ? l.path("line").asText("") : TerminalText.escape(l.path("line").asText(""))));
    out.flush();
  }

  /** Whether a wire status is terminal (unknown statuses are treated as still running). */
  static boolean isTerminal(String status) {
    try {
      return status != null && RunStatus.fromWire(status).isTerminal();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** 0 completed, 2 cancelled, 1 failed or dead. */
  static int exitCodeFor(String status) {
    return switch (status) {
      case "completed" -> ExitCodes.OK;
      case "cancelled" -> ExitCodes.CANCELLED;
      default -> ExitCodes.ERROR;
    };
  }
}
