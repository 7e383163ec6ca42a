package dev.minitower.cli.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The config file: {@code {"current_profile": "<name>", "profiles": {"<name>": {…}}}}. Profiles are
 * kept sorted by name so the file and {@code config list} are stable.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public final class CliConfig {
  /** The profile name an empty name stands for. */
  public static final String DEFAULT_PROFILE = "default";

  @JsonProperty("current_profile")
  private String currentProfile;

  @JsonProperty("profiles")
  @JsonInclude(JsonInclude.Include.ALWAYS)
  private TreeMap<String, Profile> profiles = new TreeMap<>();

  public String currentProfile() {
    return currentProfile == null || currentProfile.isEmpty() ? null : currentProfile;
  }

  public void setCurrentProfile(String name) {
    this.currentProfile = name;
  }

  public Map<String, Profile> profiles() {
    if (profiles == null) {
      profiles = new TreeMap<>();
    }
    return profiles;
  }

  public Optional<Profile> profile(String name) {
    return Optional.ofNullable(profiles().get(normalize(name)));
  }

  public void put(String name, Profile p) {
    profiles().put(normalize(name), p);
  }

  /** An empty or missing profile name means {@code default}. */
  public static String normalize(String name) {
    return name == null || name.isBlank() ? DEFAULT_PROFILE : name.trim();
  }

  /**
   * The profile commands that write config act on: the explicit one, else the current one (even if
   * it does not exist yet), else {@code default}.
   */
  public String targetProfile(String explicit) {
    if (explicit != null && !explicit.isBlank()) {
      return normalize(explicit);
    }
    return currentProfile() != null ? currentProfile() : DEFAULT_PROFILE;
  }
}
