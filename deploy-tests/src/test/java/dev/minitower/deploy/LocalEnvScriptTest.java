package dev.minitower.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy/local/env.sh, sourced by mtw, pg.sh and kafka.sh: its pid helpers. */
class LocalEnvScriptTest {

  @TempDir Path dir;

  @Test
  void pidAliveIsTrueForARunningProcess() throws Exception {
    String out =
        bash(
            """
            sleep 30 & echo $! >"$DIR/p.pid"
            if pid_alive "$DIR/p.pid"; then echo alive; else echo dead; fi
            kill $!
            """);
    assertThat(out).isEqualTo("alive");
  }

  @Test
  void pidAliveIsFalseForAMissingFileAndAnExitedProcess() throws Exception {
    String out =
        bash(
            """
            if pid_alive "$DIR/none.pid"; then echo alive; else echo dead; fi
            sleep 0 & echo $! >"$DIR/p.pid"; wait $!
            if pid_alive "$DIR/p.pid"; then echo alive; else echo dead; fi
            """);
    assertThat(out).isEqualTo("dead\ndead");
  }

  /**
   * A crashed service whose parent has not reaped it yet is a zombie: `./mtw up -d` must restart
   * it.
   */
  @Test
  void pidAliveIsFalseForAZombie() throws Exception {
    String out =
        bash(
            """
            # The subshell starts a child and then becomes a sleep that never reaps it.
            ( sleep 0 & echo $! >"$DIR/z.pid"; exec sleep 30 ) & holder=$!
            for _ in $(seq 1 100); do
              [ -s "$DIR/z.pid" ] && [ "$(ps -o stat= -p "$(cat "$DIR/z.pid")" | cut -c1)" = Z ] && break
              sleep 0.05
            done
            ps -o stat= -p "$(cat "$DIR/z.pid")" | cut -c1
            if pid_alive "$DIR/z.pid"; then echo alive; else echo dead; fi
            kill $holder
            """);
    assertThat(out).isEqualTo("Z\ndead");
  }

  @Test
  void stopPidRemovesTheFileOfAZombieWithoutWaiting() throws Exception {
    String out =
        bash(
            """
            ( sleep 0 & echo $! >"$DIR/z.pid"; exec sleep 30 ) & holder=$!
            for _ in $(seq 1 100); do
              [ -s "$DIR/z.pid" ] && [ "$(ps -o stat= -p "$(cat "$DIR/z.pid")" | cut -c1)" = Z ] && break
              sleep 0.05
            done
            start=$SECONDS
            stop_pid "$DIR/z.pid" 5
            [ -e "$DIR/z.pid" ] && echo kept || echo removed
            [ $((SECONDS - start)) -lt 3 ] && echo quick || echo slow
            kill $holder
            """);
    assertThat(out).isEqualTo("removed\nquick");
  }

  private String bash(String body) throws Exception {
    String script = "source \"$ENV_SH\"\n" + body;
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true);
    pb.environment().put("ENV_SH", Repo.path("deploy/local/env.sh").toString());
    pb.environment().put("DIR", dir.toString());
    pb.environment().put("MTW_HOME", dir.resolve("home").toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  @Test
  void envScriptParses() throws Exception {
    Process p =
        new ProcessBuilder("bash", "-n", Repo.path("deploy/local/env.sh").toString())
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(Files.exists(Repo.path("deploy/local/env.sh"))).isTrue();
  }
}
