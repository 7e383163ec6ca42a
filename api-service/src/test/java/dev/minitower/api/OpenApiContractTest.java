package dev.minitower.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document is the client API's contract as the resources declare it: every JSON body is
 * a named schema (a record of {@code dev.minitower.model.api}), and the document equals the copy
 * checked in next to the web UI ({@code frontend/src/api/openapi.json}), from which the UI's
 * TypeScript types are generated. A change of a record or a resource signature fails here until the
 * copy is refreshed ({@code -Dopenapi.update=true}) and the types regenerated ({@code npm run
 * gen:api} in frontend/).
 */
@QuarkusTest
class OpenApiContractTest {
  static final Path SNAPSHOT = Path.of("../frontend/src/api/openapi.json");
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Operations that take no body at all (the request is the path). */
  private static final Set<String> NO_BODY =
      Set.of("POST /api/v1/runs/{run}/cancel", "POST /api/v1/admin/secrets/reencrypt");

  /**
   * The success statuses of the operations that create (api.md): 201, and 200 where the spec also
   * answers an existing resource (bootstrap of an existing team, a replayed run, a replaced
   * secret). Every other operation answers 200 or 204.
   */
  private static final Map<String, Set<String>> CREATED =
      Map.ofEntries(
          Map.entry("POST /api/v1/teams/signup", Set.of("201")),
          Map.entry("POST /api/v1/teams/login", Set.of("201")),
          Map.entry("POST /api/v1/bootstrap/team", Set.of("200", "201")),
          Map.entry("POST /api/v1/tokens", Set.of("201")),
          Map.entry("POST /api/v1/runner-tokens", Set.of("201")),
          Map.entry("POST /api/v1/environments", Set.of("201")),
          Map.entry("POST /api/v1/apps", Set.of("201")),
          Map.entry("POST /api/v1/apps/{app}/versions", Set.of("201")),
          Map.entry("POST /api/v1/apps/{app}/runs", Set.of("200", "201")),
          Map.entry("POST /api/v1/apps/{app}/schedules", Set.of("201")),
          Map.entry("PUT /api/v1/secrets/{name}", Set.of("200", "201")));

  private static JsonNode document() throws IOException {
    String body =
        given()
            .queryParam("format", "json")
            .get("/openapi")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    return JSON.readTree(body);
  }

  @Test
  void everyRequestAndResponseBodyIsANamedSchema() throws IOException {
    JsonNode doc = document();
    List<String> untyped = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields();
    while (paths.hasNext()) {
      Map.Entry<String, JsonNode> path = paths.next();
      if (!path.getKey().startsWith("/api/v1/")) {
        continue;
      }
      Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields();
      while (ops.hasNext()) {
        Map.Entry<String, JsonNode> op = ops.next();
        String name = op.getKey().toUpperCase() + " " + path.getKey();
        boolean writes = Set.of("POST", "PUT", "PATCH").contains(op.getKey().toUpperCase());
        if (writes && !NO_BODY.contains(name)) {
          JsonNode content = op.getValue().path("requestBody").path("content");
          JsonNode json = content.path("application/json").path("schema");
          JsonNode multipart = content.path("multipart/form-data").path("schema");
          if (!json.has("$ref") && multipart.isMissingNode()) {
            untyped.add(name + " request");
          }
        }
        if (!op.getKey().equals("delete") && !path.getKey().endsWith("/stream")) {
          JsonNode responses = op.getValue().path("responses");
          for (String status : List.of("200", "201")) {
            JsonNode ok = responses.path(status);
            if (!ok.isMissingNode()
                && !ok.path("content").path("application/json").path("schema").has("$ref")) {
              untyped.add(name + " response " + status);
            }
          }
          if (!responses.has("200") && !responses.has("201")) {
            untyped.add(name + " response");
          }
        }
      }
    }
    assertThat(untyped).isEmpty();
  }

  @Test
  void createOperationsAreDocumentedWithTheStatusTheyAnswer() throws IOException {
    JsonNode doc = document();
    Map<String, Set<String>> created = new TreeMap<>();
    Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields();
    while (paths.hasNext()) {
      Map.Entry<String, JsonNode> path = paths.next();
      Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields();
      while (ops.hasNext()) {
        Map.Entry<String, JsonNode> op = ops.next();
        JsonNode responses = op.getValue().path("responses");
        if (responses.has("201")) {
          Set<String> success = new TreeSet<>();
          responses.fieldNames().forEachRemaining(success::add);
          success.removeIf(s -> !s.startsWith("2"));
          created.put(op.getKey().toUpperCase() + " " + path.getKey(), success);
        }
      }
    }
    assertThat(created).isEqualTo(CREATED);
  }

  @Test
  void documentEqualsTheCopyTheWebUiTypesAreGeneratedFrom() throws IOException {
    String actual = JSON.writeValueAsString(document()) + "\n";
    if (Boolean.getBoolean("openapi.update")) {
      Files.writeString(SNAPSHOT, actual, StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(SNAPSHOT, StandardCharsets.UTF_8))
        .as("frontend/src/api/openapi.json is stale: run with -Dopenapi.update=true")
        .isEqualTo(actual);
  }
}
