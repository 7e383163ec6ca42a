package dev.minitower.platform.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;

/**
 * The HTTP metrics of the operations guide, recorded for every request of every service, plus the
 * request id. Installed as the first Vert.x route of both servers: the public one (so it also sees
 * requests no route matches) and the management one, where {@code /health}, {@code /ready}, {@code
 * /metrics} and {@code /q/*} are served, so probe and scrape requests count as before.
 *
 * <p>The {@code path} label is the JAX-RS route template (set by {@link RouteTemplates}); the
 * management port's fixed paths keep their own path; other routes outside JAX-RS use their fixed
 * Vert.x path; anything else is the single value {@value #UNMATCHED}, so scans of random URLs
 * cannot grow the series count (a public {@code GET /metrics}, now a 404, is one of them).
 */
@ApplicationScoped
public class HttpMetricsRecorder {
  public static final String REQUEST_ID_HEADER = "X-Request-Id";
  static final String UNMATCHED = "unmatched";
  private static final String MANAGEMENT = "minitower.management";

  private static final Pattern SAFE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  private static final Set<String> FIXED_PATHS = Set.of("/health", "/ready", "/metrics");
  private static final double[] SIZE_BUCKETS = {100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
  private static final Duration[] DURATION_BUCKETS = {
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10)
  };

  private final MeterRegistry registry;
  private final ConcurrentMap<Key, Meters> meters = new ConcurrentHashMap<>();

  HttpMetricsRecorder(MeterRegistry registry) {
    this.registry = registry;
  }

  void install(@Observes Router router) {
    router.route().order(Integer.MIN_VALUE).handler(this::handle);
  }

  void installManagement(@Observes ManagementInterface management) {
    management
        .router()
        .route()
        .order(Integer.MIN_VALUE)
        .handler(
            rc -> {
              rc.put(MANAGEMENT, Boolean.TRUE);
              handle(rc);
            });
  }

  void warmUp(@Observes StartupEvent ignored) {
    // Register the families up front so /metrics names them before the first request.
    timer("GET", "/health");
  }

  private void handle(RoutingContext rc) {
    long start = System.nanoTime();
    HttpServerRequest request = rc.request();
    String requestId = request.getHeader(REQUEST_ID_HEADER);
    if (requestId == null || !SAFE_REQUEST_ID.matcher(requestId).matches()) {
      requestId = newRequestId();
    }
    rc.put("requestId", requestId);
    MDC.put("requestId", requestId);
    rc.response().putHeader(REQUEST_ID_HEADER, requestId);
    long requestSize = contentLength(request.getHeader("Content-Length"));
    rc.addEndHandler(ignored -> record(rc, start, requestSize));
    rc.next();
  }

  private void record(RoutingContext rc, long start, long requestSize) {
    String method = rc.request().method().name();
    String path = pathLabel(rc);
    int status = rc.response().getStatusCode();
    Meters m = meters.computeIfAbsent(new Key(method, path), this::meters);
    m.requests(status).increment();
    m.duration().record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    if (requestSize > 0) {
      m.requestSize().record(requestSize);
    }
    long written = rc.response().bytesWritten();
    if (written > 0) {
      m.responseSize().record(written);
    }
  }

  /** Label values are bounded (route templates, methods, statuses), so the cache is too. */
  private record Key(String method, String path) {}

  /** The meters of one route, built once: registering per request showed up in profiles. */
  private record Meters(
      MeterRegistry registry,
      Key key,
      ConcurrentMap<Integer, Counter> byStatus,
      Timer duration,
      DistributionSummary requestSize,
      DistributionSummary responseSize) {

    Counter requests(int status) {
      return byStatus.computeIfAbsent(
          status,
          s ->
              Counter.builder("minitower.http.requests")
                  .description("HTTP requests by method, route template and status")
                  .tags("method", key.method(), "path", key.path(), "status", Integer.toString(s))
                  .register(registry));
    }
  }

  private Meters meters(Key key) {
    return new Meters(
        registry,
        key,
        new ConcurrentHashMap<>(),
        timer(key.method(), key.path()),
        size("minitower.http.request.size", key.method(), key.path()),
        size("minitower.http.response.size", key.method(), key.path()));
  }

  private Timer timer(String method, String path) {
    return Timer.builder("minitower.http.request.duration")
        .description("HTTP request duration")
        .tags("method", method, "path", path)
        .serviceLevelObjectives(DURATION_BUCKETS)
        .register(registry);
  }

  private DistributionSummary size(String name, String method, String path) {
    return DistributionSummary.builder(name)
        .baseUnit("bytes")
        .tags("method", method, "path", path)
        .serviceLevelObjectives(SIZE_BUCKETS)
        .register(registry);
  }

  static String pathLabel(RoutingContext rc) {
    String template = rc.get(RouteTemplates.ATTRIBUTE);
    if (template != null) {
      return template;
    }
    String raw = rc.normalizedPath();
    if (FIXED_PATHS.contains(raw) && rc.get(MANAGEMENT) != null) {
      return raw;
    }
    Route route = rc.currentRoute();
    if (route != null && route.getPath() != null && raw.equals(route.getPath())) {
      return route.getPath();
    }
    return UNMATCHED;
  }

  /**
   * A random version-4 UUID from the thread's own generator: a request id must be unique, not
   * unguessable, and {@code UUID.randomUUID()} (SecureRandom) showed in per-request profiles.
   */
  static String newRequestId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long hi = (r.nextLong() & ~0xF000L) | 0x4000L;
    long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(hi, lo).toString();
  }

  private static long contentLength(String header) {
    if (header == null) {
      return 0;
    }
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
