package dev.minitower.runners.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The long poll without a server: a poll nobody receives leases nothing, and each try knows whether
 * a wake-up led to it.
 */
class LongPollTest {
  private final AtomicInteger tries = new AtomicInteger();
  private final AtomicInteger unused = new AtomicInteger();
  private final AtomicBoolean gone = new AtomicBoolean();
  private final List<Boolean> wokenTries = new CopyOnWriteArrayList<>();
  private volatile CompletableFuture<Boolean> wake;

  private LongPoll<String> poll(String outcome) {
    return poll(outcome, Duration.ofSeconds(30));
  }

  private LongPoll<String> poll(String outcome, Duration recheck) {
    return new LongPoll<>(
        () -> wake = new CompletableFuture<>(),
        woken -> {
          tries.incrementAndGet();
          wokenTries.add(woken);
          return outcome;
        },
        s -> !s.isEmpty(),
        "",
        gone::get,
        recheck,
        Runnable::run,
        unused::incrementAndGet);
  }

  @Test
  void aTryAfterANotificationIsToldSoTheFirstTryAndOtherWakeUpsAreNot() throws Exception {
    CompletableFuture<String> answer = poll("").run(Duration.ofSeconds(20)).toCompletableFuture();
    assertThat(wokenTries).containsExactly(false);
    wake.complete(true); // the executor runs the next try on this thread
    assertThat(wokenTries).containsExactly(false, true);
    wake.complete(false); // a wake-up handed on
    assertThat(wokenTries).containsExactly(false, true, false);
    wake.complete(null);
    assertThat(wokenTries).containsExactly(false, true, false, false);
    gone.set(true);
    wake.complete(null);
    assertThat(answer.get(5, TimeUnit.SECONDS)).isEmpty();
  }

  @Test
  void aTryAfterAReCheckSliceIsNotWoken() throws Exception {
    CompletableFuture<String> answer =
        poll("", Duration.ofMillis(20)).run(Duration.ofSeconds(20)).toCompletableFuture();
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> wokenTries.size() >= 3);
    gone.set(true);
    assertThat(answer.get(5, TimeUnit.SECONDS)).isEmpty();
    assertThat(wokenTries).hasSizeGreaterThanOrEqualTo(3).containsOnly(false);
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
