package dev.minitower.agent.exec;

import dev.minitower.model.runner.LeaseResponse;
import java.time.Instant;
import java.util.List;

/**
 * The runs granted with a result that asked for its next lease ({@code next} of the result call):
 * the leases, the answer's {@code Date} and when the answering request was sent (for the lease's
 * local deadline, as a heartbeat counts it).
 */
public record NextLeases(List<LeaseResponse> leases, Instant serverDate, long sentAtNanos) {
  public static final NextLeases NONE = new NextLeases(List.of(), null, 0);
}
