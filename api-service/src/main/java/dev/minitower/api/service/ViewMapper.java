package dev.minitower.api.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minitower.api.json.JsonValues;
import dev.minitower.api.store.AppStore;
import dev.minitower.api.store.VersionStore;
import dev.minitower.model.api.Views;
import dev.minitower.store.runs.RunQueries;
import java.util.List;

/** Maps store rows to response views; rows never reach the HTTP layer. */
final class ViewMapper {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ViewMapper() {}

  static Views.AppView app(AppStore.App a) {
    return new Views.AppView(
        a.id(),
        a.slug(),
        a.description(),
        a.disabled(),
        TokenService.format(a.createdAt()),
        TokenService.format(a.updatedAt()));
  }

  static Views.VersionView version(VersionStore.Version v) {
    return new Views.VersionView(
        v.id(),
        v.versionNo(),
        v.entrypoint(),
        v.timeoutSeconds(),
        JsonValues.sortedKeys(parse(v.paramsSchema())),
        v.artifactSha256(),
        v.towerfileToml(),
        stringList(v.importPaths()),
        TokenService.format(v.createdAt()));
  }

  /** A run; {@code withSlug} selects the endpoints where the original fills {@code app_slug}. */
  static Views.RunView run(RunQueries.RunRow r, boolean withSlug) {
    JsonNode input = parse(r.input());
    return new Views.RunView(
        r.id(),
        r.appId(),
        withSlug ? r.appSlug() : null,
        r.runNo(),
        r.versionNo(),
        r.status(),
        JsonValues.isEmptyInput(input) ? null : JsonValues.sortedKeys(input),
        r.priority(),
        r.maxRetries(),
        r.retryCount(),
        r.cancelRequested(),
        TokenService.format(r.queuedAt()),
        TokenService.format(r.startedAt()),
        TokenService.format(r.finishedAt()),
        r.environment(),
        r.retryOnFailure());
  }

  static JsonNode parse(String json) {
    if (json == null) {
      return null;
    }
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON is invalid", e);
    }
  }

  private static List<String> stringList(String json) {
    if (json == null) {
      return List.of();
    }
    try {
      return JSON.readValue(json, new TypeReference<List<String>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON is invalid", e);
    }
  }
}
