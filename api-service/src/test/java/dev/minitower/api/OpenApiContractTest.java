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
        JsonNode ok = op.getValue().path("responses").path("200").path("content");
        if (!op.getKey().equals("delete") && !path.getKey().endsWith("/stream")) {
          if (!ok.path("application/json").path("schema").has("$ref")) {
            untyped.add(name + " response");
          }
        }
      }
    }
    assertThat(untyped).isEmpty();
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
