package dev.minitower.store.runs;

/**
 * The PostgreSQL notification channels the transitions announce on at commit; the services {@code
 * LISTEN} on them.
 */
public final class RunChannels {
  private RunChannels() {}

  /** The channel runner-service listens on to wake long-polling leasers. */
  public static String queued() {
    return RunSql.QUEUED_CHANNEL;
  }

  /** The channel on which a cancel request announces the holding runner's id. */
  public static String cancel() {
    return RunSql.CANCEL_CHANNEL;
  }

  /** The channel on which log appends announce their run id (payload). */
  public static String logs() {
    return RunSql.LOGS_CHANNEL;
  }
}
