package dev.minitower.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The response bodies pinned by shared-model's golden files ({@code golden/api/*.json}, the bytes
 * the original clients read) are valid under the OpenAPI document the web UI's types are generated
 * from: every {@code required} field present, {@code null} only where the schema allows it, no
 * field the schema does not name. A record field marked never-null that a golden file sends as
 * null, or a field the document calls required that a golden file omits, fails here.
 */
class GoldenBodiesMatchOpenApiTest {
  private static final Path GOLDEN = Path.of("../shared-model/src/test/resources/golden/api");
  private static final String REF = "#/components/schemas/";
  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<Arguments> responses() {
    return Map.ofEntries(
            Map.entry("app-list.json", "AppList"),
            Map.entry("app.json", "AppView"),
            Map.entry("attempt-list.json", "AttemptList"),
            Map.entry("auth-options.json", "AuthOptions"),
            Map.entry("duration-list.json", "DurationList"),
            Map.entry("environment-list.json", "EnvironmentList"),
            Map.entry("environment-overview-list.json", "EnvironmentOverviewList"),
            Map.entry("log-page.json", "LogPage"),
            Map.entry("login-result.json", "LoginResult"),
            Map.entry("me.json", "Me"),
            Map.entry("run-created.json", "RunView"),
            Map.entry("run-list.json", "RunList"),
            Map.entry("run-stats.json", "RunStats"),
            Map.entry("run-summary.json", "RunSummary"),
            Map.entry("run-timeline.json", "RunTimeline"),
            Map.entry("run.json", "RunView"),
            Map.entry("runner-list.json", "RunnerList"),
            Map.entry("runner-token-created.json", "RunnerTokenCreated"),
            Map.entry("runner-token-list.json", "RunnerTokenList"),
            Map.entry("schedule-list.json", "ScheduleList"),
            Map.entry("schedule-ticks.json", "TickList"),
            Map.entry("schedule.json", "ScheduleView"),
            Map.entry("secret-list.json", "SecretList"),
            Map.entry("secrets-reencrypted.json", "Reencrypted"),
            Map.entry("slowest-apps.json", "SlowestApps"),
            Map.entry("team-created.json", "TeamCreated"),
            Map.entry("team-schedule-list.json", "TeamScheduleList"),
            Map.entry("token-created-minimal.json", "TokenCreated"),
            Map.entry("token-created.json", "TokenCreated"),
            Map.entry("token-list.json", "TokenList"),
            Map.entry("version-list.json", "VersionList"),
            Map.entry("version.json", "VersionView"))
        .entrySet()
        .stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0} is a valid {1}")
  @MethodSource("responses")
  void goldenResponseIsValidUnderItsSchema(String file, String schema) throws IOException {
    JsonNode doc = JSON.readTree(OpenApiContractTest.SNAPSHOT.toFile());
    JsonNode body = JSON.readTree(Files.readString(GOLDEN.resolve(file)));
    List<String> errors = new ArrayList<>();
    check(doc, body, JSON.createObjectNode().put("$ref", REF + schema), "$", errors);
    assertThat(errors).as(file).isEmpty();
  }

  private static void check(
      JsonNode doc, JsonNode value, JsonNode schema, String at, List<String> errors) {
    if (schema.has("$ref")) {
      String name = schema.get("$ref").asText().substring(REF.length());
      check(doc, value, doc.path("components").path("schemas").path(name), at, errors);
      return;
    }
    if (schema.has("anyOf")) {
      for (JsonNode branch : schema.get("anyOf")) {
        List<String> branchErrors = new ArrayList<>();
        check(doc, value, branch, at, branchErrors);
        if (branchErrors.isEmpty()) {
          return;
        }
      }
      errors.add(at + " matches no branch of " + schema.get("anyOf"));
      return;
    }
    List<String> types = new ArrayList<>();
    schema.path("type").forEach(t -> types.add(t.asText()));
    if (schema.path("type").isTextual()) {
      types.add(schema.get("type").asText());
    }
    String actual = jsonType(value);
    boolean typeOk =
        types.contains(actual) || (actual.equals("integer") && types.contains("number"));
    if (!typeOk) {
      errors.add(at + " is " + actual + ", the schema allows " + types);
      return;
    }
    if (value.isObject() && schema.has("properties")) {
      JsonNode properties = schema.get("properties");
      schema
          .path("required")
          .forEach(
              r -> {
                if (!value.has(r.asText())) {
                  errors.add(at + "." + r.asText() + " is required but missing");
                }
              });
      Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (!properties.has(field.getKey())) {
          errors.add(at + "." + field.getKey() + " is not in the schema");
        } else {
          check(
              doc,
              field.getValue(),
              properties.get(field.getKey()),
              at + "." + field.getKey(),
              errors);
        }
      }
    }
    if (value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        check(doc, value.get(i), schema.path("items"), at + "[" + i + "]", errors);
      }
    }
  }

  private static String jsonType(JsonNode value) {
    if (value.isNull()) {
      return "null";
    }
    if (value.isObject()) {
      return "object";
    }
    if (value.isArray()) {
      return "array";
    }
    if (value.isTextual()) {
      return "string";
    }
    if (value.isBoolean()) {
      return "boolean";
    }
    return value.isIntegralNumber() ? "integer" : "number";
  }
}
