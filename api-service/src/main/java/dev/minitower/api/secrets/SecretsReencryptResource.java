package dev.minitower.api.secrets;

import dev.minitower.api.service.TeamService;
import dev.minitower.model.api.SecretViews.Reencrypted;
import dev.minitower.platform.error.ApiException;
import dev.minitower.platform.secrets.SecretCipher.SecretCipherException;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code POST /api/v1/admin/secrets/reencrypt}: the operator's key rotation step (bootstrap token,
 * like {@code /api/v1/bootstrap/team}). Re-encrypts every value stored under an old key with the
 * current key; answers how many moved and how many remain (0 when done).
 */
@Path("/api/v1/admin/secrets/reencrypt")
@Produces(MediaType.APPLICATION_JSON)
public class SecretsReencryptResource {
  private final TeamService teams;
  private final TeamSecretsService secrets;

  public SecretsReencryptResource(TeamService teams, TeamSecretsService secrets) {
    this.teams = teams;
    this.secrets = secrets;
  }

  @POST
  public Reencrypted reencrypt(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
    teams.requireBootstrapToken(authorization);
    try {
      return secrets.reencrypt();
    } catch (SecretCipherException e) {
      throw ApiException.conflict(e.getMessage());
    }
  }
}
