package dev.minitower.api.service;

import dev.minitower.api.auth.Caller;
import dev.minitower.api.store.RunnerTokenStore;
import dev.minitower.model.api.Requests;
import dev.minitower.model.api.Views;
import dev.minitower.platform.error.ApiException;
import dev.minitower.platform.security.Secrets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * A team's runner registration tokens ({@code mrt_…}): runners registered with one serve only that
 * team. Admin only.
 */
@ApplicationScoped
public class RunnerTokenService {
  private final RunnerTokenStore store;
  private final Clock clock;

  public RunnerTokenService(RunnerTokenStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  @Transactional
  public Views.RunnerTokenCreated create(Caller caller, Requests.CreateRunnerToken req) {
    caller.requireAdmin();
    if (req.name() != null && req.name().codePointCount(0, req.name().length()) > 200) {
      throw ApiException.badRequest("name must be at most 200 characters");
    }
    OffsetDateTime expiresAt = Expiry.resolve(req.expiresInSeconds(), req.expiresAt(), clock);
    String token = Secrets.newToken(Secrets.RUNNER_REGISTRATION_PREFIX);
    RunnerTokenStore.RunnerTokenRow row =
        store.insert(caller.teamId(), Secrets.sha256Hex(token), req.name(), expiresAt);
    return new Views.RunnerTokenCreated(
        row.id(), token, row.name(), TokenService.format(expiresAt));
  }

  public Views.RunnerTokenList list(Caller caller) {
    caller.requireAdmin();
    return new Views.RunnerTokenList(
        store.list(caller.teamId()).stream()
            .map(
                r ->
                    new Views.RunnerTokenInfo(
                        r.id(),
                        r.name(),
                        TokenService.format(r.createdAt()),
                        TokenService.format(r.expiresAt()),
                        TokenService.format(r.revokedAt())))
            .toList());
  }

  @Transactional
  public void revoke(Caller caller, long id) {
    caller.requireAdmin();
    if (store.find(caller.teamId(), id).isEmpty()) {
      throw ApiException.notFound("runner token not found");
    }
    store.revoke(
        caller.teamId(), id, OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC));
  }
}
