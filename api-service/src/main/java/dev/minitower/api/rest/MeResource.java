package dev.minitower.api.rest;

import dev.minitower.api.auth.Caller;
import dev.minitower.api.auth.CurrentCaller;
import dev.minitower.model.api.Views;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** GET /api/v1/me: who the token belongs to. */
@Authenticated
@Path("/api/v1/me")
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {
  private final CurrentCaller callers;

  public MeResource(CurrentCaller callers) {
    this.callers = callers;
  }

  @GET
  public Views.Me me() {
    Caller c = callers.get();
    return new Views.Me(c.teamId(), c.teamSlug(), c.tokenId(), c.role());
  }
}
