package dev.minitower.platform.error;

import jakarta.ws.rs.core.Response;
import java.io.IOException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.core.multipart.MultipartParser;

/**
 * Multipart bodies the form parser of Quarkus REST cannot read are the client's fault: one that
 * ends before its closing boundary (an empty body, a boundary other than the declared one, a body
 * cut short) surfaces as a bare {@link IOException} thrown by the parser itself, malformed part
 * headers as its {@code MalformedMessageException}. Both get the original's answer to a broken
 * form, 400 {@code invalid multipart form}, instead of a logged 500. Any other I/O failure (a full
 * disk while a part is spooled) stays a logged 500.
 */
public class MultipartErrors {
  private static final Logger LOG = Logger.getLogger(MultipartErrors.class);
  private static final String PARSER_PACKAGE = "org.jboss.resteasy.reactive.server.core.multipart.";

  @ServerExceptionMapper
  public Response io(IOException e) {
    StackTraceElement[] at = e.getStackTrace();
    if (e.getClass() == IOException.class
        && at.length > 0
        && at[0].getClassName().startsWith(PARSER_PACKAGE)) {
      return invalidForm();
    }
    LOG.error("unhandled error", e);
    return ErrorMappers.envelope(500, "internal", "internal error");
  }

  @ServerExceptionMapper
  public Response malformed(MultipartParser.MalformedMessageException e) {
    return invalidForm();
  }

  private static Response invalidForm() {
    return ErrorMappers.envelope(400, "invalid_request", "invalid multipart form");
  }
}
