// Cron preview for the schedule form: the same five-field UNIX expressions scheduler-service fires
// (shared-model CronSchedule, cron-utils' UNIX definition) and the same time-zone rule, so the
// "next 5" list shows what will really happen:
//   * the expression matches wall-clock times in the schedule's zone;
//   * a time skipped by a spring-forward gap fires after the gap, shifted by its length
//     (02:30 on a day that jumps 02:00 → 03:00 fires at 03:30);
//   * a time repeated by a fall-back overlap fires once, at its first occurrence.
// The server stays the judge: it validates again on save.

export interface CronFields {
  minutes: Set<number>
  hours: Set<number>
  daysOfMonth: Set<number>
  months: Set<number>
  /** 0 = Sunday … 6 = Saturday (7 is folded into 0) */
  daysOfWeek: Set<number>
  /** false when the field was `*` (POSIX: if both day fields are restricted, either may match) */
  domRestricted: boolean
  dowRestricted: boolean
}

export type CronParse = { ok: true; cron: CronFields } | { ok: false; error: string }

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC']
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT']

interface FieldSpec {
  name: string
  min: number
  max: number
  names?: string[]
  /** value of names[0] */
  namesFrom?: number
}

const SPECS: FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, namesFrom: 1 },
  { name: 'day of week', min: 0, max: 7, names: DAYS, namesFrom: 0 },
]

function value(text: string, spec: FieldSpec): number {
  const upper = text.toUpperCase()
  if (spec.names) {
    const i = spec.names.indexOf(upper)
    if (i >= 0) return i + (spec.namesFrom ?? 0)
  }
  if (!/^\d+$/.test(text)) throw new Error(`${spec.name}: "${text}" is not a number`)
  const n = Number(text)
  if (n < spec.min || n > spec.max) throw new Error(`${spec.name}: ${n} is outside ${spec.min}-${spec.max}`)
  return n
}

function parseField(text: string, spec: FieldSpec): Set<number> {
  const out = new Set<number>()
  for (const part of text.split(',')) {
    if (part === '') throw new Error(`${spec.name}: empty list item`)
    const [range, stepText, extra] = part.split('/')
    if (extra !== undefined) throw new Error(`${spec.name}: "${part}" has more than one "/"`)
    let step = 1
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) === 0) throw new Error(`${spec.name}: step "${stepText}" must be a positive number`)
      step = Number(stepText)
    }
    let from: number
    let to: number
    if (range === '*') {
      from = spec.min
      to = spec.max
    } else if (range.includes('-')) {
      const [a, b, more] = range.split('-')
      if (more !== undefined || a === '' || b === '') throw new Error(`${spec.name}: "${range}" is not a range`)
      from = value(a, spec)
      to = value(b, spec)
      if (from > to) throw new Error(`${spec.name}: range ${range} goes backwards`)
    } else {
      from = value(range, spec)
      // "5/15" means from 5 to the end, every 15
      to = stepText !== undefined ? spec.max : from
    }
    for (let v = from; v <= to; v += step) out.add(v)
  }
  return out
}

/** Parses a five-field cron expression; the error names the field at fault. */
export function parseCron(expr: string): CronParse {
  const text = (expr ?? '').trim()
  if (!text) return { ok: false, error: 'cron is required' }
  if (text.length > 200) return { ok: false, error: 'too long (200 characters at most)' }
  const parts = text.split(/\s+/)
  if (parts.length !== 5) {
    return { ok: false, error: `expected 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}` }
  }
  try {
    const sets = parts.map((p, i) => parseField(p, SPECS[i]))
    const dow = new Set<number>([...sets[4]].map((d) => (d === 7 ? 0 : d)))
    return {
      ok: true,
      cron: {
        minutes: sets[0],
        hours: sets[1],
        daysOfMonth: sets[2],
        months: sets[3],
        daysOfWeek: dow,
        domRestricted: !parts[2].startsWith('*'),
        dowRestricted: !parts[4].startsWith('*'),
      },
    }
  } catch (e) {
    return { ok: false, error: (e as Error).message }
  }
}

// --- time zones -------------------------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    formatters.set(zone, f)
  }
  return f
}

/** True when the browser knows this IANA zone (or UTC). */
export function isValidTimeZone(zone: string): boolean {
  if (!zone || zone.length > 64) return false
  try {
    formatter(zone)
    return true
  } catch {
    return false
  }
}

/** Wall-clock fields of an instant in a zone, as a UTC epoch (ms) of the same fields. */
function wallAsUtc(epochMs: number, zone: string): number {
  const parts = formatter(zone).formatToParts(new Date(epochMs))
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value)
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'))
}

/** The zone's offset from UTC at an instant, in ms. */
export function offsetAt(epochMs: number, zone: string): number {
  const floored = Math.floor(epochMs / 1000) * 1000
  return wallAsUtc(floored, zone) - floored
}

/**
 * The instant of a local date-time (given as a UTC epoch of its fields) in a zone, with
 * java.time's ZonedDateTime.ofLocal(local, zone, null) rule: in an overlap the earlier offset, in a
 * gap the time moved forward by the gap's length.
 */
export function localToInstant(localAsUtc: number, zone: string): number {
  const DAY = 86_400_000
  const before = offsetAt(localAsUtc - DAY, zone)
  const after = offsetAt(localAsUtc + DAY, zone)
  const candidates = [localAsUtc - before, localAsUtc - after].filter((t) => wallAsUtc(t, zone) === localAsUtc)
  if (candidates.length) return Math.min(...candidates)
  return localAsUtc - before
}

const MAX_DAYS = 366 * 5

/**
 * The next `count` fire times strictly after `after`, as epoch ms, for a parsed expression in
 * `zone`. Fewer (possibly none) when the expression matches nothing in the next five years.
 */
export function nextFireTimes(cron: CronFields, zone: string, after: number, count: number): number[] {
  const out: number[] = []
  const startLocal = wallAsUtc(after, zone)
  const start = new Date(startLocal)
  let day = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate())
  const minutes = [...cron.minutes].sort((a, b) => a - b)
  const hours = [...cron.hours].sort((a, b) => a - b)
  for (let i = 0; i < MAX_DAYS && out.length < count; i++, day += 86_400_000) {
    const d = new Date(day)
    if (!cron.months.has(d.getUTCMonth() + 1)) continue
    const domOk = cron.daysOfMonth.has(d.getUTCDate())
    const dowOk = cron.daysOfWeek.has(d.getUTCDay())
    const dayOk = cron.domRestricted && cron.dowRestricted ? domOk || dowOk : domOk && dowOk
    if (!dayOk) continue
    for (const h of hours) {
      for (const m of minutes) {
        const local = day + h * 3_600_000 + m * 60_000
        if (local < startLocal - 86_400_000) continue
        const t = localToInstant(local, zone)
        if (t > after && !out.includes(t) && t > (out[out.length - 1] ?? -Infinity)) out.push(t)
        if (out.length >= count) return out
      }
    }
  }
  return out
}

/** Parse + preview in one call, for the form: an error message, or the next fire times. */
export function previewCron(
  expr: string,
  zone: string,
  after: number = Date.now(),
  count = 5,
): { ok: true; times: number[] } | { ok: false; error: string } {
  const parsed = parseCron(expr)
  if (!parsed.ok) return parsed
  const z = zone.trim() || 'UTC'
  if (!isValidTimeZone(z)) return { ok: false, error: `unknown time zone "${zone}"` }
  return { ok: true, times: nextFireTimes(parsed.cron, z, after, count) }
}

/** A fire time shown in the schedule's zone: `Sun 2025-03-30 03:30 (GMT+2)`. */
export function formatInZone(epochMs: number, zone: string): string {
  const f = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  })
  const p = Object.fromEntries(f.formatToParts(new Date(epochMs)).map((x) => [x.type, x.value]))
  return `${p.weekday} ${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} (${p.timeZoneName})`
}
