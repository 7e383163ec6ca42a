package dev.minitower.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A run whose server-side state advances one phase per {@code GET /runs/{id}}: status, retry count
 * and the log lines visible so far. Logs can be served three ways, like the servers the CLI meets:
 * latest attempt only without attempt numbers (the original), every attempt with attempt numbers
 * filtered naively by {@code seq > after_seq}, or with a server cursor ({@code next_after_seq}).
 */
final class FakeRun {
  enum LogMode {
    LATEST_ATTEMPT_ONLY,
    ALL_ATTEMPTS_NAIVE,
    SERVER_CURSOR,
    /** api-service: (after_attempt, after_seq) cursor, pages of {@link #pageSize}, has_more. */
    API_SERVICE
  }

  record Line(int attempt, int seq, String stream, String text) {}

  record Phase(String status, int retryCount, List<Line> visible) {}

  final long runId;
  final List<Phase> phases = new ArrayList<>();
  final AtomicInteger current = new AtomicInteger(-1);
  LogMode mode = LogMode.ALL_ATTEMPTS_NAIVE;
  int pageSize = 1000;

  FakeRun(long runId) {
    this.runId = runId;
  }

  /** Adds a phase that shows every line added so far plus {@code newLines}. */
  FakeRun phase(String status, int retryCount, Line... newLines) {
    List<Line> visible =
        new ArrayList<>(phases.isEmpty() ? List.of() : phases.get(phases.size() - 1).visible());
    visible.addAll(List.of(newLines));
    phases.add(new Phase(status, retryCount, visible));
    return this;
  }

  static Line out(int attempt, int seq, String text) {
    return new Line(attempt, seq, "stdout", text);
  }

  void install(FakeApi api) {
    api.on("GET /api/v1/runs/" + runId, r -> FakeApi.Response.json(200, runJson(advance())));
    api.on(
        "GET /api/v1/runs/" + runId + "/logs",
        r -> FakeApi.Response.json(200, logsJson(r.query())));
  }

  private Phase advance() {
    int i = current.updateAndGet(c -> Math.min(c + 1, phases.size() - 1));
    return phases.get(i);
  }

  private Phase now() {
    return phases.get(Math.max(0, current.get()));
  }

  String runJson(Phase p) {
    return "{\"run_id\":"
        + runId
        + ",\"app_id\":1,\"app_slug\":\"hello\",\"run_no\":1,\"version_no\":1,\"status\":\""
        + p.status()
        + "\",\"priority\":0,\"max_retries\":1,\"retry_count\":"
        + p.retryCount()
        + ",\"cancel_requested\":false,\"queued_at\":\"2025-01-01T00:00:00Z\"}";
  }

  String logsJson(String query) {
    long after = 0;
    Long afterAttempt = null;
    if (query != null) {
      for (String kv : query.split("&")) {
        String[] p = kv.split("=", 2);
        if (p[0].equals("after_seq")) {
          after = Long.parseLong(p[1]);
        } else if (p[0].equals("after_attempt")) {
          afterAttempt = Long.parseLong(p[1]);
        }
      }
    }
    List<Line> visible = now().visible();
    if (mode == LogMode.API_SERVICE) {
      return apiServiceLogs(visible, afterAttempt, after);
    }
    StringBuilder sb = new StringBuilder("{\"logs\":[");
    boolean first = true;
    int latest = visible.stream().mapToInt(Line::attempt).max().orElse(0);
    for (int i = 0; i < visible.size(); i++) {
      Line l = visible.get(i);
      boolean include =
          switch (mode) {
            case LATEST_ATTEMPT_ONLY -> l.attempt() == latest && l.seq() > after;
            case ALL_ATTEMPTS_NAIVE -> l.seq() > after;
            case SERVER_CURSOR -> i + 1 > after;
            case API_SERVICE -> throw new IllegalStateException();
          };
      if (!include) {
        continue;
      }
      if (!first) {
        sb.append(',');
      }
      first = false;
      sb.append("{\"seq\":").append(l.seq());
      if (mode != LogMode.LATEST_ATTEMPT_ONLY) {
        sb.append(",\"attempt_no\":").append(l.attempt());
      }
      sb.append(",\"stream\":\"")
          .append(l.stream())
          .append("\",\"line\":\"")
          .append(l.text())
          .append("\",\"logged_at\":\"2025-01-01T00:00:00Z\"}");
    }
    sb.append(']');
    if (mode == LogMode.SERVER_CURSOR) {
      sb.append(",\"next_after_seq\":").append(visible.size());
    }
    return sb.append('}').toString();
  }

  private String apiServiceLogs(List<Line> visible, Long afterAttempt, long afterSeq) {
    int latest = visible.stream().mapToInt(Line::attempt).max().orElse(0);
    long attempt = afterAttempt != null ? afterAttempt : afterSeq > 0 ? latest : 0;
    List<Line> page =
        visible.stream()
            .filter(l -> l.attempt() > attempt || (l.attempt() == attempt && l.seq() > afterSeq))
            .limit(pageSize)
            .toList();
    StringBuilder sb = new StringBuilder("{\"logs\":[");
    for (int i = 0; i < page.size(); i++) {
      Line l = page.get(i);
      sb.append(i == 0 ? "" : ",")
          .append("{\"attempt_no\":")
          .append(l.attempt())
          .append(",\"seq\":")
          .append(l.seq())
          .append(",\"stream\":\"")
          .append(l.stream())
          .append("\",\"line\":\"")
          .append(l.text())
          .append("\",\"logged_at\":\"2025-01-01T00:00:00Z\"}");
    }
    Line last = page.isEmpty() ? null : page.get(page.size() - 1);
    return sb.append("],\"next_after_attempt\":")
        .append(last == null ? attempt : last.attempt())
        .append(",\"next_after_seq\":")
        .append(last == null ? afterSeq : last.seq())
        .append(",\"has_more\":")
        .append(page.size() == pageSize)
        .append('}')
        .toString();
  }
}
