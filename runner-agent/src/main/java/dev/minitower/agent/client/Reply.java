package dev.minitower.agent.client;

import java.net.http.HttpHeaders;

/** Status, body and headers of one runner-service answer; {@code status} 0 = no answer. */
public record Reply(int status, String body, HttpHeaders headers, Exception failure) {

  static Reply noAnswer(Exception failure) {
    return new Reply(0, "", HttpHeaders.of(java.util.Map.of(), (a, b) -> true), failure);
  }

  public boolean ok() {
    return status == 200 || status == 201;
  }

  /** 410 or 409 on a lease-scoped call: the lease is lost for good. */
  public boolean leaseLost() {
    return status == 410 || status == 409;
  }

  /** Worth retrying: no answer, 5xx, 429 or 401 (a re-registration may be in progress). */
  public boolean transientFailure() {
    return status == 0 || status >= 500 || status == 429 || status == 401 || status == 408;
  }

  /** {@code <status> <body>} or the I/O error, for logs and error messages. */
  public String describe() {
    if (status == 0) {
      return failure == null ? "no answer" : failure.toString();
    }
    String b = body == null ? "" : body.strip();
    if (b.length() > 512) {
      b = b.substring(0, 512) + "...";
    }
    return status + " " + b;
  }
}
