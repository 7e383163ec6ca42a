package dev.minitower.runners.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The long poll's client-gone rule, without a server: a poll nobody receives leases nothing. */
class LongPollTest {
  private final AtomicInteger tries = new AtomicInteger();
  private final AtomicInteger unused = new AtomicInteger();
  private final AtomicBoolean gone = new AtomicBoolean();
  private volatile CompletableFuture<Void> wake;

  private LongPoll<String> poll(String outcome) {
    return new LongPoll<>(
        () -> wake = new CompletableFuture<>(),
        () -> {
          tries.incrementAndGet();
          return outcome;
        },
        s -> !s.isEmpty(),
        "",
        gone::get,
        Duration.ofSeconds(30),
        Runnable::run,
        unused::incrementAndGet);
  }

  @Test
  void aClientGoneBeforeThePollStartsGetsNoTry() throws Exception {
    gone.set(true);
    assertThat(
            poll("lease")
                .run(Duration.ofSeconds(20))
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS))
        .isEmpty();
    assertThat(poll("lease").run(Duration.ZERO).toCompletableFuture().get(5, TimeUnit.SECONDS))
        .isEmpty();
    assertThat(tries).hasValue(0);
  }

  @Test
  void aClientGoneWhileWaitingGetsNoTryAndHandsTheWakeUpOn() throws Exception {
    CompletableFuture<String> answer = poll("").run(Duration.ofSeconds(20)).toCompletableFuture();
    assertThat(tries).hasValue(1);
    gone.set(true);
    wake.complete(null);
    assertThat(answer.get(5, TimeUnit.SECONDS)).isEmpty();
    assertThat(tries).hasValue(1);
    assertThat(unused).hasValue(1);
  }
}
