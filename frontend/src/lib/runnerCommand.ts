// The exact command line that starts a runner agent with a new registration token (runner-agent
// README: MINITOWER_SERVER_URL, MINITOWER_RUNNER_NAME, MINITOWER_RUNNER_ENVIRONMENT,
// MINITOWER_RUNNER_REGISTRATION_TOKEN; the launcher is bin/minitower-runner).

/** Quotes a value for a POSIX shell only when it needs it. */
export function shellQuote(v: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`
}

export function runnerCommand(o: { serverUrl: string; runnerName: string; environment: string; token: string }): string {
  const lines = [
    `MINITOWER_SERVER_URL=${shellQuote(o.serverUrl)}`,
    `MINITOWER_RUNNER_NAME=${shellQuote(o.runnerName)}`,
    `MINITOWER_RUNNER_ENVIRONMENT=${shellQuote(o.environment)}`,
    `MINITOWER_RUNNER_REGISTRATION_TOKEN=${shellQuote(o.token)}`,
  ]
  return `${lines.join(' \\\n')} \\\n  minitower-runner`
}

/** runner-service's usual address next to this UI: same host, port 8081. */
export function defaultRunnerServiceUrl(loc: { protocol: string; hostname: string } = globalThis.location): string {
  return `${loc.protocol}//${loc.hostname}:8081`
}
