// Log lines as shown on the run page. Lines are program output and may contain anything (HTML,
// ANSI colour codes, control characters): they are cleaned here and always rendered as text nodes.
import type { LogLine, LogStream } from '../api/types'

// CSI (ESC [ … final), OSC (ESC ] … BEL or ESC \), other two-byte ESC sequences, and the 8-bit CSI.
// eslint-disable-next-line no-control-regex
const ANSI_RE = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[PX^_][^\x1b]*(?:\x1b\\)?|\x1b[@-Z\\-_]|\x9b[0-?]*[ -/]*[@-~]/g
// C0/C1 controls except tab; \r is dropped (progress bars rewrite the line).
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/g

export function stripAnsi(s: string): string {
  return s.replace(ANSI_RE, '')
}

/** Plain text for display: no escape sequences, no control characters. */
export function cleanLine(s: string): string {
  return stripAnsi(s).replace(CONTROL_RE, '')
}

export function streamLabel(stream: LogStream | string): string {
  return stream === 'stderr' ? 'stderr' : 'stdout'
}

export interface AttemptGroup {
  /** null for servers that do not send attempt_no (their lines are the latest attempt's). */
  attemptNo: number | null
  lines: LogLine[]
}

const key = (l: LogLine) => `${l.attempt_no ?? 0}:${l.seq}`

/** Accumulates lines from GET …/logs pages and stream events, without duplicates, in order. */
export class LogBuffer {
  private byKey = new Map<string, LogLine>()
  private serverCursor: number | undefined

  get size(): number {
    return this.byKey.size
  }

  /** Adds lines; returns how many were new. */
  add(lines: LogLine[], nextAfterSeq?: number): number {
    let added = 0
    for (const l of lines) {
      if (!l || typeof l.seq !== 'number') continue
      const k = key(l)
      if (!this.byKey.has(k)) {
        this.byKey.set(k, l)
        added++
      }
    }
    if (typeof nextAfterSeq === 'number') this.serverCursor = nextAfterSeq
    return added
  }

  lines(): LogLine[] {
    return [...this.byKey.values()].sort((a, b) => (a.attempt_no ?? 0) - (b.attempt_no ?? 0) || a.seq - b.seq)
  }

  latestAttempt(): number | null {
    let max: number | null = null
    for (const l of this.byKey.values()) if (l.attempt_no !== undefined && (max === null || l.attempt_no > max)) max = l.attempt_no
    return max
  }

  /**
   * The after_seq for the next incremental read: the server's next_after_seq when it sends one,
   * else the highest seq of the latest attempt (seq restarts at 1 for every attempt).
   */
  cursor(): number {
    if (this.serverCursor !== undefined) return this.serverCursor
    const latest = this.latestAttempt()
    let max = 0
    for (const l of this.byKey.values()) if ((l.attempt_no ?? null) === latest && l.seq > max) max = l.seq
    return max
  }

  /** A new attempt started that the cursor may have skipped past: re-read from the start. */
  resetCursor(): void {
    this.serverCursor = undefined
  }

  groups(): AttemptGroup[] {
    const out: AttemptGroup[] = []
    for (const l of this.lines()) {
      const a = l.attempt_no ?? null
      const last = out[out.length - 1]
      if (last && last.attemptNo === a) last.lines.push(l)
      else out.push({ attemptNo: a, lines: [l] })
    }
    return out
  }
}
