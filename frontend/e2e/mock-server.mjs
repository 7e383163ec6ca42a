#!/usr/bin/env node
// A small in-memory stand-in for api-service, for trying the UI and the e2e script without the real
// services: serves dist/ (with SPA fallback) and fakes the team API, including a simulated runner.
// It is NOT the backend contract; it follows shared/spec/api.md loosely.
//
//   npm run build && node e2e/mock-server.mjs            # http://127.0.0.1:4173
//   PORT=4180 MOCK_STREAM=0 node e2e/mock-server.mjs      # no /stream endpoint (tests polling)
import { randomBytes } from 'node:crypto'
import { createReadStream, existsSync, statSync } from 'node:fs'
import { createServer } from 'node:http'
import { extname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'

const PORT = Number(process.env.PORT || 4173)
const STREAM = process.env.MOCK_STREAM !== '0'
const DIST = fileURLToPath(new URL('../dist/', import.meta.url))
const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z')
const tok = () => 'mtk_' + randomBytes(32).toString('base64url')

const teams = new Map() // slug -> {team_id, slug, password}
const tokens = new Map() // token -> {token_id, team_id, role, name, created_at, revoked_at}
const apps = [] // {app_id, team_id, slug, description, ...}
const versions = [] // {app_id, ...Version}
const runs = [] // Run + {team_id, logs: [], attempts: [], listeners: Set}
const runners = [{ runner_id: 1, name: 'mock-runner-1', environment: 'default', status: 'online', last_seen_at: now() }]
let ids = 1

const SCHEMA = {
  type: 'object',
  properties: {
    greeting: { type: 'string', description: 'What to print', default: 'hello' },
    seconds: { type: 'integer', description: 'How long the job runs', default: 2 },
    loud: { type: 'boolean', default: false },
  },
}
const TOWERFILE = `[app]\nname = "hello"\nscript = "main.py"\n\n[app.timeout]\nseconds = 600\n\n[[parameters]]\nname = "greeting"\ndescription = "What to print"\ndefault = "hello"\n\n[[parameters]]\nname = "seconds"\ntype = "integer"\ndefault = 2\n`

function send(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json' })
  res.end(body === undefined ? '' : JSON.stringify(body) + '\n')
}
const fail = (res, status, code, message) => send(res, status, { error: { code, message } })

async function readBody(req) {
  const chunks = []
  for await (const c of req) chunks.push(c)
  return Buffer.concat(chunks)
}
async function readJson(req) {
  const b = (await readBody(req)).toString()
  return b.trim() ? JSON.parse(b) : {}
}

function auth(req) {
  const h = req.headers.authorization || ''
  if (!/^bearer /i.test(h)) return null
  const t = tokens.get(h.slice(7).trim())
  return t && !t.revoked_at ? t : null
}

const publicRun = (r, withSlug = true) => {
  const { team_id: _t, logs: _l, attempts: _a, listeners: _s, timers: _x, ...rest } = r
  if (!withSlug) delete rest.app_slug
  if (rest.input && Object.keys(rest.input).length === 0) delete rest.input
  return rest
}

function emit(r, event, data) {
  for (const res of r.listeners) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)
}
function setStatus(r, status) {
  r.status = status
  if (['completed', 'failed', 'cancelled', 'dead'].includes(status)) {
    r.finished_at = now()
    const a = r.attempts.at(-1)
    if (a) {
      a.status = status
      a.finished_at = r.finished_at
      if (status !== 'cancelled') a.exit_code = status === 'completed' ? 0 : 1
      if (status === 'failed') a.error_message = 'process exited with code 1'
    }
    r.timers.forEach(clearTimeout)
  }
  emit(r, 'status', publicRun(r))
  if (r.finished_at) for (const res of r.listeners) res.end()
}
function log(r, stream, line) {
  const attempt = r.attempts.at(-1)
  const l = { seq: r.logs.filter((x) => x.attempt_no === attempt.attempt_no).length + 1, attempt_no: attempt.attempt_no, stream, line, logged_at: now() }
  r.logs.push(l)
  emit(r, 'log', l)
}

function simulate(r) {
  const secs = Math.max(0, Math.min(600, Number(r.input?.seconds ?? 2)))
  r.timers.push(
    setTimeout(() => {
      if (r.status !== 'queued') return
      r.attempts.push({ attempt_no: 1, status: 'running', runner_name: 'mock-runner-1', started_at: now() })
      r.started_at = now()
      setStatus(r, 'running')
      log(r, 'stderr', 'creating virtualenv… done')
      log(r, 'stdout', `\x1b[32m${r.input?.greeting ?? 'hello'}\x1b[0m from run ${r.run_no} <b>not bold</b>`)
      let i = 0
      const tick = () => {
        if (r.status !== 'running') return
        i += 1
        log(r, i % 5 === 0 ? 'stderr' : 'stdout', `tick ${i}/${secs * 2}${r.input?.loud ? '!!!' : ''}`)
        if (i >= secs * 2) setStatus(r, 'completed')
        else r.timers.push(setTimeout(tick, 500))
      }
      r.timers.push(setTimeout(tick, 500))
    }, 700),
  )
}

// --- schedules, environments, runner tokens and the stats endpoints (loose fakes, no firing) ---
const environments = [] // {environment_id, team_id, name, is_default, created_at}
const schedules = [] // Schedule + team_id
const runnerTokens = [] // {token_id, team_id, name, created_at, revoked_at}
const ENDED = ['completed', 'failed', 'dead']

function teamEnvs(teamId) {
  if (!environments.some((e) => e.team_id === teamId)) environments.push({ environment_id: ids++, team_id: teamId, name: 'default', is_default: true, created_at: now() })
  return environments.filter((e) => e.team_id === teamId)
}
const strip = ({ team_id: _t, ...x }) => x
const pct = (xs, q) => {
  if (!xs.length) return null
  const s = [...xs].sort((a, b) => a - b)
  const i = (s.length - 1) * q
  return s[Math.floor(i)] + (s[Math.ceil(i)] - s[Math.floor(i)]) * (i - Math.floor(i))
}
const secs = (r) => (new Date(r.finished_at) - new Date(r.started_at)) / 1000
function bucketRow(start, rs) {
  const c = (f) => rs.filter(f).length
  const row = {
    start,
    queued: c((r) => r.status === 'queued'),
    active: c((r) => ['leased', 'running', 'cancelling'].includes(r.status)),
    completed: c((r) => r.status === 'completed'),
    failed: c((r) => r.status === 'failed'),
    cancelled: c((r) => r.status === 'cancelled'),
    dead: c((r) => r.status === 'dead'),
  }
  const ended = row.completed + row.failed + row.dead
  const d = rs.filter((r) => ENDED.includes(r.status) && r.started_at).map(secs)
  return { start, total: rs.length, ...row, success_rate: ended ? row.completed / ended : null, duration_p50_seconds: pct(d, 0.5), duration_p95_seconds: pct(d, 0.95) }
}
function stats(teamRuns, bucket, sinceText, app) {
  const width = bucket === 'day' ? 86400000 : 3600000
  const since = sinceText ? Date.parse(sinceText) : Date.now() - (bucket === 'day' ? 30 : 1) * 86400000
  const rs = teamRuns.filter((r) => Date.parse(r.queued_at) >= since)
  const buckets = []
  for (let t = Math.floor(since / width) * width; t <= Date.now(); t += width) {
    buckets.push(bucketRow(new Date(t).toISOString().replace(/\.\d+Z$/, 'Z'), rs.filter((r) => Math.floor(Date.parse(r.queued_at) / width) * width === t)))
  }
  const totals = { ...bucketRow(null, rs), duration_p50_seconds: null, duration_p95_seconds: null }
  return { app: app ?? null, bucket, since: new Date(since).toISOString().replace(/\.\d+Z$/, 'Z'), totals, buckets }
}

async function extras(req, res, url, p, m, me) {
  const q = url.searchParams
  const teamRuns = runs.filter((r) => r.team_id === me.team_id)
  if (p === '/api/v1/environments' && m === 'GET') return send(res, 200, { environments: teamEnvs(me.team_id).map(strip) })
  if (p === '/api/v1/environments' && m === 'POST') {
    const b = await readJson(req)
    if (!/^[a-z0-9][a-z0-9_.-]{0,62}$/.test(b.name || '')) return fail(res, 400, 'invalid_request', "environment name must be 1-63 characters: lowercase letters, digits, '_', '.', '-', starting with a letter or digit")
    if (teamEnvs(me.team_id).some((e) => e.name === b.name)) return fail(res, 409, 'conflict', 'environment already exists')
    const e = { environment_id: ids++, team_id: me.team_id, name: b.name, is_default: false, created_at: now() }
    environments.push(e)
    return send(res, 201, strip(e))
  }
  if (p === '/api/v1/environments/overview') {
    return send(res, 200, {
      environments: teamEnvs(me.team_id).map((e) => {
        const rs = teamRuns.filter((r) => (r.environment ?? 'default') === e.name)
        const serving = runners.filter((r) => r.environment === e.name)
        return {
          ...strip(e),
          queued_runs: rs.filter((r) => r.status === 'queued').length,
          active_runs: rs.filter((r) => ['leased', 'running', 'cancelling'].includes(r.status)).length,
          oldest_queued_at: rs.find((r) => r.status === 'queued')?.queued_at ?? null,
          runners_online: serving.filter((r) => r.status === 'online').length,
          runners: serving.map((r) => ({ runner_id: r.runner_id, name: r.name, status: r.status, last_seen_at: r.last_seen_at, scope: 'platform' })),
        }
      }),
    })
  }
  if (p === '/api/v1/runner-tokens' && m === 'GET') return send(res, 200, { runner_tokens: runnerTokens.filter((t) => t.team_id === me.team_id).map(strip) })
  if (p === '/api/v1/runner-tokens' && m === 'POST') {
    const b = await readJson(req)
    const t = { token_id: ids++, team_id: me.team_id, name: b.name ?? null, created_at: now(), revoked_at: null }
    runnerTokens.push(t)
    return send(res, 201, { token_id: t.token_id, token: 'mrt_' + randomBytes(32).toString('base64url'), name: t.name })
  }
  let mm = p.match(/^\/api\/v1\/runner-tokens\/(\d+)$/)
  if (mm && m === 'DELETE') {
    const t = runnerTokens.find((x) => x.token_id === Number(mm[1]) && x.team_id === me.team_id)
    if (!t) return fail(res, 404, 'not_found', 'token not found')
    t.revoked_at = now()
    return res.writeHead(204).end()
  }
  if (p === '/api/v1/schedules') {
    const app = q.get('app')
    return send(res, 200, { schedules: schedules.filter((s) => s.team_id === me.team_id && (!app || s.app === app)).map((s) => ({ ...strip(s), last_tick: null })) })
  }
  mm = p.match(/^\/api\/v1\/apps\/([^/]+)\/schedules(?:\/(\d+))?(\/ticks)?$/)
  if (mm) {
    const [, app, id, ticks] = mm
    if (ticks) return send(res, 200, { ticks: [] })
    const s = id && schedules.find((x) => x.team_id === me.team_id && x.app === app && x.schedule_id === Number(id))
    if (id && !s) return fail(res, 404, 'not_found', 'schedule not found')
    if (m === 'GET') return id ? send(res, 200, strip(s)) : send(res, 200, { schedules: schedules.filter((x) => x.team_id === me.team_id && x.app === app).map(strip) })
    if (m === 'DELETE') {
      schedules.splice(schedules.indexOf(s), 1)
      return res.writeHead(204).end()
    }
    const b = await readJson(req)
    const base = s ?? { schedule_id: ids++, team_id: me.team_id, app, timezone: 'UTC', environment: 'default', version_no: null, priority: 0, max_retries: 0, enabled: true, overlap_policy: 'allow', catchup_policy: 'none', catchup_max: 10, created_at: now() }
    Object.assign(base, b, { updated_at: now(), next_fire_at: (b.enabled ?? base.enabled) ? new Date(Date.now() + 60000).toISOString().replace(/\.\d+Z$/, 'Z') : null })
    if (!s) schedules.push(base)
    return send(res, s ? 200 : 201, strip(base))
  }
  if (p === '/api/v1/runs/stats') return send(res, 200, stats(teamRuns, q.get('bucket') || 'hour', q.get('since')))
  if (p === '/api/v1/runs/stats/apps') {
    const by = new Map()
    for (const r of teamRuns.filter((x) => ENDED.includes(x.status) && x.started_at)) by.set(r.app_slug, [...(by.get(r.app_slug) ?? []), r])
    const list = [...by].map(([app, rs]) => ({ app, runs: rs.length, failed: rs.filter((r) => r.status !== 'completed').length, duration_p50_seconds: pct(rs.map(secs), 0.5), duration_p95_seconds: pct(rs.map(secs), 0.95), duration_max_seconds: Math.max(...rs.map(secs)) }))
    return send(res, 200, { since: q.get('since'), apps: list.sort((a, b) => b.duration_p95_seconds - a.duration_p95_seconds).slice(0, Number(q.get('limit') || 5)) })
  }
  mm = p.match(/^\/api\/v1\/apps\/([^/]+)\/runs\/stats(\/durations)?$/)
  if (mm) {
    const rs = teamRuns.filter((r) => r.app_slug === mm[1])
    if (!mm[2]) return send(res, 200, stats(rs, q.get('bucket') || 'day', q.get('since'), mm[1]))
    const done = rs.filter((r) => ENDED.includes(r.status) && r.started_at).reverse()
    return send(res, 200, { runs: done.map((r) => ({ run_id: r.run_id, run_no: r.run_no, status: r.status, queued_at: r.queued_at, started_at: r.started_at, finished_at: r.finished_at, duration_seconds: secs(r) })) })
  }
  mm = p.match(/^\/api\/v1\/runs\/(\d+)\/timeline$/)
  if (mm) {
    const r = teamRuns.find((x) => x.run_id === Number(mm[1]))
    if (!r) return fail(res, 404, 'not_found', 'run not found')
    const attempts = r.attempts.map((a) => ({ attempt_no: a.attempt_no, status: a.status, runner_name: a.runner_name ?? null, queued_at: r.queued_at, leased_at: a.started_at ?? null, started_at: a.started_at ?? null, finished_at: a.finished_at ?? null }))
    return send(res, 200, { run_id: r.run_id, status: r.status, queued_at: r.queued_at, finished_at: r.finished_at ?? null, attempts })
  }
  return false
}

async function api(req, res, url) {
  const p = url.pathname.replace(/\/$/, '')
  const m = req.method
  if (p === '/api/v1/auth/options') return send(res, 200, { signup_enabled: true, bootstrap_enabled: false })
  if (p === '/api/v1/teams/signup' && m === 'POST') {
    const b = await readJson(req)
    if (!/^[a-z][a-z0-9-]{2,31}$/.test(b.slug || '')) return fail(res, 400, 'invalid_slug', 'slug must start with a letter and contain only lowercase letters, numbers, and hyphens')
    if (!b.name?.trim()) return fail(res, 400, 'invalid_request', 'name is required')
    if (!b.password) return fail(res, 400, 'invalid_request', 'password is required')
    if (teams.has(b.slug)) return fail(res, 409, 'slug_taken', 'team slug already exists')
    const team = { team_id: ids++, slug: b.slug, password: b.password }
    teams.set(b.slug, team)
    const t = tok()
    tokens.set(t, { token_id: ids++, team_id: team.team_id, team_slug: b.slug, role: 'admin', name: 'signup', created_at: now() })
    return send(res, 201, { team_id: team.team_id, slug: b.slug, token: t, role: 'admin' })
  }
  if (p === '/api/v1/teams/login' && m === 'POST') {
    const b = await readJson(req)
    const team = teams.get(b.slug)
    if (!team || team.password !== b.password) return fail(res, 401, 'unauthorized', 'invalid slug or password')
    const t = tok()
    const info = { token_id: ids++, team_id: team.team_id, team_slug: team.slug, role: 'admin', name: 'login', created_at: now() }
    tokens.set(t, info)
    return send(res, 201, { team_id: team.team_id, token: t, token_id: info.token_id, role: 'admin' })
  }
  const me = auth(req)
  if (!me) return fail(res, 401, 'unauthorized', 'invalid or missing token')
  if (p === '/api/v1/me') return send(res, 200, { team_id: me.team_id, team_slug: me.team_slug, token_id: me.token_id, role: me.role })
  const handled = await extras(req, res, url, p, m, me)
  if (handled !== false) return
  if (p === '/api/v1/tokens' && m === 'GET') {
    const list = [...tokens.values()].filter((t) => t.team_id === me.team_id).map(({ team_id: _a, team_slug: _b, ...t }) => ({ last_used_at: null, expires_at: null, revoked_at: null, ...t }))
    return send(res, 200, { tokens: list })
  }
  if (p === '/api/v1/tokens' && m === 'POST') {
    const b = await readJson(req)
    const role = me.role === 'admin' && b.role ? b.role : 'member'
    const t = tok()
    const info = { token_id: ids++, team_id: me.team_id, team_slug: me.team_slug, role, name: b.name ?? null, created_at: now() }
    tokens.set(t, info)
    return send(res, 201, { token_id: info.token_id, token: t, ...(b.name ? { name: b.name } : {}), role })
  }
  let mm = p.match(/^\/api\/v1\/tokens\/(\d+)$/)
  if (mm && m === 'DELETE') {
    const t = [...tokens.values()].find((x) => x.token_id === Number(mm[1]) && x.team_id === me.team_id)
    if (!t) return fail(res, 404, 'not_found', 'token not found')
    t.revoked_at = now()
    res.writeHead(204).end()
    return
  }
  if (p === '/api/v1/apps' && m === 'GET') return send(res, 200, { apps: apps.filter((a) => a.team_id === me.team_id).map(({ team_id: _t, ...a }) => a) })
  if (p === '/api/v1/apps' && m === 'POST') {
    const b = await readJson(req)
    if (!/^[a-z][a-z0-9-]{2,31}$/.test(b.slug || '')) return fail(res, 400, 'invalid_slug', 'slug must start with a letter and contain only lowercase letters, numbers, and hyphens')
    if (apps.some((a) => a.team_id === me.team_id && a.slug === b.slug)) return fail(res, 409, 'slug_taken', 'app slug already exists')
    const a = { app_id: ids++, team_id: me.team_id, slug: b.slug, ...(b.description != null ? { description: b.description } : {}), disabled: false, created_at: now(), updated_at: now() }
    apps.push(a)
    const { team_id: _t, ...out } = a
    return send(res, 201, out)
  }
  mm = p.match(/^\/api\/v1\/apps\/([^/]+)(?:\/(versions|runs))?$/)
  if (mm) {
    const app = apps.find((a) => a.team_id === me.team_id && a.slug === decodeURIComponent(mm[1]))
    if (!app) return fail(res, 404, 'not_found', 'app not found')
    const { team_id: _t, ...appOut } = app
    if (!mm[2]) return send(res, 200, appOut)
    if (mm[2] === 'versions' && m === 'GET') return send(res, 200, { versions: versions.filter((v) => v.app_id === app.app_id).map(({ app_id: _a, ...v }) => v).reverse() })
    if (mm[2] === 'versions' && m === 'POST') {
      const body = await readBody(req)
      if (!String(req.headers['content-type']).startsWith('multipart/form-data')) return fail(res, 400, 'invalid_request', 'invalid multipart form')
      if (!body.includes('name="artifact"')) return fail(res, 400, 'invalid_request', 'artifact file is required')
      const v = {
        app_id: app.app_id,
        version_id: ids++,
        version_no: versions.filter((x) => x.app_id === app.app_id).length + 1,
        entrypoint: 'main.py',
        timeout_seconds: 600,
        params_schema: SCHEMA,
        artifact_sha256: randomBytes(32).toString('hex'),
        towerfile_toml: TOWERFILE,
        created_at: now(),
      }
      versions.push(v)
      const { app_id: _a, ...out } = v
      return send(res, 201, out)
    }
    if (mm[2] === 'runs' && m === 'GET') {
      const limit = Number(url.searchParams.get('limit') || 50)
      const offset = Number(url.searchParams.get('offset') || 0)
      const list = runs.filter((r) => r.app_id === app.app_id).sort((a, b) => b.run_no - a.run_no)
      return send(res, 200, { runs: list.slice(offset, offset + limit).map((r) => publicRun(r, false)) })
    }
    if (mm[2] === 'runs' && m === 'POST') {
      const b = await readJson(req)
      const vs = versions.filter((v) => v.app_id === app.app_id)
      if (!vs.length) return fail(res, 400, 'no_version', 'app has no versions')
      const input = b.input ?? {}
      for (const [k, s] of Object.entries(SCHEMA.properties)) {
        if (k in input && (s.type === 'integer' ? !Number.isInteger(input[k]) : typeof input[k] !== s.type)) {
          return fail(res, 400, 'invalid_request', `input does not match schema: $.${k} has invalid type`)
        }
      }
      const r = {
        run_id: ids++,
        app_id: app.app_id,
        app_slug: app.slug,
        run_no: runs.filter((x) => x.app_id === app.app_id).length + 1,
        version_no: b.version_no ?? vs.length,
        status: 'queued',
        input,
        priority: b.priority ?? 0,
        max_retries: b.max_retries ?? 0,
        retry_count: 0,
        cancel_requested: false,
        queued_at: now(),
        team_id: me.team_id,
        logs: [],
        attempts: [],
        listeners: new Set(),
        timers: [],
      }
      runs.push(r)
      simulate(r)
      return send(res, 201, publicRun(r, false))
    }
  }
  if (p === '/api/v1/runs' && m === 'GET') {
    const rank = ['running', 'leased', 'cancelling', 'queued', 'completed', 'failed', 'cancelled', 'dead']
    const st = url.searchParams.get('status') || ''
    if (st && !rank.includes(st)) return fail(res, 400, 'invalid_request', 'invalid status filter')
    const appSlug = url.searchParams.get('app') || ''
    const limit = Number(url.searchParams.get('limit') || 50)
    const offset = Number(url.searchParams.get('offset') || 0)
    const list = runs
      .filter((r) => r.team_id === me.team_id && (!st || r.status === st) && (!appSlug || r.app_slug === appSlug))
      .sort((a, b) => rank.indexOf(a.status) - rank.indexOf(b.status) || b.run_id - a.run_id)
    return send(res, 200, { runs: list.slice(offset, offset + limit).map((r) => publicRun(r)) })
  }
  if (p === '/api/v1/runs/summary') {
    const mine = runs.filter((r) => r.team_id === me.team_id)
    const c = (ss) => mine.filter((r) => ss.includes(r.status)).length
    return send(res, 200, { total_runs: mine.length, active_runs: c(['leased', 'running', 'cancelling']), queued_runs: c(['queued']), terminal_runs: c(['completed', 'failed', 'cancelled', 'dead']) })
  }
  mm = p.match(/^\/api\/v1\/runs\/(\d+)(?:\/(cancel|logs|attempts|stream))?$/)
  if (mm) {
    const r = runs.find((x) => x.run_id === Number(mm[1]) && x.team_id === me.team_id)
    if (!r) return fail(res, 404, 'not_found', 'run not found')
    const action = mm[2]
    if (!action) return send(res, 200, publicRun(r))
    if (action === 'cancel' && m === 'POST') {
      r.cancel_requested = true
      if (r.status === 'queued') setStatus(r, 'cancelled')
      else if (r.status === 'running' || r.status === 'leased') {
        r.attempts.at(-1).status = 'cancelling'
        setStatus(r, 'cancelling')
        r.timers.push(setTimeout(() => {
          log(r, 'stderr', 'received SIGTERM, stopping')
          setStatus(r, 'cancelled')
        }, 800))
      }
      return send(res, 200, publicRun(r, false))
    }
    if (action === 'logs') {
      // (attempt, seq) cursor in pages of 50, like api-service; after_seq alone means the latest attempt.
      const seq = Number(url.searchParams.get('after_seq') || 0)
      const attempt = url.searchParams.has('after_attempt') ? Number(url.searchParams.get('after_attempt')) : seq > 0 ? (r.attempts.at(-1)?.attempt_no ?? 0) : 0
      const page = r.logs.filter((l) => l.attempt_no > attempt || (l.attempt_no === attempt && l.seq > seq)).slice(0, 50)
      const last = page.at(-1)
      return send(res, 200, { logs: page, next_after_attempt: last?.attempt_no ?? attempt, next_after_seq: last?.seq ?? seq, has_more: page.length === 50 })
    }
    if (action === 'attempts') return send(res, 200, { attempts: r.attempts })
    if (action === 'stream') {
      if (!STREAM) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('404 page not found\n')
        return
      }
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' })
      res.write(`event: status\ndata: ${JSON.stringify(publicRun(r))}\n\n`)
      if (r.finished_at) return res.end()
      r.listeners.add(res)
      req.on('close', () => r.listeners.delete(res))
      return
    }
  }
  if (p === '/api/v1/admin/runners') {
    if (me.role !== 'admin') return fail(res, 403, 'forbidden', 'admin role required')
    runners[0].last_seen_at = now()
    return send(res, 200, { runners })
  }
  res.writeHead(404, { 'Content-Type': 'text/plain' }).end('404 page not found\n')
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png' }

createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost')
  if (url.pathname.startsWith('/api/')) {
    api(req, res, url).catch((e) => {
      if (!res.headersSent) fail(res, 400, 'invalid_request', `invalid JSON body (${e.message})`)
    })
    return
  }
  let file = normalize(join(DIST, decodeURIComponent(url.pathname)))
  if (!file.startsWith(DIST) || !existsSync(file) || statSync(file).isDirectory()) file = join(DIST, 'index.html')
  res.writeHead(200, { 'Content-Type': TYPES[extname(file)] || 'application/octet-stream' })
  createReadStream(file).pipe(res)
}).listen(PORT, '127.0.0.1', () => console.log(`mock api + UI on http://127.0.0.1:${PORT} (stream ${STREAM ? 'on' : 'off'})`))
