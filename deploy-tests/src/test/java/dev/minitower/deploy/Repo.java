package dev.minitower.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The repository checkout under test and YAML/JSON reading helpers. */
final class Repo {
  static final ObjectMapper YAML = new YAMLMapper();
  static final ObjectMapper JSON = new ObjectMapper();

  private Repo() {}

  /** The repository root: Maven passes it; running from the module directory also works. */
  static Path root() {
    String fromMaven = System.getProperty("minitower.root");
    Path root =
        fromMaven != null && !fromMaven.isBlank()
            ? Path.of(fromMaven)
            : Path.of("").toAbsolutePath().getParent();
    if (!Files.isDirectory(root.resolve("k8s"))) {
      root = Path.of("").toAbsolutePath().getParent();
    }
    return root.toAbsolutePath().normalize();
  }

  static Path path(String relative) {
    return root().resolve(relative);
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode yaml(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse " + file, e);
    }
  }

  static JsonNode json(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse " + file, e);
    }
  }

  /** Every non-empty document of a multi-document YAML text, as objects. */
  static List<ObjectNode> yamlDocuments(String text) {
    List<ObjectNode> docs = new ArrayList<>();
    try (var parser = new YAMLFactory().createParser(text)) {
      var values = YAML.readValues(parser, JsonNode.class);
      while (values.hasNextValue()) {
        JsonNode doc = values.nextValue();
        if (doc instanceof ObjectNode object && !object.isEmpty()) {
          docs.add(object);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return docs;
  }
}
