// Chart data shaping: what each chart draws equals what the stats API answered.
import { describe, expect, it } from 'vitest'
import type { EnvironmentOverview, RunStats, StatsBucketRow } from '../src/api/types'
import {
  attemptTimeline,
  bucketLabel,
  chartTotal,
  durationScatter,
  queueDepth,
  runsByOutcome,
  sinceIso,
  slowestApps,
  successAndDurations,
} from '../src/lib/chartData'
import { runnerCommand, shellQuote } from '../src/lib/runnerCommand'

function row(start: string | null, c: Partial<StatsBucketRow> = {}): StatsBucketRow {
  const r = { start, queued: 0, active: 0, completed: 0, failed: 0, cancelled: 0, dead: 0, success_rate: null, duration_p50_seconds: null, duration_p95_seconds: null, ...c }
  return { ...r, total: r.queued + r.active + r.completed + r.failed + r.cancelled + r.dead }
}

const stats: RunStats = {
  app: null,
  bucket: 'hour',
  since: '2025-01-01T22:00:00Z',
  totals: row(null, { completed: 5, failed: 2, dead: 1, queued: 1, active: 1 }),
  buckets: [
    row('2025-01-01T22:00:00Z', { completed: 3, failed: 1, success_rate: 0.75, duration_p50_seconds: 1.234, duration_p95_seconds: 9.876 }),
    row('2025-01-01T23:00:00Z'),
    row('2025-01-02T00:00:00Z', { completed: 2, failed: 1, dead: 1, queued: 1, active: 1, success_rate: 0.5 }),
  ],
}

describe('runs per bucket by outcome', () => {
  it('has one series per outcome with one value per bucket, zeros kept for empty hours', () => {
    const c = runsByOutcome(stats)
    expect(c.labels).toHaveLength(3)
    expect(c.series.map((s) => s.key)).toEqual(['completed', 'failed', 'dead', 'cancelled', 'active', 'queued'])
    expect(c.series.find((s) => s.key === 'completed')!.data).toEqual([3, 0, 2])
    expect(c.series.find((s) => s.key === 'dead')!.data).toEqual([0, 0, 1])
  })

  it('draws exactly the API totals', () => {
    expect(chartTotal(runsByOutcome(stats))).toBe(stats.totals.total)
    expect(stats.totals.total).toBe(10)
  })

  it('labels hours, with the date when the day changes, and days by date', () => {
    expect(bucketLabel('2025-01-01T22:00:00Z', 'hour')).toMatch(/^[A-Z][a-z]{2} \d\d \d\d:00$/)
    expect(bucketLabel('2025-01-01T23:00:00Z', 'hour', '2025-01-01T22:00:00Z')).toMatch(/^\d\d:00$/)
    expect(bucketLabel('2025-01-02T12:00:00Z', 'day')).toMatch(/^Jan 0[12]$/)
  })
})

describe('success rate and durations per day', () => {
  it('turns rates into percent and keeps gaps where nothing finished', () => {
    const d = successAndDurations(stats)
    expect(d.successPct.data).toEqual([75, null, 50])
    expect(d.p50.data).toEqual([1.23, null, null])
    expect(d.p95.data).toEqual([9.88, null, null])
  })
})

describe('duration scatter', () => {
  it('splits failures (failed, dead) from completed runs and orders by time', () => {
    const p = (id: number, status: string, started: string, secs: number) => ({
      run_id: id,
      run_no: id,
      status,
      queued_at: started,
      started_at: started,
      finished_at: started,
      duration_seconds: secs,
    })
    const s = durationScatter([p(3, 'failed', '2025-01-03T00:00:00Z', 9), p(1, 'completed', '2025-01-01T00:00:00Z', 2), p(2, 'dead', '2025-01-02T00:00:00Z', 60)])
    expect(s.ok.map((x) => x.runId)).toEqual([1])
    expect(s.failed.map((x) => x.runId)).toEqual([2, 3])
    expect(s.failed[0]).toMatchObject({ x: Date.parse('2025-01-02T00:00:00Z'), y: 60, status: 'dead' })
  })
})

describe('attempt timeline', () => {
  it('gives each attempt its waiting, leased and running spans in seconds since queued', () => {
    const rows = attemptTimeline(
      {
        run_id: 7,
        status: 'completed',
        queued_at: '2025-01-01T00:00:00Z',
        finished_at: '2025-01-01T00:01:40Z',
        attempts: [
          { attempt_no: 1, status: 'expired', runner_name: 'r1', queued_at: '2025-01-01T00:00:00Z', leased_at: '2025-01-01T00:00:05Z', started_at: null, finished_at: '2025-01-01T00:01:05Z' },
          { attempt_no: 2, status: 'completed', runner_name: 'r2', queued_at: '2025-01-01T00:01:05Z', leased_at: '2025-01-01T00:01:10Z', started_at: '2025-01-01T00:01:11Z', finished_at: '2025-01-01T00:01:40Z' },
        ],
      },
      Date.parse('2025-01-01T00:05:00Z'),
    )
    expect(rows[0]).toMatchObject({ label: 'Attempt 1 · r1', status: 'expired', spans: { waiting: [0, 5], leased: [5, 65], running: null } })
    expect(rows[1].spans).toEqual({ waiting: [65, 70], leased: [70, 71], running: [71, 100] })
  })

  it('runs an unfinished attempt up to now', () => {
    const rows = attemptTimeline(
      { run_id: 1, status: 'running', queued_at: '2025-01-01T00:00:00Z', finished_at: null, attempts: [{ attempt_no: 1, status: 'running', runner_name: null, queued_at: '2025-01-01T00:00:00Z', leased_at: '2025-01-01T00:00:01Z', started_at: '2025-01-01T00:00:02Z', finished_at: null }] },
      Date.parse('2025-01-01T00:00:12Z'),
    )
    expect(rows[0].spans.running).toEqual([2, 12])
    expect(rows[0].label).toBe('Attempt 1')
  })
})

describe('queue depth and slowest apps', () => {
  it('shows queued and running per environment', () => {
    const env = (name: string, q: number, a: number): EnvironmentOverview => ({ environment_id: 1, name, is_default: false, queued_runs: q, active_runs: a, oldest_queued_at: null, runners_online: 0, runners: null })
    const c = queueDepth([env('default', 3, 1), env('gpu', 0, 2)])
    expect(c.labels).toEqual(['default', 'gpu'])
    expect(c.series.map((s) => s.data)).toEqual([[3, 0], [1, 2]])
  })

  it('keeps the API order (slowest first) and rounds seconds', () => {
    const c = slowestApps([
      { app: 'etl', runs: 4, failed: 1, duration_p50_seconds: 10.555, duration_p95_seconds: 99.999, duration_max_seconds: 120 },
      { app: 'ping', runs: 9, failed: 0, duration_p50_seconds: 0.5, duration_p95_seconds: 1, duration_max_seconds: 1 },
    ])
    expect(c.labels).toEqual(['etl', 'ping'])
    expect(c.series[0].data).toEqual([10.56, 0.5])
    expect(c.series[1].data).toEqual([100, 1])
  })

  it('asks for since as RFC 3339 without milliseconds', () => {
    expect(sinceIso(24, Date.parse('2025-01-02T00:00:00.123Z'))).toBe('2025-01-01T00:00:00Z')
  })
})

describe('runner command line', () => {
  it('names every variable the agent reads, quoting only where needed', () => {
    expect(runnerCommand({ serverUrl: 'http://h:8081', runnerName: 'r 1', environment: 'gpu', token: 'mrt_abc-_x' })).toBe(
      "MINITOWER_SERVER_URL=http://h:8081 \\\nMINITOWER_RUNNER_NAME='r 1' \\\nMINITOWER_RUNNER_ENVIRONMENT=gpu \\\nMINITOWER_RUNNER_REGISTRATION_TOKEN=mrt_abc-_x \\\n  minitower-runner",
    )
    expect(shellQuote("it's")).toBe(`'it'\\''s'`)
  })
})
