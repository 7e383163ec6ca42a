package dev.minitower.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Error envelope → {@code error: <message> (<code>)} on stderr and the exit codes of §4.5. */
class HttpErrorsTest {
  @TempDir Path tmp;
  FakeApi api;
  CliHarness cli;

  @BeforeEach
  void setUp() throws IOException {
    api = new FakeApi();
    cli = new CliHarness(tmp);
    cli.env.put("MINITOWER_SERVER_URL", api.url());
    cli.env.put("MINITOWER_API_TOKEN", "mtk_test");
  }

  @AfterEach
  void tearDown() {
    api.close();
  }

  @ParameterizedTest(name = "HTTP {0} -> exit {3}")
  @CsvSource({
    "400, invalid_request, bad payload, 1",
    "401, unauthorized, invalid or missing token, 10",
    "403, forbidden, admin role required, 10",
    "404, not_found, run not found, 11",
    "409, conflict, runner already has an active lease, 12",
    "410, gone, invalid or expired lease, 13",
    "500, internal, internal error, 1",
    "503, internal, db not ready, 1",
  })
  void envelopeErrorsMapToExitCodes(int status, String code, String message, int exit) {
    api.on("GET /api/v1/runs/7", r -> FakeApi.Response.error(status, code, message));

    CliHarness.Result r = cli.run("runs", "get", "7");

    assertThat(r.exit()).isEqualTo(exit);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("error: " + message + " (" + code + ")\n");
  }

  @Test
  void plainTextErrorBodyIsShownWithHttpCode() {
    CliHarness.Result r = cli.run("apps", "get", "nope");

    assertThat(r.exit()).isEqualTo(11);
    assertThat(r.err()).isEqualTo("error: 404 page not found (http_404)\n");
  }

  @Test
  void emptyErrorBodyShowsTheStatusText() {
    api.on("GET /api/v1/apps", 405, "");

    CliHarness.Result r = cli.run("apps", "list");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("error: HTTP 405 Method Not Allowed (http_405)\n");
  }

  @Test
  void unreachableServerIsANetworkError() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    cli.env.put("MINITOWER_SERVER_URL", "http://127.0.0.1:" + port);

    CliHarness.Result r = cli.run("me");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err())
        .startsWith("error: cannot connect to http://127.0.0.1:" + port)
        .endsWith("(network)\n");
  }

  @Test
  void versionsGetMissExits11() {
    api.on("GET /api/v1/apps/hello/versions", 200, "{\"versions\":[{\"version_no\":1}]}");

    CliHarness.Result r = cli.run("versions", "get", "9", "--app", "hello");

    assertThat(r.exit()).isEqualTo(11);
    assertThat(r.err()).isEqualTo("error: version 9 not found (not_found)\n");
  }

  @Test
  void watchWithoutRunsExits11() {
    api.on("GET /api/v1/apps/hello/runs", 200, "{\"runs\":[]}");

    CliHarness.Result r = cli.run("runs", "watch", "--app", "hello");

    assertThat(r.exit()).isEqualTo(11);
    assertThat(r.err()).isEqualTo("error: no runs found for app \"hello\" (not_found)\n");
    assertThat(api.requests.get(0).query()).isEqualTo("limit=1");
  }

  @Test
  void bearerTokenAndUserAgentAreSent() {
    api.on(
        "GET /api/v1/me",
        200,
        "{\"team_id\":1,\"team_slug\":\"a\",\"token_id\":2,\"role\":\"member\"}");

    cli.run("me");

    FakeApi.Request req = api.requests.get(0);
    assertThat(req.header("Authorization")).isEqualTo("Bearer mtk_test");
    assertThat(req.header("User-Agent")).startsWith("minitower-cli/");
  }
}
