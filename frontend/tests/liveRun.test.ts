import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError, type RunStreamHandlers } from '../src/api/client'
import type { LogLine, LogsResponse, Run } from '../src/api/types'
import { watchRun, type LiveMode } from '../src/lib/liveRun'
import { LogBuffer } from '../src/lib/logs'

const run = (status: Run['status'], retry_count = 0): Run => ({
  run_id: 1,
  app_id: 1,
  run_no: 1,
  version_no: 1,
  status,
  priority: 0,
  max_retries: 1,
  retry_count,
  cancel_requested: false,
  queued_at: '2025-01-01T00:00:00Z',
})
const log = (seq: number, attempt_no = 1): LogLine => ({ seq, attempt_no, stream: 'stdout', line: `l${seq}`, logged_at: 't' })
const flush = () => vi.advanceTimersByTimeAsync(0)

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

describe('watchRun', () => {
  it('falls back to 2 s polling when the stream endpoint answers 404, and stops at a terminal status', async () => {
    const statuses: Run['status'][] = ['running', 'running', 'completed']
    const logs: LogsResponse[] = [{ logs: [log(1)] }, { logs: [log(2)] }, { logs: [] }, { logs: [log(3)] }]
    const api = {
      getRun: vi.fn(async () => run(statuses.shift() ?? 'completed')),
      getLogs: vi.fn(async () => logs.shift() ?? { logs: [] }),
      streamRun: vi.fn(async () => {
        throw new ApiError(404, 'http_404', 'Request failed with status 404')
      }),
    }
    const modes: LiveMode[] = []
    const errors: unknown[] = []
    const buffer = new LogBuffer()
    watchRun({ api, runId: 1, buffer, onRun: () => {}, onLogs: () => {}, onMode: (m) => modes.push(m), onError: (e) => errors.push(e) })
    await flush()
    expect(api.streamRun).toHaveBeenCalledTimes(1)
    expect(modes).toEqual(['polling'])
    expect(api.getRun).toHaveBeenCalledTimes(2) // initial read + first poll
    await vi.advanceTimersByTimeAsync(1999)
    expect(api.getRun).toHaveBeenCalledTimes(2)
    await vi.advanceTimersByTimeAsync(1)
    expect(api.getRun).toHaveBeenCalledTimes(3)
    expect(modes).toEqual(['polling', 'done'])
    expect(buffer.lines().map((l) => l.seq)).toEqual([1, 2, 3])
    expect(api.getLogs.mock.calls.map((c) => (c as unknown[])[1])).toEqual([
      { afterSeq: 0 },
      { afterAttempt: 1, afterSeq: 1 },
      { afterAttempt: 1, afterSeq: 2 },
      { afterAttempt: 1, afterSeq: 2 },
    ])
    expect(errors).toEqual([]) // a missing stream endpoint is not an error
    await vi.advanceTimersByTimeAsync(10000)
    expect(api.getRun).toHaveBeenCalledTimes(3)
  })

  it('follows the stream: status and log events, then ends when the run is terminal', async () => {
    let handlers: RunStreamHandlers = {}
    let release: () => void = () => {}
    const api = {
      getRun: vi.fn(async () => run('queued')),
      getLogs: vi.fn(async () => ({ logs: [] })),
      streamRun: vi.fn((_id: number, h: RunStreamHandlers, signal?: AbortSignal) => {
        handlers = h
        return new Promise<void>((_resolve, reject) => {
          release = () => _resolve()
          signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))
        })
      }),
    }
    const seen: string[] = []
    const modes: LiveMode[] = []
    const buffer = new LogBuffer()
    watchRun({ api, runId: 1, buffer, onRun: (r) => seen.push(r.status), onLogs: () => {}, onMode: (m) => modes.push(m) })
    await flush()
    handlers.onOpen?.()
    handlers.onStatus?.(run('running'))
    handlers.onLog?.(log(1))
    handlers.onLog?.(log(1)) // duplicate
    handlers.onLog?.(log(2))
    handlers.onStatus?.(run('completed'))
    await flush()
    expect(seen).toEqual(['queued', 'running', 'completed'])
    expect(buffer.lines().map((l) => l.seq)).toEqual([1, 2])
    expect(modes).toEqual(['stream', 'done'])
    release()
    await vi.advanceTimersByTimeAsync(5000)
    expect(api.getRun).toHaveBeenCalledTimes(1) // no polling after the stream
  })

  it('re-reads logs from seq 0 after a retry when the server has no attempt numbers', async () => {
    const runs = [run('running', 0), run('running', 1), run('completed', 1)]
    const api = {
      getRun: vi.fn(async () => runs.shift() ?? run('completed', 1)),
      getLogs: vi.fn(async (): Promise<LogsResponse> => ({ logs: [{ seq: 5, stream: 'stdout', line: 'x', logged_at: 't' }] })),
      streamRun: vi.fn(async () => {
        throw new ApiError(404, 'http_404', 'x')
      }),
    }
    watchRun({ api, runId: 1, buffer: new LogBuffer(), onRun: () => {}, onLogs: () => {} })
    await flush()
    const cursors = api.getLogs.mock.calls.map((c) => (c as unknown[])[1])
    expect(cursors.slice(0, 2)).toEqual([{ afterSeq: 0 }, { afterSeq: 0 }]) // initial, then retry seen → from 0
  })

  it('reads further pages at once while the server says has_more', async () => {
    const pages: LogsResponse[] = [
      { logs: [log(1), log(2)], next_after_attempt: 1, next_after_seq: 2, has_more: true },
      { logs: [log(3)], next_after_attempt: 1, next_after_seq: 3, has_more: false },
    ]
    const api = {
      getRun: vi.fn(async () => run('completed')),
      getLogs: vi.fn(async () => pages.shift() ?? { logs: [] }),
      streamRun: vi.fn(),
    }
    const buffer = new LogBuffer()
    watchRun({ api, runId: 1, buffer, onRun: () => {}, onLogs: () => {} })
    await flush()
    expect(api.getLogs.mock.calls.map((c) => (c as unknown[])[1])).toEqual([{ afterSeq: 0 }, { afterAttempt: 1, afterSeq: 2 }])
    expect(buffer.lines().map((l) => l.seq)).toEqual([1, 2, 3])
  })

  it('does not start anything for a finished run, and stop() cancels polling', async () => {
    const api = {
      getRun: vi.fn(async () => run('failed')),
      getLogs: vi.fn(async () => ({ logs: [] })),
      streamRun: vi.fn(),
    }
    const modes: LiveMode[] = []
    watchRun({ api, runId: 1, buffer: new LogBuffer(), onRun: () => {}, onLogs: () => {}, onMode: (m) => modes.push(m) })
    await flush()
    expect(api.streamRun).not.toHaveBeenCalled()
    expect(modes).toEqual(['done'])

    const api2 = {
      getRun: vi.fn(async () => run('running')),
      getLogs: vi.fn(async () => ({ logs: [] })),
      streamRun: vi.fn(async () => {
        throw new TypeError('network down')
      }),
    }
    const errors: unknown[] = []
    const h = watchRun({ api: api2, runId: 1, buffer: new LogBuffer(), onRun: () => {}, onLogs: () => {}, onError: (e) => errors.push(e) })
    await flush()
    expect(errors).toHaveLength(1) // a broken stream is reported, then polling takes over
    const n = api2.getRun.mock.calls.length
    h.stop()
    await vi.advanceTimersByTimeAsync(10000)
    expect(api2.getRun.mock.calls.length).toBe(n)
  })
})

describe('watchRun stream watchdog', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('leaves a stalled stream once a periodic re-read sees the run finished', async () => {
    const statuses: Run['status'][] = ['running', 'running', 'completed']
    const api = {
      getRun: vi.fn(async () => run(statuses.shift() ?? 'completed')),
      getLogs: vi.fn(async () => ({ logs: [] })),
      streamRun: vi.fn(
        (_id: number, h: RunStreamHandlers, signal?: AbortSignal) =>
          new Promise<void>((_resolve, reject) => {
            h.onOpen?.()
            signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))
          }),
      ),
    }
    const modes: LiveMode[] = []
    const errors: unknown[] = []
    watchRun({ api, runId: 1, buffer: new LogBuffer(), onRun: () => {}, onLogs: () => {}, onMode: (m) => modes.push(m), onError: (e) => errors.push(e), streamCheckMs: 1000 })
    await flush()
    expect(modes).toEqual(['stream'])
    await vi.advanceTimersByTimeAsync(1000) // running
    expect(modes).toEqual(['stream'])
    await vi.advanceTimersByTimeAsync(1000) // completed → stream aborted
    expect(modes).toEqual(['stream', 'done'])
    expect(errors).toEqual([])
    const n = api.getRun.mock.calls.length
    await vi.advanceTimersByTimeAsync(10000)
    expect(api.getRun.mock.calls.length).toBe(n)
  })
})
