package dev.minitower.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minitower.cli.ExitCodes;
import dev.minitower.cli.http.ApiClient;
import dev.minitower.model.run.RunStatus;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Incremental reading of a run's logs that survives retries.
 *
 * <p>Sequence numbers restart at 1 for every attempt, so a single monotonic {@code after_seq} (what
 * the original CLI kept) silently skips the first lines of a retry. This class:
 *
 * <ul>
 *   <li>uses the server's {@code next_after_seq} as the cursor whenever the server sends one;
 *   <li>otherwise keeps the highest {@code seq} of the newest attempt seen, and when a newer
 *       attempt shows up (a higher {@code attempt_no} on a line, or a higher {@code retry_count} on
 *       the run) reads once more from 0 so that attempt's early lines are not lost;
 *   <li>de-duplicates on (attempt, seq), so re-reads never print a line twice;
 *   <li>prints a {@code --- attempt N ---} separator when the attempt changes.
 * </ul>
 */
final class LogTail {
  private final ApiClient api;
  private final long runId;
  private final PrintStream out;
  private final long floorSeq;
  private long afterSeq;
  private long newestAttempt;
  private Long floorAttempt;
  private boolean rescan;
  private long lastRetryCount = -1;
  private Long lastPrintedAttempt;
  private final Set<String> seen = new HashSet<>();

  LogTail(ApiClient api, long runId, PrintStream out, long afterSeq) {
    this.api = api;
    this.runId = runId;
    this.out = out;
    this.afterSeq = afterSeq;
    this.floorSeq = afterSeq;
  }

  /** One read; returns the raw response (for {@code --json}). */
  JsonNode fetch() {
    long cursor = rescan ? 0 : afterSeq;
    return api.get(ApiClient.withQuery(logsPath(), Map.of("after_seq", cursor)));
  }

  private String logsPath() {
    return "/api/v1/runs/" + runId + "/logs";
  }

  /** Reads what is new and prints it. */
  void poll() {
    JsonNode resp = fetch();
    boolean wasRescan = rescan;
    rescan = false;
    JsonNode lines = resp == null ? null : resp.path("logs");
    long maxAttemptInResponse = 0;
    if (lines != null) {
      for (JsonNode l : lines) {
        maxAttemptInResponse = Math.max(maxAttemptInResponse, l.path("attempt_no").asLong(0));
      }
    }
    if (maxAttemptInResponse > newestAttempt) {
      if (newestAttempt > 0 && !wasRescan && !hasServerCursor(resp)) {
        rescan = true;
      }
      newestAttempt = maxAttemptInResponse;
    }
    long maxSeqNewest = -1;
    if (lines != null) {
      for (JsonNode l : lines) {
        long attempt = l.path("attempt_no").asLong(0);
        long seq = l.path("seq").asLong();
        if (attempt == newestAttempt) {
          maxSeqNewest = Math.max(maxSeqNewest, seq);
        }
        print(l, attempt, seq);
      }
    }
    if (hasServerCursor(resp)) {
      afterSeq = resp.get("next_after_seq").asLong();
    } else if (wasRescan) {
      afterSeq = Math.max(0, maxSeqNewest);
    } else if (maxSeqNewest >= 0) {
      afterSeq = Math.max(afterSeq, maxSeqNewest);
    }
  }

  private static boolean hasServerCursor(JsonNode resp) {
    return resp != null && resp.path("next_after_seq").isIntegralNumber();
  }

  /** Tells the tail about the run, so a retry (new attempt) is noticed even before it logs. */
  void observe(JsonNode run) {
    long retries = run.path("retry_count").asLong(0);
    if (lastRetryCount >= 0 && retries > lastRetryCount) {
      rescan = true;
      if (newestAttempt == 0) {
        // Old servers without attempt_no return only the latest attempt, whose seqs restart at 1.
        seen.clear();
        afterSeq = 0;
      }
    }
    lastRetryCount = retries;
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
            + l.path("line").asText(""));
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
