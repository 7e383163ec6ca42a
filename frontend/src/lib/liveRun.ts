// Live updates for the run page: follow GET /api/v1/runs/{run}/stream through fetch (so the token
// stays in the Authorization header, never in a URL), and fall back to polling every 2 s when the
// stream endpoint answers 404, fails, or closes before the run is finished.
import type { ApiClient } from '../api/client'
import { isTerminal, type Run } from '../api/types'
import { LogBuffer } from './logs'

/** Pages of a paged logs endpoint read back to back before waiting for the next tick. */
const MAX_PAGES_PER_READ = 20

export type LiveMode = 'connecting' | 'stream' | 'polling' | 'done' | 'stopped'

type Api = Pick<ApiClient, 'getRun' | 'getLogs' | 'streamRun'>

export interface LiveRunOptions {
  api: Api
  runId: number
  buffer: LogBuffer
  onRun: (run: Run) => void
  onLogs: () => void
  onMode?: (mode: LiveMode) => void
  onError?: (e: unknown) => void
  pollMs?: number
  /** While streaming, how often the run is re-read as a safety net (default 15 s). */
  streamCheckMs?: number
  /** Set to false to skip the stream attempt and poll straight away. */
  useStream?: boolean
}

export interface LiveRunHandle {
  stop(): void
  /** Re-reads run and logs now (e.g. after the user pressed Cancel). */
  refresh(): Promise<void>
}

export function watchRun(o: LiveRunOptions): LiveRunHandle {
  const pollMs = o.pollMs ?? 2000
  const abort = new AbortController()
  let stopped = false
  let timer: ReturnType<typeof setTimeout> | undefined
  let lastRun: Run | undefined
  let mode: LiveMode = 'connecting'

  const setMode = (m: LiveMode) => {
    if (mode === m) return
    mode = m
    o.onMode?.(m)
  }

  const applyRun = (run: Run) => {
    const retried = lastRun !== undefined && run.retry_count !== lastRun.retry_count
    lastRun = run
    o.onRun(run)
    return retried
  }

  // fromStart: a retry began a new attempt. Servers without attempt numbers restart seq at 1 and
  // only serve the latest attempt, so their after_seq must go back to 0.
  const readLogs = async (fromStart = false) => {
    let cursor = fromStart && !o.buffer.hasAttemptNumbers() ? { afterSeq: 0 } : o.buffer.cursor()
    for (let page = 0; page < MAX_PAGES_PER_READ; page++) {
      const r = await o.api.getLogs(o.runId, cursor, abort.signal)
      if (o.buffer.add(r.logs, r) > 0) o.onLogs()
      if (!r.has_more || r.logs.length === 0) break
      cursor = o.buffer.cursor()
    }
  }

  const refresh = async () => {
    const run = await o.api.getRun(o.runId)
    if (stopped) return
    const retried = applyRun(run)
    await readLogs(retried)
  }

  const finish = async () => {
    // One last read so the tail written just before the terminal status is not lost.
    try {
      await readLogs()
    } catch (e) {
      o.onError?.(e)
    }
    setMode('done')
  }

  const poll = async () => {
    if (stopped) return
    setMode('polling')
    try {
      await refresh()
    } catch (e) {
      if (stopped) return
      o.onError?.(e)
    }
    if (stopped) return
    if (lastRun && isTerminal(lastRun.status)) {
      await finish()
      return
    }
    timer = setTimeout(poll, pollMs)
  }

  const stream = async () => {
    const streamAbort = new AbortController()
    abort.signal.addEventListener('abort', () => streamAbort.abort(), { once: true })
    // A stream that silently stalls (proxy buffering, half-open connection) must not freeze the
    // page: re-read the run now and then, and leave the stream once the run has ended.
    const watchdog = setInterval(() => {
      refresh()
        .then(() => {
          if (lastRun && isTerminal(lastRun.status)) streamAbort.abort()
        })
        .catch(() => undefined)
    }, o.streamCheckMs ?? 15000)
    try {
      await o.api.streamRun(
        o.runId,
        {
          onOpen: () => {
            setMode('stream')
            // Lines written between the first read and the stream's start.
            readLogs().catch((e) => o.onError?.(e))
          },
          onStatus: (run) => {
            if (applyRun(run)) readLogs(true).catch((e) => o.onError?.(e))
            // A server that keeps the stream open after the end is not waited for.
            if (isTerminal(run.status)) streamAbort.abort()
          },
          onLog: (line) => {
            if (o.buffer.add([line]) > 0) o.onLogs()
          },
        },
        streamAbort.signal,
      )
      clearInterval(watchdog)
    } catch (e) {
      clearInterval(watchdog)
      if (stopped) return
      if (streamAbort.signal.aborted) e = null
      // 404: no stream endpoint on this server; anything else: a broken stream. Either way, poll.
      if (e && !(typeof e === 'object' && 'status' in e && (e as { status: number }).status === 404)) o.onError?.(e)
    }
    if (stopped) return
    if (lastRun && isTerminal(lastRun.status)) {
      await finish()
      return
    }
    await poll()
  }

  const start = async () => {
    try {
      await refresh()
    } catch (e) {
      if (stopped) return
      o.onError?.(e)
    }
    if (stopped) return
    if (lastRun && isTerminal(lastRun.status)) {
      setMode('done')
      return
    }
    if (o.useStream === false) await poll()
    else await stream()
  }

  void start()

  return {
    stop() {
      stopped = true
      setMode('stopped')
      if (timer) clearTimeout(timer)
      abort.abort()
    },
    refresh: async () => {
      await refresh()
    },
  }
}
