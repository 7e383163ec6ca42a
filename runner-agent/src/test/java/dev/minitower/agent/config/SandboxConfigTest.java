package dev.minitower.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxConfigTest {
  final List<String> warnings = new ArrayList<>();
  @TempDir Path tmp;

  @Test
  void defaultsAreBubblewrapWithNetworkAndSafeLimits() throws ConfigException {
    SandboxConfig s = AgentConfig.fromEnvironment(AgentConfigTest.env(), warnings).sandbox();
    assertThat(s.mode()).isEqualTo(SandboxConfig.Mode.BWRAP);
    assertThat(s.uid()).isEqualTo(61000);
    assertThat(s.network()).isTrue();
    assertThat(s.limits())
        .isEqualTo(new SandboxConfig.Limits(512, 4L << 30, 1L << 30, Duration.ofHours(1), 1024));
  }

  @Test
  void limitsAndModesAreReadFromTheEnvironment() throws ConfigException {
    SandboxConfig s =
        AgentConfig.fromEnvironment(
                AgentConfigTest.env(
                    "MINITOWER_SANDBOX", "none",
                    "MINITOWER_SANDBOX_UID", "70000",
                    "MINITOWER_SANDBOX_NETWORK", "off",
                    "MINITOWER_SANDBOX_RO_PATHS", "/opt/tools, /srv/data",
                    "MINITOWER_LIMIT_PROCESSES", "64",
                    "MINITOWER_LIMIT_MEMORY", "256MiB",
                    "MINITOWER_LIMIT_FILE_SIZE", "10M",
                    "MINITOWER_LIMIT_CPU", "1m30s",
                    "MINITOWER_LIMIT_OPEN_FILES", "256"),
                warnings)
            .sandbox();
    assertThat(s.mode()).isEqualTo(SandboxConfig.Mode.NONE);
    assertThat(s.uid()).isEqualTo(70000);
    assertThat(s.network()).isFalse();
    assertThat(s.readOnlyPaths()).containsExactly(Path.of("/opt/tools"), Path.of("/srv/data"));
    assertThat(s.limits())
        .isEqualTo(
            new SandboxConfig.Limits(64, 256L << 20, 10L << 20, Duration.ofSeconds(90), 256));
  }

  @Test
  void invalidValuesAreConfigErrorsNamingTheVariable() {
    assertThatThrownBy(
            () ->
                AgentConfig.fromEnvironment(
                    AgentConfigTest.env("MINITOWER_SANDBOX", "docker"), warnings))
        .hasMessageContaining("MINITOWER_SANDBOX");
    assertThatThrownBy(
            () ->
                AgentConfig.fromEnvironment(
                    AgentConfigTest.env("MINITOWER_SANDBOX_UID", "0"), warnings))
        .hasMessageContaining("MINITOWER_SANDBOX_UID");
    assertThatThrownBy(
            () ->
                AgentConfig.fromEnvironment(
                    AgentConfigTest.env("MINITOWER_LIMIT_MEMORY", "lots"), warnings))
        .hasMessageContaining("MINITOWER_LIMIT_MEMORY");
    assertThatThrownBy(
            () ->
                AgentConfig.fromEnvironment(
                    AgentConfigTest.env("MINITOWER_LIMIT_PROCESSES", "2"), warnings))
        .hasMessageContaining("MINITOWER_LIMIT_PROCESSES");
    assertThatThrownBy(
            () ->
                AgentConfig.fromEnvironment(
                    AgentConfigTest.env("MINITOWER_SANDBOX_RO_PATHS", "relative/dir"), warnings))
        .hasMessageContaining("not absolute");
  }

  @Test
  void registrationTokenCanComeFromAFileButNotFromBothPlaces() throws Exception {
    Path file = tmp.resolve("token");
    Files.writeString(file, "file-token\n");
    AgentConfig c =
        AgentConfig.fromEnvironment(
            AgentConfigTest.env("MINITOWER_RUNNER_REGISTRATION_TOKEN_FILE", file.toString()),
            warnings);
    assertThat(c.registrationToken()).isEqualTo("file-token");
    assertThatThrownBy(
            () ->
                AgentConfig.fromEnvironment(
                    AgentConfigTest.env(
                        "MINITOWER_RUNNER_REGISTRATION_TOKEN_FILE",
                        file.toString(),
                        "MINITOWER_RUNNER_REGISTRATION_TOKEN",
                        "inline"),
                    warnings))
        .hasMessageContaining("not both");
    assertThatThrownBy(
            () ->
                AgentConfig.fromEnvironment(
                    AgentConfigTest.env(
                        "MINITOWER_RUNNER_REGISTRATION_TOKEN_FILE",
                        tmp.resolve("missing").toString()),
                    warnings))
        .hasMessageContaining("cannot read MINITOWER_RUNNER_REGISTRATION_TOKEN_FILE");
  }

  @Test
  void sizesAcceptBinaryUnits() {
    assertThat(SandboxConfig.parseBytes("1048576")).isEqualTo(1L << 20);
    assertThat(SandboxConfig.parseBytes("512KiB")).isEqualTo(512L << 10);
    assertThat(SandboxConfig.parseBytes("4GiB")).isEqualTo(4L << 30);
    assertThat(SandboxConfig.parseBytes("2 g")).isEqualTo(2L << 30);
    assertThat(SandboxConfig.formatBytes(256L << 20)).isEqualTo("256 MiB");
    assertThat(SandboxConfig.formatBytes(1000)).isEqualTo("1000 bytes");
    assertThatThrownBy(() -> SandboxConfig.parseBytes("12XB")).hasMessageContaining("unknown unit");
  }
}
