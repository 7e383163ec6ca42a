package dev.minitower.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Syntax of the Prometheus files and of every dashboard query, checked by Prometheus' own promtool
 * when it is available: on PATH, or named by {@code -Dminitower.promtool=/path/to/promtool}
 * (Debian's {@code prometheus} package has it; {@code apt-get download prometheus && dpkg-deb -x}
 * gets the binary without starting a server). Skipped otherwise.
 */
class PromtoolTest {
  @TempDir Path tmp;

  static Optional<String> promtool() {
    String configured = System.getProperty("minitower.promtool", "");
    List<String> candidates = configured.isBlank() ? List.of("promtool") : List.of(configured);
    for (String candidate : candidates) {
      try {
        Process p = new ProcessBuilder(candidate, "--version").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
          return Optional.of(candidate);
        }
      } catch (IOException e) {
        // not installed
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return Optional.empty();
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
    return out;
  }

  @Test
  void prometheusConfigAndRulesAreValid() throws Exception {
    Optional<String> promtool = promtool();
    assumeTrue(promtool.isPresent(), "promtool not installed");
    Path rules = tmp.resolve("alerts.yml");
    Files.copy(Repo.path("deploy/prometheus/alerts.yml"), rules);
    Path config = tmp.resolve("prometheus.yml");
    Files.writeString(
        config,
        Repo.read(Repo.path("deploy/prometheus/prometheus.yml"))
            .replace("/etc/prometheus/alerts.yml", rules.toString()));
    assertThat(run(promtool.get(), "check", "config", config.toString())).contains("SUCCESS");
    assertThat(
            run(
                promtool.get(),
                "check",
                "config",
                Repo.path("deploy/prometheus/federation.yml").toString()))
        .contains("SUCCESS");
  }

  /** The dashboard's queries, as recording rules, so promtool parses each one. */
  @Test
  void everyDashboardQueryParses() throws Exception {
    Optional<String> promtool = promtool();
    assumeTrue(promtool.isPresent(), "promtool not installed");
    List<String> lines = new ArrayList<>(List.of("groups:", "  - name: dashboard", "    rules:"));
    int i = 0;
    for (var panel : ObservabilityTest.dashboard().get("panels")) {
      for (var target : panel.path("targets")) {
        lines.add("      - record: dashboard:query" + i++);
        lines.add("        expr: " + Repo.JSON.writeValueAsString(target.get("expr").asText()));
      }
    }
    Path file = tmp.resolve("dashboard-rules.yml");
    Files.write(file, lines);
    assertThat(run(promtool.get(), "check", "rules", file.toString()))
        .contains("SUCCESS: " + i + " rules found");
  }
}
