package dev.minitower.api.http;

import dev.minitower.platform.error.ApiException;
import dev.minitower.platform.json.JsonBodies;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ServerMessageBodyReader;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

/**
 * Reads every client-API request record ({@code dev.minitower.model.api}) with the same strict
 * rules and the same 400 messages as the hand-written {@code byte[]} parsing it replaces ({@link
 * JsonBodies}): the resource declares a typed parameter, {@code /openapi} documents the body, and a
 * malformed body still answers the spec's exact {@code invalid_request} message taken from the
 * parameter's {@link JsonBody}. Like the original, the request {@code Content-Type} is not checked.
 */
@Provider
@Consumes(MediaType.WILDCARD)
public class ContractBodyReader implements ServerMessageBodyReader<Record> {
  static final String CONTRACT_PACKAGE = "dev.minitower.model.api";
  private static final JsonBody DEFAULT = defaults();

  private final JsonBodies json;

  public ContractBodyReader(JsonBodies json) {
    this.json = json;
  }

  /**
   * The {@link JsonBody} of each resource method's body parameter, empty for none: found once per
   * method, since {@link Method#getParameterAnnotations()} parses the class file on every call.
   */
  private final Map<Method, Optional<JsonBody>> bodySpecs = new ConcurrentHashMap<>();

  private static boolean contract(Class<?> type) {
    return Record.class.isAssignableFrom(type)
        && (type.getPackageName().equals(CONTRACT_PACKAGE)
            || (type.getEnclosingClass() != null
                && type.getEnclosingClass().getPackageName().equals(CONTRACT_PACKAGE)));
  }

  @Override
  public boolean isReadable(
      Class<?> type, Type genericType, ResteasyReactiveResourceInfo lazyMethod, MediaType media) {
    return contract(type);
  }

  @Override
  public boolean isReadable(
      Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
    return contract(type);
  }

  @Override
  public Record readFrom(
      Class<Record> type, Type genericType, MediaType mediaType, ServerRequestContext context)
      throws IOException {
    ResteasyReactiveResourceInfo info = context.getResteasyReactiveResourceInfo();
    Method method = info == null ? null : info.getMethod();
    JsonBody spec =
        method == null
            ? null
            : bodySpecs
                .computeIfAbsent(method, m -> Optional.ofNullable(bodyAnnotation(m)))
                .orElse(null);
    return read(type, spec, context.getInputStream());
  }

  @Override
  public Record readFrom(
      Class<Record> type,
      Type genericType,
      Annotation[] annotations,
      MediaType mediaType,
      MultivaluedMap<String, String> httpHeaders,
      InputStream entityStream)
      throws IOException {
    JsonBody spec = null;
    for (Annotation a : annotations) {
      if (a instanceof JsonBody b) {
        spec = b;
      }
    }
    return read(type, spec, entityStream);
  }

  private Record read(Class<Record> type, JsonBody spec, InputStream in) throws IOException {
    JsonBody how = spec == null ? DEFAULT : spec;
    byte[] body = in == null ? new byte[0] : in.readAllBytes();
    if (JsonBodies.isBlank(body)) {
      if (how.optional()) {
        return null;
      }
      if (!how.blank().isEmpty()) {
        throw ApiException.badRequest(how.blank());
      }
    }
    return json.read(body, type, how.value());
  }

  private static JsonBody bodyAnnotation(Method method) {
    for (Annotation[] parameter : method.getParameterAnnotations()) {
      for (Annotation a : parameter) {
        if (a instanceof JsonBody b) {
          return b;
        }
      }
    }
    return null;
  }

  private static JsonBody defaults() {
    try {
      return Holder.class
          .getDeclaredMethod("m", Object.class)
          .getParameters()[0]
          .getAnnotation(JsonBody.class);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final class Holder {
    @SuppressWarnings("unused")
    void m(@JsonBody Object body) {}
  }
}
