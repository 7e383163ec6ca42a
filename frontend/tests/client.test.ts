import { describe, expect, it, vi } from 'vitest'
import { ApiClient, ApiError, errorFromBody, type XhrLike } from '../src/api/client'
import { fakeFetch, jsonResponse } from './helpers'

function client(fetchFn: typeof fetch, token: string | null = 'mtk_abc', onUnauthorized = vi.fn()) {
  return { c: new ApiClient({ fetch: fetchFn, getToken: () => token, onUnauthorized }), onUnauthorized }
}

describe('error envelope', () => {
  it('uses code and message from {"error":{code,message}}', () => {
    const e = errorFromBody(409, '{"error":{"code":"slug_taken","message":"app slug already exists"}}\n')
    expect(e).toBeInstanceOf(ApiError)
    expect(e.status).toBe(409)
    expect(e.code).toBe('slug_taken')
    expect(e.message).toBe('app slug already exists')
  })

  it('falls back to "Request failed with status N" for a plain-text 404', () => {
    const e = errorFromBody(404, '404 page not found\n')
    expect(e.code).toBe('http_404')
    expect(e.message).toBe('Request failed with status 404')
  })

  it('falls back for an empty 405 body and for JSON without the envelope', () => {
    expect(errorFromBody(405, '').message).toBe('Request failed with status 405')
    expect(errorFromBody(500, '{"oops":true}').message).toBe('Request failed with status 500')
  })

  it('keeps the upper-case TOWERFILE_* codes as sent', async () => {
    const { fn } = fakeFetch(jsonResponse(400, { error: { code: 'TOWERFILE_MISSING', message: 'artifact does not contain a Towerfile' } }))
    const { c } = client(fn)
    await expect(c.listApps()).rejects.toMatchObject({ status: 400, code: 'TOWERFILE_MISSING', message: 'artifact does not contain a Towerfile' })
  })

  it('rejects with a network ApiError when fetch fails', async () => {
    const { fn } = fakeFetch(new TypeError('Failed to fetch'))
    const { c } = client(fn)
    await expect(c.me()).rejects.toMatchObject({ status: 0, code: 'network' })
  })
})

describe('authentication', () => {
  it('sends the bearer token on team calls', async () => {
    const { fn, calls } = fakeFetch(jsonResponse(200, { apps: [] }))
    const { c } = client(fn, 'mtk_secret')
    expect(await c.listApps()).toEqual([])
    expect(calls[0].headers.Authorization).toBe('Bearer mtk_secret')
    expect(calls[0].url).toBe('/api/v1/apps')
  })

  it('sends no token to login, signup and auth options', async () => {
    const { fn, calls } = fakeFetch(
      jsonResponse(201, { team_id: 1, token: 'mtk_x', token_id: 3, role: 'admin' }),
      jsonResponse(201, { team_id: 1, slug: 'acme', token: 'mtk_y', role: 'admin' }),
      jsonResponse(200, { signup_enabled: true, bootstrap_enabled: false }),
    )
    const { c } = client(fn, 'mtk_old')
    await c.login('acme', 'pw')
    await c.signup({ slug: 'acme', name: 'Acme', password: 'pw' })
    await c.authOptions()
    expect(calls.map((x) => x.headers.Authorization)).toEqual([undefined, undefined, undefined])
    expect(JSON.parse(calls[0].body!)).toEqual({ slug: 'acme', password: 'pw' })
  })

  it('a 401 on an authenticated call triggers logout', async () => {
    const { fn } = fakeFetch(jsonResponse(401, { error: { code: 'unauthorized', message: 'invalid or missing token' } }))
    const { c, onUnauthorized } = client(fn)
    await expect(c.runsSummary()).rejects.toMatchObject({ status: 401, message: 'invalid or missing token' })
    expect(onUnauthorized).toHaveBeenCalledTimes(1)
  })

  it('a 401 from login (wrong password) is shown, not treated as logout', async () => {
    const { fn } = fakeFetch(jsonResponse(401, { error: { code: 'unauthorized', message: 'invalid slug or password' } }))
    const { c, onUnauthorized } = client(fn, null)
    await expect(c.login('acme', 'bad')).rejects.toMatchObject({ message: 'invalid slug or password' })
    expect(onUnauthorized).not.toHaveBeenCalled()
  })

  it('a 403 does not log out', async () => {
    const { fn } = fakeFetch(jsonResponse(403, { error: { code: 'forbidden', message: 'admin role required' } }))
    const { c, onUnauthorized } = client(fn)
    await expect(c.listRunners()).rejects.toMatchObject({ status: 403, code: 'forbidden' })
    expect(onUnauthorized).not.toHaveBeenCalled()
  })
})

describe('endpoints', () => {
  it('revokes a token with DELETE /api/v1/tokens/{id} and accepts an empty 204', async () => {
    const { fn, calls } = fakeFetch(new Response(null, { status: 204 }))
    const { c } = client(fn)
    await expect(c.revokeToken(7)).resolves.toBeUndefined()
    expect(calls[0]).toMatchObject({ method: 'DELETE', url: '/api/v1/tokens/7' })
  })

  it('creates a run with input, version and options in the body', async () => {
    const { fn, calls } = fakeFetch(jsonResponse(201, { run_id: 5, status: 'queued' }))
    const { c } = client(fn)
    await c.createRun('etl', { input: { n: 3 }, version_no: 2, priority: 1, max_retries: 0 })
    expect(calls[0]).toMatchObject({ method: 'POST', url: '/api/v1/apps/etl/runs' })
    expect(JSON.parse(calls[0].body!)).toEqual({ input: { n: 3 }, version_no: 2, priority: 1, max_retries: 0 })
  })

  it('reads logs incrementally with after_seq, and after_attempt when the cursor has one', async () => {
    const { fn, calls } = fakeFetch(
      jsonResponse(200, { logs: [] }),
      jsonResponse(200, { logs: [{ seq: 4, stream: 'stdout', line: 'x', logged_at: 't' }] }),
      jsonResponse(200, { logs: [] }),
    )
    const { c } = client(fn)
    await c.getLogs(9)
    const r = await c.getLogs(9, { afterSeq: 3 })
    await c.getLogs(9, { afterAttempt: 2, afterSeq: 0 })
    expect(calls.map((x) => x.url)).toEqual(['/api/v1/runs/9/logs', '/api/v1/runs/9/logs?after_seq=3', '/api/v1/runs/9/logs?after_attempt=2&after_seq=0'])
    expect(r.logs).toHaveLength(1)
  })

  it('tolerates a server without the attempts endpoint (404 → null)', async () => {
    const { fn } = fakeFetch(jsonResponse(404, '404 page not found'), jsonResponse(200, { attempts: [{ attempt_no: 1, status: 'running' }] }))
    const { c } = client(fn)
    expect(await c.getAttempts(3)).toBeNull()
    expect(await c.getAttempts(3)).toEqual([{ attempt_no: 1, status: 'running' }])
  })

  it('builds the team-wide runs query from filters and paging', async () => {
    const { fn, calls } = fakeFetch(jsonResponse(200, { runs: [] }))
    const { c } = client(fn)
    await c.listRuns({ status: 'failed', app: 'etl', limit: 25, offset: 50 })
    expect(calls[0].url).toBe('/api/v1/runs?status=failed&app=etl&limit=25&offset=50')
  })
})

class FakeXhr implements XhrLike {
  static last: FakeXhr
  method = ''
  url = ''
  headers: Record<string, string> = {}
  body: FormData | null = null
  status = 0
  responseText = ''
  upload: XhrLike['upload'] = { onprogress: null }
  onload: (() => void) | null = null
  onerror: (() => void) | null = null
  onabort: (() => void) | null = null
  constructor() {
    FakeXhr.last = this
  }
  open(method: string, url: string) {
    this.method = method
    this.url = url
  }
  setRequestHeader(k: string, v: string) {
    this.headers[k] = v
  }
  send(body: FormData) {
    this.body = body
  }
  abort() {
    this.onabort?.()
  }
  respond(status: number, body: unknown) {
    this.status = status
    this.responseText = JSON.stringify(body)
    this.onload?.()
  }
}

describe('artifact upload', () => {
  it('posts multipart field "artifact" with the token and reports progress', async () => {
    const onUnauthorized = vi.fn()
    const c = new ApiClient({ getToken: () => 'mtk_t', onUnauthorized, xhr: () => new FakeXhr() })
    const progress: (number | null)[] = []
    const p = c.uploadVersion('etl', new File(['gz'], 'app.tar.gz'), 'app.tar.gz', (x) => progress.push(x.fraction))
    const xhr = FakeXhr.last
    expect(xhr.method).toBe('POST')
    expect(xhr.url).toBe('/api/v1/apps/etl/versions')
    expect(xhr.headers.Authorization).toBe('Bearer mtk_t')
    expect(xhr.headers['Content-Type']).toBeUndefined() // the browser sets the multipart boundary
    const part = xhr.body!.get('artifact') as File
    expect(part).toBeInstanceOf(Blob)
    expect(part.name).toBe('app.tar.gz')
    xhr.upload.onprogress!({ loaded: 50, total: 100, lengthComputable: true })
    xhr.upload.onprogress!({ loaded: 10, total: 0, lengthComputable: false })
    xhr.respond(201, { version_id: 1, version_no: 1, entrypoint: 'main.py' })
    await expect(p).resolves.toMatchObject({ version_no: 1 })
    expect(progress).toEqual([0.5, null])
  })

  it('maps an upload error envelope and logs out on 401', async () => {
    const onUnauthorized = vi.fn()
    const c = new ApiClient({ getToken: () => 'mtk_t', onUnauthorized, xhr: () => new FakeXhr() })
    const p1 = c.uploadVersion('etl', new Blob(['x']), 'a.tgz')
    FakeXhr.last.respond(400, { error: { code: 'TOWERFILE_INVALID', message: 'invalid Towerfile: app.name is required' } })
    await expect(p1).rejects.toMatchObject({ code: 'TOWERFILE_INVALID', message: 'invalid Towerfile: app.name is required' })
    expect(onUnauthorized).not.toHaveBeenCalled()
    const p2 = c.uploadVersion('etl', new Blob(['x']), 'a.tgz')
    FakeXhr.last.respond(401, { error: { code: 'unauthorized', message: 'invalid or missing token' } })
    await expect(p2).rejects.toMatchObject({ status: 401 })
    expect(onUnauthorized).toHaveBeenCalledTimes(1)
  })
})

describe('run stream', () => {
  function sseResponse(chunks: string[]): Response {
    const enc = new TextEncoder()
    const body = new ReadableStream<Uint8Array>({
      start(ctrl) {
        for (const c of chunks) ctrl.enqueue(enc.encode(c))
        ctrl.close()
      },
    })
    return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } })
  }

  it('reads status and log events with the Authorization header (no token in the URL)', async () => {
    const { fn, calls } = fakeFetch(
      sseResponse([
        'event: status\ndata: {"run_id":1,"status":"running"}\n\n: keep-alive\n\nevent: lo',
        'g\ndata: {"seq":1,"attempt_no":1,"stream":"stdout","line":"hi","logged_at":"t"}\n\n',
        'event: status\r\ndata: {"run_id":1,"status":"completed"}\r\n\r\n',
      ]),
    )
    const { c } = client(fn, 'mtk_s')
    const statuses: string[] = []
    const lines: string[] = []
    await c.streamRun(1, { onStatus: (r) => statuses.push(r.status), onLog: (l) => lines.push(l.line) })
    expect(statuses).toEqual(['running', 'completed'])
    expect(lines).toEqual(['hi'])
    expect(calls[0].url).toBe('/api/v1/runs/1/stream')
    expect(calls[0].url).not.toContain('token')
    expect(calls[0].headers.Authorization).toBe('Bearer mtk_s')
    expect(calls[0].headers.Accept).toBe('text/event-stream')
  })

  it('rejects with status 404 when the server has no stream endpoint', async () => {
    const { fn } = fakeFetch(jsonResponse(404, '404 page not found'))
    const { c } = client(fn)
    await expect(c.streamRun(1, {})).rejects.toMatchObject({ status: 404 })
  })

  it('rejects when the answer is not an event stream (e.g. an HTML fallback page)', async () => {
    const { fn } = fakeFetch(new Response('<html></html>', { status: 200, headers: { 'Content-Type': 'text/html' } }))
    const { c } = client(fn)
    await expect(c.streamRun(1, {})).rejects.toMatchObject({ code: 'not_a_stream' })
  })
})

describe('token creation body', () => {
  it('sends expires_in_seconds only when an expiry is chosen', async () => {
    const { fn, calls } = fakeFetch(
      jsonResponse(201, { token_id: 1, token: 'mtk_a', role: 'member' }),
      jsonResponse(201, { token_id: 2, token: 'mtk_b', role: 'admin', expires_at: '2030-01-01T00:00:00Z' }),
    )
    const { c } = client(fn)
    await c.createToken('ci', 'member')
    await c.createToken('', 'admin', 86400)
    expect(JSON.parse(calls[0].body!)).toEqual({ name: 'ci', role: 'member' })
    expect(JSON.parse(calls[1].body!)).toEqual({ name: null, role: 'admin', expires_in_seconds: 86400 })
  })
})
