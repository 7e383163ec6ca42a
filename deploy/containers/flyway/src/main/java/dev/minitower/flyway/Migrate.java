package dev.minitower.flyway;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The flyway command line's arguments for the commands the migration job uses: {@code -key=value}
 * settings (url, user, password, locations, connectRetries, …, as flyway.key) and one command,
 * {@code migrate} (default), {@code validate} or {@code info}. FLYWAY_* variables are read as well.
 * Exit code 0 on success, 1 on a failed migration, 2 on bad arguments.
 */
public final class Migrate {
  private Migrate() {}

  public static void main(String[] args) {
    Map<String, String> conf = new LinkedHashMap<>();
    List<String> commands = new ArrayList<>();
    for (String a : args) {
      if (a.startsWith("-") && a.contains("=")) {
        String key = a.substring(1, a.indexOf('='));
        conf.put(key.startsWith("flyway.") ? key : "flyway." + key, a.substring(a.indexOf('=') + 1));
      } else if (a.equals("migrate") || a.equals("validate") || a.equals("info")) {
        commands.add(a);
      } else {
        System.err.println("error: unknown argument " + a + " (expected -key=value or migrate|validate|info)");
        System.exit(2);
      }
    }
    if (commands.isEmpty()) {
      commands.add("migrate");
    }
    try {
      Flyway flyway = Flyway.configure().envVars().configuration(conf).load();
      for (String c : commands) {
        switch (c) {
          case "migrate" -> {
            MigrateResult r = flyway.migrate();
            System.out.println(
                "migrate: "
                    + r.migrationsExecuted
                    + " migration(s) applied, schema version "
                    + r.targetSchemaVersion);
          }
          case "validate" -> {
            flyway.validate();
            System.out.println("Successfully validated");
          }
          default -> {
            for (MigrationInfo i : flyway.info().all()) {
              System.out.println(i.getVersion() + " " + i.getDescription() + " " + i.getState());
            }
          }
        }
      }
    } catch (RuntimeException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(1);
    }
  }
}
