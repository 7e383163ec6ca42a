package dev.minitower.platform.http;

import dev.minitower.model.wire.WireText;
import dev.minitower.platform.error.ErrorMappers;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Path and query parameters are decoded text that ends up in SQL: one with a NUL character ({@code
 * %00}) can never name a stored object and PostgreSQL refuses it, so it is answered here, for every
 * resource, before any handler runs. A path segment gets the 404 of an unknown object ({@code app
 * not found}), a query parameter 400 naming it.
 */
public class UnstorableParams {

  @ServerRequestFilter
  public Optional<Response> refuse(UriInfo uri) {
    for (Map.Entry<String, List<String>> p : uri.getPathParameters().entrySet()) {
      for (String value : p.getValue()) {
        if (WireText.violation(value) != null) {
          return Optional.of(ErrorMappers.envelope(404, "not_found", p.getKey() + " not found"));
        }
      }
    }
    MultivaluedMap<String, String> query;
    try {
      query = uri.getQueryParameters();
    } catch (IllegalArgumentException e) {
      return Optional.of(ErrorMappers.envelope(400, "invalid_request", "malformed query string"));
    }
    for (Map.Entry<String, List<String>> q : query.entrySet()) {
      String problem = WireText.violation(q.getKey());
      for (String value : q.getValue()) {
        problem = problem == null ? WireText.violation(value) : problem;
      }
      if (problem != null) {
        return Optional.of(
            ErrorMappers.envelope(
                400,
                "invalid_request",
                "query parameter '" + WireText.clean(q.getKey()) + "' " + problem));
      }
    }
    return Optional.empty();
  }
}
