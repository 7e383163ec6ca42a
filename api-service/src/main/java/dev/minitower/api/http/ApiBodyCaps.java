package dev.minitower.api.http;

import dev.minitower.api.config.ApiConfig;
import dev.minitower.platform.http.BodyCaps;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * api-service's body caps (docs/spec/api.md §0.7, 413 instead of the original's 400, gap 24):
 * artifact uploads ({@code POST …/versions}) get {@code MINITOWER_MAX_ARTIFACT_SIZE}, every other
 * request {@code MINITOWER_MAX_REQUEST_BODY_SIZE}, and a request without credentials (sign-up,
 * login) only {@code MINITOWER_MAX_ANONYMOUS_BODY_SIZE}.
 */
@ApplicationScoped
public class ApiBodyCaps implements BodyCaps {
  private final long requestCap;
  private final long artifactCap;
  private final long anonymousCap;

  public ApiBodyCaps(ApiConfig config) {
    this.requestCap = config.maxRequestBodySize();
    this.artifactCap = config.maxArtifactSize();
    this.anonymousCap = Math.min(config.maxAnonymousBodySize(), requestCap);
  }

  @Override
  public long capFor(HttpServerRequest request) {
    if (BodyCaps.anonymous(request)) {
      return anonymousCap;
    }
    return capFor(request.method(), request.path());
  }

  /** The cap of a request with credentials: uploads to a path ending in /versions get more. */
  long capFor(HttpMethod method, String path) {
    return method == HttpMethod.POST && path != null && path.endsWith("/versions")
        ? artifactCap
        : requestCap;
  }
}
