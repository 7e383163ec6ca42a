package dev.minitower.runners.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minitower.platform.error.ApiException;

/**
 * Request bodies are parsed here rather than by the JAX-RS reader: like the original, the runner
 * protocol does not require a JSON {@code Content-Type}, and some checks (the lease) must come
 * before the body is read.
 */
final class JsonBody {
  private JsonBody() {}

  static <T> T parse(ObjectMapper mapper, String body, Class<T> type) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      return mapper.readValue(body, type);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("invalid JSON body");
    }
  }
}
