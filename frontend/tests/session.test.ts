import { describe, expect, it } from 'vitest'
import { LEGACY_LOCAL_KEY, SESSION_KEY, SESSION_TTL_MS, SessionStore } from '../src/lib/session'

function memStorage() {
  const m = new Map<string, string>()
  return {
    map: m,
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
  }
}

describe('token storage rule', () => {
  it('keeps the token in sessionStorage and never in localStorage', () => {
    const session = memStorage()
    const local = memStorage()
    const s = new SessionStore(session, local, () => 1000)
    s.save('mtk_admin', { teamSlug: 'acme', role: 'admin' })
    expect(s.token()).toBe('mtk_admin')
    expect(session.map.has(SESSION_KEY)).toBe(true)
    expect(local.map.size).toBe(0)
    expect([...local.map.values()].join()).not.toContain('mtk_admin')
  })

  it('removes a token the original UI left in localStorage', () => {
    const local = memStorage()
    local.setItem(LEGACY_LOCAL_KEY, 'mtk_forever')
    local.setItem('minitower_theme', 'dark')
    new SessionStore(memStorage(), local)
    expect(local.getItem(LEGACY_LOCAL_KEY)).toBeNull()
    expect(local.getItem('minitower_theme')).toBe('dark')
  })

  it('expires the token after the TTL and deletes it', () => {
    let now = 0
    const session = memStorage()
    const s = new SessionStore(session, null, () => now)
    s.save('mtk_x')
    now = SESSION_TTL_MS - 1
    expect(s.token()).toBe('mtk_x')
    now = SESSION_TTL_MS
    expect(s.token()).toBeNull()
    expect(session.map.has(SESSION_KEY)).toBe(false)
  })

  it('the TTL is absolute: reading or updating does not extend it', () => {
    let now = 0
    const s = new SessionStore(memStorage(), null, () => now, 1000)
    s.save('mtk_x')
    now = 900
    s.update({ tokenId: 4 })
    expect(s.load()).toMatchObject({ token: 'mtk_x', tokenId: 4, expiresAt: 1000 })
    now = 1000
    expect(s.load()).toBeNull()
  })

  it('treats a corrupt entry as logged out', () => {
    const session = memStorage()
    session.setItem(SESSION_KEY, '{not json')
    const s = new SessionStore(session, null)
    expect(s.token()).toBeNull()
    session.setItem(SESSION_KEY, JSON.stringify({ token: '', expiresAt: Date.now() + 1000 }))
    expect(s.token()).toBeNull()
    expect(session.map.has(SESSION_KEY)).toBe(false)
  })

  it('clear() logs out', () => {
    const s = new SessionStore(memStorage(), null)
    s.save('mtk_x')
    s.clear()
    expect(s.token()).toBeNull()
  })
})
