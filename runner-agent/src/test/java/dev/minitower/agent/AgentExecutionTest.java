package dev.minitower.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minitower.agent.fake.FakeRun;
import dev.minitower.agent.logs.LogLines;
import dev.minitower.model.runner.LogEntry;
import dev.minitower.model.runner.ResultRequest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;

class AgentExecutionTest extends AgentTestSupport {

  @Test
  void pythonRunGetsParametersAsEnvironmentAndImportPathsOnPythonpath() throws Exception {
    Path app =
        project(
            "hello",
            "Towerfile",
            "[app]\nname = \"hello\"\nscript = \"./main.py\"\nimport_paths = [\"./lib\"]\n",
            "main.py",
            String.join(
                "\n",
                "import os, sys",
                "from greeting import greet",
                "for _ in range(int(os.environ['count'])):",
                "    print(greet(os.environ['name']))",
                "print('tags=' + os.environ['tags'])",
                "print('flag=' + os.environ['flag'] + ' nothing=[' + os.environ['nothing'] + ']')",
                "print('id=%s no=%s attempt=%s app=%s version=%s' % tuple(os.environ['MINITOWER_' + k]"
                    + " for k in ('RUN_ID', 'RUN_NO', 'ATTEMPT', 'APP', 'VERSION')))",
                "print('venv=' + str(sys.prefix != sys.base_prefix))",
                "print('to stderr', file=sys.stderr)",
                ""),
            "lib/greeting.py",
            "def greet(name):\n    return 'Hello, ' + name + '!'\n");
    ObjectNode input =
        input().put("name", "Ada").put("count", 2).put("flag", true).putNull("nothing");
    input.putArray("tags").add("a").add("b");
    FakeRun run =
        server.enqueue(
            FakeRun.builder(pack(app), "./main.py")
                .app("hello", 3)
                .input(input)
                .importPaths(List.of("./lib"), false));
    startAgent();

    ResultRequest result = awaitResult(run);

    assertThat(result.status()).isEqualTo("completed");
    assertThat(result.exitCode()).isZero();
    assertThat(run.lines("stdout"))
        .containsExactly(
            "Hello, Ada!",
            "Hello, Ada!",
            "tags=[\"a\",\"b\"]",
            "flag=true nothing=[]",
            "id=" + run.runId + " no=" + run.runNo + " attempt=1 app=hello version=3",
            "venv=True");
    assertThat(run.lines("stderr")).contains("downloading run artifact", "to stderr");
    assertThat(run.logs.keySet()).isEqualTo(seqs(run.logs.size()));
  }

  @Test
  void nonZeroExitIsReportedAsFailedWithTheExitCode() throws Exception {
    Path app = project("exit3", "run.sh", "echo before\nexit 3\n");
    FakeRun run = server.enqueue(FakeRun.builder(pack(app), "run.sh"));
    startAgent();

    ResultRequest result = awaitResult(run);

    assertThat(result.status()).isEqualTo("failed");
    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.errorMessage()).isEqualTo("exit status 3");
    assertThat(run.lines("stdout")).containsExactly("before");
    assertThat(run.lines("stderr")).contains("run failed: process exited with code 3");
  }

  @Test
  void workloadEnvironmentIsTheDocumentedSetAndHoldsNoToken() throws Exception {
    Path app = project("env", "run.sh", "env\n");
    FakeRun run = server.enqueue(FakeRun.builder(pack(app), "run.sh"));
    startAgent();

    assertThat(awaitResult(run).status()).isEqualTo("completed");

    String dump = String.join("\n", run.lines("stdout"));
    assertThat(dump)
        .doesNotContain(REGISTRATION_TOKEN)
        .doesNotContain(server.runnerToken())
        .doesNotContain(run.leaseToken());
    Map<String, String> env = new HashMap<>();
    for (String line : dump.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        env.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    Set<String> shellOwn = Set.of("PWD", "OLDPWD", "SHLVL", "_");
    assertThat(env.keySet().stream().filter(k -> !shellOwn.contains(k)).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder(
            "PATH",
            "HOME",
            "TMPDIR",
            "LANG",
            "LC_ALL",
            "PIP_DISABLE_PIP_VERSION_CHECK",
            "PIP_NO_INPUT",
            "MINITOWER_RUN_ID",
            "MINITOWER_RUN_NO",
            "MINITOWER_ATTEMPT",
            "MINITOWER_APP",
            "MINITOWER_VERSION");
    assertThat(env.get("LANG")).isEqualTo("C.UTF-8");
    assertThat(env.get("LC_ALL")).isEqualTo("C.UTF-8");
    assertThat(env.get("HOME")).startsWith(tmp.resolve("data/runs").toString()).endsWith("/home");
    assertThat(env.get("TMPDIR")).endsWith("/tmp");
    assertThat(env.get("PWD")).endsWith("/app");
  }

  @Test
  void unicodeArrivesIntactAndLongLinesAreCutOnACharacterBoundary() throws Exception {
    Path app =
        project(
            "lines",
            "run.sh",
            String.join(
                "\n",
                "printf 'h\\303\\251llo w\\303\\266rld \\342\\234\\223 \\346\\227\\245\\346\\234\\254 \\360\\237\\230\\200\\n'",
                "head -c 20000 /dev/zero | tr '\\0' 'a'; echo",
                "i=0; while [ $i -lt 9000 ]; do printf '\\303\\251'; i=$((i+1)); done; echo",
                "head -c 3000000 /dev/zero | tr '\\0' 'b'; echo",
                "printf 'crlf\\r\\n'",
                "printf '\\377ok\\n'",
                "echo after",
                ""));
    FakeRun run = server.enqueue(FakeRun.builder(pack(app), "run.sh"));
    startAgent();

    assertThat(awaitResult(run).status()).isEqualTo("completed");

    List<String> out = run.lines("stdout");
    assertThat(out).hasSize(7);
    assertThat(out.get(0)).isEqualTo("héllo wörld ✓ 日本 😀");
    for (int i = 1; i <= 3; i++) {
      String line = out.get(i);
      assertThat(line.getBytes(StandardCharsets.UTF_8).length)
          .isLessThanOrEqualTo(LogEntry.MAX_LINE_BYTES);
      assertThat(line).endsWith(LogLines.MARKER).doesNotContain("\uFFFD");
    }
    assertThat(out.get(1)).startsWith("aaaa");
    assertThat(out.get(2)).matches("(é)+" + java.util.regex.Pattern.quote(LogLines.MARKER));
    assertThat(out.get(3)).startsWith("bbbb");
    assertThat(out.get(4)).isEqualTo("crlf");
    assertThat(out.get(5)).isEqualTo("\uFFFDok");
    assertThat(out.get(6)).isEqualTo("after");
    assertThat(run.rejectedBatches.get()).isZero();
  }

  @Test
  void artifactWithWrongChecksumFailsTheRunWithoutExecutingIt() throws Exception {
    Path marker = tmp.resolve("executed");
    Path app = project("sha", "run.sh", "touch '" + marker + "'\n");
    FakeRun run = server.enqueue(FakeRun.builder(pack(app), "run.sh"));
    run.shaOverride = "0".repeat(64);
    startAgent();

    ResultRequest result = awaitResult(run);

    assertThat(result.status()).isEqualTo("failed");
    assertThat(result.errorMessage())
        .startsWith("failed to download artifact: sha256 mismatch: expected 0000");
    assertThat(run.lines("stderr"))
        .anyMatch(l -> l.startsWith("artifact download failed: sha256 mismatch"));
    assertThat(marker).doesNotExist();
  }

  @Test
  void artifactEscapingItsDirectoryIsRefusedAndNothingIsWrittenOutside() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar =
        new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
      for (String name : List.of("run.sh", "../../escaped.sh")) {
        byte[] content = "echo hi\n".getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(name, true);
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
      }
    }
    FakeRun run = server.enqueue(FakeRun.builder(bytes.toByteArray(), "run.sh"));
    startAgent();

    ResultRequest result = awaitResult(run);

    assertThat(result.status()).isEqualTo("failed");
    assertThat(result.errorMessage()).startsWith("failed to unpack artifact: ");
    assertThat(run.lines("stderr")).anyMatch(l -> l.startsWith("artifact unpack failed: "));
    assertThat(run.lines("stdout")).isEmpty();
    try (var files = Files.walk(tmp.resolve("data"))) {
      assertThat(files.map(p -> p.getFileName().toString())).doesNotContain("escaped.sh");
    }
  }

  @Test
  void cancelRequestedBeforeStartIsReportedCancelledWithoutDownloading() throws Exception {
    Path app = project("early", "run.sh", "echo never\n");
    FakeRun run = server.enqueue(FakeRun.builder(pack(app), "run.sh"));
    run.cancelRequested = true;
    startAgent();

    assertThat(awaitResult(run).status()).isEqualTo("cancelled");
    assertThat(server.requests()).doesNotContain("GET /api/v1/runs/" + run.runId + "/artifact");
  }

  static Set<Long> seqs(int n) {
    return java.util.stream.LongStream.rangeClosed(1, n).boxed().collect(Collectors.toSet());
  }

  @Test
  void aSecondRunOfTheSameArtifactStartsFromTheRunnersCacheWithoutADownload() throws Exception {
    byte[] artifact = pack(project("cached", "run.sh", "echo from cache\n"));
    server.shaInLease = true;
    FakeRun first = server.enqueue(FakeRun.builder(artifact, "run.sh"));
    startAgent();
    assertThat(awaitResult(first).status()).isEqualTo("completed");
    FakeRun second = server.enqueue(FakeRun.builder(artifact, "run.sh"));
    assertThat(awaitResult(second).status()).isEqualTo("completed");

    assertThat(server.requests()).contains("GET /api/v1/runs/" + first.runId + "/artifact");
    assertThat(server.requests()).doesNotContain("GET /api/v1/runs/" + second.runId + "/artifact");
    assertThat(second.lines("stdout")).containsExactly("from cache");
    assertThat(second.lines("stderr")).anyMatch(l -> l.contains("from the runner's cache"));
    java.nio.file.Path cache = tmp.resolve("data/artifacts");
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(cache)))
        .isEqualTo("rwx------");
  }
}
