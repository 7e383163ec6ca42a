package dev.minitower.store.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.minitower.model.run.RunStatus;
import dev.minitower.model.run.RunTransition;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The status guards written in {@link RunSql} agree with {@link RunTransition}, the one table of
 * allowed moves: each transition names the statement that performs it, the statuses that
 * statement's {@code WHERE} accepts, and the status it sets.
 */
class RunSqlGuardTest {
  private static final Pattern GUARD =
      Pattern.compile("r\\.status (?:= '(\\w+)'|IN \\(([^)]*)\\))");
  private static final Pattern SETS = Pattern.compile("SET status = (?:'(\\w+)'|\\?)");

  /**
   * How a transition is written in SQL. {@code leftAsIs}: statuses the transition allows that the
   * statement skips because the run already is where the transition leads (an idempotent start, a
   * repeated cancel request): nothing would change, so no row and no event.
   */
  record Written(String sql, Set<RunStatus> leftAsIs) {}

  private static final Map<RunTransition, Written> WRITTEN = new EnumMap<>(RunTransition.class);

  static {
    Set<RunStatus> none = EnumSet.noneOf(RunStatus.class);
    WRITTEN.put(RunTransition.LEASE, new Written(RunSql.LEASE, none));
    WRITTEN.put(RunTransition.START, new Written(RunSql.RUN_START, EnumSet.of(RunStatus.RUNNING)));
    WRITTEN.put(RunTransition.COMPLETE, new Written(RunSql.RUN_FINISH, none));
    WRITTEN.put(RunTransition.FAIL, new Written(RunSql.RUN_FINISH, none));
    WRITTEN.put(RunTransition.RETRY_AFTER_FAILURE, new Written(RunSql.REQUEUE_AFTER_FAILURE, none));
    WRITTEN.put(RunTransition.CONFIRM_CANCEL, new Written(RunSql.RUN_FINISH, none));
    WRITTEN.put(RunTransition.CANCEL_QUEUED, new Written(RunSql.CANCEL_QUEUED, none));
    WRITTEN.put(
        RunTransition.REQUEST_CANCEL,
        new Written(RunSql.REQUEST_CANCEL, EnumSet.of(RunStatus.CANCELLING)));
    WRITTEN.put(RunTransition.REQUEUE_EXPIRED, new Written(RunSql.REQUEUE_EXPIRED, none));
    WRITTEN.put(RunTransition.EXPIRE_DEAD, new Written(RunSql.RUN_FINISH, none));
    WRITTEN.put(RunTransition.EXPIRE_CANCELLED, new Written(RunSql.RUN_FINISH, none));
  }

  @Test
  void everyTransitionIsWrittenInSql() {
    assertThat(WRITTEN.keySet()).containsExactlyInAnyOrder(RunTransition.values());
  }

  @ParameterizedTest
  @EnumSource(RunTransition.class)
  void statementGuardsOnTheStatusesTheTransitionAllows(RunTransition t) {
    Written w = WRITTEN.get(t);
    Set<RunStatus> guard = guard(w.sql());
    if (w.sql().equals(RunSql.RUN_FINISH)) {
      // One statement ends a run in every way (the status is a parameter); the caller picks which
      // of these transitions it is, so the guard must admit each of them.
      assertThat(guard).containsAll(t.from());
    } else {
      Set<RunStatus> expected = t.from();
      expected.removeAll(w.leftAsIs());
      assertThat(guard).as(t + " guard").isEqualTo(expected);
    }
  }

  @ParameterizedTest
  @EnumSource(RunTransition.class)
  void statementSetsTheStatusTheTransitionLeadsTo(RunTransition t) {
    RunStatus set = sets(WRITTEN.get(t).sql());
    if (set == null) {
      // RUN_FINISH: the status is bound; the transitions through it all end the run.
      assertThat(t.to().isTerminal()).as(t + " ends the run").isTrue();
    } else {
      assertThat(set).as(t + " sets").isEqualTo(t.to());
    }
  }

  @Test
  void theRunFinishGuardIsExactlyTheUnionOfTheEndingTransitions() {
    Set<RunStatus> union = EnumSet.noneOf(RunStatus.class);
    WRITTEN.forEach(
        (t, w) -> {
          if (w.sql().equals(RunSql.RUN_FINISH)) {
            union.addAll(t.from());
          }
        });
    assertThat(guard(RunSql.RUN_FINISH)).isEqualTo(union);
  }

  @Test
  void theFusedLeaseAndStartClaimsWhatLeaseClaimsAndEndsWhereStartLeads() {
    assertThat(guard(RunSql.LEASE_AND_START)).isEqualTo(RunTransition.LEASE.from());
    assertThat(sets(RunSql.LEASE_AND_START)).isEqualTo(RunTransition.START.to());
  }

  /** Every status the statement's {@code r.status} conditions accept; all must agree. */
  private static Set<RunStatus> guard(String sql) {
    Matcher m = GUARD.matcher(sql);
    Set<RunStatus> seen = null;
    while (m.find()) {
      Set<RunStatus> these = EnumSet.noneOf(RunStatus.class);
      String list = m.group(1) != null ? "'" + m.group(1) + "'" : m.group(2);
      for (String part : list.split(",")) {
        these.add(RunStatus.fromWire(part.strip().replace("'", "")));
      }
      assertThat(seen == null || seen.equals(these))
          .as("every r.status condition of one statement agrees: " + sql)
          .isTrue();
      seen = these;
    }
    assertThat(seen).as("a status guard in " + sql).isNotNull();
    return seen;
  }

  /** The status the statement sets; null when it is a parameter. */
  private static RunStatus sets(String sql) {
    Matcher m = SETS.matcher(sql);
    assertThat(m.find()).as("SET status in " + sql).isTrue();
    return m.group(1) == null ? null : RunStatus.fromWire(m.group(1));
  }

  @Test
  void theResultStatementsRunTheCheckedRunUpdatesUnchanged() {
    // The result path ends attempt and run in one statement: its run part must be the very
    // statement whose guard the tests above check.
    assertThat(RunSql.FINISH_ATTEMPT_AND_RUN.replace(", af WHERE", " WHERE"))
        .startsWith("WITH af AS (" + RunSql.ATTEMPT_FINISH + ") ")
        .contains(RunSql.RUN_FINISH);
    assertThat(RunSql.FINISH_ATTEMPT_AND_REQUEUE.replace(", af WHERE", " WHERE"))
        .contains(RunSql.REQUEUE_AFTER_FAILURE)
        .contains("pg_notify('" + RunSql.QUEUED_CHANNEL + "'");
  }
}
