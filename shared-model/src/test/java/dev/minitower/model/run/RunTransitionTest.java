package dev.minitower.model.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RunTransitionTest {

  @ParameterizedTest
  @EnumSource(
      value = RunStatus.class,
      names = {"COMPLETED", "FAILED", "CANCELLED", "DEAD"})
  void terminalStatusesAreNeverLeft(RunStatus terminal) {
    for (RunStatus target : RunStatus.values()) {
      assertThat(RunTransition.isAllowed(terminal, target))
          .as("%s -> %s", terminal, target)
          .isFalse();
    }
  }

  @Test
  void queuedRunIsLeasedOrCancelledOnly() {
    assertThat(RunTransition.isAllowed(RunStatus.QUEUED, RunStatus.LEASED)).isTrue();
    assertThat(RunTransition.isAllowed(RunStatus.QUEUED, RunStatus.CANCELLED)).isTrue();
    assertThat(RunTransition.isAllowed(RunStatus.QUEUED, RunStatus.RUNNING)).isFalse();
    assertThat(RunTransition.isAllowed(RunStatus.QUEUED, RunStatus.COMPLETED)).isFalse();
    assertThat(RunTransition.isAllowed(RunStatus.QUEUED, RunStatus.DEAD)).isFalse();
  }

  @Test
  void cancellingRunAcceptsOnlyCancellation() {
    for (RunStatus target : RunStatus.values()) {
      boolean expected = target == RunStatus.CANCELLED || target == RunStatus.CANCELLING;
      assertThat(RunTransition.isAllowed(RunStatus.CANCELLING, target))
          .as("cancelling -> %s", target)
          .isEqualTo(expected);
    }
  }

  @Test
  void startNeverOverwritesCancelling() {
    assertThat(RunTransition.START.allowedFrom(RunStatus.CANCELLING)).isFalse();
  }

  @Test
  void lostLeaseRequeuesOrKills() {
    assertThat(RunTransition.REQUEUE_EXPIRED.to()).isEqualTo(RunStatus.QUEUED);
    assertThat(RunTransition.EXPIRE_DEAD.to()).isEqualTo(RunStatus.DEAD);
    assertThat(RunTransition.EXPIRE_CANCELLED.allowedFrom(RunStatus.CANCELLING)).isTrue();
    assertThat(RunTransition.REQUEUE_EXPIRED.allowedFrom(RunStatus.CANCELLING)).isFalse();
  }

  @Test
  void everyTransitionTargetOutsideItsSourcesExceptSelfLoops() {
    for (RunTransition t : RunTransition.values()) {
      assertThat(t.from()).as(t.name()).isNotEmpty();
      assertThat(t.from()).as(t.name()).allMatch(s -> !s.isTerminal());
    }
  }

  @Test
  void wireNamesRoundTrip() {
    for (RunStatus s : RunStatus.values()) {
      assertThat(RunStatus.fromWire(s.wire())).isEqualTo(s);
    }
    for (AttemptStatus s : AttemptStatus.values()) {
      assertThat(AttemptStatus.fromWire(s.wire())).isEqualTo(s);
    }
    assertThatThrownBy(() -> RunStatus.fromWire("QUEUED"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void liveAndTerminalAttemptStatusesPartitionAll() {
    for (AttemptStatus s : AttemptStatus.values()) {
      assertThat(s.isLive() ^ s.isTerminal()).as(s.name()).isTrue();
    }
    for (RunStatus s : RunStatus.values()) {
      assertThat(s.isTerminal() && s.isActive()).as(s.name()).isFalse();
    }
  }
}
