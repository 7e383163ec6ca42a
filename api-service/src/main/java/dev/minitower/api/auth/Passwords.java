package dev.minitower.api.auth;

import dev.minitower.api.config.ApiConfig;
import dev.minitower.platform.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import org.mindrot.jbcrypt.BCrypt;

/**
 * bcrypt for team passwords. bcrypt only reads 72 bytes, so longer passwords are refused with 400
 * instead of being silently truncated (the original answered 500, gap 7). A login for an unknown
 * team still runs one bcrypt check against a dummy hash so both cases take the same time (gap 5).
 */
@ApplicationScoped
public class Passwords {
  public static final int MAX_BYTES = 72;

  private final int cost;
  private final String dummyHash;

  public Passwords(ApiConfig config) {
    this.cost = config.bcryptCost();
    this.dummyHash = BCrypt.hashpw("minitower-dummy-password", BCrypt.gensalt(cost));
  }

  /** 400 when the password cannot be hashed faithfully. */
  public static void requireHashable(String password) {
    if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw ApiException.badRequest("password must be at most " + MAX_BYTES + " bytes");
    }
  }

  public String hash(String password) {
    requireHashable(password);
    return BCrypt.hashpw(password, BCrypt.gensalt(cost));
  }

  /** Checks {@code password} against {@code hash}; a null hash is checked against the dummy. */
  public boolean matches(String password, String hash) {
    boolean known = hash != null;
    boolean ok;
    try {
      ok = BCrypt.checkpw(password, known ? hash : dummyHash);
    } catch (IllegalArgumentException e) {
      ok = false;
    }
    return known && ok;
  }
}
