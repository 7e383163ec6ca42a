import { describe, expect, it } from 'vitest'
import { buildRunsQuery, clampLimit, hasNextPage, nextPage, prevPage, runsQueryFromRoute, runsQueryToRoute } from '../src/api/query'

describe('runs query building', () => {
  it('defaults to limit 50 and no filters', () => {
    expect(buildRunsQuery({})).toBe('?limit=50')
  })

  it('adds status and app filters, limit and a non-zero offset', () => {
    expect(buildRunsQuery({ status: 'running', app: 'etl', limit: 20, offset: 40 })).toBe('?status=running&app=etl&limit=20&offset=40')
  })

  it('leaves out empty filters and a zero offset', () => {
    expect(buildRunsQuery({ status: '', app: '  ', limit: 10, offset: 0 })).toBe('?limit=10')
  })

  it('drops an unknown status instead of causing a 400', () => {
    expect(buildRunsQuery({ status: 'bogus' })).toBe('?limit=50')
  })

  it('trims and encodes the app slug', () => {
    expect(buildRunsQuery({ app: ' my app&x ' })).toBe('?app=my+app%26x&limit=50')
  })

  it('clamps the limit to 1..100 (the server would turn 500 into 50)', () => {
    expect(clampLimit(500)).toBe(100)
    expect(clampLimit(0)).toBe(1)
    expect(clampLimit(NaN)).toBe(50)
    expect(buildRunsQuery({ limit: 1000, offset: -5 })).toBe('?limit=100')
  })
})

describe('paging', () => {
  it('moves by one page and never below zero', () => {
    expect(nextPage({ limit: 25, offset: 0 })).toEqual({ limit: 25, offset: 25 })
    expect(prevPage({ limit: 25, offset: 25 })).toEqual({ limit: 25, offset: 0 })
    expect(prevPage({ limit: 25, offset: 10 })).toEqual({ limit: 25, offset: 0 })
  })

  it('offers a next page only after a full page', () => {
    expect(hasNextPage({ limit: 25, offset: 0 }, 25)).toBe(true)
    expect(hasNextPage({ limit: 25, offset: 0 }, 24)).toBe(false)
  })
})

describe('route query ⇄ filter state', () => {
  it('reads filters from the URL and ignores junk', () => {
    expect(runsQueryFromRoute({ status: 'failed', app: 'etl', offset: '50' }, 25)).toEqual({ status: 'failed', app: 'etl', limit: 25, offset: 50 })
    expect(runsQueryFromRoute({ status: 'nope', offset: '-3', limit: 'x' }, 25)).toEqual({ status: '', app: '', limit: 50, offset: 0 })
    expect(runsQueryFromRoute({ status: ['queued', 'failed'] }, 25).status).toBe('queued')
  })

  it('writes only non-default values back', () => {
    expect(runsQueryToRoute({ status: '', app: '', limit: 25, offset: 0 }, 25)).toEqual({})
    expect(runsQueryToRoute({ status: 'dead', app: 'x', limit: 10, offset: 20 }, 25)).toEqual({ status: 'dead', app: 'x', limit: '10', offset: '20' })
  })
})
