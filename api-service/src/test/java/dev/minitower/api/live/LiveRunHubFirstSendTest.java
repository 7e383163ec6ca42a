package dev.minitower.api.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.minitower.api.auth.Caller;
import dev.minitower.api.config.ApiConfig;
import dev.minitower.api.service.RunQueryService;
import dev.minitower.model.api.Views;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.resteasy.reactive.server.jaxrs.SseImpl;
import org.junit.jupiter.api.Test;

/**
 * A new live stream sends its first events on the thread that opened it, before anything runs on
 * the hub's executor: that first send writes the SSE response head, which must not race RESTEasy
 * writing it after the resource method returns. Signals that arrive meanwhile fold into that first
 * refresh; later ones schedule the next.
 */
class LiveRunHubFirstSendTest {
  private final List<Runnable> scheduled = new CopyOnWriteArrayList<>();
  private final List<String> sent = new CopyOnWriteArrayList<>();
  private final List<Thread> sendingThreads = new CopyOnWriteArrayList<>();
  private final LiveRunHub hub =
      new LiveRunHub(null, recordingExecutor(), null, null, config(Duration.ofSeconds(2)));

  private RunStream newStream() {
    return new RunStream(
        hub,
        queries(),
        new Caller(1, "team", 7, Caller.MEMBER),
        42,
        sink(),
        SseImpl.INSTANCE,
        null,
        null);
  }

  @Test
  void theFirstRefreshRunsOnTheOpeningThreadAndEarlierSignalsFoldIntoIt() {
    RunStream stream = newStream();

    hub.add(stream);

    assertThat(sent).containsExactly("status");
    assertThat(sendingThreads).containsOnly(Thread.currentThread());
    assertThat(scheduled).isEmpty();
    assertThat(hub.openStreams()).isEqualTo(1);

    // A signal after the first refresh schedules the next one, on the executor.
    stream.schedule(scheduled::add);
    assertThat(scheduled).hasSize(1);
  }

  @Test
  void aSignalBeforeTheFirstRefreshSchedulesNothing() {
    RunStream stream = newStream();
    stream.holdSchedules();
    stream.schedule(scheduled::add); // what a notification does while the stream opens
    assertThat(scheduled).isEmpty();
  }

  private RunQueryService queries() {
    return new RunQueryService(null, null) {
      @Override
      public Views.RunView get(Caller caller, long runId) {
        return new Views.RunView(
            runId,
            1,
            "app",
            1,
            1,
            "running",
            null,
            0,
            0,
            0,
            false,
            "2026-12-05T00:00:00Z",
            null,
            null,
            "default",
            false);
      }

      @Override
      public Views.LogPage logs(Caller caller, long runId, String afterSeq, String afterAttempt) {
        return new Views.LogPage(List.of(), 0, 0, false);
      }
    };
  }

  private SseEventSink sink() {
    return new SseEventSink() {
      @Override
      public boolean isClosed() {
        return false;
      }

      @Override
      public CompletionStage<?> send(OutboundSseEvent event) {
        sent.add(event.getName());
        sendingThreads.add(Thread.currentThread());
        return CompletableFuture.completedFuture(null);
      }

      @Override
      public void close() {}
    };
  }

  private ManagedExecutor recordingExecutor() {
    return (ManagedExecutor)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {ManagedExecutor.class},
            (proxy, method, args) -> {
              if (method.getName().equals("execute")) {
                scheduled.add((Runnable) args[0]);
                return null;
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }

  private static ApiConfig config(Duration tokenCheck) {
    return (ApiConfig)
        Proxy.newProxyInstance(
            LiveRunHubFirstSendTest.class.getClassLoader(),
            new Class<?>[] {ApiConfig.class},
            (proxy, method, args) -> {
              if (method.getName().equals("liveTokenCheckInterval")) {
                return tokenCheck;
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }
}
