package dev.minitower.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-process entry point the e2e module uses: no System.exit, only the given streams/env. */
class MainEmbeddingTest {
  @TempDir Path tmp;

  @Test
  void runReturnsTheExitCodeAndWritesOnlyToTheGivenStreams() throws IOException {
    try (FakeApi api = new FakeApi()) {
      api.on(
          "GET /api/v1/me",
          200,
          "{\"team_id\":1,\"team_slug\":\"acme\",\"token_id\":2,\"role\":\"admin\"}");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      Map<String, String> env =
          Map.of(
              "MINITOWER_SERVER_URL", api.url(),
              "MINITOWER_API_TOKEN", "mtk_x",
              "MINITOWER_CLI_CONFIG", tmp.resolve("c.json").toString());

      int code =
          Main.run(
              new String[] {"me", "--json"},
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8),
              env);

      assertThat(code).isZero();
      assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"team_slug\": \"acme\"");
      assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }
  }

  @Test
  void runWithStdinFeedsThePasswordPrompt() throws IOException {
    try (FakeApi api = new FakeApi()) {
      api.on(
          "POST /api/v1/teams/login",
          r ->
              FakeApi.Response.json(
                  201,
                  r.bodyText().contains("\"password\":\"pw\"")
                      ? "{\"team_id\":1,\"token\":\"mtk_y\",\"token_id\":3,\"role\":\"admin\"}"
                      : "{}"));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();

      int code =
          Main.run(
              new String[] {"login", "--server", api.url(), "--team", "acme"},
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8),
              Map.of("MINITOWER_CLI_CONFIG", tmp.resolve("c.json").toString()),
              new ByteArrayInputStream("  pw  \n".getBytes(StandardCharsets.UTF_8)));

      assertThat(code).isZero();
      assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Logged in as team \"acme\"");
    }
  }

  @Test
  void usageErrorsDoNotExitTheJvm() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int code =
        Main.run(
            new String[] {"runs", "get", "nope"},
            new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Map.of());

    assertThat(code).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo("error: run ID must be a positive integer (usage)\n");
  }
}
