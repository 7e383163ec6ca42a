package dev.minitower.runners.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minitower.model.runner.AttemptView;
import dev.minitower.model.runner.LeaseResponse;
import dev.minitower.model.wire.WireTime;
import dev.minitower.runners.service.LeaseService.Granted;
import dev.minitower.store.runs.RunRecords.AttemptState;
import dev.minitower.store.runs.RunRecords.LeaseGrant;
import java.util.Arrays;
import java.util.List;

/** Maps transition outcomes to the wire records of the runner protocol (never entities). */
final class RunnerViews {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private RunnerViews() {}

  static AttemptView attempt(AttemptState s, boolean withRunId) {
    return new AttemptView(
        s.attemptId(),
        s.attemptNo(),
        s.status(),
        WireTime.format(s.leaseExpiresAt()),
        s.cancelRequested(),
        s.runStatus(),
        withRunId ? s.runId() : null);
  }

  static LeaseResponse lease(Granted granted) {
    LeaseGrant g = granted.grant();
    return LeaseResponse.builder()
        .runId(g.runId())
        .runNo(g.runNo())
        .appId(g.appId())
        .appSlug(g.appSlug())
        .versionNo(g.versionNo())
        .entrypoint(g.entrypoint())
        .timeoutSeconds(g.timeoutSeconds())
        .input(input(g.inputJson()))
        .attemptId(g.attemptId())
        .attemptNo(g.attemptNo())
        .leaseToken(granted.leaseToken())
        .leaseExpiresAt(WireTime.format(g.leaseExpiresAt()))
        .teamSlug(g.teamSlug())
        .artifactSha256(g.artifactSha256())
        .importPaths(importPaths(g.importPathsJson()))
        .started(g.started() ? Boolean.TRUE : null)
        .secrets(granted.secrets().isEmpty() ? null : granted.secrets())
        .build();
  }

  /** The run input, omitted when absent or empty (as the original). */
  static ObjectNode input(String json) {
    if (json == null) {
      return null;
    }
    try {
      ObjectNode node = (ObjectNode) MAPPER.readTree(json);
      return node.isEmpty() ? null : node;
    } catch (Exception e) {
      throw new IllegalStateException("stored input is not a JSON object", e);
    }
  }

  static List<String> importPaths(String json) {
    if (json == null) {
      return null;
    }
    try {
      String[] paths = MAPPER.readValue(json, String[].class);
      return paths.length == 0 ? null : Arrays.asList(paths);
    } catch (Exception e) {
      throw new IllegalStateException("stored import paths are not a JSON array", e);
    }
  }
}
