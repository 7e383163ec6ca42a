package dev.minitower.api;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import java.util.UUID;

/** Helpers that build each test's own data through the public API (unique slugs per call). */
public final class ApiFixtures {
  private ApiFixtures() {}

  /** A fresh valid slug, unique across test runs: {@code prefix-xxxxxxxx}. */
  public static String slug(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }

  public record Team(long id, String slug, String token) {}

  public static Team signup(String prefix) {
    String slug = slug(prefix);
    var body =
        given()
            .contentType(ContentType.JSON)
            .body(Map.of("slug", slug, "name", slug + " team", "password", "pw-" + slug))
            .post("/api/v1/teams/signup")
            .then()
            .statusCode(201)
            .extract()
            .jsonPath();
    return new Team(body.getLong("team_id"), slug, body.getString("token"));
  }

  public static String memberToken(Team team) {
    return as(team.token())
        .contentType(ContentType.JSON)
        .body("{\"role\":\"member\"}")
        .post("/api/v1/tokens")
        .then()
        .statusCode(201)
        .extract()
        .path("token");
  }

  /** A request with a JSON content type (the server does not require one, RestAssured does). */
  public static RequestSpecification given() {
    return io.restassured.RestAssured.given().contentType(ContentType.JSON);
  }

  public static RequestSpecification as(String token) {
    return given().header("Authorization", "Bearer " + token);
  }

  public static String createApp(Team team, String prefix) {
    String slug = slug(prefix);
    as(team.token())
        .contentType(ContentType.JSON)
        .body(Map.of("slug", slug))
        .post("/api/v1/apps")
        .then()
        .statusCode(201);
    return slug;
  }

  /** Creates a run of {@code app} with {@code body} (a map or JSON text) and returns its id. */
  public static long createRun(String token, String app, Object body) {
    return as(token)
        .body(body)
        .post("/api/v1/apps/" + app + "/runs")
        .then()
        .statusCode(201)
        .extract()
        .jsonPath()
        .getLong("run_id");
  }
}
