package dev.minitower.platform.http;

import dev.minitower.model.error.Refusal;
import dev.minitower.platform.error.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

/** A store's refusal and the {@link ApiException} it replaced, to compare their answers. */
@Path("/probe")
public class ProbeRefusalsResource {

  /** A refusal as a store throws it (stores subclass {@link Refusal}). */
  static final class StoreRefusal extends Refusal {
    StoreRefusal(Reason reason, String message) {
      super(reason, message);
    }
  }

  @GET
  @Path("refusal/{reason}")
  public String refusal(@PathParam("reason") String reason) {
    throw new StoreRefusal(Refusal.Reason.valueOf(reason), message(reason));
  }

  /** What run-store threw before it had its own exception. */
  @GET
  @Path("api-refusal/{reason}")
  public String apiRefusal(@PathParam("reason") String reason) {
    throw switch (Refusal.Reason.valueOf(reason)) {
      case NOT_FOUND -> ApiException.notFound(message(reason));
      case CONFLICT -> ApiException.conflict(message(reason));
      case GONE -> ApiException.gone(message(reason));
      case UNAUTHORIZED -> ApiException.unauthorized();
    };
  }

  static String message(String reason) {
    return switch (Refusal.Reason.valueOf(reason)) {
      case NOT_FOUND -> "run not found";
      case CONFLICT -> "result conflicts with attempt state";
      case GONE -> "invalid or expired lease";
      case UNAUTHORIZED -> "invalid or missing token";
    };
  }
}
