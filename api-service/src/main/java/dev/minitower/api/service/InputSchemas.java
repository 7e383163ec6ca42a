package dev.minitower.api.service;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** Validates run inputs against a version's stored parameter schema (runs.md §5). */
@ApplicationScoped
public class InputSchemas {

  /** The first violation of {@code schemaJson} by {@code input}, or empty when it conforms. */
  public Optional<String> violation(String schemaJson, JsonNode input) {
    // Wired to shared-model's InputValidator once it is available.
    return Optional.empty();
  }
}
