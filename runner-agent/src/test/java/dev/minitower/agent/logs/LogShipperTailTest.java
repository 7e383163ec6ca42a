package dev.minitower.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.minitower.agent.client.RunnerClient;
import dev.minitower.agent.lease.LeaseState;
import dev.minitower.agent.observability.AgentLog;
import dev.minitower.model.runner.LeaseResponse;
import dev.minitower.model.runner.LogEntry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The hand-over of the last log lines to the result ({@link LogShipper#closeForResult}) while a
 * batch is in flight and newer lines wait past the linger: the sender must wait, not spin holding
 * the lock (found in ContainerStackIT: the run then never reported its result).
 */
class LogShipperTailTest {
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void linesWaitingBehindABatchInFlightGoWithTheResult() throws Exception {
    CountDownLatch inFlight = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        ex -> {
          ex.getRequestBody().readAllBytes();
          inFlight.countDown();
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          byte[] ok = "{\"status\":\"ok\"}".getBytes();
          ex.sendResponseHeaders(200, ok.length);
          ex.getResponseBody().write(ok);
          ex.close();
        });
    server.start();
    RunnerClient client = new RunnerClient("http://127.0.0.1:" + server.getAddress().getPort());
    client.useRunnerToken("mtr_test");
    LeaseState lease =
        new LeaseState(
            LeaseResponse.builder()
                .runId(1)
                .runNo(1)
                .appId(1)
                .appSlug("app")
                .versionNo(1)
                .entrypoint("run.sh")
                .attemptId(1)
                .attemptNo(1)
                .leaseToken("lt")
                .teamSlug("team")
                .started(true)
                .build());
    lease.renewed(
        Instant.now().plusSeconds(60), Instant.now(), System.nanoTime(), Duration.ofSeconds(1));
    LogShipper shipper =
        new LogShipper(
            client, lease, new AgentLog(new PrintStream(new ByteArrayOutputStream()), "t"));
    try {
      shipper.stdout("first");
      assertThat(inFlight.await(5, TimeUnit.SECONDS)).as("first batch sent").isTrue();
      shipper.stdout("second");
      CompletableFuture<List<LogEntry>> tail =
          CompletableFuture.supplyAsync(() -> shipper.closeForResult(Duration.ofSeconds(20)));
      // Let "second" wait past the linger while "first" is still in flight.
      Thread.sleep(2 * LogShipper.LINGER.toMillis());
      release.countDown();
      List<LogEntry> lines = tail.get(10, TimeUnit.SECONDS);
      assertThat(lines).extracting(LogEntry::line).containsExactly("second");
      assertThat(lines).extracting(LogEntry::seq).containsExactly(2L);
    } finally {
      shipper.close();
    }
  }
}
