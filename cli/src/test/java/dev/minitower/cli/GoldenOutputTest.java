package dev.minitower.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins the exact stdout of read commands, human and {@code --json}, against files in
 * src/test/resources/golden. Regenerate deliberately with {@code -Dgolden.update=true} and review
 * the diff.
 */
class GoldenOutputTest {
  @TempDir Path tmp;
  FakeApi api;
  CliHarness cli;

  @BeforeEach
  void setUp() throws IOException {
    api = new FakeApi();
    api.on("GET /api/v1/apps", 200, fixture("apps.json"))
        .on("GET /api/v1/apps/hello", 200, fixture("app.json"))
        .on("GET /api/v1/apps/my-etl-pipeline/versions", 200, fixture("versions.json"))
        .on("GET /api/v1/runs", 200, fixture("runs.json"))
        .on("GET /api/v1/runs/42", 200, fixture("run.json"))
        .on("GET /api/v1/runs/42/logs", 200, fixture("logs.json"))
        .on("GET /api/v1/admin/runners", 200, fixture("runners.json"))
        .on("GET /api/v1/tokens", 200, fixture("tokens.json"))
        .on("GET /api/v1/me", 200, fixture("me.json"));
    cli = new CliHarness(tmp);
    cli.env.put("MINITOWER_SERVER_URL", api.url());
    cli.env.put("MINITOWER_API_TOKEN", "mtk_test");
  }

  @AfterEach
  void tearDown() {
    api.close();
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("apps-list.txt", new String[] {"apps", "list"}),
        Arguments.of("apps-list.json", new String[] {"apps", "list", "--json"}),
        Arguments.of("apps-get.txt", new String[] {"apps", "get", "hello"}),
        Arguments.of("apps-get.json", new String[] {"apps", "get", "hello", "--json"}),
        Arguments.of(
            "versions-list.txt", new String[] {"versions", "list", "--app", "my-etl-pipeline"}),
        Arguments.of(
            "versions-get.json",
            new String[] {"versions", "get", "2", "--app", "my-etl-pipeline", "--json"}),
        Arguments.of("runs-list.txt", new String[] {"runs", "list"}),
        Arguments.of("runs-list.json", new String[] {"runs", "list", "--json"}),
        Arguments.of("runs-get.txt", new String[] {"runs", "get", "42"}),
        Arguments.of("runs-get.json", new String[] {"runs", "get", "42", "--json"}),
        Arguments.of("runs-logs.txt", new String[] {"runs", "logs", "42"}),
        Arguments.of("runs-logs.json", new String[] {"runs", "logs", "42", "--json"}),
        Arguments.of("runners-list.txt", new String[] {"runners", "list"}),
        Arguments.of("tokens-list.txt", new String[] {"tokens", "list"}),
        Arguments.of("me.txt", new String[] {"me"}),
        Arguments.of("me.json", new String[] {"me", "--json"}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void outputMatchesGolden(String golden, String[] args) throws IOException {
    CliHarness.Result r = cli.run(args);

    assertThat(r.err()).isEmpty();
    assertThat(r.exit()).isZero();
    assertGolden(golden, r.out());
  }

  static void assertGolden(String name, String actual) throws IOException {
    Path source = Path.of("src/test/resources/golden", name);
    if (Boolean.getBoolean("golden.update")) {
      Files.createDirectories(source.getParent());
      Files.writeString(source, actual, StandardCharsets.UTF_8);
      return;
    }
    try (InputStream in = GoldenOutputTest.class.getResourceAsStream("/golden/" + name)) {
      String expected =
          in == null
              ? Files.readString(source, StandardCharsets.UTF_8)
              : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(actual).as("golden " + name).isEqualTo(expected);
    }
  }

  static String fixture(String name) throws IOException {
    try (InputStream in = GoldenOutputTest.class.getResourceAsStream("/fixtures/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    }
  }
}
