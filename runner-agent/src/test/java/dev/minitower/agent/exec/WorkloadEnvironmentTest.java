package dev.minitower.agent.exec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkloadEnvironmentTest {

  @Test
  void inputValuesFollowSpecRulesAndInvalidOrReservedKeysAreSkipped() throws Exception {
    ObjectNode input =
        (ObjectNode)
            new ObjectMapper()
                .readTree(
                    "{\"s\":\"text\",\"n\":10,\"f\":1.5,\"b\":true,\"z\":null,\"a\":[\"a\",\"b\"],"
                        + "\"o\":{\"k\":1},\"\":1,\"x=y\":1,\"PATH\":\"/evil\",\"MINITOWER_RUN_ID\":\"9\"}");
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", "/usr/bin");
    List<String> warnings = new ArrayList<>();

    WorkloadEnvironment.addInputs(env, input, warnings::add);

    assertThat(env)
        .containsEntry("s", "text")
        .containsEntry("n", "10")
        .containsEntry("f", "1.5")
        .containsEntry("b", "true")
        .containsEntry("z", "")
        .containsEntry("a", "[\"a\",\"b\"]")
        .containsEntry("o", "{\"k\":1}")
        .containsEntry("PATH", "/usr/bin")
        .doesNotContainKeys("", "x=y", "MINITOWER_RUN_ID");
    assertThat(warnings)
        .hasSize(4)
        .allMatch(w -> w.startsWith("skipping input key for env var export"));
  }

  @Test
  void secretsBecomeVariablesOverInputsAndReservedNamesAreSkippedWithoutTheirValues() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", "/usr/bin");
    env.put("API_KEY", "from-input");
    Map<String, String> secrets = new LinkedHashMap<>();
    secrets.put("API_KEY", "from-secret");
    secrets.put("PATH", "/evil");
    secrets.put("MINITOWER_RUN_ID", "evil");
    secrets.put("NUL_VALUE", "a\0b");
    List<String> warnings = new ArrayList<>();
    WorkloadEnvironment.addSecrets(env, secrets, warnings::add);
    assertThat(env)
        .containsEntry("API_KEY", "from-secret")
        .containsEntry("PATH", "/usr/bin")
        .doesNotContainKey("MINITOWER_RUN_ID")
        .doesNotContainKey("NUL_VALUE");
    assertThat(warnings).hasSize(3);
    assertThat(String.join("\n", warnings)).doesNotContain("evil");
  }

  @Test
  void pythonRunsGetTheVenvFirstOnPathAndImportPathsOnPythonpath() {
    Map<String, String> env =
        WorkloadEnvironment.base("/usr/bin:/bin", Path.of("/w/home"), Path.of("/w/tmp"), Map.of());
    WorkloadEnvironment.addPython(
        env, Path.of("/v"), List.of(Path.of("/w/app/lib"), Path.of("/w/app/src")));
    assertThat(env)
        .containsEntry("PATH", "/v/bin:/usr/bin:/bin")
        .containsEntry("VIRTUAL_ENV", "/v")
        .containsEntry("PYTHONPATH", "/w/app/lib:/w/app/src")
        .containsEntry("HOME", "/w/home")
        .containsEntry("TMPDIR", "/w/tmp")
        .containsEntry("LANG", "C.UTF-8")
        .containsEntry("LC_ALL", "C.UTF-8");
  }

  @Test
  void pathsThatLeaveTheAppAreRefused() {
    Path app = Path.of("/w/app");
    assertThat(CommandBuilder.resolveInside(app, "./lib")).isEqualTo(Path.of("/w/app/lib"));
    assertThat(CommandBuilder.resolveInside(app, "/main.py")).isEqualTo(Path.of("/w/app/main.py"));
    assertThat(CommandBuilder.resolveInside(app, "../x")).isNull();
    assertThat(CommandBuilder.resolveInside(app, "a/../../x")).isNull();
  }
}
