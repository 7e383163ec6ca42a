// The one place that talks HTTP to api-service. Every call goes through `request` (or `upload` for
// the multipart artifact, which needs XMLHttpRequest for upload progress), so the error envelope,
// the bearer header and the 401 → logout rule are handled once.
import { buildRunsQuery } from './query'
import { SseParser } from './sse'
import type {
  App,
  AppDurationStats,
  CreatedRunnerToken,
  DurationPoint,
  Environment,
  EnvironmentOverview,
  RunStats,
  RunTimeline,
  RunnerTokenInfo,
  Schedule,
  ScheduleRequest,
  ScheduleTick,
  StatsBucket,
  TeamSchedule,
  Attempt,
  AuthOptions,
  CreateRunRequest,
  CreatedToken,
  LoginResponse,
  LogCursor,
  LogLine,
  LogsResponse,
  Me,
  Role,
  Run,
  Runner,
  RunsQuery,
  RunsSummary,
  SignupRequest,
  SignupResponse,
  TokenInfo,
  Version,
} from './types'

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'ApiError'
  }

  get isNotFound(): boolean {
    return this.status === 404
  }
}

/** Turns a non-2xx response body into an ApiError, preferring the `{"error":{code,message}}` envelope. */
export function errorFromBody(status: number, bodyText: string): ApiError {
  try {
    const parsed = JSON.parse(bodyText) as unknown
    const err = (parsed as { error?: unknown } | null)?.error as { code?: unknown; message?: unknown } | undefined
    if (err && typeof err === 'object' && typeof err.message === 'string' && err.message) {
      return new ApiError(status, typeof err.code === 'string' ? err.code : `http_${status}`, err.message)
    }
  } catch {
    // not JSON: 404 text from the router, 405 with an empty body, a proxy's HTML page…
  }
  return new ApiError(status, `http_${status}`, `Request failed with status ${status}`)
}

export interface XhrLike {
  open(method: string, url: string): void
  setRequestHeader(name: string, value: string): void
  send(body: FormData): void
  abort(): void
  status: number
  responseText: string
  upload: { onprogress: ((e: { loaded: number; total: number; lengthComputable: boolean }) => void) | null }
  onload: (() => void) | null
  onerror: (() => void) | null
  onabort: (() => void) | null
}

export interface ClientOptions {
  baseUrl?: string
  fetch?: typeof fetch
  getToken: () => string | null
  /** Called when an authenticated call answers 401: the stored token is no longer good. */
  onUnauthorized?: () => void
  xhr?: () => XhrLike
}

interface RequestOptions {
  body?: unknown
  auth?: boolean
  signal?: AbortSignal
}

export interface UploadProgress {
  loaded: number
  total: number
  /** 0..1, or null when the browser cannot tell the total. */
  fraction: number | null
}

export interface RunStreamHandlers {
  onStatus?: (run: Run) => void
  onLog?: (line: LogLine) => void
  onOpen?: () => void
}

export class ApiClient {
  private readonly baseUrl: string
  private readonly fetchFn: typeof fetch
  private readonly makeXhr: () => XhrLike

  constructor(private readonly opts: ClientOptions) {
    this.baseUrl = opts.baseUrl ?? ''
    this.fetchFn = opts.fetch ?? ((input, init) => globalThis.fetch(input, init))
    this.makeXhr = opts.xhr ?? (() => new XMLHttpRequest() as unknown as XhrLike)
  }

  private headers(auth: boolean, json: boolean): Record<string, string> {
    const h: Record<string, string> = { Accept: 'application/json' }
    if (json) h['Content-Type'] = 'application/json'
    if (auth) {
      const token = this.opts.getToken()
      if (token) h.Authorization = `Bearer ${token}`
    }
    return h
  }

  private unauthorized(auth: boolean, status: number): void {
    if (auth && status === 401) this.opts.onUnauthorized?.()
  }

  async request<T>(method: string, path: string, o: RequestOptions = {}): Promise<T> {
    const auth = o.auth ?? true
    const hasBody = o.body !== undefined
    let res: Response
    try {
      res = await this.fetchFn(this.baseUrl + path, {
        method,
        headers: this.headers(auth, hasBody),
        body: hasBody ? JSON.stringify(o.body) : undefined,
        signal: o.signal,
      })
    } catch (e) {
      if ((e as { name?: string })?.name === 'AbortError') throw e
      throw new ApiError(0, 'network', `Cannot reach the server (${(e as Error)?.message ?? 'network error'})`)
    }
    const text = await res.text()
    if (!res.ok) {
      this.unauthorized(auth, res.status)
      throw errorFromBody(res.status, text)
    }
    if (res.status === 204 || text.trim() === '') return undefined as T
    try {
      return JSON.parse(text) as T
    } catch {
      throw new ApiError(res.status, 'bad_response', 'The server sent a response that is not JSON')
    }
  }

  // --- auth and team -------------------------------------------------------------------------
  authOptions(): Promise<AuthOptions> {
    return this.request('GET', '/api/v1/auth/options', { auth: false })
  }
  signup(req: SignupRequest): Promise<SignupResponse> {
    return this.request('POST', '/api/v1/teams/signup', { body: req, auth: false })
  }
  login(slug: string, password: string): Promise<LoginResponse> {
    return this.request('POST', '/api/v1/teams/login', { body: { slug, password }, auth: false })
  }
  me(): Promise<Me> {
    return this.request('GET', '/api/v1/me')
  }

  // --- tokens ---------------------------------------------------------------------------------
  /** expiresInSeconds is sent only when given (servers without token expiry never see the field). */
  createToken(name: string | null, role: Role, expiresInSeconds?: number): Promise<CreatedToken> {
    const body: Record<string, unknown> = { name: name || null, role }
    if (expiresInSeconds) body.expires_in_seconds = expiresInSeconds
    return this.request('POST', '/api/v1/tokens', { body })
  }
  async listTokens(): Promise<TokenInfo[]> {
    return (await this.request<{ tokens: TokenInfo[] }>('GET', '/api/v1/tokens')).tokens ?? []
  }
  revokeToken(tokenId: number): Promise<void> {
    return this.request('DELETE', `/api/v1/tokens/${encodeURIComponent(tokenId)}`)
  }

  // --- apps and versions ----------------------------------------------------------------------
  async listApps(): Promise<App[]> {
    return (await this.request<{ apps: App[] }>('GET', '/api/v1/apps')).apps ?? []
  }
  getApp(slug: string): Promise<App> {
    return this.request('GET', `/api/v1/apps/${encodeURIComponent(slug)}`)
  }
  createApp(slug: string, description?: string): Promise<App> {
    return this.request('POST', '/api/v1/apps', { body: { slug, description: description || null } })
  }
  async listVersions(slug: string): Promise<Version[]> {
    return (await this.request<{ versions: Version[] }>('GET', `/api/v1/apps/${encodeURIComponent(slug)}/versions`))
      .versions ?? []
  }

  /** POST /api/v1/apps/{app}/versions, multipart field `artifact`, reporting upload progress. */
  uploadVersion(
    slug: string,
    file: Blob,
    fileName: string,
    onProgress?: (p: UploadProgress) => void,
    signal?: AbortSignal,
  ): Promise<Version> {
    return new Promise<Version>((resolve, reject) => {
      const xhr = this.makeXhr()
      const form = new FormData()
      form.append('artifact', file, fileName)
      xhr.open('POST', `${this.baseUrl}/api/v1/apps/${encodeURIComponent(slug)}/versions`)
      for (const [k, v] of Object.entries(this.headers(true, false))) xhr.setRequestHeader(k, v)
      xhr.upload.onprogress = (e) =>
        onProgress?.({ loaded: e.loaded, total: e.total, fraction: e.lengthComputable && e.total > 0 ? e.loaded / e.total : null })
      xhr.onload = () => {
        if (xhr.status >= 200 && xhr.status < 300) {
          try {
            resolve(JSON.parse(xhr.responseText) as Version)
          } catch {
            reject(new ApiError(xhr.status, 'bad_response', 'The server sent a response that is not JSON'))
          }
          return
        }
        this.unauthorized(true, xhr.status)
        reject(errorFromBody(xhr.status, xhr.responseText))
      }
      xhr.onerror = () => reject(new ApiError(0, 'network', 'Upload failed: cannot reach the server'))
      xhr.onabort = () => reject(new ApiError(0, 'aborted', 'Upload cancelled'))
      signal?.addEventListener('abort', () => xhr.abort(), { once: true })
      xhr.send(form)
    })
  }

  // --- runs ------------------------------------------------------------------------------------
  async listAppRuns(slug: string, q: Pick<RunsQuery, 'limit' | 'offset'> = {}): Promise<Run[]> {
    const qs = buildRunsQuery({ limit: q.limit, offset: q.offset })
    return (await this.request<{ runs: Run[] }>('GET', `/api/v1/apps/${encodeURIComponent(slug)}/runs${qs}`)).runs ?? []
  }
  createRun(slug: string, req: CreateRunRequest): Promise<Run> {
    return this.request('POST', `/api/v1/apps/${encodeURIComponent(slug)}/runs`, { body: req })
  }
  async listRuns(q: RunsQuery = {}): Promise<Run[]> {
    return (await this.request<{ runs: Run[] }>('GET', `/api/v1/runs${buildRunsQuery(q)}`)).runs ?? []
  }
  runsSummary(): Promise<RunsSummary> {
    return this.request('GET', '/api/v1/runs/summary')
  }
  getRun(runId: number): Promise<Run> {
    return this.request('GET', `/api/v1/runs/${runId}`)
  }
  cancelRun(runId: number): Promise<Run> {
    return this.request('POST', `/api/v1/runs/${runId}/cancel`)
  }
  getLogs(runId: number, cursor: LogCursor = { afterSeq: 0 }, signal?: AbortSignal): Promise<LogsResponse> {
    const p = new URLSearchParams()
    if (cursor.afterAttempt !== undefined) p.set('after_attempt', String(cursor.afterAttempt))
    if (cursor.afterSeq > 0 || cursor.afterAttempt !== undefined) p.set('after_seq', String(cursor.afterSeq))
    const qs = p.toString() ? `?${p.toString()}` : ''
    return this.request<LogsResponse>('GET', `/api/v1/runs/${runId}/logs${qs}`, { signal }).then((r) => ({
      ...r,
      logs: r?.logs ?? [],
    }))
  }
  /** GET /api/v1/runs/{run}/attempts; null when the server does not have this endpoint (404). */
  async getAttempts(runId: number): Promise<Attempt[] | null> {
    try {
      return (await this.request<{ attempts: Attempt[] }>('GET', `/api/v1/runs/${runId}/attempts`)).attempts ?? []
    } catch (e) {
      if (e instanceof ApiError && isMissingEndpoint(e)) return null
      throw e
    }
  }

  /**
   * Follows GET /api/v1/runs/{run}/stream (text/event-stream) with the Authorization header.
   * Resolves when the server closes the stream; rejects with an ApiError (e.g. 404 when the server
   * has no stream endpoint) or a network error, so the caller can fall back to polling.
   */
  async streamRun(runId: number, h: RunStreamHandlers, signal?: AbortSignal): Promise<void> {
    const headers = this.headers(true, false)
    headers.Accept = 'text/event-stream'
    const res = await this.fetchFn(`${this.baseUrl}/api/v1/runs/${runId}/stream`, { headers, signal, cache: 'no-store' })
    if (!res.ok) {
      this.unauthorized(true, res.status)
      throw errorFromBody(res.status, await res.text().catch(() => ''))
    }
    const type = res.headers.get('Content-Type') ?? ''
    if (!type.includes('text/event-stream') || !res.body) {
      throw new ApiError(res.status, 'not_a_stream', 'The stream endpoint did not answer with text/event-stream')
    }
    h.onOpen?.()
    const reader = res.body.getReader()
    const decoder = new TextDecoder()
    const parser = new SseParser()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      for (const ev of parser.push(decoder.decode(value, { stream: true }))) {
        let data: unknown
        try {
          data = JSON.parse(ev.data)
        } catch {
          continue
        }
        if (ev.event === 'status') h.onStatus?.(data as Run)
        else if (ev.event === 'log') h.onLog?.(data as LogLine)
      }
    }
  }

  // --- schedules ------------------------------------------------------------------------------
  /** GET /api/v1/schedules[?app=]: the team's schedules (next to fire first) with their last tick. */
  async listTeamSchedules(app?: string): Promise<TeamSchedule[]> {
    const qs = app ? `?app=${encodeURIComponent(app)}` : ''
    return (await this.request<{ schedules: TeamSchedule[] }>('GET', `/api/v1/schedules${qs}`)).schedules ?? []
  }
  getSchedule(app: string, id: number): Promise<Schedule> {
    return this.request('GET', `/api/v1/apps/${encodeURIComponent(app)}/schedules/${id}`)
  }
  createSchedule(app: string, req: ScheduleRequest): Promise<Schedule> {
    return this.request('POST', `/api/v1/apps/${encodeURIComponent(app)}/schedules`, { body: req })
  }
  updateSchedule(app: string, id: number, req: ScheduleRequest): Promise<Schedule> {
    return this.request('PATCH', `/api/v1/apps/${encodeURIComponent(app)}/schedules/${id}`, { body: req })
  }
  deleteSchedule(app: string, id: number): Promise<void> {
    return this.request('DELETE', `/api/v1/apps/${encodeURIComponent(app)}/schedules/${id}`)
  }
  async scheduleTicks(app: string, id: number, limit = 20): Promise<ScheduleTick[]> {
    return (
      await this.request<{ ticks: ScheduleTick[] }>(
        'GET',
        `/api/v1/apps/${encodeURIComponent(app)}/schedules/${id}/ticks?limit=${limit}`,
      )
    ).ticks ?? []
  }

  // --- environments and runner tokens ---------------------------------------------------------
  async listEnvironments(): Promise<Environment[]> {
    return (await this.request<{ environments: Environment[] }>('GET', '/api/v1/environments')).environments ?? []
  }
  createEnvironment(name: string): Promise<Environment> {
    return this.request('POST', '/api/v1/environments', { body: { name } })
  }
  async environmentOverview(): Promise<EnvironmentOverview[]> {
    return (await this.request<{ environments: EnvironmentOverview[] }>('GET', '/api/v1/environments/overview'))
      .environments ?? []
  }
  async listRunnerTokens(): Promise<RunnerTokenInfo[]> {
    return (await this.request<{ runner_tokens: RunnerTokenInfo[] }>('GET', '/api/v1/runner-tokens')).runner_tokens ?? []
  }
  createRunnerToken(name: string | null): Promise<CreatedRunnerToken> {
    return this.request('POST', '/api/v1/runner-tokens', { body: { name: name || null } })
  }
  revokeRunnerToken(tokenId: number): Promise<void> {
    return this.request('DELETE', `/api/v1/runner-tokens/${encodeURIComponent(tokenId)}`)
  }

  // --- stats ----------------------------------------------------------------------------------
  /** Runs per bucket by status: the team's, or one app's. */
  runStats(bucket: StatsBucket, since: string, app?: string): Promise<RunStats> {
    const qs = `?bucket=${bucket}&since=${encodeURIComponent(since)}`
    const path = app ? `/api/v1/apps/${encodeURIComponent(app)}/runs/stats` : '/api/v1/runs/stats'
    return this.request('GET', path + qs)
  }
  async slowestApps(since: string, limit = 5): Promise<AppDurationStats[]> {
    return (
      await this.request<{ apps: AppDurationStats[] }>(
        'GET',
        `/api/v1/runs/stats/apps?since=${encodeURIComponent(since)}&limit=${limit}`,
      )
    ).apps ?? []
  }
  async runDurations(app: string, limit = 100): Promise<DurationPoint[]> {
    return (
      await this.request<{ runs: DurationPoint[] }>(
        'GET',
        `/api/v1/apps/${encodeURIComponent(app)}/runs/stats/durations?limit=${limit}`,
      )
    ).runs ?? []
  }
  runTimeline(runId: number): Promise<RunTimeline> {
    return this.request('GET', `/api/v1/runs/${runId}/timeline`)
  }

  // --- admin ----------------------------------------------------------------------------------
  async listRunners(): Promise<Runner[]> {
    return (await this.request<{ runners: Runner[] }>('GET', '/api/v1/admin/runners')).runners ?? []
  }
}

/**
 * True when an error means "this server has no such endpoint": 404/405, or a 200 that is not JSON
 * (an SPA fallback answering index.html for an unknown /api path).
 */
export function isMissingEndpoint(e: ApiError): boolean {
  return e.status === 404 || e.status === 405 || e.code === 'bad_response'
}

export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message
  if (e instanceof Error) return e.message
  return String(e)
}
