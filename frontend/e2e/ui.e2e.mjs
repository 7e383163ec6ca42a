#!/usr/bin/env node
// End-to-end walk through the web UI with headless Chromium (playwright-core, system chromium).
//
//   BASE_URL=http://localhost:8080 ARTIFACT=/path/app.tar.gz SCREENSHOT_DIR=/tmp/shots \
//     node frontend/e2e/ui.e2e.mjs
//
// Environment:
//   BASE_URL         where api-service serves the UI (default http://localhost:8080)
//   ARTIFACT         .tar.gz with a Towerfile to upload (required)
//   SCREENSHOT_DIR   folder for the PNGs (default ./e2e-screenshots)
//   RUN_PARAMS       JSON object {param: value} filled into the generated form for the first run (default {})
//   LONG_RUN_PARAMS  JSON object for the run that is cancelled, e.g. {"seconds": 120} (default {})
//   LONG_ARTIFACT    optional second artifact uploaded before the long run (a script that sleeps)
//   EXPECT_STATUS    final status of the first run (default completed)
//   EXPECT_LOG_TEXT  optional text that must appear in the first run's logs
//   RUN_TIMEOUT_MS   how long to wait for a run to finish / start (default 120000)
//   CANCEL_WHEN      status to wait for before pressing Cancel: running (default) or queued
//   TEAM_SLUG, TEAM_PASSWORD, APP_SLUG   override the generated names
//   CHROMIUM         browser binary (default /usr/bin/chromium)
//   SCHEDULE_TIMEOUT_MS  how long to wait for the every-minute schedule's first fired tick (default 150000)
//   RUNNER_URL       runner-service URL put into the runner-token command line (default: the UI's guess)
//   AGENT_JAR        minitower-runner.jar: when set, the walk starts an agent with the command line the
//                    Runner tokens page shows (team token, new environment) and waits for a run to land on it
//   AGENT_ENV        JSON object of extra variables for that agent (e.g. {"MINITOWER_KILL_GRACE_PERIOD":"2s"})
//   AXE=0            skip the axe-core accessibility check (default: every page, light and dark; 0 serious/critical)
import { spawn } from 'node:child_process'
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { basename, join, resolve } from 'node:path'
import { chromium } from 'playwright-core'

const require = createRequire(import.meta.url)

const env = process.env
const BASE_URL = (env.BASE_URL || 'http://localhost:8080').replace(/\/+$/, '')
const ARTIFACT = env.ARTIFACT
const SHOTS = resolve(env.SCREENSHOT_DIR || 'e2e-screenshots')
const RUN_TIMEOUT = Number(env.RUN_TIMEOUT_MS || 120000)
const EXPECT_STATUS = env.EXPECT_STATUS || 'completed'
const CANCEL_WHEN = env.CANCEL_WHEN || 'running'
const suffix = Date.now().toString(36).slice(-6)
const TEAM = env.TEAM_SLUG || `e2e-${suffix}`
const PASSWORD = env.TEAM_PASSWORD || `pw-${suffix}-Secret!`
const APP = env.APP_SLUG || `hello-${suffix}`
const TERMINAL = ['completed', 'failed', 'cancelled', 'dead']

function json(name, fallback) {
  if (!env[name]) return fallback
  try {
    return JSON.parse(env[name])
  } catch (e) {
    throw new Error(`${name} is not valid JSON: ${e.message}`)
  }
}
const RUN_PARAMS = json('RUN_PARAMS', {})
const LONG_RUN_PARAMS = json('LONG_RUN_PARAMS', {})

if (!ARTIFACT) {
  console.error('ARTIFACT (path to a .tar.gz with a Towerfile) is required')
  process.exit(2)
}
mkdirSync(SHOTS, { recursive: true })
const profile = mkdtempSync(join(tmpdir(), 'minitower-e2e-'))

// playwright-core passes the fresh profile folder to Chromium as --user-data-dir itself (it refuses
// the flag in `args`), which is why this is a persistent context on a throwaway directory.
const context = await chromium.launchPersistentContext(profile, {
  executablePath: env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1280, height: 900 },
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
})
await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE_URL })
const page = context.pages()[0] ?? (await context.newPage())
page.setDefaultTimeout(20000)

const problems = []
page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
page.on('console', (m) => {
  if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`)
})

let passed = 0
let failed = 0
let shotNo = 0
async function shot(name) {
  shotNo += 1
  const file = join(SHOTS, `${String(shotNo).padStart(2, '0')}-${name}.png`)
  await page.screenshot({ path: file, fullPage: true })
  console.log(`  screenshot ${file}`)
}

async function step(name, fn) {
  const t0 = Date.now()
  console.log(`▶ ${name}`)
  try {
    await fn()
    passed += 1
    console.log(`✓ ${name} (${Date.now() - t0} ms)`)
  } catch (e) {
    failed += 1
    console.error(`✗ ${name}: ${e?.stack || e}`)
    await page.screenshot({ path: join(SHOTS, `failed-${name.replace(/\W+/g, '-')}.png`), fullPage: true }).catch(() => {})
    throw e
  }
}

const runStatus = () => page.getAttribute('[data-testid="run-status"]', 'data-status')

async function waitForStatus(predicate, what, timeout = RUN_TIMEOUT) {
  const deadline = Date.now() + timeout
  let last = null
  while (Date.now() < deadline) {
    last = await runStatus().catch(() => null)
    if (last && predicate(last)) return last
    await page.waitForTimeout(500)
  }
  throw new Error(`timed out after ${timeout} ms waiting for ${what}; last status ${last}`)
}

async function fillParams(params) {
  for (const [name, value] of Object.entries(params)) {
    const el = page.getByTestId(`param-${name}`)
    if ((await el.count()) === 0) throw new Error(`the run form has no field "${name}"`)
    const tag = await el.evaluate((n) => n.tagName.toLowerCase())
    const type = await el.getAttribute('type')
    if (tag === 'select') {
      // enum options are labelled with the plain value; tri-state booleans use true/false
      await el.selectOption({ label: typeof value === 'string' ? value : JSON.stringify(value) })
    } else if (type === 'checkbox') {
      await el.setChecked(Boolean(value))
    } else {
      await el.fill(typeof value === 'string' ? value : JSON.stringify(value))
    }
  }
}

/** Uploads through the drop zone with a real DataTransfer drop event (the UI's drag-and-drop path). */
async function dropArtifact(path) {
  const bytes = readFileSync(path).toString('base64')
  await page.getByTestId('dropzone').evaluate(
    (zone, { b64, name }) => {
      const bin = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))
      const dt = new DataTransfer()
      dt.items.add(new File([bin], name, { type: 'application/gzip' }))
      for (const type of ['dragenter', 'dragover', 'drop']) {
        zone.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }))
      }
    },
    { b64: bytes, name: basename(path) },
  )
  await page.getByTestId('upload-done').or(page.getByTestId('upload-error')).first().waitFor({ timeout: 60000 })
  if (await page.getByTestId('upload-error').isVisible()) {
    throw new Error(`upload failed: ${await page.getByTestId('upload-error').textContent()}`)
  }
}

async function startRun(params) {
  await page.getByTestId('run-form').waitFor()
  await fillParams(params)
  await shot('run-form')
  await page.getByTestId('run-submit').click()
  const err = page.getByTestId('run-form-error')
  await Promise.race([
    page.waitForURL(/\/runs\/\d+$/),
    err.waitFor().then(async () => {
      throw new Error(`run rejected: ${await err.textContent()}`)
    }),
  ])
  await page.getByTestId('run-status').waitFor()
  return page.url()
}


// --- helpers for the schedules / environments / runner tokens / charts walk -------------------

const SCHEDULE_TIMEOUT = Number(env.SCHEDULE_TIMEOUT_MS || 150000)
const ENV_NAME = `e2e-env-${suffix}`
const TEAM_RUNNER = `e2e-team-runner-${suffix}`
const state = { scheduleUrl: null, scheduledRunUrl: null, teamRunUrl: null }
let agent = null

/** GET on the API with the session's own token (read from sessionStorage, as the UI does). */
async function apiGet(path) {
  const token = await page.evaluate(() => {
    const raw = sessionStorage.getItem('minitower_session')
    return raw ? JSON.parse(raw).token : null
  })
  if (!token) throw new Error('no session token in sessionStorage')
  const res = await fetch(`${BASE_URL}${path}`, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } })
  if (!res.ok) throw new Error(`GET ${path} answered ${res.status}: ${await res.text()}`)
  return res.json()
}

function sinceIso(hours) {
  return new Date(Date.now() - hours * 3600000).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/**
 * The chart (data-testid) draws what the API answers: its data-total equals `expected()` (polled,
 * since both follow live runs), its data table has `rows` rows when given, and its canvas is painted.
 */
async function expectChart(testid, expected, what, rows) {
  const chart = page.getByTestId(testid)
  await chart.waitFor()
  const deadline = Date.now() + 30000
  let shown = null
  let api = null
  while (Date.now() < deadline) {
    api = await expected()
    shown = Number(await chart.getAttribute('data-total'))
    if (shown === api) break
    await page.waitForTimeout(1000)
  }
  if (shown !== api) throw new Error(`${testid}: chart shows ${shown} ${what}, the API answers ${api}`)
  if (rows !== undefined) {
    const n = await chart.locator('tbody tr').count()
    if (n !== rows) throw new Error(`${testid}: data table has ${n} rows, the API answered ${rows}`)
  }
  const painted = await chart.locator('canvas').evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data
    for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true
    return false
  })
  if (!painted) throw new Error(`${testid}: the canvas is blank`)
  console.log(`  ${testid}: ${shown} ${what}, as the API says`)
}

/** axe-core in the page: no serious or critical violation. */
const axeSource = env.AXE === '0' ? null : readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')
const axeFindings = []
async function axeCheck(name) {
  if (!axeSource) return
  const hasAxe = await page.evaluate(() => typeof window.axe !== 'undefined')
  if (!hasAxe) await page.evaluate(axeSource) // evaluated by the test, not a <script> the CSP would refuse
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] })
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id}: ${v.help} → ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`)
  })
  if (violations.length) {
    // Recorded, not thrown, so one page's finding does not hide the rest of the walk; the
    // all-pages step and the end of the walk fail on them.
    axeFindings.push(...violations.map((v) => `${name}: ${v}`))
    console.error(`  axe found ${violations.length} serious/critical violation(s) on ${name}:\n    ${violations.join('\n    ')}`)
    return
  }
  console.log(`  axe: ${name} has no serious or critical violation`)
}

/** Variables of the command line the Runner tokens page shows (VAR=value or VAR='value'). */
function commandVariables(text) {
  const vars = {}
  for (const m of text.matchAll(/^(MINITOWER_[A-Z_]+)=('(?:[^']|'\\'')*'|\S+)/gm)) {
    let v = m[2]
    if (v.startsWith("'")) v = v.slice(1, -1).replace(/'\\''/g, "'")
    vars[m[1]] = v
  }
  return vars
}

function startAgent(vars) {
  const dataDir = mkdtempSync(join(tmpdir(), 'minitower-e2e-agent-'))
  const logFile = join(SHOTS, 'team-agent.log')
  const fd = openSync(logFile, 'w')
  const extra = json('AGENT_ENV', {})
  // The walk's own environment without any MINITOWER_* variable: only the command line's count.
  const base = Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('MINITOWER_')))
  const agentEnv = { ...base, MINITOWER_DATA_DIR: dataDir, ...extra, ...vars }
  const child = spawn('java', ['-Xmx192m', '-jar', env.AGENT_JAR], { env: agentEnv, stdio: ['ignore', fd, fd] })
  closeSync(fd)
  console.log(`  agent ${vars.MINITOWER_RUNNER_NAME} started (pid ${child.pid}, log ${logFile})`)
  return { child, dataDir }
}

async function stopAgent() {
  if (!agent) return
  const { child, dataDir } = agent
  agent = null
  if (child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r))
    child.kill('SIGTERM')
    const t = setTimeout(() => child.kill('SIGKILL'), 30000)
    await exited
    clearTimeout(t)
  }
  rmSync(dataDir, { recursive: true, force: true })
}
process.on('exit', () => agent?.child.kill('SIGKILL'))

let exitCode = 0
try {
  await step('sign up', async () => {
    // Start at / (the router sends a signed-out visitor to /login), so no deep link is needed.
    await page.goto(`${BASE_URL}/`)
    await page.waitForURL(/\/login/)
    await page.getByTestId('slug').waitFor()
    await shot('login')
    await axeCheck('login (light)')
    await page.getByTestId('tab-signup').click()
    await page.getByTestId('slug').fill(TEAM)
    await page.getByTestId('team-name').fill(`E2E ${TEAM}`)
    await page.getByTestId('password').fill(PASSWORD)
    await page.getByTestId('password').press('Enter') // the form must work from the keyboard
    await page.waitForURL(`${BASE_URL}/`)
    await page.getByTestId('sum-total').waitFor()
    const stored = await page.evaluate(() => ({ local: JSON.stringify(localStorage), session: JSON.stringify(sessionStorage) }))
    if (stored.local.includes('mtk_')) throw new Error('a token was written to localStorage')
    if (!stored.session.includes('minitower_session')) throw new Error('no session in sessionStorage')
    await page.waitForLoadState('networkidle')
    await shot('home')
  })

  await step('create app', async () => {
    await page.getByRole('link', { name: 'Apps', exact: true }).click()
    await page.getByTestId('app-slug').fill(APP)
    await page.getByTestId('app-description').fill('created by ui.e2e.mjs')
    await page.getByTestId('app-create').click()
    await page.waitForURL(`${BASE_URL}/apps/${APP}`)
    await page.getByTestId('versions-empty').waitFor()
    await shot('app-created')
  })

  await step('upload a version (drag and drop)', async () => {
    await dropArtifact(ARTIFACT)
    await page.locator('[data-testid="versions"] [data-version="1"]').waitFor()
    await page.getByTestId('towerfile').first().waitFor()
    await shot('version-uploaded')
  })

  await step('run it through the generated form and watch the logs', async () => {
    await startRun(RUN_PARAMS)
    await shot('run-started')
    const status = await waitForStatus((s) => TERMINAL.includes(s), 'the run to finish')
    if (status !== EXPECT_STATUS) throw new Error(`run finished as ${status}, expected ${EXPECT_STATUS}`)
    await page.locator('[data-testid="logs"] .line').first().waitFor({ timeout: 10000 })
    if (env.EXPECT_LOG_TEXT) {
      await page.locator('[data-testid="logs"]', { hasText: env.EXPECT_LOG_TEXT }).waitFor({ timeout: 10000 })
    }
    const mode = await page.getAttribute('[data-testid="live-mode"]', 'data-mode')
    console.log(`  run ${status}; live updates ended in mode "${mode}"; ${await page.locator('[data-testid="logs"] .line').count()} log lines`)
    await shot('run-finished')
  })


  await step('schedule: create with live cron validation and the next fire times', async () => {
    await page.getByRole('link', { name: 'Apps', exact: true }).click()
    await page.getByRole('link', { name: APP, exact: true }).click()
    await page.getByTestId('new-schedule').click()
    await page.waitForURL(`${BASE_URL}/apps/${APP}/schedules/new`)
    await page.getByTestId('sch-name').fill('every-minute')
    await page.getByTestId('sch-cron').fill('61 * * * *')
    await page.getByTestId('sch-cron-error').waitFor()
    const msg = await page.getByTestId('sch-cron-error').textContent()
    if (!/minute/.test(msg)) throw new Error(`the invalid cron message does not name the field: ${msg}`)
    await page.getByTestId('sch-tz').fill('Europe/Paris')
    await page.getByTestId('sch-cron').fill('* * * * *')
    const items = page.locator('[data-testid="sch-preview"] li')
    await items.nth(4).waitFor()
    const epochs = (await items.evaluateAll((els) => els.map((e) => Number(e.dataset.epoch))))
    if (epochs.length !== 5) throw new Error(`preview shows ${epochs.length} fire times, expected 5`)
    if (epochs[0] <= Date.now() - 1000 || epochs.some((t, i) => i > 0 && t - epochs[i - 1] !== 60000)) {
      throw new Error(`the preview is not the next five minutes: ${epochs}`)
    }
    if (!/CE(S)?T|GMT\+/.test(await items.first().textContent())) throw new Error('preview is not shown in the schedule zone')
    await page.getByTestId('sch-overlap-skip').check()
    await page.getByTestId('sch-version').selectOption({ label: 'v1 (pinned)' })
    await fillParams(RUN_PARAMS)
    await page.getByTestId('sch-priority').fill('5')
    await shot('schedule-new')
    await page.getByTestId('sch-submit').click()
    await page.waitForURL(/\/schedules\/\d+$/)
    await page.getByTestId('schedule-next').waitFor()
    state.scheduleUrl = page.url()
    await shot('schedule-created')
  })

  await step('schedule: wait for a tick and open the fired run', async () => {
    const link = page.getByTestId('tick-run-link').first()
    await link.waitFor({ timeout: SCHEDULE_TIMEOUT })
    await shot('schedule-ticks')
    await link.click()
    await page.waitForURL(/\/runs\/\d+$/)
    state.scheduledRunUrl = page.url()
    const status = await waitForStatus((s) => TERMINAL.includes(s), 'the scheduled run to finish')
    if (status !== EXPECT_STATUS) throw new Error(`scheduled run finished as ${status}`)
    await shot('scheduled-run')
    // Pause it so it does not keep the runner busy for the rest of the walk.
    await page.goto(state.scheduleUrl)
    await page.getByTestId('schedule-toggle').click()
    await page.locator('[data-testid="schedule-state"]', { hasText: 'paused' }).waitFor()
  })

  await step('environments: the name rule is shown; create one', async () => {
    await page.getByRole('link', { name: 'Environments', exact: true }).click()
    await page.getByTestId('env-form').waitFor()
    if (!/lowercase letters/.test(await page.locator('#env-name-rule').textContent())) throw new Error('the name rule is not shown')
    await page.getByTestId('env-name').fill('Bad Name')
    await page.getByTestId('env-create').click()
    await page.getByText('The name must be').waitFor()
    await page.getByTestId('env-name').fill(ENV_NAME)
    await page.getByTestId('env-name').press('Enter')
    await page.locator(`[data-env="${ENV_NAME}"]`).waitFor()
    await shot('environments')
  })

  await step('runner token: create, copy, and the exact minitower-runner command', async () => {
    await page.getByRole('link', { name: 'Runner tokens', exact: true }).click()
    await page.getByTestId('rt-name').fill('e2e-agents')
    await page.getByTestId('rt-runner-name').fill(TEAM_RUNNER)
    await page.getByTestId('rt-env').selectOption(ENV_NAME)
    if (env.RUNNER_URL) await page.getByTestId('rt-url').fill(env.RUNNER_URL)
    await page.getByTestId('rt-create').click()
    await page.getByTestId('rt-value').waitFor()
    const token = (await page.getByTestId('rt-value').textContent()).trim()
    if (!/^mrt_/.test(token)) throw new Error(`unexpected runner token format ${token.slice(0, 6)}…`)
    await page.getByTestId('rt-copy').click()
    const clip = await page.evaluate(() => navigator.clipboard.readText())
    if (clip !== token) throw new Error('the copy button did not copy the token')
    const command = await page.getByTestId('rt-command').textContent()
    const vars = commandVariables(command)
    for (const [k, v] of Object.entries({
      MINITOWER_RUNNER_REGISTRATION_TOKEN: token,
      MINITOWER_RUNNER_NAME: TEAM_RUNNER,
      MINITOWER_RUNNER_ENVIRONMENT: ENV_NAME,
    })) {
      if (vars[k] !== v) throw new Error(`command line has ${k}=${vars[k]}, expected ${v}`)
    }
    if (!/minitower-runner\s*$/.test(command)) throw new Error('the command does not end with minitower-runner')
    await page.locator('[data-testid="rt-table"] tbody tr').first().waitFor()
    await shot('runner-tokens')
    if (env.AGENT_JAR) agent = startAgent(vars)
  })

  if (env.AGENT_JAR) {
    await step('a run in the new environment lands on the team runner', async () => {
      await page.getByRole('link', { name: 'Environments', exact: true }).click()
      await page.locator(`[data-env="${ENV_NAME}"] [data-runner="${TEAM_RUNNER}"]`, { hasText: 'online' }).waitFor({ timeout: 90000 })
      await page.getByRole('link', { name: 'Apps', exact: true }).click()
      await page.getByRole('link', { name: APP, exact: true }).click()
      await page.getByTestId('run-form').waitFor()
      await page.locator('summary', { hasText: 'Advanced' }).click()
      await page.getByTestId('run-env').selectOption(ENV_NAME)
      state.teamRunUrl = await startRun(RUN_PARAMS)
      const status = await waitForStatus((s) => TERMINAL.includes(s), 'the team runner run to finish')
      if (status !== EXPECT_STATUS) throw new Error(`team runner run finished as ${status}`)
      await page.locator('[data-testid="attempts"]', { hasText: TEAM_RUNNER }).waitFor()
      await page.getByTestId('chart-attempt-timeline').waitFor()
      await shot('run-on-team-runner')
    })
  }

  await step('start a long run and cancel it', async () => {
    await page.getByRole('link', { name: 'Apps', exact: true }).click()
    await page.getByRole('link', { name: APP, exact: true }).click()
    await page.waitForURL(`${BASE_URL}/apps/${APP}`)
    if (env.LONG_ARTIFACT) {
      await dropArtifact(env.LONG_ARTIFACT)
      await page.locator('[data-testid="versions"] [data-version="2"]').waitFor()
    }
    await startRun(LONG_RUN_PARAMS)
    await waitForStatus((s) => s === CANCEL_WHEN || TERMINAL.includes(s), `status ${CANCEL_WHEN}`)
    if (TERMINAL.includes(await runStatus())) throw new Error(`the long run ended (${await runStatus()}) before it could be cancelled`)
    await shot('long-run-running')
    await page.getByTestId('run-cancel').click()
    const status = await waitForStatus((s) => TERMINAL.includes(s), 'the cancelled run to end')
    if (status !== 'cancelled') throw new Error(`cancelled run ended as ${status}`)
    await shot('long-run-cancelled')
  })

  await step('runs page with filters', async () => {
    await page.getByRole('link', { name: 'Runs', exact: true }).click()
    await page.getByTestId('runs-table').waitFor()
    await page.getByTestId('filter-status').selectOption('cancelled')
    await page.waitForURL(/status=cancelled/)
    await page.locator('[data-testid="runs-table"] tbody tr').first().waitFor()
    await shot('runs-filtered')
  })

  await step('open runners page', async () => {
    await page.getByRole('link', { name: 'Runners', exact: true }).click()
    await page.getByTestId('runners-table').or(page.getByTestId('runners-empty')).first().waitFor()
    await shot('runners')
  })

  await step('tokens: create one (shown once) and list', async () => {
    await page.getByRole('link', { name: 'Tokens', exact: true }).click()
    await page.getByTestId('token-name').fill('e2e-ci')
    await page.getByTestId('token-create').click()
    await page.getByTestId('token-value').waitFor()
    const value = (await page.getByTestId('token-value').textContent())?.trim() ?? ''
    if (!/^mtk_/.test(value)) throw new Error(`unexpected token format: ${value.slice(0, 8)}…`)
    await shot('tokens')
  })


  await step('charts show the counts the API returns', async () => {
    await page.getByRole('link', { name: 'Home', exact: true }).click()
    await expectChart('chart-runs-per-hour', async () => (await apiGet(`/api/v1/runs/stats?bucket=hour&since=${sinceIso(24)}`)).totals.total, 'runs in 24 h')
    await page.getByTestId('range-7d').click()
    await expectChart(
      'chart-runs-per-hour',
      async () => (await apiGet(`/api/v1/runs/stats?bucket=hour&since=${sinceIso(24 * 7)}`)).totals.total,
      'runs in 7 days',
    )
    const hours7d = (await apiGet(`/api/v1/runs/stats?bucket=hour&since=${sinceIso(24 * 7)}`)).buckets.length
    const rows = await page.locator('[data-testid="chart-runs-per-hour"] tbody tr').count()
    if (Math.abs(rows - hours7d) > 1) throw new Error(`7-day chart has ${rows} hours, the API ${hours7d}`)
    await page.getByTestId('range-24h').click()
    await expectChart(
      'chart-queue-depth',
      async () => (await apiGet('/api/v1/environments/overview')).environments.reduce((a, e) => a + e.queued_runs, 0),
      'queued runs',
      (await apiGet('/api/v1/environments/overview')).environments.length,
    )
    await expectChart(
      'chart-slowest-apps',
      async () => (await apiGet(`/api/v1/runs/stats/apps?since=${sinceIso(24)}&limit=5`)).apps.reduce((a, x) => a + x.runs, 0),
      'finished runs of the slowest apps',
    )
    await shot('home-charts')
    await page.getByRole('link', { name: 'Apps', exact: true }).click()
    await page.getByRole('link', { name: APP, exact: true }).click()
    await expectChart('chart-app-daily', async () => (await apiGet(`/api/v1/apps/${APP}/runs/stats?bucket=day&since=${sinceIso(24 * 30)}`)).totals.total, 'runs in 30 days')
    await expectChart('chart-app-durations', async () => (await apiGet(`/api/v1/apps/${APP}/runs/stats/durations?limit=200`)).runs.length, 'finished runs')
    await shot('app-charts')
    const runUrl = state.teamRunUrl ?? state.scheduledRunUrl
    if (runUrl) {
      await page.goto(runUrl)
      const id = runUrl.match(/(\d+)$/)[1]
      await expectChart('chart-attempt-timeline', async () => (await apiGet(`/api/v1/runs/${id}/timeline`)).attempts.length, 'attempts')
    }
  })

  await step('keyboard: nav, range switch, chart tables and the schedule form are reachable with Tab', async () => {
    /** Presses Tab until every wanted control (accessible text or data-testid) had the focus. */
    async function reach(wanted, max = 80) {
      const left = new Set(wanted)
      for (let i = 0; i < max && left.size; i++) {
        await page.keyboard.press('Tab')
        const f = await page.evaluate(() => {
          const a = document.activeElement
          return a ? [a.getAttribute('data-testid'), (a.textContent || '').trim(), a.id] : []
        })
        for (const w of [...left]) if (f.includes(w)) left.delete(w)
      }
      if (left.size) throw new Error(`not reachable with Tab: ${[...left].join(', ')}`)
    }
    await page.goto(`${BASE_URL}/`)
    await page.getByTestId('chart-runs-per-hour').waitFor()
    await reach(['Schedules', 'Environments', 'Runner tokens', 'range-7d', 'Data table'])
    await page.keyboard.press('Enter') // opens the focused "Data table" disclosure
    await page.goto(`${BASE_URL}/apps/${APP}/schedules/new`)
    await page.getByTestId('sch-preview').waitFor()
    await reach(['sch-name', 'sch-cron', 'sch-tz', 'sch-env', 'sch-overlap-allow', 'sch-catchup', 'sch-submit'])
  })

  await step('every page in light and dark mode: screenshot and axe-core', async () => {
    const runUrl = state.teamRunUrl ?? state.scheduledRunUrl
    const pages = [
      ['home', '/', 'chart-runs-per-hour'],
      ['apps', '/apps', null],
      ['app', `/apps/${APP}`, 'chart-app-daily'],
      ['schedules', '/schedules', 'schedules-table'],
      ['schedule', state.scheduleUrl?.replace(BASE_URL, ''), 'ticks-table'],
      ['schedule-new', `/apps/${APP}/schedules/new`, 'sch-preview'],
      ['runs', '/runs', 'runs-table'],
      ['run', runUrl?.replace(BASE_URL, ''), 'run-status'],
      ['runners', '/runners', null],
      ['environments', '/environments', 'env-table'],
      ['tokens', '/tokens', 'tokens-table'],
      ['runner-tokens', '/runner-tokens', 'rt-table'],
    ].filter(([, path]) => path)
    const problemsBefore = axeFindings.length
    for (const theme of ['light', 'dark']) {
      await page.evaluate((t) => localStorage.setItem('minitower_theme', t), theme)
      for (const [name, path, ready] of pages) {
        await page.goto(`${BASE_URL}${path}`)
        await page.locator('main h1').first().waitFor()
        if (ready) await page.getByTestId(ready).first().waitFor()
        if ((await page.evaluate(() => document.documentElement.dataset.theme)) !== theme) throw new Error(`${name} is not in ${theme} mode`)
        await page.waitForTimeout(300)
        await shot(`${theme}-${name}`)
        await axeCheck(`${name} (${theme})`)
      }
    }
    await page.evaluate(() => localStorage.setItem('minitower_theme', 'light'))
    await page.goto(`${BASE_URL}/`)
    console.log(`  axe: ${axeFindings.length - problemsBefore} serious/critical violation(s) on ${pages.length * 2} page views`)
  })

  await step('schedules page: delete the schedule after confirming', async () => {
    await page.getByRole('link', { name: 'Schedules', exact: true }).click()
    await page.locator('[data-schedule="every-minute"]').waitFor()
    page.once('dialog', (d) => {
      if (!/Delete schedule "every-minute"/.test(d.message())) throw new Error(`unexpected dialog ${d.message()}`)
      void d.accept()
    })
    await page.getByTestId('schedule-delete-every-minute').click()
    await page.getByTestId('schedules-empty').waitFor()
  })

  await step('runner tokens: revoke after confirming', async () => {
    await page.getByRole('link', { name: 'Runner tokens', exact: true }).click()
    const row = page.locator('[data-testid="rt-table"] tbody tr').first()
    await row.waitFor()
    page.once('dialog', (d) => void d.accept())
    await row.getByRole('button', { name: /^Revoke/ }).click()
    await row.locator('.badge', { hasText: 'revoked' }).waitFor()
  })

  await step('dark theme and log out', async () => {
    await page.getByRole('link', { name: 'Home', exact: true }).click()
    await page.getByTestId('theme-toggle').click()
    await page.waitForLoadState('networkidle')
    await shot('home-dark')
    await page.getByTestId('logout').click()
    await page.waitForURL(/\/login/)
    await page.getByTestId('slug').waitFor()
    await shot('login-dark')
    await axeCheck('login (dark)')
    const left = await page.evaluate(() => JSON.stringify(sessionStorage) + JSON.stringify(localStorage))
    if (left.includes('mtk_')) throw new Error('a token is still stored after log out')
  })
} catch {
  exitCode = 1
} finally {
  await stopAgent().catch(() => {})
  await context.close().catch(() => {})
  rmSync(profile, { recursive: true, force: true })
}

if (axeFindings.length) {
  console.error(`✗ axe-core: ${axeFindings.length} serious/critical violation(s):\n  ${axeFindings.join('\n  ')}`)
  failed += 1
  exitCode = 1
}
for (const p of problems) console.warn(`  note: ${p}`)
console.log(`screenshots in ${SHOTS}`)
console.log(`${passed} passed, ${failed} failed`)
process.exit(exitCode)
