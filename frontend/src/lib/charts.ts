// Chart.js, registered with only the pieces the UI draws (tree-shaken: bar, line and scatter on
// linear/category scales; no date adapter, time axes are linear epoch ms with our own labels).
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  Tooltip,
} from 'chart.js'

Chart.register(BarController, BarElement, CategoryScale, Legend, LinearScale, LineController, LineElement, PointElement, ScatterController, Tooltip)

export { Chart }

/** Colours from the theme's CSS variables, read at draw time so dark mode repaints correctly. */
export function palette(): Record<string, string> {
  const css = getComputedStyle(document.documentElement)
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback
  return {
    text: v('--text', '#1b1f24'),
    muted: v('--muted', '#5b6573'),
    grid: v('--border', '#d6dae1'),
    completed: v('--ok', '#2e7d32'),
    failed: v('--danger', '#c62828'),
    dead: v('--chart-dead', '#7b1fa2'),
    cancelled: v('--muted', '#5b6573'),
    active: v('--info', '#1565c0'),
    queued: v('--warn', '#b26a00'),
    accent: v('--accent', '#2557d6'),
    // p50 / p95 bars of the slowest apps: two distinct colours (and named in legend and table)
    p50: v('--info', '#1565c0'),
    p95: v('--warn', '#8a5300'),
  }
}

import type { ChartConfiguration } from 'chart.js'
import type { CategoryChart, ScatterPoint, TimelineRow } from './chartData'
import { PHASES, PHASE_LABELS } from './chartData'

function axes(p: Record<string, string>, stacked: boolean, valueTitle: string, horizontal = false) {
  const category = { stacked, ticks: { color: p.muted, maxRotation: 0, autoSkip: true }, grid: { color: p.grid } }
  const value = { stacked, beginAtZero: true, ticks: { color: p.muted, precision: 0 }, grid: { color: p.grid }, title: { display: true, text: valueTitle, color: p.muted } }
  return horizontal ? { x: value, y: category } : { x: category, y: value }
}

const legend = (p: Record<string, string>) => ({ labels: { color: p.text, usePointStyle: true } })

/** Bars per category, stacked or side by side; series colours by key. */
export function barConfig(chart: CategoryChart, opts: { stacked: boolean; yTitle: string; horizontal?: boolean }): ChartConfiguration {
  const p = palette()
  return {
    type: 'bar',
    data: {
      labels: chart.labels,
      datasets: chart.series.map((s) => ({
        label: s.label,
        data: s.data,
        backgroundColor: p[s.key] ?? p.accent,
        borderColor: p[s.key] ?? p.accent,
        borderWidth: 1,
      })),
    },
    options: {
      indexAxis: opts.horizontal ? 'y' : 'x',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: axes(p, opts.stacked, opts.yTitle, opts.horizontal) as never,
      plugins: { legend: legend(p) },
    },
  }
}

/** Success rate (left axis, %) and p50/p95 duration (right axis, s) per bucket. */
export function successDurationConfig(labels: string[], success: (number | null)[], p50: (number | null)[], p95: (number | null)[]): ChartConfiguration {
  const p = palette()
  return {
    type: 'line',
    data: {
      labels,
      datasets: [
        { label: 'Success rate (%)', data: success, borderColor: p.completed, backgroundColor: p.completed, yAxisID: 'pct', pointStyle: 'rectRot', pointRadius: 4, spanGaps: false },
        { label: 'Duration p50 (s)', data: p50, borderColor: p.active, backgroundColor: p.active, yAxisID: 'sec', pointStyle: 'circle', pointRadius: 3, borderDash: [] },
        { label: 'Duration p95 (s)', data: p95, borderColor: p.queued, backgroundColor: p.queued, yAxisID: 'sec', pointStyle: 'triangle', pointRadius: 4, borderDash: [6, 4] },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: { ticks: { color: p.muted, maxRotation: 0, autoSkip: true }, grid: { color: p.grid } },
        pct: { position: 'left', min: 0, max: 100, ticks: { color: p.muted }, grid: { color: p.grid }, title: { display: true, text: 'success %', color: p.muted } },
        sec: { position: 'right', beginAtZero: true, ticks: { color: p.muted }, grid: { drawOnChartArea: false }, title: { display: true, text: 'seconds', color: p.muted } },
      },
      plugins: { legend: legend(p) },
    },
  }
}

/** Duration per run: completed as circles, failures as crosses (shape, not only colour). */
export function scatterConfig(ok: ScatterPoint[], failed: ScatterPoint[]): ChartConfiguration {
  const p = palette()
  const xs = [...ok, ...failed].map((d) => d.x)
  const short = xs.length > 0 && Math.max(...xs) - Math.min(...xs) < 3 * 3600_000
  const fmt = (ms: number) =>
    new Date(ms).toLocaleString([], short ? { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' } : { month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
  return {
    type: 'scatter',
    data: {
      datasets: [
        { label: 'Completed', data: ok, backgroundColor: p.completed, borderColor: p.completed, pointStyle: 'circle', pointRadius: 4 },
        { label: 'Failed', data: failed, backgroundColor: p.failed, borderColor: p.failed, pointStyle: 'crossRot', pointRadius: 7, borderWidth: 2 },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: { type: 'linear', ticks: { color: p.muted, maxTicksLimit: 6, callback: (v) => fmt(Number(v)) }, grid: { color: p.grid }, title: { display: true, text: 'started', color: p.muted } },
        y: { beginAtZero: true, ticks: { color: p.muted }, grid: { color: p.grid }, title: { display: true, text: 'seconds', color: p.muted } },
      },
      plugins: {
        legend: legend(p),
        tooltip: { callbacks: { label: (c) => { const d = c.raw as ScatterPoint; return `run #${d.runNo} ${d.status}: ${d.y.toFixed(1)} s` } } },
      },
    },
  }
}

/** Attempt timeline: one row per attempt, floating bars per phase (seconds since queued). */
export function timelineConfig(rows: TimelineRow[]): ChartConfiguration {
  const p = palette()
  const colour: Record<string, string> = { waiting: p.queued, leased: p.active, running: p.completed }
  return {
    type: 'bar',
    data: {
      labels: rows.map((r) => `${r.label} (${r.status})`),
      datasets: PHASES.map((ph) => ({
        label: PHASE_LABELS[ph],
        data: rows.map((r) => r.spans[ph]) as never,
        backgroundColor: colour[ph],
        borderColor: p.text,
        borderWidth: ph === 'running' ? 1 : 0,
        borderSkipped: false,
      })),
    },
    options: {
      indexAxis: 'y',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: { beginAtZero: true, ticks: { color: p.muted }, grid: { color: p.grid }, title: { display: true, text: 'seconds since queued', color: p.muted } },
        y: { stacked: true, ticks: { color: p.text }, grid: { color: p.grid } },
      },
      plugins: { legend: legend(p) },
    },
  }
}
