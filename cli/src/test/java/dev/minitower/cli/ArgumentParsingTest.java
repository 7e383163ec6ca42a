package dev.minitower.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Invocation rules and client-side validation of docs/spec/towerfile-and-runner.md §4.1/§4.4, exit
 * codes of §4.5.
 */
class ArgumentParsingTest {
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

  @Test
  void noArgumentsPrintsUsageOnStderrAndExits1() {
    CliHarness.Result r = cli.run();

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("Usage: minitower");
  }

  @ParameterizedTest
  @CsvSource({"--help", "-h", "help"})
  void helpPrintsUsageOnStdoutAndExits0(String flag) {
    CliHarness.Result r = cli.run(flag);

    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("Usage: minitower").contains("deploy").contains("runs");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void subcommandHelpGoesToStdoutWithExit0() {
    CliHarness.Result r = cli.run("runs", "logs", "-h");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("Usage: minitower runs logs").contains("--follow");
  }

  @Test
  void unknownCommandPrintsUsageAndOneErrorLine() {
    CliHarness.Result r = cli.run("frobnicate");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err())
        .startsWith("Usage: minitower")
        .endsWith("error: unknown command: frobnicate (usage)\n");
  }

  @Test
  void unknownSubcommandIsReportedAgainstItsGroup() {
    CliHarness.Result r = cli.run("runs", "explode");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err())
        .startsWith("Usage: minitower runs")
        .endsWith("error: unknown command: explode (usage)\n");
  }

  @Test
  void versionFlagPrintsVersion() {
    CliHarness.Result r = cli.run("--version");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("minitower ");
  }

  @Test
  void flagsAfterPositionalsAreAccepted() {
    api.on("GET /api/v1/runs/42", 200, "{\"run_id\":42,\"status\":\"queued\"}");

    CliHarness.Result r = cli.run("runs", "get", "42", "--json", "--server", api.url());

    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("\"run_id\": 42");
  }

  @Test
  void flagsBeforePositionalsAreAccepted() {
    api.on("GET /api/v1/runs/42", 200, "{\"run_id\":42,\"status\":\"queued\"}");

    CliHarness.Result r = cli.run("runs", "get", "--json", "42");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("\"status\": \"queued\"");
  }

  @Test
  void goStyleSingleDashLongFlagsKeepWorking() {
    api.on("GET /api/v1/apps/hello/versions", 200, "{\"versions\":[]}");

    CliHarness.Result r = cli.run("versions", "list", "-app", "hello", "-json");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo("{\n  \"versions\": []\n}\n");
  }

  @Test
  void equalsFormOfFlagsIsAccepted() {
    api.on("GET /api/v1/apps/hello/versions", 200, "{\"versions\":[]}");

    CliHarness.Result r = cli.run("versions", "list", "--app=hello", "--json");

    assertThat(r.exit()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "runs get abc                              | run ID must be a positive integer",
        "runs get 0                                | run ID must be a positive integer",
        "runs cancel -5                            | run ID must be a positive integer",
        "runs get 4 5                              | unexpected arguments: 5",
        "runs list --limit 0                       | --limit must be between 1 and 100",
        "runs list --limit 101                     | --limit must be between 1 and 100",
        "runs list --offset -1                     | --offset must be >= 0",
        "runs list --status bogus                  | invalid --status \"bogus\"",
        "runs create --app a --input [1]           | invalid --input JSON: must be a JSON object",
        "runs create --app a --input {             | invalid --input JSON:",
        "runs create --app a --version 0           | --version must be a positive integer",
        "runs create --app a --max-retries -1      | --max-retries must be >= 0",
        "runs create --app a -p novalue            | invalid -p \"novalue\": expected name=value",
        "runs create                               | app is required (--app or profile default app)",
        "runs logs 1 --interval 0s                 | --interval must be > 0",
        "runs logs 1 --interval soon               | invalid --interval: time: invalid duration \"soon\"",
        "runs logs 1 --after-seq -1                | --after-seq must be >= 0",
        "runs logs 1 --follow --json               | --json cannot be combined with --follow",
        "runs watch 1 --json                       | --json requires --status-only",
        "runs watch                                | app is required (--app or profile default app)",
        "tokens create --role owner                | --role must be admin or member",
        "tokens revoke x                           | token ID must be a positive integer",
        "versions get 0 --app a                    | version number must be a positive integer",
        "versions upload --app a                   | --file is required",
        "config set                                | no changes provided (use --server, --token, --team or --app)",
        "apps create                               | app slug is required (<slug> or --slug)",
      })
  void validationErrorsExit1WithOneErrorLine(String args, String message) {
    CliHarness.Result r = cli.run(args.trim().split("\\s+"));

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("error: " + message).endsWith("(usage)\n");
    assertThat(r.err().lines()).hasSize(1);
    assertThat(api.requests).as("no request is sent for invalid arguments").isEmpty();
  }

  @Test
  void unknownOptionIsAUsageError() {
    CliHarness.Result r = cli.run("apps", "list", "--colour");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("error: unknown option: --colour (usage)\n");
  }

  @Test
  void missingServerIsReported() {
    cli.env.remove("MINITOWER_SERVER_URL");

    CliHarness.Result r = cli.run("apps", "list");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(
            "error: server URL is required (--server, MINITOWER_SERVER_URL, or config profile)"
                + " (usage)\n");
  }

  @Test
  void missingTokenIsReported() {
    cli.env.remove("MINITOWER_API_TOKEN");

    CliHarness.Result r = cli.run("apps", "list");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(
            "error: API token is required (--token, MINITOWER_API_TOKEN, or config profile)"
                + " (usage)\n");
  }

  @Test
  void completionScriptCoversTheCommandTree() {
    CliHarness.Result r = cli.run("completion");

    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .contains("complete -F _complete_minitower")
        .contains("deploy")
        .contains("--follow");
  }
}
