package dev.minitower.api.secrets;

import dev.minitower.api.auth.Caller;
import dev.minitower.api.secrets.TeamSecretsStore.SecretInfo;
import dev.minitower.api.secrets.TeamSecretsStore.StaleRow;
import dev.minitower.model.api.SecretViews.PutSecret;
import dev.minitower.model.api.SecretViews.Reencrypted;
import dev.minitower.model.api.SecretViews.SecretList;
import dev.minitower.model.api.SecretViews.SecretView;
import dev.minitower.model.run.EnvironmentNames;
import dev.minitower.model.secrets.SecretNames;
import dev.minitower.model.wire.WireTime;
import dev.minitower.platform.error.ApiException;
import dev.minitower.platform.secrets.SecretCipher;
import dev.minitower.platform.secrets.SecretCipher.Owner;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Team secrets: admins write, members list; values are encrypted before they reach the store and
 * never returned. Log lines name the team and the secret, never the value.
 */
@ApplicationScoped
public class TeamSecretsService {
  private static final Logger LOG = Logger.getLogger(TeamSecretsService.class);

  /** Most secrets one team may store (every scope counted). */
  static final int MAX_PER_TEAM = 500;

  private static final int REENCRYPT_BATCH = 100;

  private final TeamSecretsStore store;
  private final TeamSecretKeys keys;

  public TeamSecretsService(TeamSecretsStore store, TeamSecretKeys keys) {
    this.store = store;
    this.keys = keys;
  }

  /** Creates or replaces a secret; true when it was created. */
  @Transactional
  public Written put(Caller caller, String name, PutSecret req) {
    caller.requireAdmin();
    requireName(name);
    if (req.value() == null) {
      throw ApiException.badRequest("value is required");
    }
    int bytes = req.value().getBytes(StandardCharsets.UTF_8).length;
    if (bytes == 0) {
      throw ApiException.badRequest("value must not be empty");
    }
    if (bytes > SecretNames.MAX_VALUE_BYTES) {
      throw ApiException.badRequest(
          "value must be at most " + SecretNames.MAX_VALUE_BYTES + " bytes, got " + bytes);
    }
    String environment = environment(req.environment());
    SecretCipher cipher = keys.require();
    if (store.count(caller.teamId()) >= MAX_PER_TEAM
        && store.list(caller.teamId()).stream()
            .noneMatch(s -> s.name().equals(name) && eq(s.environment(), environment))) {
      throw ApiException.badRequest(
          "a team may store at most " + MAX_PER_TEAM + " secrets; delete one first");
    }
    SecretInfo info =
        store.upsert(
            caller.teamId(),
            name,
            environment,
            cipher.encrypt(req.value(), new Owner(caller.teamId(), name, environment)),
            cipher.fingerprint(req.value()));
    LOG.infof(
        "secret %s %s for team %s%s",
        name,
        info.inserted() ? "created" : "replaced",
        caller.teamSlug(),
        environment == null ? "" : " (environment " + environment + ")");
    return new Written(view(info), info.inserted());
  }

  /** A written secret and whether it is new. */
  public record Written(SecretView view, boolean created) {}

  public SecretList list(Caller caller) {
    return new SecretList(
        store.list(caller.teamId()).stream().map(TeamSecretsService::view).toList());
  }

  @Transactional
  public void delete(Caller caller, String name, String environmentParam) {
    caller.requireAdmin();
    requireName(name);
    String environment = environment(environmentParam);
    if (!store.delete(caller.teamId(), name, environment)) {
      throw ApiException.notFound("secret not found");
    }
    LOG.infof("secret %s deleted for team %s", name, caller.teamSlug());
  }

  /**
   * Moves every value stored under an old key to the current key, one short transaction per batch
   * (a concurrent write of the same secret wins: its row is skipped, it is already current).
   */
  public Reencrypted reencrypt() {
    SecretCipher cipher = keys.require();
    long moved = 0;
    while (true) {
      Integer batch =
          QuarkusTransaction.requiringNew()
              .call(
                  () -> {
                    List<StaleRow> rows = store.notUnder(cipher.currentKeyId(), REENCRYPT_BATCH);
                    int n = 0;
                    for (StaleRow row : rows) {
                      Owner owner = new Owner(row.teamId(), row.name(), row.environment());
                      String value = cipher.decrypt(row.sealed(), owner);
                      if (store.reseal(
                          row.id(),
                          row.sealed().keyId(),
                          cipher.encrypt(value, owner),
                          cipher.fingerprint(value))) {
                        n++;
                      }
                    }
                    return rows.isEmpty() ? -1 : n;
                  });
      if (batch < 0) {
        break;
      }
      moved += batch;
    }
    long remaining = store.countNotUnder(cipher.currentKeyId());
    LOG.infof(
        "re-encrypted %d secret(s) under key id %s; %d remain under other keys",
        moved, cipher.currentKeyId(), remaining);
    return new Reencrypted(cipher.currentKeyId(), moved, remaining);
  }

  private static void requireName(String name) {
    SecretNames.violation(name)
        .ifPresent(
            m -> {
              throw ApiException.badRequest(m);
            });
  }

  private static String environment(String environment) {
    if (environment == null) {
      return null;
    }
    if (!EnvironmentNames.isValid(environment)) {
      throw ApiException.badRequest("environment: " + EnvironmentNames.RULE);
    }
    return environment;
  }

  private static boolean eq(String a, String b) {
    return a == null ? b == null : a.equals(b);
  }

  private static SecretView view(SecretInfo s) {
    return new SecretView(
        s.name(), s.environment(), s.fingerprint(), format(s.createdAt()), format(s.updatedAt()));
  }

  private static String format(OffsetDateTime t) {
    return t == null ? null : WireTime.format(t.toInstant());
  }
}
