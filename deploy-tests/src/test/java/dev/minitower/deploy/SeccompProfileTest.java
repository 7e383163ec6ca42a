package dev.minitower.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * k8s/base/runner-agent/seccomp.json, the seccomp profile of runner containers (Kubernetes
 * Localhost profile, docker-compose.yml, docker/podman run): Podman's default allowlist plus what
 * bubblewrap does inside its own namespaces.
 */
class SeccompProfileTest {
  static JsonNode profile;
  static Set<String> allowed = new HashSet<>();

  @BeforeAll
  static void parse() {
    profile = Repo.json(Repo.path("k8s/base/runner-agent/seccomp.json"));
    for (JsonNode rule : profile.get("syscalls")) {
      if (rule.get("action").asText().equals("SCMP_ACT_ALLOW") && !rule.has("args")) {
        rule.get("names").forEach(n -> allowed.add(n.asText()));
      }
    }
  }

  /**
   * Only fields of the OCI runtime-spec format: containerd reads Localhost profiles as that format
   * and would silently drop Docker's capability and architecture conditions (includes, excludes,
   * archMap), turning conditional rules into unconditional ones.
   */
  @Test
  void usesTheFlatOciFormatEveryEngineReads() {
    List<String> top = iterable(profile.fieldNames());
    assertThat(top)
        .containsExactlyInAnyOrder("defaultAction", "defaultErrnoRet", "architectures", "syscalls");
    for (JsonNode rule : profile.get("syscalls")) {
      assertThat(iterable(rule.fieldNames())).isSubsetOf("names", "action", "args", "errnoRet");
    }
    assertThat(profile.get("defaultAction").asText()).isEqualTo("SCMP_ACT_ERRNO");
    assertThat(profile.get("architectures").toString())
        .contains("SCMP_ARCH_X86_64")
        .contains("SCMP_ARCH_AARCH64");
  }

  /** What RuntimeDefault refuses without CAP_SYS_ADMIN and bubblewrap needs in its namespaces. */
  @Test
  void allowsWhatBubblewrapDoesInItsOwnNamespaces() {
    assertThat(allowed)
        .contains("clone", "clone3", "unshare", "mount", "umount2", "pivot_root", "sethostname")
        .contains("prlimit64", "setrlimit", "setsid", "kill", "execve", "wait4");
  }

  @Test
  void keepsRefusingWhatNeedsHostPrivileges() {
    assertThat(allowed)
        .doesNotContain(
            "bpf",
            "perf_event_open",
            "kexec_load",
            "kexec_file_load",
            "init_module",
            "finit_module",
            "delete_module",
            "open_by_handle_at",
            "userfaultfd",
            "iopl",
            "ioperm",
            "settimeofday",
            "clock_settime",
            "acct",
            "swapon");
  }

  private static List<String> iterable(java.util.Iterator<String> it) {
    List<String> out = new java.util.ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
