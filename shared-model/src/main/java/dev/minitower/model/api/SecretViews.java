package dev.minitower.model.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and response records of the secrets API. No response record has a value field. */
public final class SecretViews {
  private SecretViews() {}

  /** {@code PUT /api/v1/secrets/{name}}: the value and an optional environment scope. */
  public record PutSecret(String value, String environment) {
    /** Never prints the value (a record's default toString would). */
    @Override
    public String toString() {
      return "PutSecret[environment=" + environment + "]";
    }
  }

  /** A secret as listed: name, scope (null = every environment), a short fingerprint, times. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record SecretView(
      String name,
      @Schema(nullable = true) String environment,
      String fingerprint,
      String createdAt,
      String updatedAt) {}

  public record SecretList(List<SecretView> secrets) {}

  /** The operator's re-encryption: how many values moved, and how many remain under old keys. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Reencrypted(String keyId, long reencrypted, long remainingUnderOtherKeys) {}
}
