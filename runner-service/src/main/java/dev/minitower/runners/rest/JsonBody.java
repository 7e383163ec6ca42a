package dev.minitower.runners.rest;

import dev.minitower.model.wire.StrictJson;
import dev.minitower.platform.json.JsonBodies;

/**
 * Request bodies are parsed here rather than by the JAX-RS reader: like the original, the runner
 * protocol does not require a JSON {@code Content-Type}, and some checks (the lease) must come
 * before the body is read. The rules are the client API's ({@link JsonBodies}); an empty body (the
 * original agent sends none on start, heartbeat and lease) or JSON {@code null} is null.
 */
final class JsonBody {
  static final String INVALID = "invalid JSON body";

  private JsonBody() {}

  static <T> T parse(JsonBodies json, byte[] body, Class<T> type) {
    return parse(json, body, type, StrictJson.Text.CHECKED);
  }

  static <T> T parse(JsonBodies json, byte[] body, Class<T> type, StrictJson.Text text) {
    return JsonBodies.isBlank(body) ? null : json.read(body, type, INVALID, text);
  }
}
