package dev.minitower.api.schedules;

import static dev.minitower.api.ApiFixtures.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.minitower.api.ApiFixtures;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/** The schedules API: CRUD, validation with the cron library, team scoping, next tick. */
@QuarkusTest
class ScheduleApiTest {
  @Inject AgroalDataSource dataSource;

  @Test
  void scheduleIsCreatedListedReadUpdatedAndDeleted() {
    ApiFixtures.Team team = ApiFixtures.signup("sched");
    String app = ApiFixtures.createApp(team, "cron");
    String base = "/api/v1/apps/" + app + "/schedules";

    JsonPath created =
        as(team.token())
            .body(
                "{\"name\":\"nightly\",\"cron\":\"30 2 * * *\",\"timezone\":\"Europe/Paris\","
                    + "\"input\":{\"mode\":\"full\"},\"overlap_policy\":\"skip\","
                    + "\"catchup_policy\":\"all\",\"catchup_max\":3,\"max_retries\":2}")
            .post(base)
            .then()
            .statusCode(201)
            .body("name", equalTo("nightly"))
            .body("app", equalTo(app))
            .body("timezone", equalTo("Europe/Paris"))
            .body("environment", equalTo("default"))
            .body("version_no", nullValue())
            .body("input.mode", equalTo("full"))
            .body("enabled", equalTo(true))
            .body("overlap_policy", equalTo("skip"))
            .body("catchup_policy", equalTo("all"))
            .body("catchup_max", equalTo(3))
            .extract()
            .jsonPath();
    long id = created.getLong("schedule_id");
    Instant next = Instant.parse(created.getString("next_fire_at"));
    assertThat(next).isAfter(Instant.now()).isBefore(Instant.now().plus(Duration.ofHours(26)));

    as(team.token()).get(base).then().statusCode(200).body("schedules.size()", equalTo(1));
    as(team.token())
        .get(base + "/" + id)
        .then()
        .statusCode(200)
        .body("cron", equalTo("30 2 * * *"));

    String hourly =
        as(team.token())
            .body("{\"cron\":\"0 * * * *\",\"timezone\":\"UTC\"}")
            .patch(base + "/" + id)
            .then()
            .statusCode(200)
            .body("cron", equalTo("0 * * * *"))
            .body("input.mode", equalTo("full"))
            .extract()
            .path("next_fire_at");
    assertThat(Instant.parse(hourly)).isBefore(Instant.now().plus(Duration.ofMinutes(61)));

    as(team.token())
        .body("{\"enabled\":false}")
        .put(base + "/" + id)
        .then()
        .statusCode(200)
        .body("enabled", equalTo(false))
        .body("next_fire_at", nullValue());

    as(team.token()).delete(base + "/" + id).then().statusCode(204);
    as(team.token()).get(base + "/" + id).then().statusCode(404);
  }

  /** As the former {@code UPDATE … updated_at = now()}: every update moves it, a no-op one too. */
  @Test
  void anUpdateThatChangesNothingStillMovesUpdatedAt() throws SQLException {
    ApiFixtures.Team team = ApiFixtures.signup("schedtouch");
    String app = ApiFixtures.createApp(team, "cron");
    String base = "/api/v1/apps/" + app + "/schedules";
    long id =
        as(team.token())
            .body("{\"name\":\"hourly\",\"cron\":\"0 * * * *\"}")
            .post(base)
            .then()
            .statusCode(201)
            .extract()
            .jsonPath()
            .getLong("schedule_id");
    OffsetDateTime before = updatedAt(id);

    as(team.token()).body("{}").patch(base + "/" + id).then().statusCode(200);

    assertThat(updatedAt(id)).isAfter(before);
  }

  private OffsetDateTime updatedAt(long scheduleId) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT updated_at FROM schedules WHERE id = ?")) {
      ps.setLong(1, scheduleId);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getObject(1, OffsetDateTime.class);
      }
    }
  }

  @Test
  void invalidCronZoneAndPoliciesAre400WithClearMessages() {
    ApiFixtures.Team team = ApiFixtures.signup("schedbad");
    String base = "/api/v1/apps/" + ApiFixtures.createApp(team, "cron") + "/schedules";

    bad(team, base, "{\"name\":\"a\",\"cron\":\"61 * * * *\"}", "invalid cron expression");
    bad(team, base, "{\"name\":\"a\",\"cron\":\"* * *\"}", "invalid cron expression");
    bad(
        team,
        base,
        "{\"name\":\"a\",\"cron\":\"* * * * *\",\"timezone\":\"Mars/Olympus\"}",
        "invalid timezone: Mars/Olympus");
    bad(team, base, "{\"name\":\"a\"}", "cron is required");
    bad(team, base, "{\"cron\":\"* * * * *\"}", "name is required");
    bad(
        team,
        base,
        "{\"name\":\"a\",\"cron\":\"* * * * *\",\"overlap_policy\":\"queue\"}",
        "overlap_policy must be allow or skip");
    bad(
        team,
        base,
        "{\"name\":\"a\",\"cron\":\"* * * * *\",\"catchup_policy\":\"some\"}",
        "catchup_policy must be none, last or all");
    bad(
        team,
        base,
        "{\"name\":\"a\",\"cron\":\"* * * * *\",\"catchup_max\":0}",
        "catchup_max must be between 1 and 1000");
    bad(
        team,
        base,
        "{\"name\":\"a\",\"cron\":\"* * * * *\",\"version_no\":7}",
        "version 7 not found");
    bad(
        team,
        base,
        "{\"name\":\"a\",\"cron\":\"* * * * *\",\"environment\":\"nope\"}",
        "environment nope not found");
    bad(
        team,
        base,
        "{\"name\":\"a\",\"cron\":\"* * * * *\",\"input\":[1]}",
        "input must be a JSON object");
    bad(team, base, "{\"name\":\"a\",\"cron\":\"* * * * *\",\"team_id\":1}", "invalid JSON body");
    as(team.token()).get(base).then().statusCode(200).body("schedules.size()", equalTo(0));
  }

  @Test
  void duplicateNameIs409() {
    ApiFixtures.Team team = ApiFixtures.signup("scheddup");
    String base = "/api/v1/apps/" + ApiFixtures.createApp(team, "cron") + "/schedules";
    String body = "{\"name\":\"same\",\"cron\":\"* * * * *\"}";
    as(team.token()).body(body).post(base).then().statusCode(201);
    as(team.token()).body(body).post(base).then().statusCode(409);
  }

  @Test
  void anotherTeamsAppAndSchedulesAre404() {
    ApiFixtures.Team a = ApiFixtures.signup("sched-a");
    ApiFixtures.Team b = ApiFixtures.signup("sched-b");
    String base = "/api/v1/apps/" + ApiFixtures.createApp(a, "cron") + "/schedules";
    long id =
        as(a.token())
            .body("{\"name\":\"x\",\"cron\":\"* * * * *\"}")
            .post(base)
            .then()
            .statusCode(201)
            .extract()
            .jsonPath()
            .getLong("schedule_id");

    as(b.token()).get(base).then().statusCode(404);
    as(b.token()).get(base + "/" + id).then().statusCode(404);
    as(b.token()).body("{\"enabled\":false}").patch(base + "/" + id).then().statusCode(404);
    as(b.token()).delete(base + "/" + id).then().statusCode(404);
    String bApp = ApiFixtures.createApp(b, "cron");
    as(b.token()).get("/api/v1/apps/" + bApp + "/schedules/" + id).then().statusCode(404);
    as(a.token()).get(base + "/" + id).then().statusCode(200).body("enabled", equalTo(true));
    ApiFixtures.given().get(base).then().statusCode(401);
  }

  @Test
  void priorityOutsideTheRunBoundsIs400AndNothingIsStored() {
    ApiFixtures.Team team = ApiFixtures.signup("schedprio");
    String base = "/api/v1/apps/" + ApiFixtures.createApp(team, "cron") + "/schedules";

    bad(
        team,
        base,
        "{\"name\":\"a\",\"cron\":\"* * * * *\",\"priority\":5000}",
        "priority must be between -1000 and 1000");
    bad(
        team,
        base,
        "{\"name\":\"a\",\"cron\":\"* * * * *\",\"priority\":-1001}",
        "priority must be between -1000 and 1000");
    as(team.token()).get(base).then().statusCode(200).body("schedules.size()", equalTo(0));
  }

  @Test
  void inputThatBreaksTheAppsParameterSchemaIs400OnCreateAndUpdate() {
    ApiFixtures.Team team = ApiFixtures.signup("schedschema");
    String app = ApiFixtures.createApp(team, "typed");
    String towerfile =
        "[app]\nname = \""
            + app
            + "\"\nscript = \"./main.py\"\n[[parameters]]\nname = \"count\"\ntype = \"integer\"\n";
    byte[] artifact =
        dev.minitower.api.Archives.tarGz()
            .file("Towerfile", towerfile)
            .file("main.py", "print('hi')\n")
            .bytes();
    io.restassured.RestAssured.given()
        .header("Authorization", "Bearer " + team.token())
        .multiPart("artifact", "app.tar.gz", artifact, "application/gzip")
        .post("/api/v1/apps/" + app + "/versions")
        .then()
        .statusCode(201);
    String base = "/api/v1/apps/" + app + "/schedules";

    bad(
        team,
        base,
        "{\"name\":\"a\",\"cron\":\"* * * * *\",\"input\":{\"count\":\"many\"}}",
        "input does not match schema");
    long id =
        as(team.token())
            .body("{\"name\":\"ok\",\"cron\":\"* * * * *\",\"input\":{\"count\":3}}")
            .post(base)
            .then()
            .statusCode(201)
            .extract()
            .jsonPath()
            .getLong("schedule_id");
    as(team.token())
        .body("{\"input\":{\"count\":1.5}}")
        .patch(base + "/" + id)
        .then()
        .statusCode(400)
        .body("error.message", startsWith("input does not match schema"));
    as(team.token()).get(base + "/" + id).then().statusCode(200).body("input.count", equalTo(3));
  }

  @Test
  void ticksAreListedNewestFirstAndScopedToTheTeam() {
    ApiFixtures.Team a = ApiFixtures.signup("schedticks");
    ApiFixtures.Team b = ApiFixtures.signup("schedticks-b");
    String base = "/api/v1/apps/" + ApiFixtures.createApp(a, "cron") + "/schedules";
    long id =
        as(a.token())
            .body("{\"name\":\"t\",\"cron\":\"* * * * *\"}")
            .post(base)
            .then()
            .statusCode(201)
            .extract()
            .jsonPath()
            .getLong("schedule_id");

    as(a.token())
        .get(base + "/" + id + "/ticks")
        .then()
        .statusCode(200)
        .body("ticks.size()", equalTo(0));
    as(a.token())
        .get(base + "/" + id + "/ticks?limit=0")
        .then()
        .statusCode(400)
        .body("error.code", equalTo("invalid_request"));
    as(b.token()).get(base + "/" + id + "/ticks").then().statusCode(404);
  }

  private static void bad(ApiFixtures.Team team, String base, String body, String message) {
    as(team.token())
        .body(body)
        .post(base)
        .then()
        .statusCode(400)
        .body("error.code", equalTo("invalid_request"))
        .body("error.message", startsWith(message));
  }
}
