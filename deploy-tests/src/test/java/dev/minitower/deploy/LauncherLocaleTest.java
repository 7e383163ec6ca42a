package dev.minitower.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The CLI's and the runner agent's launchers give the JVM a UTF-8 locale when the caller's has no
 * UTF-8 charset: under the POSIX locale (a service manager's bare environment, cron, {@code env
 * -i}) the JVM cannot name a file whose name is not ASCII, so an app or artifact holding one could
 * not be packed or unpacked. A caller's UTF-8 locale is kept as it is. The launchers run here with
 * a stand-in {@code java} that prints the locale it was given.
 */
class LauncherLocaleTest {
  @TempDir Path tmp;

  @ParameterizedTest(name = "{0} with [{1}] runs java with [{2}]")
  @CsvSource(
      delimiter = '|',
      value = {
        "cli/bin/minitower           |                        | LC_ALL=C.UTF-8 LANG=",
        "cli/bin/minitower           | LANG=C                 | LC_ALL=C.UTF-8 LANG=C",
        "cli/bin/minitower           | LANG=en_US.UTF-8       | LC_ALL= LANG=en_US.UTF-8",
        "cli/bin/minitower           | LC_ALL=de_DE.utf8      | LC_ALL=de_DE.utf8 LANG=",
        "runner-agent/bin/minitower-runner |                  | LC_ALL=C.UTF-8 LANG=",
        "runner-agent/bin/minitower-runner | LC_ALL=POSIX     | LC_ALL=C.UTF-8 LANG=",
        "runner-agent/bin/minitower-runner | LANG=en_US.ISO-8859-1 | LC_ALL=C.UTF-8 LANG=en_US.ISO-8859-1",
        "runner-agent/bin/minitower-runner | LANG=C.UTF-8     | LC_ALL= LANG=C.UTF-8",
      })
  void theJvmGetsAUtf8Locale(String launcher, String callerLocale, String expected)
      throws Exception {
    Path java = tmp.resolve("jdk/bin/java");
    Files.createDirectories(java.getParent());
    Files.writeString(java, "#!/bin/sh\necho \"LC_ALL=${LC_ALL:-} LANG=${LANG:-}\"\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path jar = Files.writeString(tmp.resolve("stand-in.jar"), "not run");

    ProcessBuilder pb =
        new ProcessBuilder("sh", Repo.root().resolve(launcher).toString())
            .redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.clear(); // a bare environment, as a service manager gives
    env.put("PATH", "/usr/bin:/bin");
    env.put("JAVA_HOME", tmp.resolve("jdk").toString()); // the CLI's launcher
    env.put("JAVA", java.toString()); // the agent's
    env.put("MINITOWER_CLI_JAR", jar.toString());
    env.put("MINITOWER_RUNNER_JAR", jar.toString());
    if (callerLocale != null) {
      String[] kv = callerLocale.split("=", 2);
      env.put(kv[0], kv[1]);
    }
    assertThat(run(pb)).isEqualTo(expected);
  }

  private static String run(ProcessBuilder pb) throws IOException, InterruptedException {
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
