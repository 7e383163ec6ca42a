// Shapes API aggregates into chart series. Pure functions, so the numbers a chart draws are the
// numbers the API returned (tested in tests/chartData.test.ts) and the chart component only paints.
import type { AppDurationStats, DurationPoint, EnvironmentOverview, RunStats, RunTimeline, StatsBucketRow } from '../api/types'

/** Outcomes stacked on the runs-per-bucket chart, bottom to top; `active` = leased/running/cancelling. */
export const OUTCOMES = ['completed', 'failed', 'dead', 'cancelled', 'active', 'queued'] as const
export type Outcome = (typeof OUTCOMES)[number]

export const OUTCOME_LABELS: Record<Outcome, string> = {
  completed: 'Completed',
  failed: 'Failed',
  dead: 'Dead',
  cancelled: 'Cancelled',
  active: 'Running (leased/running/cancelling)',
  queued: 'Queued',
}

export interface Series {
  key: string
  label: string
  data: (number | null)[]
}

export interface CategoryChart {
  labels: string[]
  series: Series[]
}

function pad(n: number): string {
  return String(n).padStart(2, '0')
}

/** Bucket label in the viewer's local time: `14:00` (hour), `Mar 05` (day); with the date when it changes. */
export function bucketLabel(iso: string, bucket: 'hour' | 'day', prevIso?: string): string {
  const d = new Date(iso)
  const month = d.toLocaleString('en-US', { month: 'short' })
  if (bucket === 'day') return `${month} ${pad(d.getDate())}`
  const hour = `${pad(d.getHours())}:00`
  const prev = prevIso ? new Date(prevIso) : null
  return !prev || prev.getDate() !== d.getDate() ? `${month} ${pad(d.getDate())} ${hour}` : hour
}

/** Runs per bucket stacked by outcome, one series per outcome (empty buckets kept as zeros). */
export function runsByOutcome(stats: RunStats): CategoryChart {
  return {
    labels: stats.buckets.map((b, i) => bucketLabel(b.start ?? '', stats.bucket, stats.buckets[i - 1]?.start ?? undefined)),
    series: OUTCOMES.map((k) => ({ key: k, label: OUTCOME_LABELS[k], data: stats.buckets.map((b) => b[k]) })),
  }
}

/** Sum of every outcome series: what the stacked chart shows in total (equals totals.total). */
export function chartTotal(chart: CategoryChart): number {
  return chart.series.reduce((sum, s) => sum + s.data.reduce<number>((a, v) => a + (v ?? 0), 0), 0)
}

function round(v: number | null, digits: number): number | null {
  if (v === null || v === undefined) return null
  const f = 10 ** digits
  return Math.round(v * f) / f
}

/** Success rate (%) and duration p50/p95 (s) per bucket; gaps (null) where nothing finished. */
export function successAndDurations(stats: RunStats): { labels: string[]; successPct: Series; p50: Series; p95: Series } {
  const labels = stats.buckets.map((b, i) => bucketLabel(b.start ?? '', stats.bucket, stats.buckets[i - 1]?.start ?? undefined))
  const col = (f: (b: StatsBucketRow) => number | null) => stats.buckets.map(f)
  return {
    labels,
    successPct: { key: 'success', label: 'Success rate (%)', data: col((b) => round(b.success_rate === null ? null : b.success_rate * 100, 1)) },
    p50: { key: 'p50', label: 'Duration p50 (s)', data: col((b) => round(b.duration_p50_seconds, 2)) },
    p95: { key: 'p95', label: 'Duration p95 (s)', data: col((b) => round(b.duration_p95_seconds, 2)) },
  }
}

export interface ScatterPoint {
  x: number
  y: number
  runId: number
  runNo: number
  status: string
}

/** Duration per run over time; failures (failed, dead) apart so they get their own marker. */
export function durationScatter(points: DurationPoint[]): { ok: ScatterPoint[]; failed: ScatterPoint[] } {
  const ok: ScatterPoint[] = []
  const failed: ScatterPoint[] = []
  for (const p of [...points].sort((a, b) => a.queued_at.localeCompare(b.queued_at))) {
    const point = { x: new Date(p.started_at).getTime(), y: p.duration_seconds, runId: p.run_id, runNo: p.run_no, status: p.status }
    ;(p.status === 'completed' ? ok : failed).push(point)
  }
  return { ok, failed }
}

export const PHASES = ['waiting', 'leased', 'running'] as const
export type Phase = (typeof PHASES)[number]
export const PHASE_LABELS: Record<Phase, string> = {
  waiting: 'Queued (waiting for a runner)',
  leased: 'Leased (preparing)',
  running: 'Running',
}

export interface TimelineRow {
  label: string
  attemptNo: number
  status: string
  /** [start, end] in seconds since the run was queued, null when the attempt never reached it */
  spans: Record<Phase, [number, number] | null>
}

/**
 * One row per attempt: waiting (queued → leased), leased (leased → started), running (started →
 * finished, or now while it runs). Seconds are relative to the run's queued_at.
 */
export function attemptTimeline(t: RunTimeline, now: number = Date.now()): TimelineRow[] {
  const origin = new Date(t.queued_at).getTime()
  const s = (iso: string | null) => (iso ? (new Date(iso).getTime() - origin) / 1000 : null)
  const nowS = (now - origin) / 1000
  return t.attempts.map((a) => {
    const q = s(a.queued_at) ?? 0
    const l = s(a.leased_at)
    const st = s(a.started_at)
    const f = s(a.finished_at)
    const end = (x: number | null) => (x === null ? nowS : x)
    return {
      label: `Attempt ${a.attempt_no}${a.runner_name ? ` · ${a.runner_name}` : ''}`,
      attemptNo: a.attempt_no,
      status: a.status,
      spans: {
        waiting: l === null ? null : [Math.max(0, q), l],
        leased: l === null ? null : [l, st ?? end(f)],
        running: st === null ? null : [st, end(f)],
      },
    }
  })
}

/** Queued and running runs per environment (queue depth). */
export function queueDepth(envs: EnvironmentOverview[]): CategoryChart {
  return {
    labels: envs.map((e) => e.name),
    series: [
      { key: 'queued', label: 'Queued', data: envs.map((e) => e.queued_runs) },
      { key: 'active', label: 'Running', data: envs.map((e) => e.active_runs) },
    ],
  }
}

/** The slowest apps: p50 and p95 duration (s) per app, slowest first as the API sorts them. */
export function slowestApps(apps: AppDurationStats[]): CategoryChart {
  return {
    labels: apps.map((a) => a.app),
    series: [
      { key: 'p50', label: 'p50 (s)', data: apps.map((a) => round(a.duration_p50_seconds, 2)) },
      { key: 'p95', label: 'p95 (s)', data: apps.map((a) => round(a.duration_p95_seconds, 2)) },
    ],
  }
}

/** `since` for a look-back from now, as the API expects (RFC 3339). */
export function sinceIso(hours: number, now: number = Date.now()): string {
  return new Date(now - hours * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z')
}
