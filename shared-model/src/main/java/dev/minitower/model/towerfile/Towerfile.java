package dev.minitower.model.towerfile;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A parsed and validated Towerfile ({@code docs/spec/towerfile-and-runner.md} §1).
 *
 * @param appName {@code [app].name}, a valid app slug
 * @param script {@code [app].script}, verbatim (e.g. {@code ./main.py})
 * @param source {@code [app].source} patterns, verbatim; empty when absent (the packager then uses
 *     {@code ["./**"]})
 * @param importPaths {@code [app].import_paths}, verbatim; empty when absent
 * @param timeoutSeconds {@code [app.timeout].seconds}, or {@code null} when the table is absent
 * @param parameters the declared {@code [[parameters]]}, in file order
 * @param rawToml the original text of the file
 */
public record Towerfile(
    String appName,
    String script,
    List<String> source,
    List<String> importPaths,
    Integer timeoutSeconds,
    List<Parameter> parameters,
    String rawToml) {

  public Towerfile {
    source = List.copyOf(source == null ? List.of() : source);
    importPaths = List.copyOf(importPaths == null ? List.of() : importPaths);
    parameters = List.copyOf(parameters == null ? List.of() : parameters);
  }

  /**
   * One {@code [[parameters]]} entry.
   *
   * @param name input key and environment variable name
   * @param type effective type: {@code string}, {@code number}, {@code integer} or {@code boolean}
   *     (an absent or empty type is reported as {@code string})
   * @param description the description, or {@code null} when absent
   * @param defaultValue the default as a JSON scalar (TOML integers as JSON integers, floats as
   *     numbers), or {@code null} when absent
   */
  public record Parameter(String name, String type, String description, JsonNode defaultValue) {}
}
