// Cron preview: parsing, the next fire times in the schedule's zone, and the DST rule shared with
// scheduler-service (a time in a spring-forward gap fires after the gap; a repeated time once).
import { describe, expect, it } from 'vitest'
import { formatInZone, localToInstant, nextFireTimes, parseCron, previewCron } from '../src/lib/cron'

const iso = (ms: number[]) => ms.map((t) => new Date(t).toISOString().replace('.000Z', 'Z'))
const at = (s: string) => Date.parse(s)

function next(expr: string, zone: string, after: string, n = 5): string[] {
  const r = previewCron(expr, zone, at(after), n)
  if (!r.ok) throw new Error(r.error)
  return iso(r.times)
}

describe('parseCron', () => {
  it('accepts lists, ranges, steps and names', () => {
    const r = parseCron('0,30 9-17/2 * JAN-mar mon-FRI')
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect([...r.cron.minutes]).toEqual([0, 30])
    expect([...r.cron.hours]).toEqual([9, 11, 13, 15, 17])
    expect([...r.cron.months]).toEqual([1, 2, 3])
    expect([...r.cron.daysOfWeek]).toEqual([1, 2, 3, 4, 5])
  })

  it('folds day-of-week 7 into Sunday and reads "a/n" as from a to the end', () => {
    const r = parseCron('5/20 * * * 7')
    expect(r.ok && [...r.cron.minutes]).toEqual([5, 25, 45])
    expect(r.ok && [...r.cron.daysOfWeek]).toEqual([0])
  })

  it.each([
    ['', 'cron is required'],
    ['* * * *', 'expected 5 fields'],
    ['61 * * * *', 'minute: 61 is outside 0-59'],
    ['* 24 * * *', 'hour: 24 is outside 0-23'],
    ['* * 0 * *', 'day of month: 0 is outside 1-31'],
    ['* * * 13 *', 'month: 13 is outside 1-12'],
    ['* * * * 8', 'day of week: 8 is outside 0-7'],
    ['*/0 * * * *', 'step "0"'],
    ['5-1 * * * *', 'goes backwards'],
    ['a * * * *', 'is not a number'],
    ['1,,2 * * * *', 'empty list item'],
  ])('rejects %j with a message naming the field', (expr, message) => {
    const r = parseCron(expr)
    expect(r.ok).toBe(false)
    expect(!r.ok && r.error).toContain(message)
  })
})

describe('next fire times', () => {
  it('every 15 minutes in UTC, strictly after now', () => {
    expect(next('*/15 * * * *', 'UTC', '2025-01-01T00:15:00Z')).toEqual([
      '2025-01-01T00:30:00Z',
      '2025-01-01T00:45:00Z',
      '2025-01-01T01:00:00Z',
      '2025-01-01T01:15:00Z',
      '2025-01-01T01:30:00Z',
    ])
  })

  it('matches the wall clock of the schedule zone, not the browser', () => {
    // 09:00 in New York on weekdays; 2025-01-03 is a Friday.
    expect(next('0 9 * * 1-5', 'America/New_York', '2025-01-03T12:00:00Z', 3)).toEqual([
      '2025-01-03T14:00:00Z',
      '2025-01-06T14:00:00Z',
      '2025-01-07T14:00:00Z',
    ])
    // Half-hour offset zone.
    expect(next('0 0 * * *', 'Asia/Kolkata', '2025-06-01T00:00:00Z', 2)).toEqual(['2025-06-01T18:30:00Z', '2025-06-02T18:30:00Z'])
  })

  it('fires a time skipped by the spring-forward gap once, after the gap (Europe/Paris 2025-03-30)', () => {
    // 02:00 CET jumps to 03:00 CEST: 02:30 does not exist and fires at 03:30 CEST (01:30Z).
    expect(next('30 2 * * *', 'Europe/Paris', '2025-03-28T12:00:00Z', 4)).toEqual([
      '2025-03-29T01:30:00Z', // 02:30 CET
      '2025-03-30T01:30:00Z', // gap: 03:30 CEST
      '2025-03-31T00:30:00Z', // 02:30 CEST
      '2025-04-01T00:30:00Z',
    ])
  })

  it('fires a time repeated by the fall-back overlap once, at its first occurrence (2025-10-26)', () => {
    // 03:00 CEST falls back to 02:00 CET: 02:30 happens twice; only the first (CEST, 00:30Z) fires.
    expect(next('30 2 * * *', 'Europe/Paris', '2025-10-25T12:00:00Z', 3)).toEqual([
      '2025-10-26T00:30:00Z',
      '2025-10-27T01:30:00Z',
      '2025-10-28T01:30:00Z',
    ])
  })

  it('keeps an hourly schedule at one fire per wall-clock hour across both DST days (US)', () => {
    // 2025-03-09 in New York: 02:xx does not exist; 02:00 fires at 03:00 EDT together with 03:00 (once).
    expect(next('0 1-3 * * *', 'America/New_York', '2025-03-09T00:00:00Z', 3)).toEqual([
      '2025-03-09T06:00:00Z', // 01:00 EST
      '2025-03-09T07:00:00Z', // 02:00 (gap) → 03:00 EDT; 03:00 EDT is the same instant, fired once
      '2025-03-10T05:00:00Z', // 01:00 EDT next day
    ])
    // 2025-11-02: 01:00 happens twice; it fires at the first (EDT) one only.
    expect(next('0 1 * * *', 'America/New_York', '2025-11-01T12:00:00Z', 2)).toEqual(['2025-11-02T05:00:00Z', '2025-11-03T06:00:00Z'])
  })

  it('treats restricted day-of-month and day-of-week as either (POSIX)', () => {
    // The 13th, or any Friday: 2025-06-06 (Fri), 06-13 (Fri and 13th), 06-20 (Fri).
    expect(next('0 0 13 * 5', 'UTC', '2025-06-01T00:00:00Z', 3)).toEqual([
      '2025-06-06T00:00:00Z',
      '2025-06-13T00:00:00Z',
      '2025-06-20T00:00:00Z',
    ])
  })

  it('finds 29 February and returns nothing for 30 February', () => {
    expect(next('0 12 29 2 *', 'UTC', '2025-01-01T00:00:00Z', 1)).toEqual(['2028-02-29T12:00:00Z'])
    expect(next('0 0 30 2 *', 'UTC', '2025-01-01T00:00:00Z')).toEqual([])
  })

  it('rejects an unknown time zone', () => {
    const r = previewCron('* * * * *', 'Mars/Olympus', at('2025-01-01T00:00:00Z'))
    expect(r.ok).toBe(false)
    expect(!r.ok && r.error).toContain('unknown time zone')
  })

  it('maps local times like java.time ZonedDateTime.ofLocal', () => {
    const paris = (l: string) => new Date(localToInstant(Date.parse(`${l}Z`), 'Europe/Paris')).toISOString()
    expect(paris('2025-03-30T02:30:00')).toBe('2025-03-30T01:30:00.000Z')
    expect(paris('2025-10-26T02:30:00')).toBe('2025-10-26T00:30:00.000Z')
    expect(paris('2025-07-01T12:00:00')).toBe('2025-07-01T10:00:00.000Z')
  })

  it('shows fire times in the schedule zone with its abbreviation', () => {
    expect(formatInZone(at('2025-03-30T01:30:00Z'), 'Europe/Paris')).toBe('Sun 2025-03-30 03:30 (CEST)')
    expect(formatInZone(at('2025-01-01T00:00:00Z'), 'UTC')).toBe('Wed 2025-01-01 00:00 (UTC)')
  })

  it('nextFireTimes works on a parsed expression directly', () => {
    const p = parseCron('0 0 1 1 *')
    expect(p.ok).toBe(true)
    if (p.ok) expect(iso(nextFireTimes(p.cron, 'UTC', at('2025-01-01T00:00:00Z'), 2))).toEqual(['2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'])
  })
})
