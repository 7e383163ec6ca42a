package dev.minitower.api;

import dev.minitower.testsupport.DatabaseDownProfile;
import java.util.HashMap;
import java.util.Map;

/**
 * test-support's {@link DatabaseDownProfile} for api-service: without a database at start there is
 * no schema to validate the Hibernate mappings against, so validation is off (as migrations are).
 */
public class ApiDatabaseDownProfile extends DatabaseDownProfile {
  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
    overrides.put("quarkus.hibernate-orm.schema-management.strategy", "none");
    return overrides;
  }
}
