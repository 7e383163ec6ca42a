package dev.minitower.system.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

/** A runner speaking the protocol by hand (no agent): register, lease, start, logs, result. */
public final class Runner {
  public final String base;
  public final String token;

  public Runner(String base, String token) {
    this.base = base;
    this.token = token;
  }

  public static Runner register(String base, String name, String environment) {
    Http.Res r =
        Http.post(
            base + "/api/v1/runners/register",
            "runner-secret",
            "{\"name\":\"" + name + "\",\"environment\":\"" + environment + "\"}");
    assertThat(r.status()).as(r.toString()).isIn(200, 201);
    return new Runner(base, r.json().get("token").asText());
  }

  /** A granted lease. */
  public record Lease(long runId, long attemptId, int attemptNo, String leaseToken) {}

  /**
   * Leases one run (no waiting); null on 204, and on 409 (this runner still holds a lease, e.g. one
   * whose answer a load thread dropped: it expires after the TTL).
   */
  public Lease lease() {
    Http.Res r = Http.post(base + "/api/v1/runs/lease", token, (String) null);
    if (r.status() == 204 || r.status() == 409) {
      return null;
    }
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    JsonNode j = r.json();
    return new Lease(
        j.get("run_id").asLong(),
        j.get("attempt_id").asLong(),
        j.get("attempt_no").asInt(),
        j.get("lease_token").asText());
  }

  public Http.Res call(Lease l, String action, String body) {
    return Http.post(
        base + "/api/v1/runs/" + l.runId() + "/" + action,
        token,
        body,
        "X-Lease-Token",
        l.leaseToken());
  }

  public Http.Res call(long runId, String leaseToken, String action, String body) {
    return Http.post(
        base + "/api/v1/runs/" + runId + "/" + action, token, body, "X-Lease-Token", leaseToken);
  }

  /** A log batch of lines {@code from..to} (inclusive), seq = line number. */
  public static String batch(long from, long to, String prefix) {
    StringBuilder b = new StringBuilder("{\"logs\":[");
    for (long s = from; s <= to; s++) {
      if (s > from) {
        b.append(',');
      }
      b.append("{\"seq\":")
          .append(s)
          .append(",\"stream\":\"stdout\",\"line\":")
          .append(Http.q(prefix + s))
          .append('}');
    }
    return b.append("]}").toString();
  }
}
