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
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join, resolve } from 'node:path'
import { chromium } from 'playwright-core'

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

let exitCode = 0
try {
  await step('sign up', async () => {
    // Start at / (the router sends a signed-out visitor to /login), so no deep link is needed.
    await page.goto(`${BASE_URL}/`)
    await page.waitForURL(/\/login/)
    await page.getByTestId('slug').waitFor()
    await shot('login')
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

  await step('dark theme and log out', async () => {
    await page.getByRole('link', { name: 'Home', exact: true }).click()
    await page.getByTestId('theme-toggle').click()
    await page.waitForLoadState('networkidle')
    await shot('home-dark')
    await page.getByTestId('logout').click()
    await page.waitForURL(/\/login/)
    const left = await page.evaluate(() => JSON.stringify(sessionStorage) + JSON.stringify(localStorage))
    if (left.includes('mtk_')) throw new Error('a token is still stored after log out')
  })
} catch {
  exitCode = 1
} finally {
  await context.close().catch(() => {})
  rmSync(profile, { recursive: true, force: true })
}

for (const p of problems) console.warn(`  note: ${p}`)
console.log(`screenshots in ${SHOTS}`)
console.log(`${passed} passed, ${failed} failed`)
process.exit(exitCode)
