// Where the team token lives in the browser.
//
// Rule: the token is kept in sessionStorage only (per browser tab, discarded when the tab closes),
// wrapped with an absolute expiry of SESSION_TTL_MS after sign-in. It is never written to
// localStorage; a token left there by the original UI (key `minitower_token`) is removed on start.
// An expired or unreadable entry is treated as "logged out" and deleted.

export const SESSION_KEY = 'minitower_session'
export const LEGACY_LOCAL_KEY = 'minitower_token'
export const SESSION_TTL_MS = 8 * 60 * 60 * 1000

export interface Session {
  token: string
  teamSlug?: string
  role?: string
  tokenId?: number
  /** Unix milliseconds after which the stored token is discarded. */
  expiresAt: number
}

type Store = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>

export class SessionStore {
  constructor(
    private readonly session: Store,
    private readonly local: Store | null,
    private readonly now: () => number = Date.now,
    private readonly ttlMs: number = SESSION_TTL_MS,
  ) {
    this.local?.removeItem(LEGACY_LOCAL_KEY)
  }

  save(token: string, extra: Omit<Partial<Session>, 'token' | 'expiresAt'> = {}): Session {
    const s: Session = { ...extra, token, expiresAt: this.now() + this.ttlMs }
    this.session.setItem(SESSION_KEY, JSON.stringify(s))
    return s
  }

  update(extra: Omit<Partial<Session>, 'token' | 'expiresAt'>): void {
    const cur = this.load()
    if (!cur) return
    this.session.setItem(SESSION_KEY, JSON.stringify({ ...cur, ...extra }))
  }

  load(): Session | null {
    const raw = this.session.getItem(SESSION_KEY)
    if (!raw) return null
    try {
      const s = JSON.parse(raw) as Session
      if (typeof s.token !== 'string' || !s.token || typeof s.expiresAt !== 'number') {
        throw new Error('bad session')
      }
      if (s.expiresAt <= this.now()) {
        this.clear()
        return null
      }
      return s
    } catch {
      this.clear()
      return null
    }
  }

  token(): string | null {
    return this.load()?.token ?? null
  }

  clear(): void {
    this.session.removeItem(SESSION_KEY)
  }
}

function safeStorage(kind: 'sessionStorage' | 'localStorage'): Store | null {
  try {
    return globalThis[kind] ?? null
  } catch {
    return null
  }
}

const memory = new Map<string, string>()
const memoryStore: Store = {
  getItem: (k) => memory.get(k) ?? null,
  setItem: (k, v) => void memory.set(k, v),
  removeItem: (k) => void memory.delete(k),
}

export const sessionStore = new SessionStore(
  safeStorage('sessionStorage') ?? memoryStore,
  safeStorage('localStorage'),
)
