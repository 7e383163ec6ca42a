package dev.minitower.testsupport;

import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.validator.BeanValidationConfigValidatorImpl;
import java.util.Map;

/**
 * Builds a service's {@code @ConfigMapping} from a few values, the way start-up does: the
 * converters the services register (Go durations), the mapping's defaults, and Bean Validation of
 * its constraints. No Quarkus application starts, so a test can try many bad values cheaply.
 */
public final class ConfigMappings {
  private ConfigMappings() {}

  /**
   * The mapping built from {@code values}; throws {@link ConfigValidationException} when invalid.
   */
  public static <T> T build(Class<T> mapping, Map<String, String> values) {
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .addDiscoveredConverters()
            .withSources(new PropertiesConfigSource(values, "test", 1000))
            .withMapping(mapping)
            .withValidator(new BeanValidationConfigValidatorImpl())
            .build();
    return config.getConfigMapping(mapping);
  }

  /** The message start-up would fail with for {@code values}, or null when they are valid. */
  public static String refusal(Class<?> mapping, Map<String, String> values) {
    try {
      build(mapping, values);
      return null;
    } catch (ConfigValidationException e) {
      return e.getMessage();
    }
  }
}
