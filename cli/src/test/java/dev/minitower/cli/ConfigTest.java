package dev.minitower.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.minitower.cli.config.ConfigStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Config file location, modes and format; profiles; connection precedence
 * (docs/spec/towerfile-and-runner.md §4.2/§4.3).
 */
class ConfigTest {
  @TempDir Path tmp;
  FakeApi api;
  CliHarness cli;

  @BeforeEach
  void setUp() throws IOException {
    api = new FakeApi();
    api.on(
        "GET /api/v1/me",
        200,
        "{\"team_id\":1,\"team_slug\":\"acme\",\"token_id\":5,\"role\":\"admin\"}");
    cli = new CliHarness(tmp);
  }

  @AfterEach
  void tearDown() {
    api.close();
  }

  static Terminal terminal(Map<String, String> env) {
    PrintStream sink = new PrintStream(new ByteArrayOutputStream());
    return Terminal.of(sink, sink, env, InputStream.nullInputStream());
  }

  @Test
  void explicitConfigVariableWins() {
    Map<String, String> env = new HashMap<>();
    env.put("MINITOWER_CLI_CONFIG", "/x/c.json");
    env.put("XDG_CONFIG_HOME", "/xdg");
    env.put("HOME", "/home/u");

    assertThat(ConfigStore.resolvePath(terminal(env))).isEqualTo(Path.of("/x/c.json"));
  }

  @Test
  void xdgConfigHomeComesSecond() {
    Map<String, String> env = Map.of("XDG_CONFIG_HOME", "/xdg", "HOME", "/home/u");

    assertThat(ConfigStore.resolvePath(terminal(env)))
        .isEqualTo(Path.of("/xdg/minitower-cli/config.json"));
  }

  @Test
  void homeDotConfigIsTheFallback() {
    Map<String, String> env = Map.of("HOME", "/home/u", "XDG_CONFIG_HOME", "");

    assertThat(ConfigStore.resolvePath(terminal(env)))
        .isEqualTo(Path.of("/home/u/.config/minitower-cli/config.json"));
  }

  @Test
  void configFileIsWritten0600InA0700Directory() throws IOException {
    CliHarness.Result r = cli.run("config", "set", "--server", "http://h:1", "--token", "mtk_x");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo("Profile \"default\" updated\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cli.configFile)))
        .isEqualTo("rw-------");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(cli.configFile.getParent())))
        .isEqualTo("rwx------");
  }

  @Test
  void rewritingALooseFileTightensItTo0600() throws IOException {
    Files.createDirectories(cli.configFile.getParent());
    Files.writeString(cli.configFile, "{\"profiles\":{}}");
    Files.setPosixFilePermissions(cli.configFile, PosixFilePermissions.fromString("rw-r--r--"));

    cli.run("config", "set", "--team", "acme");

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cli.configFile)))
        .isEqualTo("rw-------");
  }

  @Test
  void configFileFormatIsIndentedJsonWithNewline() throws IOException {
    cli.run("config", "set", "--server", "http://h:1", "--token", "mtk_x", "--app", "hello");
    cli.run("config", "set", "--profile", "staging", "--server", "http://s:2");

    assertThat(Files.readString(cli.configFile))
        .isEqualTo(
            """
            {
              "current_profile": "default",
              "profiles": {
                "default": {
                  "server": "http://h:1",
                  "token": "mtk_x",
                  "app": "hello"
                },
                "staging": {
                  "server": "http://s:2"
                }
              }
            }
            """);
  }

  @Test
  void configListGetAndUse() throws IOException {
    cli.run("config", "set", "--server", "http://h:1", "--token", "mtk_x", "--team", "acme");
    cli.run("config", "set", "--profile", "staging", "--server", "http://s:2");

    CliHarness.Result list = cli.run("config", "list");
    assertThat(list.out())
        .isEqualTo(
            """
            CURRENT  PROFILE  SERVER      TEAM  APP  TOKEN
            *        default  http://h:1  acme  -    set
                     staging  http://s:2  -     -    -
            """);

    CliHarness.Result use = cli.run("config", "use", "staging");
    assertThat(use.out()).isEqualTo("Current profile set to \"staging\"\n");

    CliHarness.Result get = cli.run("config", "get");
    assertThat(get.out())
        .isEqualTo(
            """
            Profile: staging
            Current: true
            Server: http://s:2
            Team: -
            Default App: -
            Token: not set
            """);
  }

  @Test
  void configJsonNeverPrintsTheToken() {
    cli.run("config", "set", "--server", "http://h:1", "--token", "mtk_secret");

    CliHarness.Result get = cli.run("config", "get", "--json");
    CliHarness.Result list = cli.run("config", "list", "--json");

    assertThat(get.out())
        .isEqualTo(
            """
            {
              "profile": "default",
              "is_current": true,
              "current_profile": "default",
              "config": {
                "server": "http://h:1",
                "token_set": true
              }
            }
            """);
    assertThat(list.out()).doesNotContain("mtk_secret").contains("\"is_current\": true");
  }

  @Test
  void emptyConfigListSaysSo() {
    assertThat(cli.run("config", "list").out()).isEqualTo("No profiles configured.\n");
  }

  @Test
  void useOfUnknownProfileFails() {
    CliHarness.Result r = cli.run("config", "use", "nope");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("error: profile \"nope\" not found (config)\n");
  }

  @Test
  void profileSuppliesServerAndToken() {
    cli.run("config", "set", "--server", api.url() + "/", "--token", "mtk_profile");

    CliHarness.Result r = cli.run("me");

    assertThat(r.exit()).isZero();
    assertThat(api.requests.get(0).header("Authorization")).isEqualTo("Bearer mtk_profile");
    assertThat(api.requests.get(0).path()).isEqualTo("/api/v1/me");
  }

  @Test
  void environmentBeatsProfileEvenWithExplicitProfile() {
    cli.run("config", "set", "--profile", "p1", "--server", "http://unused:1", "--token", "mtk_p1");
    cli.env.put("MINITOWER_SERVER_URL", api.url());
    cli.env.put("MINITOWER_API_TOKEN", "mtk_env");

    CliHarness.Result r = cli.run("me", "--profile", "p1");

    assertThat(r.exit()).isZero();
    assertThat(api.requests.get(0).header("Authorization")).isEqualTo("Bearer mtk_env");
  }

  @Test
  void flagsBeatEnvironment() {
    cli.env.put("MINITOWER_SERVER_URL", "http://unused:1");
    cli.env.put("MINITOWER_API_TOKEN", "mtk_env");

    CliHarness.Result r = cli.run("me", "--server", api.url(), "--token", "mtk_flag");

    assertThat(r.exit()).isZero();
    assertThat(api.requests.get(0).header("Authorization")).isEqualTo("Bearer mtk_flag");
  }

  @Test
  void unknownExplicitProfileIsAnError() {
    CliHarness.Result r = cli.run("me", "--profile", "ghost");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("error: profile \"ghost\" not found (usage)\n");
  }

  @Test
  void defaultProfileIsUsedWhenCurrentIsMissing() throws IOException {
    Files.createDirectories(cli.configFile.getParent());
    Files.writeString(
        cli.configFile,
        "{\"current_profile\":\"gone\",\"profiles\":{\"default\":{\"server\":\""
            + api.url()
            + "\",\"token\":\"mtk_default\"}}}");

    CliHarness.Result r = cli.run("me");

    assertThat(r.exit()).isZero();
    assertThat(api.requests.get(0).header("Authorization")).isEqualTo("Bearer mtk_default");
  }

  @Test
  void profileAppIsTheDefaultForAppFlags() {
    api.on("GET /api/v1/apps/hello/versions", 200, "{\"versions\":[]}");
    cli.run("config", "set", "--server", api.url(), "--token", "t", "--app", "hello");

    CliHarness.Result r = cli.run("versions", "list");

    assertThat(r.exit()).isZero();
    assertThat(api.requests.get(0).path()).isEqualTo("/api/v1/apps/hello/versions");
  }
}
