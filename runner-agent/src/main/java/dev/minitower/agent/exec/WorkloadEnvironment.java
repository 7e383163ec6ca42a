package dev.minitower.agent.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minitower.model.runner.LeaseResponse;
import dev.minitower.model.secrets.SecretNames;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The complete environment of a workload. Nothing is inherited from the agent (so neither the
 * registration token nor the runner token can leak); the lease token only travels in HTTP headers.
 * The set is documented in the module README.
 */
public final class WorkloadEnvironment {
  /** Names an input key may not replace: the agent sets them and the run depends on them. */
  static final Set<String> RESERVED =
      Set.of(
          "PATH",
          "HOME",
          "TMPDIR",
          "LANG",
          "LC_ALL",
          "PYTHONPATH",
          "PYTHONUNBUFFERED",
          "VIRTUAL_ENV",
          "PIP_DISABLE_PIP_VERSION_CHECK",
          "PIP_NO_INPUT");

  private WorkloadEnvironment() {}

  /**
   * Base variables shared by setup commands and the workload.
   *
   * @param passEnv operator-chosen variables copied from the agent ({@code
   *     MINITOWER_WORKLOAD_PASS_ENV}); never the agent's own {@code MINITOWER_*} settings
   */
  public static Map<String, String> base(
      String path, Path home, Path tmp, Map<String, String> passEnv) {
    Map<String, String> env = new LinkedHashMap<>(passEnv);
    env.put("PATH", path);
    env.put("HOME", home.toString());
    env.put("TMPDIR", tmp.toString());
    env.put("LANG", "C.UTF-8");
    env.put("LC_ALL", "C.UTF-8");
    env.put("PIP_DISABLE_PIP_VERSION_CHECK", "1");
    env.put("PIP_NO_INPUT", "1");
    return env;
  }

  /**
   * Adds the run's identity, one variable per top-level input key, then the run's team secrets (a
   * secret wins over an input of the same name). Secrets reach only this map, which goes to the
   * sandbox through bubblewrap's stdin: never a command line, a file or the agent's log.
   */
  public static void addRun(Map<String, String> env, LeaseResponse lease, Consumer<String> warn) {
    env.put("MINITOWER_RUN_ID", Long.toString(lease.runId()));
    env.put("MINITOWER_RUN_NO", Long.toString(lease.runNo()));
    env.put("MINITOWER_ATTEMPT", Integer.toString(lease.attemptNo()));
    env.put("MINITOWER_APP", lease.appSlug() == null ? "" : lease.appSlug());
    env.put("MINITOWER_VERSION", Integer.toString(lease.versionNo()));
    addInputs(env, lease.input(), warn);
    addSecrets(env, lease.secrets(), warn);
  }

  /** The lease's secrets; a name the platform reserves or a value with NUL is skipped (named). */
  static void addSecrets(
      Map<String, String> env, Map<String, String> secrets, Consumer<String> warn) {
    if (secrets == null) {
      return;
    }
    for (Map.Entry<String, String> s : secrets.entrySet()) {
      String name = s.getKey();
      if (!SecretNames.isValid(name) || RESERVED.contains(name)) {
        warn.accept("skipping secret with a reserved or invalid name");
        continue;
      }
      if (s.getValue() == null || s.getValue().indexOf('\0') >= 0) {
        warn.accept("skipping secret " + name + ": its value cannot be an environment variable");
        continue;
      }
      env.put(name, s.getValue());
    }
  }

  /**
   * Spec §3.6: strings as-is, {@code null} as the empty string, everything else as compact JSON.
   * Keys that are empty or contain {@code =} or NUL are skipped, as are reserved names.
   */
  static void addInputs(Map<String, String> env, ObjectNode input, Consumer<String> warn) {
    if (input == null) {
      return;
    }
    Iterator<Map.Entry<String, JsonNode>> fields = input.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      String key = f.getKey();
      if (key.isEmpty() || key.indexOf('=') >= 0 || key.indexOf('\0') >= 0) {
        warn.accept("skipping input key for env var export: " + printable(key));
        continue;
      }
      if (RESERVED.contains(key) || key.startsWith("MINITOWER_")) {
        warn.accept("skipping input key for env var export: " + key + " is set by the runner");
        continue;
      }
      JsonNode v = f.getValue();
      String value = v.isNull() ? "" : v.isTextual() ? v.textValue() : v.toString();
      if (value.indexOf('\0') >= 0) {
        warn.accept("skipping input key for env var export: " + key + " contains NUL");
        continue;
      }
      env.put(key, value);
    }
  }

  /** Python runs: the venv first on PATH, import paths on PYTHONPATH. */
  public static void addPython(Map<String, String> env, Path venv, List<Path> importPaths) {
    env.put("VIRTUAL_ENV", venv.toString());
    env.put("PATH", venv.resolve("bin") + ":" + env.get("PATH"));
    env.put("PYTHONUNBUFFERED", "1");
    if (!importPaths.isEmpty()) {
      StringBuilder sb = new StringBuilder();
      for (Path p : importPaths) {
        if (sb.length() > 0) {
          sb.append(':');
        }
        sb.append(p);
      }
      env.put("PYTHONPATH", sb.toString());
    }
  }

  private static String printable(String key) {
    return key.replace("\0", "\\0");
  }
}
