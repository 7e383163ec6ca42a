package dev.minitower.api.service;

import dev.minitower.api.auth.Caller;
import dev.minitower.api.auth.Passwords;
import dev.minitower.api.auth.RateLimiter;
import dev.minitower.api.config.ApiConfig;
import dev.minitower.api.store.EnvironmentStore;
import dev.minitower.api.store.TeamStore;
import dev.minitower.api.store.TokenStore;
import dev.minitower.model.api.Requests;
import dev.minitower.model.api.Views;
import dev.minitower.platform.error.ApiException;
import dev.minitower.platform.security.Secrets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Teams: signup, login and bootstrap. Each runs in one transaction (the original's gap 19): a team
 * is created together with its password, its {@code default} environment and its first token, or
 * not at all.
 */
@ApplicationScoped
public class TeamService {
  static final int MAX_NAME = 200;

  private final ApiConfig config;
  private final TeamStore teams;
  private final TokenStore tokens;
  private final EnvironmentStore environments;
  private final Passwords passwords;
  private final RateLimiter rateLimiter;

  public TeamService(
      ApiConfig config,
      TeamStore teams,
      TokenStore tokens,
      EnvironmentStore environments,
      Passwords passwords,
      RateLimiter rateLimiter) {
    this.config = config;
    this.teams = teams;
    this.tokens = tokens;
    this.environments = environments;
    this.passwords = passwords;
    this.rateLimiter = rateLimiter;
  }

  public Views.AuthOptions options() {
    return new Views.AuthOptions(
        config.publicSignupEnabled(), config.bootstrapTokenValue().isPresent());
  }

  public void requireSignupEnabled(String clientAddress) {
    if (!config.publicSignupEnabled()) {
      throw ApiException.forbidden("team signup is disabled");
    }
    rateLimiter.acquire("signup|" + clientAddress, config.signupRatePerMinute());
  }

  @Transactional
  public Views.TeamCreated signup(Requests.Signup req) {
    Slugs.require(req.slug());
    String name = req.name() == null ? "" : req.name().strip();
    if (name.isEmpty()) {
      throw ApiException.badRequest("name is required");
    }
    requireNameLength(name);
    if (req.password() == null || req.password().isEmpty()) {
      throw ApiException.badRequest("password is required");
    }
    String hash = passwords.hash(req.password());
    long teamId =
        teams
            .insert(req.slug(), name, hash)
            .orElseThrow(() -> new ApiException(409, "slug_taken", "team slug already exists"));
    environments.ensureDefault(teamId);
    String token = mint(teamId, "signup");
    return new Views.TeamCreated(teamId, req.slug(), token, Caller.ADMIN);
  }

  @Transactional
  public Views.LoginResult login(Requests.Login req, String clientAddress) {
    if (req.slug() == null
        || req.slug().isEmpty()
        || req.password() == null
        || req.password().isEmpty()) {
      throw ApiException.badRequest("slug and password are required");
    }
    rateLimiter.acquire("login|" + clientAddress + "|" + req.slug(), config.loginRatePerMinute());
    Passwords.requireHashable(req.password());
    TeamStore.Team team = teams.findBySlug(req.slug()).orElse(null);
    // Always one bcrypt check, so an unknown slug takes as long as a wrong password.
    boolean ok = passwords.matches(req.password(), team == null ? null : team.passwordHash());
    if (!ok) {
      throw new ApiException(401, "unauthorized", "invalid slug or password");
    }
    String token = Secrets.newToken(Secrets.TEAM_PREFIX);
    TokenStore.TokenRow row =
        tokens.insert(team.id(), Secrets.sha256Hex(token), "login", Caller.ADMIN, null);
    return new Views.LoginResult(team.id(), token, row.id(), Caller.ADMIN);
  }

  /** Result of a bootstrap: {@code created} selects 201 over 200. */
  public record BootstrapResult(boolean created, Views.TeamCreated body) {}

  public boolean bootstrapEnabled() {
    return config.bootstrapTokenValue().isPresent();
  }

  /** 401 unless the header carries the configured bootstrap token (constant-time compare). */
  public void requireBootstrapToken(String authorizationHeader) {
    String presented = Secrets.bearer(authorizationHeader);
    String expected = config.bootstrapTokenValue().orElse(null);
    if (expected == null || !Secrets.matches(presented, expected)) {
      throw ApiException.unauthorized();
    }
  }

  @Transactional
  public BootstrapResult bootstrap(Requests.Bootstrap req) {
    Slugs.require(req.slug());
    if (req.name() == null || req.name().isEmpty()) {
      throw ApiException.badRequest("name is required");
    }
    String name = req.name().strip().isEmpty() ? req.name() : req.name().strip();
    requireNameLength(name);
    String hash = null;
    if (req.password() != null && !req.password().isEmpty()) {
      hash = passwords.hash(req.password());
    }
    teams.lockBootstrap();
    TeamStore.Team existing = teams.findBySlug(req.slug()).orElse(null);
    boolean created = existing == null;
    long teamId;
    if (existing != null) {
      teamId = existing.id();
      if (hash != null) {
        teams.setPasswordHash(teamId, hash);
      }
    } else {
      if (teams.anyExists()) {
        throw new ApiException(409, "team_exists", "a team already exists");
      }
      teamId =
          teams
              .insert(req.slug(), name, hash)
              .orElseThrow(() -> new ApiException(409, "slug_taken", "team slug already exists"));
    }
    environments.ensureDefault(teamId);
    String token = mint(teamId, "bootstrap");
    return new BootstrapResult(
        created, new Views.TeamCreated(teamId, req.slug(), token, Caller.ADMIN));
  }

  private String mint(long teamId, String name) {
    String token = Secrets.newToken(Secrets.TEAM_PREFIX);
    tokens.insert(teamId, Secrets.sha256Hex(token), name, Caller.ADMIN, null);
    return token;
  }

  private static void requireNameLength(String name) {
    if (name.codePointCount(0, name.length()) > MAX_NAME) {
      throw ApiException.badRequest("name must be at most " + MAX_NAME + " characters");
    }
  }
}
