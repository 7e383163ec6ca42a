package dev.minitower.platform.pg;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/** Which failures mean "the database cannot be reached" (503) and which are a statement's (500). */
class DatabaseAvailabilityTest {

  private static RuntimeException wrapped(Throwable cause) {
    return new RuntimeException("store failed", new IllegalStateException("tx", cause));
  }

  @Test
  void connectionFailuresShutdownsAndPoolTimeoutsAreUnavailable() {
    for (String state :
        new String[] {"08001", "08006", "08003", "57P01", "57P02", "57P03", "53300"}) {
      assertThat(DatabaseAvailability.isUnavailable(wrapped(new SQLException("x", state))))
          .as(state)
          .isTrue();
    }
    assertThat(
            DatabaseAvailability.isUnavailable(
                wrapped(new SQLException("Sorry, acquisition timeout!"))))
        .isTrue();
    assertThat(
            DatabaseAvailability.isUnavailable(
                new SQLTransientConnectionException("refused", "08001")))
        .isTrue();
    SQLException batch = new SQLException("batch failed", "XX000");
    batch.setNextException(new SQLException("I/O error", "08006"));
    assertThat(DatabaseAvailability.isUnavailable(batch)).isTrue();
  }

  @Test
  void statementFailuresAreNot() {
    for (String state : new String[] {"23505", "57014", "40001", "42P01", "XX000"}) {
      assertThat(DatabaseAvailability.isUnavailable(wrapped(new SQLException("x", state))))
          .as(state)
          .isFalse();
    }
    assertThat(DatabaseAvailability.isUnavailable(new SQLException("no state"))).isFalse();
    assertThat(DatabaseAvailability.isUnavailable(new IllegalStateException("boom"))).isFalse();
  }

  @Test
  void aCyclicCauseChainEnds() {
    RuntimeException a = new RuntimeException("a");
    RuntimeException b = new RuntimeException("b", a);
    a.initCause(b);
    assertThat(DatabaseAvailability.isUnavailable(a)).isFalse();
  }
}
