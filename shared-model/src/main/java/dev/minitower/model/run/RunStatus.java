package dev.minitower.model.run;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** Status of a run, exactly the eight values of the original (wire and database spelling). */
public enum RunStatus {
  QUEUED,
  LEASED,
  RUNNING,
  CANCELLING,
  COMPLETED,
  FAILED,
  CANCELLED,
  DEAD;

  /** Statuses in which an attempt may be live. */
  public static final Set<RunStatus> ACTIVE = EnumSet.of(LEASED, RUNNING, CANCELLING);

  /** Statuses that are never left. */
  public static final Set<RunStatus> TERMINAL = EnumSet.of(COMPLETED, FAILED, CANCELLED, DEAD);

  /** The wire spelling, made once (it is read for every row mapped and every view written). */
  private final String wire = name().toLowerCase(Locale.ROOT);

  private static final RunStatus[] ALL = values();

  public boolean isTerminal() {
    return TERMINAL.contains(this);
  }

  public boolean isActive() {
    return ACTIVE.contains(this);
  }

  /** The lower-case name used on the wire and in the database. */
  public String wire() {
    return wire;
  }

  /**
   * Parses the wire spelling.
   *
   * @throws IllegalArgumentException for anything but the eight lower-case names
   */
  public static RunStatus fromWire(String value) {
    for (RunStatus s : ALL) {
      if (s.wire.equals(value)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown run status: " + value);
  }

  /**
   * Rank used by the team-wide run list of the original: running, leased, cancelling, queued, then
   * the terminal statuses.
   */
  public int listRank() {
    return switch (this) {
      case RUNNING -> 0;
      case LEASED -> 1;
      case CANCELLING -> 2;
      case QUEUED -> 3;
      case COMPLETED -> 4;
      case FAILED -> 5;
      case CANCELLED -> 6;
      case DEAD -> 7;
    };
  }
}
