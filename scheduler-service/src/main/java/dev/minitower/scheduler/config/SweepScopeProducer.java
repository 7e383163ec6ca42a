package dev.minitower.scheduler.config;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;

/** The production scope: every environment. */
public class SweepScopeProducer {

  @Produces
  @Singleton
  @DefaultBean
  SweepScope everything() {
    return Optional::empty;
  }
}
