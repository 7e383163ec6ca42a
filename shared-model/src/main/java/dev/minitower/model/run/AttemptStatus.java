package dev.minitower.model.run;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** Status of one attempt (one lease) of a run. */
public enum AttemptStatus {
  LEASED,
  RUNNING,
  CANCELLING,
  COMPLETED,
  FAILED,
  CANCELLED,
  EXPIRED;

  /** A live attempt holds the run's lease; at most one per run (enforced by a unique index). */
  public static final Set<AttemptStatus> LIVE = EnumSet.of(LEASED, RUNNING, CANCELLING);

  public static final Set<AttemptStatus> TERMINAL =
      EnumSet.of(COMPLETED, FAILED, CANCELLED, EXPIRED);

  /** The wire spelling, made once (it is read for every row mapped and every view written). */
  private final String wire = name().toLowerCase(Locale.ROOT);

  private static final AttemptStatus[] ALL = values();

  public boolean isLive() {
    return LIVE.contains(this);
  }

  public boolean isTerminal() {
    return TERMINAL.contains(this);
  }

  public String wire() {
    return wire;
  }

  public static AttemptStatus fromWire(String value) {
    for (AttemptStatus s : ALL) {
      if (s.wire.equals(value)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown attempt status: " + value);
  }
}
