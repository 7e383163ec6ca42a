package dev.minitower.cli.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One named connection profile of the config file; every field optional. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Profile(
    @JsonProperty("server") String server,
    @JsonProperty("token") String token,
    @JsonProperty("team") String team,
    @JsonProperty("app") String app) {

  public static final Profile EMPTY = new Profile(null, null, null, null);

  public Profile withServer(String v) {
    return new Profile(v, token, team, app);
  }

  public Profile withToken(String v) {
    return new Profile(server, v, team, app);
  }

  public Profile withTeam(String v) {
    return new Profile(server, token, v, app);
  }

  public Profile withApp(String v) {
    return new Profile(server, token, team, v);
  }

  public boolean hasToken() {
    return token != null && !token.isEmpty();
  }
}
