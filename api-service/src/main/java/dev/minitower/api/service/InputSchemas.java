package dev.minitower.api.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.minitower.model.schema.InputValidator;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** Validates run inputs against a version's stored parameter schema (docs/spec/runs.md §5). */
@ApplicationScoped
public class InputSchemas {

  /** The first violation of {@code schemaJson} by {@code input}, or empty when it conforms. */
  public Optional<String> violation(String schemaJson, JsonNode input) {
    return InputValidator.validate(ViewMapper.parse(schemaJson), input);
  }
}
