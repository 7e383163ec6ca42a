package dev.minitower.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.minitower.cli.output.JsonOutput;
import dev.minitower.model.hash.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy}: what the CLI packages and sends. Glob semantics themselves are shared-model's
 * tests; here we check the CLI's use of them end to end, down to the uploaded archive.
 */
class DeployTest {
  @TempDir Path tmp;
  FakeApi api;
  CliHarness cli;
  Path project;
  final AtomicReference<byte[]> uploaded = new AtomicReference<>();

  static final String VERSION_JSON =
      "{\"version_id\":12,\"version_no\":%d,\"entrypoint\":\"main.py\","
          + "\"artifact_sha256\":\"%s\",\"created_at\":\"2025-01-04T10:00:00Z\"}";

  @BeforeEach
  void setUp() throws IOException {
    api = new FakeApi();
    cli = new CliHarness(tmp);
    cli.env.put("MINITOWER_SERVER_URL", api.url());
    cli.env.put("MINITOWER_API_TOKEN", "mtk_test");
    project = Files.createDirectories(tmp.resolve("proj"));
    api.on(
        "POST /api/v1/apps/hello-app/versions",
        r -> {
          byte[] artifact = Artifacts.fromMultipart(r).content();
          uploaded.set(artifact);
          return FakeApi.Response.json(201, VERSION_JSON.formatted(1, sha256(artifact)));
        });
  }

  @AfterEach
  void tearDown() {
    api.close();
  }

  void write(String rel, String content) throws IOException {
    Path p = project.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  void standardProject(String source) throws IOException {
    write(
        "Towerfile",
        "[app]\nname = \"hello-app\"\nscript = \"main.py\"\n"
            + (source == null ? "" : "source = " + source + "\n"));
    write("main.py", "print('hello world')\n");
    write("lib/util.py", "X = 1\n");
    write("requirements.txt", "");
    write("README.md", "# readme\n");
    write(".env", "SECRET=1\n");
    write(".git/config", "[core]\n");
  }

  @Test
  void createsTheAppWhenMissingAndUploadsTheArtifact() throws IOException {
    standardProject("[\"./**/*.py\", \"./requirements.txt\"]");
    api.on("POST /api/v1/apps", 201, "{\"app_id\":5,\"slug\":\"hello-app\",\"disabled\":false}");

    CliHarness.Result r = cli.run("deploy", "--dir", project.toString());

    assertThat(r.exit()).as(r.err()).isZero();
    byte[] artifact = uploaded.get();
    String sha = sha256(artifact);
    assertThat(r.out())
        .isEqualTo(
            "Deploying app \"hello-app\" from "
                + project
                + "\nArtifact packaged ("
                + artifact.length
                + " bytes, sha256:"
                + sha.substring(0, 12)
                + ")\nApp \"hello-app\" created (id=5)\nVersion 1 created (sha256:"
                + sha.substring(0, 12)
                + ")\n");
    assertThat(api.requests)
        .extracting(q -> q.method() + " " + q.path())
        .containsExactly(
            "GET /api/v1/apps/hello-app",
            "POST /api/v1/apps",
            "POST /api/v1/apps/hello-app/versions");
    assertThat(api.requests("POST /api/v1/apps").get(0).bodyText())
        .isEqualTo("{\"slug\":\"hello-app\"}");
    assertThat(r.err()).contains("Uploading").contains("100%");
  }

  @Test
  void towerfileIsTheFirstEntryAndSourcesAreIncluded() throws IOException {
    standardProject("[\"./**/*.py\", \"./requirements.txt\"]");
    api.on("GET /api/v1/apps/hello-app", 200, "{\"app_id\":5,\"slug\":\"hello-app\"}");

    CliHarness.Result r = cli.run("deploy", "--dir", project.toString());

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(Artifacts.names(uploaded.get()))
        .containsExactly("Towerfile", "lib/util.py", "main.py", "requirements.txt");
    assertThat(Artifacts.entries(uploaded.get()))
        .containsEntry("main.py", "print('hello world')\n")
        .containsEntry(
            "Towerfile",
            "[app]\nname = \"hello-app\"\nscript = \"main.py\"\n"
                + "source = [\"./**/*.py\", \"./requirements.txt\"]\n");
    assertThat(api.requests("POST /api/v1/apps")).isEmpty();
    assertThat(
            Artifacts.fromMultipart(api.requests("POST /api/v1/apps/hello-app/versions").get(0))
                .filename())
        .isEqualTo("artifact.tar.gz");
  }

  @Test
  void defaultSourceTakesEverythingButHiddenFiles() throws IOException {
    standardProject(null);
    api.on("GET /api/v1/apps/hello-app", 200, "{\"app_id\":5,\"slug\":\"hello-app\"}");

    CliHarness.Result r = cli.run("deploy", "--dir", project.toString());

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(Artifacts.names(uploaded.get())).first().isEqualTo("Towerfile");
    assertThat(Artifacts.names(uploaded.get()))
        .containsExactlyInAnyOrder(
            "Towerfile", "README.md", "lib/util.py", "main.py", "requirements.txt")
        .doesNotContain(".env", ".git/config");
  }

  @Test
  void towerfileNotMatchedByTheGlobsIsStillPackagedFirst() throws IOException {
    standardProject("[\"./*.py\"]");
    api.on("GET /api/v1/apps/hello-app", 200, "{\"app_id\":5,\"slug\":\"hello-app\"}");

    cli.run("deploy", "--dir", project.toString());

    assertThat(Artifacts.names(uploaded.get())).containsExactly("Towerfile", "main.py");
  }

  @Test
  void jsonOutputCarriesTheVersionAndPackagedHash() throws IOException {
    standardProject("[\"./*.py\"]");
    api.on("GET /api/v1/apps/hello-app", 200, "{\"app_id\":5,\"slug\":\"hello-app\"}");

    CliHarness.Result r = cli.run("deploy", "--json", "--dir", project.toString());

    assertThat(r.exit()).isZero();
    var json = JsonOutput.parse(r.out());
    assertThat(json.get("app_slug").asText()).isEqualTo("hello-app");
    assertThat(json.get("artifact_bytes").asInt()).isEqualTo(uploaded.get().length);
    assertThat(json.get("packaged_sha256").asText()).isEqualTo(sha256(uploaded.get()));
    assertThat(json.get("version").get("version_no").asInt()).isEqualTo(1);
  }

  @Test
  void dryRunListsTheEntriesAndSendsNothing() throws IOException {
    standardProject("[\"./**/*.py\", \"./requirements.txt\"]");
    cli.env.clear();
    cli.env.put("MINITOWER_CLI_CONFIG", cli.configFile.toString());

    CliHarness.Result r = cli.run("deploy", "--dry-run", "--dir", project.toString());

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .startsWith(
            "Would deploy app \"hello-app\" from " + project + " (dry run, nothing uploaded)\n")
        .endsWith("  Towerfile\n  lib/util.py\n  main.py\n  requirements.txt\n");
    assertThat(api.requests).isEmpty();
  }

  @Test
  void dryRunJson() throws IOException {
    standardProject("[\"./*.py\"]");

    CliHarness.Result r = cli.run("deploy", "--dry-run", "--json", "--dir", project.toString());

    var json = JsonOutput.parse(r.out());
    assertThat(json.get("entries").toString()).isEqualTo("[\"Towerfile\",\"main.py\"]");
    assertThat(json.get("app_slug").asText()).isEqualTo("hello-app");
  }

  @Test
  void missingTowerfileIsReported() {
    CliHarness.Result r = cli.run("deploy", "--dir", project.toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: cannot open Towerfile: ").endsWith("(towerfile)\n");
    assertThat(api.requests).isEmpty();
  }

  @Test
  void invalidTowerfileIsAValidationError() throws IOException {
    write("Towerfile", "[app]\nname = \"hello-app\"\nscript = \"main.rb\"\n");

    CliHarness.Result r = cli.run("deploy", "--dir", project.toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(
            "error: validating Towerfile: app.script must end in .py or .sh, got \".rb\""
                + " (towerfile)\n");
    assertThat(api.requests).isEmpty();
  }

  @Test
  void unparsableTowerfileIsAParseError() throws IOException {
    write("Towerfile", "this is not valid toml [[[");

    CliHarness.Result r = cli.run("deploy", "--dir", project.toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: parsing Towerfile: ").endsWith("(towerfile)\n");
  }

  @Test
  void scriptOutsideTheSourcesIsAPackagingError() throws IOException {
    standardProject("[\"./*.txt\"]");

    CliHarness.Result r = cli.run("deploy", "--dir", project.toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err())
        .startsWith("error: packaging artifact: ")
        .contains("main.py")
        .endsWith("(towerfile)\n");
    assertThat(api.requests).isEmpty();
  }

  @Test
  void serverRejectionKeepsTheServersCodeAndExitCode() throws IOException {
    standardProject("[\"./*.py\"]");
    api.on("GET /api/v1/apps/hello-app", 200, "{\"app_id\":5,\"slug\":\"hello-app\"}");
    api.on(
        "POST /api/v1/apps/hello-app/versions",
        r ->
            FakeApi.Response.error(
                400, "TOWERFILE_MISSING", "artifact does not contain a Towerfile"));

    CliHarness.Result r = cli.run("deploy", "--dir", project.toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err())
        .endsWith("error: artifact does not contain a Towerfile (TOWERFILE_MISSING)\n");
  }

  static String sha256(byte[] b) {
    return Sha256.hex(b);
  }
}
