package dev.minitower.cli.output;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * JSON reading and the {@code --json} output format: the server's object re-encoded with two-space
 * indentation, one element per line, {@code "key": value} and {@code []}/{@code {}} for empty
 * containers (the layout of Go's {@code json.MarshalIndent}, which scripts written against the
 * original already parse).
 */
public final class JsonOutput {
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonOutput() {}

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  public static JsonNode parse(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e.getOriginalMessage(), e);
    }
  }

  /** Pretty-prints {@code node} with a trailing newline. */
  public static String pretty(JsonNode node) {
    try {
      return MAPPER.writer(new GoStylePrettyPrinter()).writeValueAsString(node) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Compact one-line encoding (request bodies). */
  public static String compact(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Two-space indentation everywhere; no padding inside empty containers. */
  static final class GoStylePrettyPrinter extends DefaultPrettyPrinter {
    private static final long serialVersionUID = 1L;

    GoStylePrettyPrinter() {
      super(
          Separators.createDefaultInstance()
              .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
              .withRootSeparator(""));
      DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
      indentArraysWith(indenter);
      indentObjectsWith(indenter);
    }

    GoStylePrettyPrinter(GoStylePrettyPrinter base) {
      super(base);
    }

    @Override
    public DefaultPrettyPrinter createInstance() {
      return new GoStylePrettyPrinter(this);
    }

    @Override
    public void writeEndObject(JsonGenerator g, int nrOfEntries) throws IOException {
      if (!_objectIndenter.isInline()) {
        --_nesting;
      }
      if (nrOfEntries > 0) {
        _objectIndenter.writeIndentation(g, _nesting);
      }
      g.writeRaw('}');
    }

    @Override
    public void writeEndArray(JsonGenerator g, int nrOfValues) throws IOException {
      if (!_arrayIndenter.isInline()) {
        --_nesting;
      }
      if (nrOfValues > 0) {
        _arrayIndenter.writeIndentation(g, _nesting);
      }
      g.writeRaw(']');
    }
  }
}
