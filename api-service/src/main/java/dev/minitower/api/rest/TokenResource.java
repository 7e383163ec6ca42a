package dev.minitower.api.rest;

import dev.minitower.api.auth.Caller;
import dev.minitower.api.auth.CurrentCaller;
import dev.minitower.api.auth.TeamAuthenticator;
import dev.minitower.api.http.JsonBody;
import dev.minitower.api.service.TokenService;
import dev.minitower.model.api.Requests;
import dev.minitower.model.api.Views;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.jboss.resteasy.reactive.RestResponse;

/** Team API tokens: mint, list, revoke. */
@Authenticated
@Path("/api/v1/tokens")
@Produces(MediaType.APPLICATION_JSON)
public class TokenResource {
  private final CurrentCaller callers;
  private final TeamAuthenticator auth;
  private final TokenService tokens;

  public TokenResource(CurrentCaller callers, TeamAuthenticator auth, TokenService tokens) {
    this.callers = callers;
    this.auth = auth;
    this.tokens = tokens;
  }

  @POST
  @APIResponseSchema(
      value = Views.TokenCreated.class,
      responseCode = "201",
      responseDescription = "Created")
  public RestResponse<Views.TokenCreated> create(
      @JsonBody(value = "malformed JSON body", optional = true) Requests.CreateToken body) {
    Caller caller = callers.get();
    Requests.CreateToken req =
        body == null ? new Requests.CreateToken(null, null, null, null) : body;
    return RestResponse.status(RestResponse.Status.CREATED, tokens.create(caller, req));
  }

  @GET
  public Views.TokenList list() {
    return tokens.list(callers.get());
  }

  @DELETE
  @Path("/{id}")
  public Response revoke(@PathParam("id") String id) {
    Caller caller = callers.get();
    long tokenId = PathIds.parse(id, "invalid token ID");
    tokens.revoke(caller, tokenId);
    // Committed: this replica stops accepting it now; the others on the trigger's NOTIFY.
    auth.invalidate(Long.toString(tokenId));
    return Response.noContent().build();
  }
}
