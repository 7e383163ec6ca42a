// Log lines as shown on the run page. Lines are program output and may contain anything (HTML,
// ANSI colour codes, control characters): they are cleaned here and always rendered as text nodes.
import type { LogCursor, LogLine, LogsResponse, LogStream } from '../api/types'

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
  private server: LogCursor | undefined

  get size(): number {
    return this.byKey.size
  }

  /** Adds lines (and the page's cursor, when it comes from GET …/logs); returns how many were new. */
  add(lines: LogLine[], page?: Pick<LogsResponse, 'next_after_seq' | 'next_after_attempt'>): number {
    let added = 0
    for (const l of lines) {
      if (!l || typeof l.seq !== 'number') continue
      const k = key(l)
      if (!this.byKey.has(k)) {
        this.byKey.set(k, l)
        added++
      }
    }
    if (typeof page?.next_after_seq === 'number') {
      this.server = { afterSeq: page.next_after_seq }
      if (typeof page.next_after_attempt === 'number') this.server.afterAttempt = page.next_after_attempt
    }
    return added
  }

  lines(): LogLine[] {
    return [...this.byKey.values()].sort((a, b) => (a.attempt_no ?? 0) - (b.attempt_no ?? 0) || a.seq - b.seq)
  }

  /** True when the server numbers lines per attempt (sends attempt_no). */
  hasAttemptNumbers(): boolean {
    for (const l of this.byKey.values()) if (l.attempt_no !== undefined) return true
    return false
  }

  latestAttempt(): number | null {
    let max: number | null = null
    for (const l of this.byKey.values()) if (l.attempt_no !== undefined && (max === null || l.attempt_no > max)) max = l.attempt_no
    return max
  }

  /**
   * Where the next incremental read starts: the furthest of the server's last cursor and the last
   * line held, compared as (attempt_no, seq) — seq restarts at 1 for every attempt. Lines without
   * attempt_no (the original server: latest attempt only) give a plain after_seq.
   */
  cursor(): LogCursor {
    const latest = this.latestAttempt()
    let seen: LogCursor
    if (latest === null) {
      let max = 0
      for (const l of this.byKey.values()) if (l.seq > max) max = l.seq
      seen = { afterSeq: max }
    } else {
      let max = 0
      for (const l of this.byKey.values()) if (l.attempt_no === latest && l.seq > max) max = l.seq
      seen = { afterAttempt: latest, afterSeq: max }
    }
    const s = this.server
    if (!s) return seen
    const sa = s.afterAttempt ?? seen.afterAttempt ?? 0
    const na = seen.afterAttempt ?? sa
    if (sa > na || (sa === na && s.afterSeq > seen.afterSeq)) {
      return s.afterAttempt === undefined && seen.afterAttempt === undefined ? { afterSeq: s.afterSeq } : { afterAttempt: sa, afterSeq: s.afterSeq }
    }
    return seen
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
