package dev.minitower.agent.exec;

/** Fixed locations the agent relies on. */
final class AgentPaths {
  private AgentPaths() {}

  /** Where {@code setsid}, {@code setpriv} and {@code kill} are looked up (util-linux, procps). */
  static final String SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
}
