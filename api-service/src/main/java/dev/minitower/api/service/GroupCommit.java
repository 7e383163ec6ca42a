package dev.minitower.api.service;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * Commits work that arrives together in one transaction (a group commit), without a timer: a
 * request that finds fewer than {@code maxInFlight} batches running commits at once, alone (the
 * queue is empty then); one that finds them all busy queues, and the first batch to finish hands
 * the queue (up to {@code maxBatch} items) to one of the waiting threads, which commits it for all
 * of them. So an idle service adds no latency to a request, and a busy one commits as many requests
 * per transaction as arrived during the previous one.
 *
 * <p>A batch is all or nothing. When its work fails before the commit ({@code batch} throws {@link
 * RetryAlone}: nothing was committed), each of its items is committed again alone by {@code
 * single}, so that one bad item fails with its own error and the others succeed as they would have
 * alone. Any other failure (e.g. at the commit itself, where the outcome may be unknown) is every
 * item's answer, as it would have been alone: retrying then could commit an item twice. Items a
 * batch answers with a refusal of their own are not retried.
 *
 * <p>With {@code maxBatch} 1 there is no grouping: each item commits alone on its own thread at
 * once, however many are running ({@code maxInFlight} does not apply).
 *
 * <p>Callers block (the worker threads of a blocking endpoint); nothing here spawns a thread.
 *
 * @param <I> one request
 * @param <O> its answer
 */
final class GroupCommit<I, O> {
  private final Function<List<I>, List<O>> batch;
  private final Function<I, O> single;
  private final int maxBatch;
  private final int maxInFlight;
  private final IntConsumer committed;

  private final ArrayDeque<Slot<I, O>> queue = new ArrayDeque<>();
  private int inFlight;

  /**
   * @param batch commits several items in one transaction, answering each in order
   * @param single commits one item in its own transaction (also the fallback of a failed batch)
   * @param committed told the size of each batch committed (metrics)
   */
  GroupCommit(
      Function<List<I>, List<O>> batch,
      Function<I, O> single,
      int maxBatch,
      int maxInFlight,
      IntConsumer committed) {
    if (maxBatch < 1 || maxInFlight < 1) {
      throw new IllegalArgumentException("maxBatch and maxInFlight must be at least 1");
    }
    this.batch = batch;
    this.single = single;
    this.maxBatch = maxBatch;
    this.maxInFlight = maxInFlight;
    this.committed = committed;
  }

  /** Commits {@code item}, alone or with others, and answers it (or throws its own error). */
  O submit(I item) {
    if (maxBatch == 1) {
      O answer = single.apply(item);
      committed.accept(1);
      return answer;
    }
    Slot<I, O> mine = new Slot<>(item);
    boolean lead;
    synchronized (queue) {
      // the queue holds items only while every transaction is taken
      lead = inFlight < maxInFlight;
      if (lead) {
        inFlight++;
      } else {
        queue.add(mine);
      }
    }
    if (lead) {
      commit(List.of(mine));
      handOff();
    }
    return mine.await(this);
  }

  /**
   * After a batch: the queue (up to {@code maxBatch} items) goes to the thread of its oldest item,
   * which commits it for all of them and hands off in turn; with nothing queued, the transaction's
   * place is freed.
   */
  private void handOff() {
    List<Slot<I, O>> next;
    synchronized (queue) {
      if (queue.isEmpty()) {
        inFlight--;
        return;
      }
      next = new ArrayList<>(Math.min(queue.size(), maxBatch));
      while (!queue.isEmpty() && next.size() < maxBatch) {
        next.add(queue.poll());
      }
    }
    next.get(0).lead(next);
  }

  /** Called by a waiting thread that was handed a batch (its own item first). */
  void leadHandedOff(List<Slot<I, O>> batch) {
    commit(batch);
    handOff();
  }

  /** Commits one batch and answers every item of it; never throws (it runs for other threads). */
  private void commit(List<Slot<I, O>> slots) {
    try {
      if (slots.size() == 1) {
        commitAlone(slots.get(0));
        return;
      }
      List<I> items = new ArrayList<>(slots.size());
      for (Slot<I, O> s : slots) {
        items.add(s.item);
      }
      List<O> answers;
      try {
        answers = batch.apply(items);
        if (answers.size() != items.size()) {
          throw new IllegalStateException(
              "a batch of " + items.size() + " answered " + answers.size());
        }
      } catch (RetryAlone beforeCommit) {
        for (Slot<I, O> s : slots) {
          commitAlone(s);
        }
        return;
      } catch (RuntimeException failed) {
        for (Slot<I, O> s : slots) {
          s.answer(null, failed);
        }
        return;
      }
      for (int i = 0; i < slots.size(); i++) {
        slots.get(i).answer(answers.get(i), null);
      }
      committed.accept(slots.size());
    } catch (Throwable t) {
      // an Error (or the metric callback failing): every item not yet answered gets it
      for (Slot<I, O> s : slots) {
        s.answer(null, t);
      }
    }
  }

  private void commitAlone(Slot<I, O> slot) {
    O answer;
    try {
      answer = single.apply(slot.item);
    } catch (RuntimeException e) {
      slot.answer(null, e);
      return;
    }
    slot.answer(answer, null);
    committed.accept(1);
  }

  /** Thrown by a batch whose work failed before its commit: its items are committed alone. */
  static final class RetryAlone extends RuntimeException {
    RetryAlone(RuntimeException cause) {
      super(cause);
    }
  }

  /** One queued item: its answer once committed, or the batch its thread is handed to lead. */
  static final class Slot<I, O> {
    private final I item;
    private boolean done;
    private O answer;
    private Throwable error;
    private List<Slot<I, O>> toLead;

    Slot(I item) {
      this.item = item;
    }

    synchronized void answer(O value, Throwable failure) {
      if (done) {
        return;
      }
      answer = value;
      error = failure;
      done = true;
      notifyAll();
    }

    synchronized void lead(List<Slot<I, O>> batch) {
      toLead = batch;
      notifyAll();
    }

    O await(GroupCommit<I, O> owner) {
      // An interrupt is kept for this thread's own answer: a batch led for other requests must
      // not run on an interrupted thread (the pool would refuse it a connection).
      boolean interrupted = false;
      try {
        while (true) {
          List<Slot<I, O>> batch;
          synchronized (this) {
            while (!done && toLead == null) {
              try {
                wait();
              } catch (InterruptedException e) {
                // the item is queued or being committed: its outcome must still be answered
                interrupted = true;
              }
            }
            if (done && toLead == null) {
              if (error instanceof RuntimeException r) {
                throw r;
              }
              if (error instanceof Error e) {
                throw e;
              }
              if (error != null) {
                throw new IllegalStateException(error);
              }
              return answer;
            }
            batch = toLead;
            toLead = null;
          }
          owner.leadHandedOff(batch);
        }
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
