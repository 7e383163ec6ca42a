package dev.minitower.platform.http;

import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ResourceInfo;
import java.lang.reflect.Method;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Records the matched JAX-RS route template ({@code /api/v1/runs/{run}}) on the request so that
 * {@link HttpMetricsRecorder} labels metrics by template, never by raw path.
 */
public class RouteTemplates {
  static final String ATTRIBUTE = "minitower.route-template";

  private static final ConcurrentMap<Method, String> CACHE = new ConcurrentHashMap<>();

  @ServerRequestFilter
  public void recordTemplate(ResourceInfo info, RoutingContext rc) {
    Method m = info == null ? null : info.getResourceMethod();
    if (m != null) {
      rc.put(ATTRIBUTE, CACHE.computeIfAbsent(m, RouteTemplates::template));
    }
  }

  static String template(Method m) {
    String base = pathOf(m.getDeclaringClass().getAnnotation(Path.class));
    String sub = pathOf(m.getAnnotation(Path.class));
    String joined = join(base, sub);
    return joined.replaceAll("\\{([A-Za-z0-9_]+)\\s*:[^}]*}", "{$1}");
  }

  private static String pathOf(Path p) {
    return p == null ? "" : p.value();
  }

  private static String join(String a, String b) {
    String left = a.endsWith("/") ? a.substring(0, a.length() - 1) : a;
    String right = b.isEmpty() || b.startsWith("/") ? b : "/" + b;
    String s = left + right;
    if (!s.startsWith("/")) {
      s = "/" + s;
    }
    return s.length() > 1 && s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
