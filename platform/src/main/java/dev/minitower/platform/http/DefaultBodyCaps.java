package dev.minitower.platform.http;

import io.quarkus.arc.DefaultBean;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * One cap for every request with credentials (the server's {@code
 * quarkus.http.limits.max-body-size}) and {@code minitower.max-anonymous-body-size} (64 KiB) for
 * requests without them.
 */
@DefaultBean
@ApplicationScoped
public class DefaultBodyCaps implements BodyCaps {
  private final long serverCap;
  private final long anonymousCap;

  DefaultBodyCaps(
      @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
          MemorySize serverCap,
      @ConfigProperty(name = "minitower.max-anonymous-body-size", defaultValue = "65536")
          long anonymousCap) {
    this.serverCap = serverCap.asLongValue();
    this.anonymousCap = Math.min(anonymousCap, this.serverCap);
  }

  @Override
  public long capFor(HttpServerRequest request) {
    return BodyCaps.anonymous(request) ? anonymousCap : serverCap;
  }
}
