package dev.minitower.platform.http;

import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The chunked-body cap for multipart forms, which the REST layer parses from the request's entity
 * stream without a message body reader (so {@link BodyCapInterceptor} never sees them): the stream
 * is capped before the form is parsed.
 */
public class MultipartBodyCap {

  @ServerRequestFilter
  public void cap(ContainerRequestContext request, RoutingContext rc) {
    Object cap = rc.get(RequestGuards.BODY_CAP_KEY);
    MediaType type = request.getMediaType();
    if (cap instanceof Long limit
        && type != null
        && type.isCompatible(MediaType.MULTIPART_FORM_DATA_TYPE)) {
      request.setEntityStream(new CappedInputStream(request.getEntityStream(), limit, rc));
    }
  }
}
