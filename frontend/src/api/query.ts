// Query-string building for list endpoints (limit/offset paging, status and app filters).
import { RUN_STATUSES, type RunsQuery } from './types'

export const DEFAULT_PAGE_SIZE = 50
export const MAX_PAGE_SIZE = 100

/** The server silently turns a limit outside 1..100 into 50, so clamp before sending. */
export function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_PAGE_SIZE
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.trunc(limit)))
}

export function clampOffset(offset: number | undefined): number {
  if (offset === undefined || !Number.isFinite(offset)) return 0
  return Math.max(0, Math.trunc(offset))
}

/**
 * Builds `?status=&app=&limit=&offset=` for GET /api/v1/runs and GET /api/v1/apps/{app}/runs.
 * Empty filters are left out (an unknown status would be a 400, so it is dropped too).
 */
export function buildRunsQuery(q: RunsQuery): string {
  const p = new URLSearchParams()
  const status = q.status?.trim()
  if (status && (RUN_STATUSES as readonly string[]).includes(status)) p.set('status', status)
  const app = q.app?.trim()
  if (app) p.set('app', app)
  p.set('limit', String(clampLimit(q.limit)))
  const offset = clampOffset(q.offset)
  if (offset > 0) p.set('offset', String(offset))
  return '?' + p.toString()
}

export interface PageState {
  limit: number
  offset: number
}

export function nextPage(p: PageState): PageState {
  return { limit: p.limit, offset: p.offset + p.limit }
}

export function prevPage(p: PageState): PageState {
  return { limit: p.limit, offset: Math.max(0, p.offset - p.limit) }
}

/** Without a total count the only hint of a further page is a full page. */
export function hasNextPage(p: PageState, received: number): boolean {
  return received >= p.limit
}

/** Reads the runs-list filter state from a route query (strings or string arrays). */
export function runsQueryFromRoute(query: Record<string, unknown>, pageSize = DEFAULT_PAGE_SIZE): Required<RunsQuery> {
  const str = (v: unknown): string => (Array.isArray(v) ? String(v[0] ?? '') : v == null ? '' : String(v))
  const status = str(query.status)
  return {
    status: (RUN_STATUSES as readonly string[]).includes(status) ? status : '',
    app: str(query.app).trim(),
    limit: clampLimit(query.limit === undefined ? pageSize : Number(str(query.limit))),
    offset: clampOffset(Number(str(query.offset) || 0)),
  }
}

/** The inverse of runsQueryFromRoute: defaults are omitted so URLs stay short. */
export function runsQueryToRoute(q: RunsQuery, pageSize = DEFAULT_PAGE_SIZE): Record<string, string> {
  const out: Record<string, string> = {}
  if (q.status) out.status = q.status
  if (q.app) out.app = q.app
  if (q.limit !== undefined && clampLimit(q.limit) !== pageSize) out.limit = String(clampLimit(q.limit))
  if (q.offset) out.offset = String(clampOffset(q.offset))
  return out
}
