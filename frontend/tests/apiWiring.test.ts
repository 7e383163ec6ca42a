import { afterEach, describe, expect, it, vi } from 'vitest'
import { api, setUnauthorizedHandler } from '../src/api'
import { SESSION_KEY, sessionStore } from '../src/lib/session'
import { jsonResponse } from './helpers'

afterEach(() => {
  vi.unstubAllGlobals()
  sessionStorage.clear()
  localStorage.clear()
})

describe('the app API instance', () => {
  it('uses the stored session token and logs out on 401', async () => {
    sessionStore.save('mtk_live', { teamSlug: 'acme' })
    const seen: string[] = []
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init: RequestInit) => {
        seen.push((init.headers as Record<string, string>).Authorization)
        return jsonResponse(401, { error: { code: 'unauthorized', message: 'invalid or missing token' } })
      }),
    )
    const handler = vi.fn()
    setUnauthorizedHandler(handler)
    await expect(api.listApps()).rejects.toMatchObject({ status: 401 })
    expect(seen).toEqual(['Bearer mtk_live'])
    expect(handler).toHaveBeenCalledTimes(1)
    expect(sessionStorage.getItem(SESSION_KEY)).toBeNull()
    expect(sessionStore.token()).toBeNull()
    expect(localStorage.length).toBe(0)
  })

  it('treats an HTML fallback page for /attempts as a missing endpoint', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('<!doctype html><div id="app"></div>', { status: 200, headers: { 'Content-Type': 'text/html' } })))
    await expect(api.getAttempts(1)).resolves.toBeNull()
  })
})
