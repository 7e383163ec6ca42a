package dev.minitower.api.schedules;

import static dev.minitower.api.ApiFixtures.as;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import dev.minitower.api.ApiFixtures;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.Test;

/** {@code GET /api/v1/schedules}: the team's schedules across apps with their latest tick. */
@QuarkusTest
class TeamScheduleApiTest {
  @Inject AgroalDataSource dataSource;

  private static long schedule(ApiFixtures.Team team, String app, String name, String cron) {
    return as(team.token())
        .body("{\"name\":\"" + name + "\",\"cron\":\"" + cron + "\"}")
        .post("/api/v1/apps/" + app + "/schedules")
        .then()
        .statusCode(201)
        .extract()
        .jsonPath()
        .getLong("schedule_id");
  }

  private void tick(long scheduleId, String at, String outcome, String reason) throws Exception {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO schedule_ticks (schedule_id, tick_at, outcome, reason)"
                    + " VALUES (?, CAST(? AS timestamptz), ?, ?)")) {
      ps.setLong(1, scheduleId);
      ps.setString(2, at);
      ps.setString(3, outcome);
      ps.setString(4, reason);
      ps.executeUpdate();
    }
  }

  @Test
  void listsEveryAppsSchedulesNextToFireFirstWithTheLatestTick() throws Exception {
    ApiFixtures.Team team = ApiFixtures.signup("tsched");
    String a = ApiFixtures.createApp(team, "a");
    String b = ApiFixtures.createApp(team, "b");
    long yearly = schedule(team, a, "yearly", "0 0 1 1 *");
    long minutely = schedule(team, b, "minutely", "* * * * *");
    tick(minutely, "2025-01-01T00:00:00Z", "fired", null);
    tick(
        minutely,
        "2025-01-01T00:01:00Z",
        "skipped",
        "overlap: a run of this schedule is still active");

    as(team.token())
        .get("/api/v1/schedules")
        .then()
        .statusCode(200)
        .body("schedules.schedule_id", contains((int) minutely, (int) yearly))
        .body("schedules[0].app", equalTo(b))
        .body("schedules[0].cron", equalTo("* * * * *"))
        .body("schedules[0].last_tick.tick_at", equalTo("2025-01-01T00:01:00Z"))
        .body("schedules[0].last_tick.outcome", equalTo("skipped"))
        .body(
            "schedules[0].last_tick.reason",
            equalTo("overlap: a run of this schedule is still active"))
        .body("schedules[0].last_tick.run_id", nullValue())
        .body("schedules[1].last_tick", nullValue());
    as(team.token())
        .get("/api/v1/schedules?app=" + a)
        .then()
        .statusCode(200)
        .body("schedules.name", contains("yearly"));
  }

  @Test
  void anotherTeamSeesNoneAndAnUnknownAppIs404() {
    ApiFixtures.Team team = ApiFixtures.signup("tsched");
    String a = ApiFixtures.createApp(team, "a");
    schedule(team, a, "hourly", "0 * * * *");
    ApiFixtures.Team other = ApiFixtures.signup("tsched-other");

    as(other.token()).get("/api/v1/schedules").then().statusCode(200).body("schedules", hasSize(0));
    as(other.token()).get("/api/v1/schedules?app=" + a).then().statusCode(404);
    ApiFixtures.given().get("/api/v1/schedules").then().statusCode(401);
  }
}
