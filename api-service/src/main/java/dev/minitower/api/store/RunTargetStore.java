package dev.minitower.api.store;

import dev.minitower.api.store.AppStore.App;
import dev.minitower.api.store.EnvironmentStore.Environment;
import dev.minitower.api.store.VersionStore.Version;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * What a new run is created against, read in one statement: the app, its version (the one asked
 * for, or the latest) and the environment. Run creation made three reads for these, one round trip
 * each, on every create; the columns and their mapping are those of {@link AppStore}, {@link
 * VersionStore} and {@link EnvironmentStore}.
 */
@ApplicationScoped
public class RunTargetStore {

  /** The app (empty: no such app in the team), and what was found for it. */
  public record Targets(
      Optional<App> app, Optional<Version> version, Optional<Environment> environment) {}

  private static final String SQL =
      "SELECT app.*, ver.*, env.* FROM (SELECT "
          + AppStore.COLUMNS
          + " FROM apps WHERE team_id = ? AND slug = ?) app"
          + " LEFT JOIN LATERAL (SELECT "
          + VersionStore.COLUMNS
          + " FROM app_versions WHERE app_id = app.id"
          + " AND (?::bigint IS NULL OR version_no = ?::bigint)"
          + " ORDER BY version_no DESC LIMIT 1) ver ON true"
          + " LEFT JOIN LATERAL (SELECT "
          + EnvironmentStore.COLUMNS
          + " FROM environments WHERE team_id = ? AND name = ?) env ON true";

  private static final int VERSION_AT = AppStore.COLUMN_COUNT;
  private static final int ENVIRONMENT_AT = VERSION_AT + VersionStore.COLUMN_COUNT;

  private final Jdbc jdbc;

  public RunTargetStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * @param versionNo the version asked for; null for the latest
   * @param environment the environment's name; null to look none up
   */
  public Targets find(long teamId, String appSlug, Long versionNo, String environment) {
    return jdbc.one(
            SQL,
            RunTargetStore::row,
            teamId,
            appSlug,
            dev.minitower.store.jdbc.Jdbc.bigint(versionNo),
            dev.minitower.store.jdbc.Jdbc.bigint(versionNo),
            teamId,
            dev.minitower.store.jdbc.Jdbc.text(environment))
        .orElse(new Targets(Optional.empty(), Optional.empty(), Optional.empty()));
  }

  private static Targets row(ResultSet rs) throws SQLException {
    App app = AppStore.row(rs, 0);
    rs.getLong(VERSION_AT + 1);
    Optional<Version> version =
        rs.wasNull() ? Optional.empty() : Optional.of(VersionStore.row(rs, VERSION_AT));
    rs.getLong(ENVIRONMENT_AT + 1);
    Optional<Environment> environment =
        rs.wasNull() ? Optional.empty() : Optional.of(EnvironmentStore.row(rs, ENVIRONMENT_AT));
    return new Targets(Optional.of(app), version, environment);
  }
}
