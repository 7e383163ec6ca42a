package dev.minitower.store.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.minitower.model.error.Refusal.Reason;
import dev.minitower.store.jdbc.StoreException;
import dev.minitower.store.runs.RunRecords.CreateOutcome;
import dev.minitower.store.runs.RunRecords.CreatedRun;
import dev.minitower.store.runs.RunRecords.NewRun;
import dev.minitower.testsupport.DbFixtures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link RunLifecycle#createAll}, the statement behind api-service's group commit: several creates
 * in one insert and one transaction, each answered as it would be alone.
 */
@QuarkusTest
class RunCreateBatchTest {
  @Inject RunLifecycle lifecycle;
  @Inject RunQueries runQueries;
  @Inject DbFixtures fixtures;

  private static NewRun run(
      DbFixtures.App app, long teamId, String input, String key, String hash) {
    return new NewRun(
        teamId,
        app.appId(),
        app.versionId(),
        app.envId(),
        app.env(),
        input,
        0,
        0,
        false,
        key,
        hash,
        null);
  }

  private static NewRun run(DbFixtures.App app, String input) {
    return run(app, app.teamId(), input, null, null);
  }

  private List<CreateOutcome> createAll(List<NewRun> runs) {
    return QuarkusTransaction.requiringNew().call(() -> lifecycle.createAll(runs));
  }

  private List<Long> createdEventKeys(long appId) {
    return fixtures.longs(
        "SELECT message_key::bigint FROM outbox WHERE event_type = 'dev.minitower.run.created'"
            + " AND message_key::bigint IN (SELECT id FROM runs WHERE app_id = ?) ORDER BY id",
        appId);
  }

  @Test
  void eachCreateOfABatchIsAnsweredAsAloneNumberedAndAnnouncedInOrder() {
    DbFixtures.App a = fixtures.app(DbFixtures.uniqueEnvironment());
    DbFixtures.App b = fixtures.app(DbFixtures.uniqueEnvironment());

    List<CreateOutcome> out =
        createAll(
            List.of(
                run(a, "{\"n\": 1}"),
                run(b, null),
                run(a, "{\"n\": 2}"),
                run(b, a.teamId(), null, null, null), // b's app under a's team: not a's
                run(a, "{\"n\": 3}")));

    assertThat(out).hasSize(5);
    assertThat(out.get(3).run()).isNull();
    assertThat(out.get(3).refusal().reason()).isEqualTo(Reason.NOT_FOUND);
    assertThat(out.get(3).refusal()).hasMessage("app not found");
    List<CreatedRun> ofA = List.of(out.get(0).run(), out.get(2).run(), out.get(4).run());
    assertThat(ofA).extracting(CreatedRun::runNo).containsExactly(1L, 2L, 3L);
    assertThat(ofA)
        .extracting(r -> r.view().input())
        .containsExactly("{\"n\": 1}", "{\"n\": 2}", "{\"n\": 3}");
    assertThat(out.get(1).run().runNo()).isEqualTo(1L);
    for (CreateOutcome o : List.of(out.get(0), out.get(1), out.get(2), out.get(4))) {
      assertThat(o.refusal()).isNull();
      assertThat(o.run().replayed()).isFalse();
      long team = o.run().view().appSlug().equals(a.appSlug()) ? a.teamId() : b.teamId();
      assertThat(o.run().view()).isEqualTo(runQueries.find(team, o.run().runId()).orElseThrow());
    }
    // one created event per new run, in the batch's order; nothing for the refused create
    assertThat(createdEventKeys(a.appId()))
        .containsExactly(ofA.get(0).runId(), ofA.get(1).runId(), ofA.get(2).runId());
    assertThat(createdEventKeys(b.appId())).containsExactly(out.get(1).run().runId());
    assertThat(fixtures.count("SELECT count(*) FROM runs WHERE app_id = ?", b.appId()))
        .isEqualTo(1);
  }

  @Test
  void idempotencyKeysInABatchReplayConflictOrCreateOnceEachAsAlone() {
    DbFixtures.App a = fixtures.app(DbFixtures.uniqueEnvironment());
    CreatedRun earlier = createAll(List.of(run(a, a.teamId(), null, "k0", "h0"))).get(0).orThrow();

    List<CreateOutcome> out =
        createAll(
            List.of(
                run(a, a.teamId(), null, "k0", "h0"), // replays the earlier run
                run(a, a.teamId(), "{}", "k0", "other"), // same key, another request
                run(a, a.teamId(), null, "k1", "h1"), // new
                run(a, a.teamId(), null, "k1", "h1"), // replays the one just above
                run(a, null)));

    assertThat(out.get(0).run().replayed()).isTrue();
    assertThat(out.get(0).run().runId()).isEqualTo(earlier.runId());
    assertThat(out.get(1).refusal().reason()).isEqualTo(Reason.CONFLICT);
    assertThat(out.get(2).run().replayed()).isFalse();
    assertThat(out.get(3).run().replayed()).isTrue();
    assertThat(out.get(3).run().runId()).isEqualTo(out.get(2).run().runId());
    assertThat(out.get(4).run().replayed()).isFalse();
    assertThat(fixtures.count("SELECT count(*) FROM runs WHERE app_id = ?", a.appId()))
        .isEqualTo(3);
    // inserted in key order, a create without a key first (see the next test)
    assertThat(createdEventKeys(a.appId()))
        .containsExactly(earlier.runId(), out.get(4).run().runId(), out.get(2).run().runId());
  }

  @Test
  void keyedCreatesAreInsertedInKeyOrderSoTwoGroupsNeverWaitForEachOthersKeysInTurn() {
    DbFixtures.App a = fixtures.app(DbFixtures.uniqueEnvironment());

    List<CreateOutcome> out =
        createAll(
            List.of(
                run(a, a.teamId(), null, "k-c", "h"),
                run(a, a.teamId(), null, "k-a", "h"),
                run(a, a.teamId(), null, "k-b", "h")));

    // ids (drawn in insertion order) follow the keys, whatever the order of arrival
    long c = out.get(0).run().runId();
    long first = out.get(1).run().runId();
    long b = out.get(2).run().runId();
    assertThat(first).isLessThan(b);
    assertThat(b).isLessThan(c);
    assertThat(out.get(1).run().runNo()).isEqualTo(1L);
    assertThat(out.get(0).run().runNo()).isEqualTo(3L);
  }

  @Test
  void textThatArrayLiteralsQuoteComesBackUnchanged() {
    DbFixtures.App a = fixtures.app(DbFixtures.uniqueEnvironment());
    String[] inputs = {
      "{\"s\": \"a\\\"b\\\\c{d},e\"}",
      "{\"s\": \"NULL\"}",
      "{\"s\": \"ü 🚀 'x' ,}{\"}",
      "{\"s\": \"\\t\\n tab and newline\"}"
    };
    String[] keys = {"NULL", "\"quoted\"", "back\\slash,{}", " "};
    List<NewRun> runs = new ArrayList<>();
    for (int i = 0; i < inputs.length; i++) {
      runs.add(run(a, a.teamId(), inputs[i], keys[i], "h" + i));
    }

    List<CreateOutcome> out = createAll(runs);

    for (int i = 0; i < inputs.length; i++) {
      CreatedRun created = out.get(i).orThrow();
      assertThat(created.replayed()).isFalse();
      assertThat(fixtures.string("SELECT input::text FROM runs WHERE id = ?", created.runId()))
          .isEqualTo(fixtures.string("SELECT ?::jsonb::text", inputs[i]));
      assertThat(fixtures.string("SELECT idempotency_key FROM runs WHERE id = ?", created.runId()))
          .isEqualTo(keys[i]);
    }
    // the keys are stored as given: each replays its own run
    List<CreateOutcome> again = createAll(runs);
    for (int i = 0; i < inputs.length; i++) {
      assertThat(again.get(i).orThrow().replayed()).isTrue();
      assertThat(again.get(i).orThrow().runId()).isEqualTo(out.get(i).run().runId());
    }
  }

  @Test
  void aStatementThatFailsForOneCreateFailsTheBatchAndLeavesNothing() {
    DbFixtures.App a = fixtures.app(DbFixtures.uniqueEnvironment());
    NewRun noSuchVersion =
        new NewRun(
            a.teamId(),
            a.appId(),
            Long.MAX_VALUE,
            a.envId(),
            a.env(),
            null,
            0,
            0,
            false,
            null,
            null,
            null);

    assertThatThrownBy(() -> createAll(List.of(run(a, null), noSuchVersion, run(a, null))))
        .isInstanceOf(StoreException.class);

    assertThat(fixtures.count("SELECT count(*) FROM runs WHERE app_id = ?", a.appId())).isZero();
    assertThat(createdEventKeys(a.appId())).isEmpty();
    // the batch's numbers are spent, as a rolled-back create's always were; the next is unique
    assertThat(createAll(List.of(run(a, null))).get(0).orThrow().runNo()).isPositive();
  }
}
