package dev.minitower.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchSmokeTest {

  @Test
  void parsesScenariosFlagsAndEnvironment() {
    BenchArgs a =
        BenchArgs.parse(
            new String[] {
              "burst",
              "dispatch",
              "--burst-runs",
              "10_000",
              "--runners=32",
              "--work",
              "250ms",
              "--batch-heartbeat",
              "--api",
              "http://localhost:9999/"
            },
            Map.of(
                "MINITOWER_DB_URL",
                "jdbc:postgresql://127.0.0.1:55452/minitower",
                "MTW_HOME",
                "/tmp/mtw-bench"));
    assertThat(a.scenarios).containsExactly("burst", "dispatch");
    assertThat(a.burstRuns).isEqualTo(10_000);
    assertThat(a.runners).isEqualTo(32);
    assertThat(a.work).isEqualTo(Duration.ofMillis(250));
    assertThat(a.batchHeartbeat).isTrue();
    assertThat(a.apiUrl).isEqualTo("http://localhost:9999");
    assertThat(a.dbUrl).endsWith(":55452/minitower");
    assertThat(a.mtwHome.toString()).isEqualTo("/tmp/mtw-bench");
    assertThat(a.leaseWaitParam()).isEqualTo("20000ms");
  }

  @Test
  void idleShortPollsAreSpreadAroundTheConfiguredIntervalWithTheSameMean() {
    Duration base = Duration.ofMillis(100);
    assertThat(SimRunner.jittered(base, 0.0)).isEqualTo(Duration.ofMillis(50));
    assertThat(SimRunner.jittered(base, 0.5)).isEqualTo(base);
    assertThat(SimRunner.jittered(base, 0.999999)).isLessThan(Duration.ofMillis(150));
    double meanMs =
        java.util.stream.IntStream.range(0, 1000)
            .mapToDouble(i -> SimRunner.jittered(base, (i + 0.5) / 1000).toNanos() / 1e6)
            .average()
            .orElseThrow();
    assertThat(meanMs).isCloseTo(100.0, org.assertj.core.data.Offset.offset(0.01));
  }

  @Test
  void defaultsAreTheModestFullSet() {
    BenchArgs a = BenchArgs.parse(new String[0], Map.of());
    assertThat(a.scenarios).containsExactly("burst", "steady", "long", "dispatch");
    assertThat(a.burstRuns).isEqualTo(2000);
    assertThat(a.runners).isEqualTo(16);
    assertThat(a.ceiling).isTrue();
    assertThat(BenchArgs.parse(new String[] {"--no-ceiling"}, Map.of()).ceiling).isFalse();
    assertThat(a.warmupRuns).isEqualTo(1500);
    assertThat(BenchArgs.parse(new String[] {"--warmup-runs", "0"}, Map.of()).warmupRuns).isZero();
  }

  @Test
  void rejectsBadInput() {
    assertThatThrownBy(() -> BenchArgs.parse(new String[] {"bogus"}, Map.of()))
        .hasMessageContaining("unknown scenario");
    assertThatThrownBy(() -> BenchArgs.parse(new String[] {"--runners", "0"}, Map.of()))
        .hasMessageContaining("> 0");
    assertThatThrownBy(() -> BenchArgs.parse(new String[] {"--runners"}, Map.of()))
        .hasMessageContaining("needs a value");
    assertThatThrownBy(() -> BenchArgs.parse(new String[] {"--frobnicate", "1"}, Map.of()))
        .hasMessageContaining("unknown flag");
    assertThat(BenchArgs.usage()).contains("--burst-runs");
  }

  @Test
  void durations() {
    assertThat(BenchArgs.duration("20s")).isEqualTo(Duration.ofSeconds(20));
    assertThat(BenchArgs.duration("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(BenchArgs.duration("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(BenchArgs.duration("3")).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void percentilesOfAUniformSpread() {
    Latency l = new Latency();
    for (int ms = 1; ms <= 1000; ms++) {
      l.recordNanos(ms * 1_000_000L);
    }
    Latency.Summary s = l.summary();
    assertThat(s.count()).isEqualTo(1000);
    assertThat(s.p50()).isCloseTo(500, org.assertj.core.data.Offset.offset(1.0));
    assertThat(s.p90()).isCloseTo(900, org.assertj.core.data.Offset.offset(1.0));
    assertThat(s.p99()).isCloseTo(990, org.assertj.core.data.Offset.offset(1.0));
    assertThat(s.max()).isCloseTo(1000, org.assertj.core.data.Offset.offset(1.0));
    assertThat(new Latency().summary().count()).isZero();
  }

  @Test
  void timelinesToleratesARunnerFasterThanTheProducer() {
    Metrics m = new Metrics();
    m.leased(7, 2_000_000);
    m.started(7, 5_000_000);
    m.created(7, 1_000_000); // the create answer arrived after the lease
    assertThat(m.createdToLeased.summary().p50()).isCloseTo(1.0, within());
    assertThat(m.createdToStarted.summary().p50()).isCloseTo(4.0, within());
    m.created(8, 1_000_000);
    m.leased(8, 3_000_000);
    assertThat(m.createdToLeased.summary().count()).isEqualTo(2);
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(0.01);
  }

  @Test
  void procParsing() {
    String stat =
        "1234 (java (x) y) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 50 15 5 20 0 30 0 5 0 0";
    assertThat(ProcStats.parseStatCpu(stat)).isEqualTo(3.0);
    assertThat(ProcStats.parentPid(stat)).isEqualTo(1);
    assertThat(ProcStats.parseReapedChildrenCpu(stat)).isEqualTo(0.2);
    long[] mem = ProcStats.parseStatus("Name:\tjava\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\n");
    assertThat(mem).containsExactly(102400, 204800);
  }

  @Test
  void reportsChecksAndFormatting() throws Exception {
    Report r = new Report(Instant.parse("2026-01-02T03:04:05Z"), Map.of("nproc", "2"));
    ScenarioResult burst = new ScenarioResult("burst", "3 runs");
    burst.created = 3;
    burst.completed = 3;
    burst.seconds = 1.5;
    burst.runsPerSecond = 2.0;
    Latency l = new Latency();
    l.recordNanos(10_000_000);
    burst.createdToLeased = l.summary();
    burst.createdToStarted = l.summary();
    burst.endpoints = Map.of("lease", l.summary());
    burst.processesAfter =
        Map.of("api-service", new ProcStats.Sample("api-service", 1, 1.0, 200 * 1024, 250 * 1024));
    burst.ceiling =
        new Ceiling.Result(
            3,
            1,
            1,
            0.5,
            0.25,
            3,
            l.summary(),
            l.summary(),
            l.summary(),
            l.summary(),
            l.summary(),
            l.summary());
    r.scenarios.add(burst);
    List<Report.Check> checks = r.checks();
    assertThat(checks)
        .extracting(Report.Check::target)
        .contains("end-to-end ≥ 0.5 × SQL ceiling", "api-service RSS ≤ 300 MB after burst");
    // 2 runs/s against 3 / 0.75 s = 4 runs/s
    assertThat(burst.ceilingRatio()).isEqualTo(0.5);
    assertThat(checks.get(0).met()).isTrue();
    assertThat(r.markdown())
        .contains("| burst | 3/3 | 1.5 | 2.0 | 10.0 / 10.0 / 10.0 |")
        .contains("End-to-end / ceiling = 0.50")
        .contains("| api-service RSS ≤ 300 MB after burst | 200 MB | yes |");
    assertThat(
            Http.JSON
                .readTree(r.json())
                .path("scenarios")
                .get(0)
                .path("ratio_to_ceiling")
                .asDouble())
        .isEqualTo(0.5);
    assertThat(Latency.fmt(1.234)).isEqualTo("1.23");
    assertThat(Latency.fmt(123.4)).isEqualTo("123");
  }
}
