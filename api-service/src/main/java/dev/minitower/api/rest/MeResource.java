package dev.minitower.api.rest;

import dev.minitower.api.auth.Caller;
import dev.minitower.api.auth.TeamAuthenticator;
import dev.minitower.model.api.Views;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/** GET /api/v1/me: who the token belongs to. */
@Path("/api/v1/me")
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {
  private final TeamAuthenticator auth;

  public MeResource(TeamAuthenticator auth) {
    this.auth = auth;
  }

  @GET
  public Views.Me me(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
    Caller c = auth.authenticate(authorization);
    return new Views.Me(c.teamId(), c.teamSlug(), c.tokenId(), c.role());
  }
}
