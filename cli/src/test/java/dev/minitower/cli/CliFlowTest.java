package dev.minitower.cli;

import static dev.minitower.cli.FakeRun.out;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The user journey against an in-process fake of api-service answering with the spec's JSON shapes:
 * login → deploy → runs create -p → runs logs --follow → runs cancel, plus the other write
 * commands.
 */
class CliFlowTest {
  static final String VERSIONS =
      "{\"versions\":[{\"version_id\":2,\"version_no\":1,\"entrypoint\":\"main.py\","
          + "\"params_schema\":{\"properties\":{\"count\":{\"type\":\"integer\"},"
          + "\"name\":{\"default\":\"World\",\"type\":\"string\"},\"verbose\":{\"type\":\"boolean\"}},"
          + "\"type\":\"object\"},\"artifact_sha256\":\"abc\",\"created_at\":\"2025-01-01T00:00:00Z\"}]}";

  @TempDir Path tmp;
  FakeApi api;
  CliHarness cli;

  @BeforeEach
  void setUp() throws IOException {
    api = new FakeApi();
    cli = new CliHarness(tmp);
  }

  @AfterEach
  void tearDown() {
    api.close();
  }

  void loginAndDeploy() throws IOException {
    api.on(
        "POST /api/v1/teams/login",
        r ->
            r.bodyText().equals("{\"slug\":\"smoke\",\"password\":\"s3cret\"}")
                ? FakeApi.Response.json(
                    201, "{\"team_id\":1,\"token\":\"mtk_abc\",\"token_id\":9,\"role\":\"admin\"}")
                : FakeApi.Response.error(401, "unauthorized", "invalid slug or password"));
    api.on(
        "GET /api/v1/apps/smoke-app",
        r -> FakeApi.Response.error(404, "not_found", "app not found"));
    api.on("POST /api/v1/apps", 201, "{\"app_id\":3,\"slug\":\"smoke-app\",\"disabled\":false}");
    api.on(
        "POST /api/v1/apps/smoke-app/versions",
        201,
        "{\"version_id\":2,\"version_no\":1,\"entrypoint\":\"main.py\",\"artifact_sha256\":\"abc123abc123abc\"}");
    api.on("GET /api/v1/apps/smoke-app/versions", 200, VERSIONS);
    api.on(
        "POST /api/v1/apps/smoke-app/runs",
        201,
        "{\"run_id\":42,\"app_id\":3,\"run_no\":1,\"version_no\":1,\"status\":\"queued\","
            + "\"priority\":0,\"max_retries\":0,\"retry_count\":0,\"cancel_requested\":false,"
            + "\"queued_at\":\"2025-01-01T00:00:00Z\"}");

    cli.stdin = "s3cret\n";
    CliHarness.Result login = cli.run("login", "--server", api.url() + "/", "--team", "smoke");
    assertThat(login.exit()).as(login.err()).isZero();
    assertThat(login.out())
        .isEqualTo("Logged in as team \"smoke\" (role: admin)\nProfile \"default\" updated\n");
    assertThat(login.err()).isEqualTo("Password: ");

    Path proj = Files.createDirectories(tmp.resolve("project"));
    Files.writeString(
        proj.resolve("Towerfile"),
        "[app]\nname = \"smoke-app\"\nscript = \"main.py\"\nsource = [\"./*.py\"]\n"
            + "[[parameters]]\nname = \"name\"\ndefault = \"World\"\n");
    Files.writeString(
        proj.resolve("main.py"), "import os\nprint('Hello, ' + os.environ['name'])\n");
    CliHarness.Result deploy = cli.run("deploy", "--dir", proj.toString());
    assertThat(deploy.exit()).as(deploy.err()).isZero();
    assertThat(deploy.out())
        .contains("App \"smoke-app\" created (id=3)")
        .endsWith("Version 1 created (sha256:abc123abc123)\n");
  }

  @ParameterizedTest(name = "run ends {0} -> exit {1}")
  @CsvSource({"completed, 0", "failed, 1", "dead, 1", "cancelled, 2"})
  void loginDeployCreateFollowCancel(String outcome, int exit) throws IOException {
    loginAndDeploy();
    new FakeRun(42)
        .phase("queued", 0)
        .phase("running", 0, out(1, 1, "Hello, SmokeTest"))
        .phase(outcome, 0, out(1, 2, "Smoke test done"))
        .install(api);
    api.on(
        "POST /api/v1/runs/42/cancel",
        200,
        "{\"run_id\":42,\"app_id\":3,\"run_no\":1,\"version_no\":1,\"status\":\""
            + outcome
            + "\"}");

    CliHarness.Result create =
        cli.run(
            "runs",
            "create",
            "--app",
            "smoke-app",
            "-p",
            "name=SmokeTest",
            "-p",
            "count=3",
            "-p",
            "verbose=true");
    CliHarness.Result follow = cli.run("runs", "logs", "42", "--follow", "--interval", "10ms");
    CliHarness.Result cancel = cli.run("runs", "cancel", "42");

    assertThat(create.exit()).as(create.err()).isZero();
    assertThat(create.out()).isEqualTo("Run #1 created (id=42, status=queued)\n");
    assertThat(api.requests("POST /api/v1/apps/smoke-app/runs").get(0).bodyText())
        .isEqualTo("{\"input\":{\"name\":\"SmokeTest\",\"count\":3,\"verbose\":true}}");
    assertThat(follow.exit()).isEqualTo(exit);
    assertThat(follow.out()).isEqualTo("[1] STDOUT Hello, SmokeTest\n[2] STDOUT Smoke test done\n");
    assertThat(cancel.exit()).isZero();
    assertThat(cancel.out()).isEqualTo("Run 42 status: " + outcome + "\n");
    // Every API call after login used the token the login stored.
    assertThat(api.requests.stream().filter(q -> !q.path().equals("/api/v1/teams/login")))
        .allMatch(q -> "Bearer mtk_abc".equals(q.header("Authorization")));
    assertThat(Files.readString(cli.configFile))
        .contains("\"token\": \"mtk_abc\"")
        .contains("\"team\": \"smoke\"");
  }

  @Test
  void wrongPasswordExits10AndStoresNothing() throws IOException {
    api.on(
        "POST /api/v1/teams/login",
        r -> FakeApi.Response.error(401, "unauthorized", "invalid slug or password"));
    cli.stdin = "nope\n";

    CliHarness.Result r = cli.run("login", "--server", api.url(), "--team", "smoke");

    assertThat(r.exit()).isEqualTo(10);
    assertThat(r.err()).isEqualTo("Password: error: invalid slug or password (unauthorized)\n");
    assertThat(cli.configFile).doesNotExist();
  }

  @Test
  void loginJsonWrapsTheServerAnswer() {
    api.on(
        "POST /api/v1/teams/login",
        201,
        "{\"team_id\":1,\"token\":\"mtk_abc\",\"token_id\":9,\"role\":\"admin\"}");

    CliHarness.Result r =
        cli.run(
            "login",
            "--server",
            api.url(),
            "--team",
            "smoke",
            "--password",
            "pw",
            "--profile",
            "prod",
            "--json");

    assertThat(r.out())
        .isEqualTo(
            """
            {
              "profile": "prod",
              "login": {
                "team_id": 1,
                "token": "mtk_abc",
                "token_id": 9,
                "role": "admin"
              }
            }
            """);
  }

  @Test
  void createWithInputVersionPriorityAndRetries() {
    api.on(
        "POST /api/v1/apps/hello/runs", 201, "{\"run_id\":5,\"run_no\":2,\"status\":\"queued\"}");
    cli.env.put("MINITOWER_SERVER_URL", api.url());
    cli.env.put("MINITOWER_API_TOKEN", "t");

    CliHarness.Result r =
        cli.run(
            "runs",
            "create",
            "--app",
            "hello",
            "--input",
            "{\"a\":[1,2]}",
            "--version",
            "3",
            "--priority",
            "-5",
            "--max-retries",
            "2",
            "--environment",
            "gpu",
            "--retry-on-failure");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(api.requests.get(0).bodyText())
        .isEqualTo(
            "{\"input\":{\"a\":[1,2]},\"version_no\":3,\"priority\":-5,\"max_retries\":2,"
                + "\"environment\":\"gpu\",\"retry_on_failure\":true}");
  }

  @Test
  void badParamTypeIsRejectedBeforeCreating() {
    api.on("GET /api/v1/apps/smoke-app/versions", 200, VERSIONS);
    cli.env.put("MINITOWER_SERVER_URL", api.url());
    cli.env.put("MINITOWER_API_TOKEN", "t");

    CliHarness.Result r = cli.run("runs", "create", "--app", "smoke-app", "-p", "count=many");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo("error: parameter \"count\": \"many\" is not an integer (usage)\n");
    assertThat(api.requests("POST /api/v1/apps/smoke-app/runs")).isEmpty();
  }

  @Test
  void retryRecreatesTheRunWithItsSettings() {
    api.on(
        "GET /api/v1/runs/7",
        200,
        "{\"run_id\":7,\"app_slug\":\"hello\",\"version_no\":2,\"status\":\"failed\","
            + "\"input\":{\"x\":1},\"priority\":3,\"max_retries\":1}");
    api.on(
        "POST /api/v1/apps/hello/runs", 201, "{\"run_id\":8,\"run_no\":5,\"status\":\"queued\"}");
    cli.env.put("MINITOWER_SERVER_URL", api.url());
    cli.env.put("MINITOWER_API_TOKEN", "t");

    CliHarness.Result r = cli.run("runs", "retry", "7");

    assertThat(r.out()).isEqualTo("Retry created: run #5 (id=8)\n");
    assertThat(api.requests("POST /api/v1/apps/hello/runs").get(0).bodyText())
        .isEqualTo("{\"input\":{\"x\":1},\"version_no\":2,\"priority\":3,\"max_retries\":1}");
  }

  @Test
  void runsListSendsOnlyGivenFilters() {
    api.on("GET /api/v1/runs", 200, "{\"runs\":[]}");
    cli.env.put("MINITOWER_SERVER_URL", api.url());
    cli.env.put("MINITOWER_API_TOKEN", "t");

    cli.run("runs", "list", "--status", "failed", "--limit", "10");

    assertThat(api.requests.get(0).query()).isEqualTo("status=failed&limit=10&offset=0");
  }

  @Test
  void tokensCreateListRevoke() {
    api.on(
        "POST /api/v1/tokens",
        201,
        "{\"token_id\":4,\"token\":\"mtk_new\",\"name\":\"ci\",\"role\":\"member\"}");
    api.on("DELETE /api/v1/tokens/4", 204, "");
    cli.env.put("MINITOWER_SERVER_URL", api.url());
    cli.env.put("MINITOWER_API_TOKEN", "t");

    CliHarness.Result create = cli.run("tokens", "create", "--name", "ci", "--role", "member");
    CliHarness.Result revoke = cli.run("tokens", "revoke", "4");
    CliHarness.Result revokeJson = cli.run("tokens", "revoke", "4", "--json");
    CliHarness.Result expiring = cli.run("tokens", "create", "--expires-in", "1h30m");

    assertThat(create.out()).isEqualTo("Token created: id=4 role=member\nToken: mtk_new\n");
    assertThat(api.requests.get(0).bodyText()).isEqualTo("{\"name\":\"ci\",\"role\":\"member\"}");
    assertThat(revoke.out()).isEqualTo("Token 4 revoked\n");
    assertThat(expiring.exit()).isZero();
    assertThat(api.requests("POST /api/v1/tokens").get(1).bodyText())
        .isEqualTo("{\"expires_in_seconds\":5400}");
    assertThat(revokeJson.out()).isEqualTo("{\n  \"token_id\": 4,\n  \"revoked\": true\n}\n");
  }

  @Test
  void secretsSetReadsTheValueFromStdinListAndDelete() {
    api.on(
        "PUT /api/v1/secrets/DB_URL",
        201,
        "{\"name\":\"DB_URL\",\"environment\":null,\"fingerprint\":\"0123456789abcdef\"}");
    api.on(
        "GET /api/v1/secrets",
        200,
        "{\"secrets\":[{\"name\":\"DB_URL\",\"environment\":null,\"fingerprint\":\"0123456789abcdef\",\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:00Z\"}]}");
    api.on("DELETE /api/v1/secrets/DB_URL", 204, "");
    cli.env.put("MINITOWER_SERVER_URL", api.url());
    cli.env.put("MINITOWER_API_TOKEN", "t");
    cli.stdin = "postgres://u:p@db/x\n";

    CliHarness.Result set = cli.run("secrets", "set", "DB_URL");
    CliHarness.Result scoped = cli.run("secrets", "set", "DB_URL", "--environment", "prod");
    CliHarness.Result list = cli.run("secrets", "list");
    CliHarness.Result listJson = cli.run("secrets", "list", "--json");
    CliHarness.Result delete = cli.run("secrets", "delete", "DB_URL", "--environment", "prod");
    cli.stdin = "";
    CliHarness.Result empty = cli.run("secrets", "set", "DB_URL");

    assertThat(set.exit()).isZero();
    assertThat(set.out()).isEqualTo("Secret DB_URL set (fingerprint 0123456789abcdef)\n");
    assertThat(set.out() + set.err()).doesNotContain("postgres://");
    assertThat(api.requests("PUT /api/v1/secrets/DB_URL").get(0).bodyText())
        .isEqualTo("{\"value\":\"postgres://u:p@db/x\"}");
    assertThat(scoped.exit()).isZero();
    assertThat(api.requests("PUT /api/v1/secrets/DB_URL").get(1).bodyText())
        .isEqualTo("{\"value\":\"postgres://u:p@db/x\",\"environment\":\"prod\"}");
    assertThat(list.out()).contains("DB_URL").contains("(all)").contains("0123456789abcdef");
    assertThat(listJson.out()).contains("\"secrets\"");
    assertThat(delete.out()).isEqualTo("Secret DB_URL deleted\n");
    assertThat(api.requests("DELETE /api/v1/secrets/DB_URL").get(0).query())
        .isEqualTo("environment=prod");
    assertThat(empty.exit()).isNotZero();
    assertThat(api.requests("PUT /api/v1/secrets/DB_URL")).hasSize(2);
  }

  @Test
  void appsCreateSendsNullDescriptionWhenBlank() {
    api.on("POST /api/v1/apps", 201, "{\"app_id\":9,\"slug\":\"hello\",\"disabled\":false}");
    cli.env.put("MINITOWER_SERVER_URL", api.url());
    cli.env.put("MINITOWER_API_TOKEN", "t");

    CliHarness.Result r = cli.run("apps", "create", "hello", "--description", " ");

    assertThat(r.out()).isEqualTo("App \"hello\" created (id=9)\n");
    assertThat(api.requests.get(0).bodyText())
        .isEqualTo("{\"slug\":\"hello\",\"description\":null}");
  }

  @Test
  void versionsUploadSendsTheFileUnderItsName() throws IOException {
    Path file = Files.write(tmp.resolve("bundle.tar.gz"), new byte[] {1, 2, 3});
    api.on(
        "POST /api/v1/apps/hello/versions",
        201,
        "{\"version_id\":3,\"version_no\":4,\"entrypoint\":\"main.py\",\"artifact_sha256\":\"0123456789abcdef\"}");
    cli.env.put("MINITOWER_SERVER_URL", api.url());
    cli.env.put("MINITOWER_API_TOKEN", "t");

    CliHarness.Result r =
        cli.run("versions", "upload", "--app", "hello", "--file", file.toString());

    assertThat(r.out()).isEqualTo("Uploaded version 4 for app \"hello\" (sha256:0123456789ab)\n");
    Artifacts.Upload up = Artifacts.fromMultipart(api.requests.get(0));
    assertThat(up.filename()).isEqualTo("bundle.tar.gz");
    assertThat(up.content()).containsExactly(1, 2, 3);
  }
}
