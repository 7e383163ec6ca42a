package dev.minitower.api.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The hand-off of {@link GroupCommit} between request threads, without a database (the statement
 * behind run creation's batches is run-store's {@code RunCreateBatchTest}; the service's, {@code
 * RunCreateGroupCommitTest}).
 */
class GroupCommitTest {
  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  /** Answers an item with its double; records batches, and the most run at once. */
  private static final class Store {
    final List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    final List<Integer> alone = new CopyOnWriteArrayList<>();
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger mostAtOnce = new AtomicInteger();
    final Map<Integer, Integer> commits = new ConcurrentHashMap<>();

    List<Integer> batch(List<Integer> items) {
      enter();
      try {
        batches.add(List.copyOf(items));
        List<Integer> out = new ArrayList<>();
        for (int i : items) {
          commits.merge(i, 1, Integer::sum);
          out.add(i * 2);
        }
        return out;
      } finally {
        running.decrementAndGet();
      }
    }

    Integer single(Integer item) {
      enter();
      try {
        alone.add(item);
        commits.merge(item, 1, Integer::sum);
        return item * 2;
      } finally {
        running.decrementAndGet();
      }
    }

    private void enter() {
      int now = running.incrementAndGet();
      mostAtOnce.accumulateAndGet(now, Math::max);
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  void anIdleGroupCommitsARequestAtOnceAloneOnItsOwnThread() {
    Store store = new Store();
    List<Integer> sizes = new CopyOnWriteArrayList<>();
    GroupCommit<Integer, Integer> group =
        new GroupCommit<>(store::batch, store::single, 64, 2, sizes::add);

    assertThat(group.submit(21)).isEqualTo(42);
    assertThat(group.submit(5)).isEqualTo(10);

    assertThat(store.alone).containsExactly(21, 5);
    assertThat(store.batches).isEmpty();
    assertThat(sizes).containsExactly(1, 1);
  }

  @Test
  void concurrentRequestsShareTransactionsWithinTheLimitsAndEachGetsItsOwnAnswerOnce()
      throws Exception {
    Store store = new Store();
    List<Integer> sizes = new CopyOnWriteArrayList<>();
    GroupCommit<Integer, Integer> group =
        new GroupCommit<>(store::batch, store::single, 5, 2, sizes::add);
    int threads = 16;
    int perThread = 40;
    CountDownLatch go = new CountDownLatch(1);
    List<Future<List<Integer>>> results = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int base = t * perThread;
      results.add(
          pool.submit(
              () -> {
                go.await();
                List<Integer> answers = new ArrayList<>();
                for (int i = base; i < base + perThread; i++) {
                  answers.add(group.submit(i));
                }
                return answers;
              }));
    }
    go.countDown();
    for (int t = 0; t < threads; t++) {
      List<Integer> expected = new ArrayList<>();
      for (int i = t * perThread; i < (t + 1) * perThread; i++) {
        expected.add(i * 2);
      }
      assertThat(results.get(t).get(60, TimeUnit.SECONDS)).isEqualTo(expected);
    }

    int total = threads * perThread;
    assertThat(store.commits).hasSize(total);
    assertThat(store.commits.values()).allMatch(n -> n == 1);
    assertThat(store.mostAtOnce.get()).isBetween(1, 2);
    assertThat(store.batches).allMatch(b -> b.size() >= 2 && b.size() <= 5);
    assertThat(store.batches).as("16 threads on 2 transactions must share some").isNotEmpty();
    assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(total);
  }

  /**
   * Holds the first request's transaction while {@code others} queue behind it (one transaction at
   * a time), then answers what each queued request got.
   */
  private List<Object> queuedBehindOne(
      Function<List<Integer>, List<Integer>> batch, Function<Integer, Integer> single)
      throws Exception {
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    GroupCommit<Integer, Integer> group =
        new GroupCommit<>(
            batch,
            item -> {
              if (item == 0) {
                holding.countDown();
                await(release);
              }
              return single.apply(item);
            },
            64,
            1,
            n -> {});
    Future<Integer> first = pool.submit(() -> group.submit(0));
    assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
    List<Thread> waiting = new CopyOnWriteArrayList<>();
    List<Future<Object>> queued = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      int item = i;
      queued.add(
          pool.submit(
              () -> {
                waiting.add(Thread.currentThread());
                try {
                  return group.submit(item);
                } catch (RuntimeException e) {
                  return e;
                }
              }));
    }
    awaitQueued(waiting, 4);
    release.countDown();
    assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(0);
    List<Object> answers = new ArrayList<>();
    for (Future<Object> f : queued) {
      answers.add(f.get(30, TimeUnit.SECONDS));
    }
    return answers;
  }

  private static boolean waitsInQueue(Thread t) {
    return t.getState() == Thread.State.WAITING
        && Arrays.stream(t.getStackTrace())
            .anyMatch(
                f ->
                    f.getClassName().endsWith("GroupCommit$Slot")
                        && f.getMethodName().equals("await"));
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void requestsQueuedDuringATransactionAreCommittedTogetherByOneOfThem() throws Exception {
    Store store = new Store();
    List<Object> answers = queuedBehindOne(store::batch, store::single);

    assertThat(answers).containsExactly(2, 4, 6, 8);
    assertThat(store.batches).hasSize(1);
    assertThat(store.batches.get(0)).containsExactlyInAnyOrder(1, 2, 3, 4);
    assertThat(store.alone).containsExactly(0);
  }

  @Test
  void aBatchThatFailsBeforeItsCommitIsRetriedAloneSoOnlyTheBadItemFails() throws Exception {
    Store store = new Store();
    List<List<Integer>> failedBatches = new CopyOnWriteArrayList<>();
    List<Object> answers =
        queuedBehindOne(
            items -> {
              if (items.contains(3)) {
                failedBatches.add(List.copyOf(items));
                throw new GroupCommit.RetryAlone(new IllegalStateException("statement failed"));
              }
              return store.batch(items);
            },
            item -> {
              if (item == 3) {
                throw new IllegalArgumentException("item 3 is bad");
              }
              return store.single(item);
            });

    assertThat(failedBatches).hasSize(1);
    assertThat(failedBatches.get(0)).hasSize(4);
    assertThat(answers.get(0)).isEqualTo(2);
    assertThat(answers.get(1)).isEqualTo(4);
    assertThat(answers.get(2))
        .isInstanceOfSatisfying(
            IllegalArgumentException.class, e -> assertThat(e).hasMessage("item 3 is bad"));
    assertThat(answers.get(3)).isEqualTo(8);
    assertThat(store.alone).containsExactlyInAnyOrder(0, 1, 2, 4);
    assertThat(store.commits.values()).allMatch(n -> n == 1);
  }

  @Test
  void aBatchThatFailsAtItsCommitIsEveryItemsAnswerAndIsNotRetried() throws Exception {
    Store store = new Store();
    IllegalStateException atCommit = new IllegalStateException("commit failed");
    List<Object> answers =
        queuedBehindOne(
            items -> {
              throw atCommit;
            },
            store::single);

    assertThat(answers).containsExactly(atCommit, atCommit, atCommit, atCommit);
    assertThat(store.alone).containsExactly(0);
  }

  @Test
  void anInterruptedWaitingThreadLeadsItsGroupUninterruptedAndKeepsItsInterruptForItself()
      throws Exception {
    Store store = new Store();
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<Boolean> batchSawInterrupt = new CopyOnWriteArrayList<>();
    GroupCommit<Integer, Integer> group =
        new GroupCommit<>(
            items -> {
              batchSawInterrupt.add(Thread.currentThread().isInterrupted());
              return store.batch(items);
            },
            item -> {
              if (item == 0) {
                holding.countDown();
                await(release);
              }
              return store.single(item);
            },
            64,
            1,
            n -> {});
    Future<Integer> first = pool.submit(() -> group.submit(0));
    assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
    // item 1 queues first, so its thread is the one handed the group
    List<Thread> oldest = new CopyOnWriteArrayList<>();
    Future<Object[]> led =
        pool.submit(
            () -> {
              oldest.add(Thread.currentThread());
              int answer = group.submit(1);
              return new Object[] {answer, Thread.currentThread().isInterrupted()};
            });
    awaitQueued(oldest);
    List<Thread> others = new CopyOnWriteArrayList<>();
    List<Future<Integer>> rest = new ArrayList<>();
    for (int i = 2; i <= 3; i++) {
      int item = i;
      rest.add(
          pool.submit(
              () -> {
                others.add(Thread.currentThread());
                return group.submit(item);
              }));
    }
    awaitQueued(others, 2);
    // interrupted while queued: it must still wait for, lead and answer its group
    oldest.get(0).interrupt();
    release.countDown();

    assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(0);
    Object[] mine = led.get(30, TimeUnit.SECONDS);
    assertThat(mine[0]).isEqualTo(2);
    assertThat(mine[1]).as("its interrupt, kept for its caller").isEqualTo(true);
    assertThat(rest.get(0).get(30, TimeUnit.SECONDS)).isEqualTo(4);
    assertThat(rest.get(1).get(30, TimeUnit.SECONDS)).isEqualTo(6);
    assertThat(store.batches).containsExactly(List.of(1, 2, 3));
    assertThat(batchSawInterrupt).containsExactly(false);
  }

  private static void awaitQueued(List<Thread> threads) throws InterruptedException {
    awaitQueued(threads, 1);
  }

  private static void awaitQueued(List<Thread> threads, int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (threads.size() < count || !threads.stream().allMatch(GroupCommitTest::waitsInQueue)) {
      assertThat(System.nanoTime()).as("requests queued").isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  @Test
  void aBatchSizeOfOneTurnsGroupingOffSoRequestsCommitAloneAndUnqueued() throws Exception {
    Store store = new Store();
    CountDownLatch inside = new CountDownLatch(3);
    CountDownLatch release = new CountDownLatch(1);
    GroupCommit<Integer, Integer> group =
        new GroupCommit<>(
            store::batch,
            item -> {
              inside.countDown();
              await(release);
              return store.single(item);
            },
            1,
            1,
            n -> {});
    List<Future<Integer>> answers = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      int item = i;
      answers.add(pool.submit(() -> group.submit(item)));
    }
    // all three are inside their own transaction at once, despite one transaction at a time
    assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();
    release.countDown();
    for (int i = 0; i < 3; i++) {
      assertThat(answers.get(i).get(30, TimeUnit.SECONDS)).isEqualTo((i + 1) * 2);
    }
    assertThat(store.batches).isEmpty();
  }

  @Test
  void limitsBelowOneAreRefused() {
    Store store = new Store();
    assertThatThrownBy(() -> new GroupCommit<>(store::batch, store::single, 0, 1, n -> {}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new GroupCommit<>(store::batch, store::single, 1, 0, n -> {}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
