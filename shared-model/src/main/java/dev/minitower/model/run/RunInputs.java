package dev.minitower.model.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;

/**
 * The size cap of a run's {@code input} (and a schedule's): the runner agent hands every top-level
 * key to the workload as an environment variable {@code KEY=value}, and Linux refuses a single
 * environment string longer than {@code MAX_ARG_STRLEN} (32 pages = 131,072 bytes, its terminating
 * NUL included). Capping the whole input, as compact JSON in UTF-8, at {@value #MAX_BYTES} bytes
 * keeps every variable under that: {@code {"K":"V"}} is 7 bytes longer than {@code K=V}, and a
 * non-string value is passed as exactly its JSON text. It also keeps the environment of one run
 * well below the kernel's total limit for arguments and environment (a quarter of the stack limit,
 * 2 MiB by default).
 */
public final class RunInputs {
  private RunInputs() {}

  /** Largest input, as compact JSON in UTF-8 (128 KiB). */
  public static final int MAX_BYTES = 128 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Why {@code input} is too large, or empty when it fits (null fits). */
  public static Optional<String> sizeViolation(JsonNode input) {
    if (input == null || input.isNull()) {
      return Optional.empty();
    }
    int size;
    try {
      size = JSON.writeValueAsBytes(input).length;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed JSON value always serialises", e);
    }
    if (size > MAX_BYTES) {
      return Optional.of(
          "input is too large: "
              + size
              + " bytes as JSON, at most "
              + MAX_BYTES
              + " (each key becomes an environment variable of the run)");
    }
    return Optional.empty();
  }
}
