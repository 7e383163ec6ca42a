// Reactive view of the signed-in session (backed by the session store's storage rule).
import { reactive } from 'vue'
import { sessionStore, type Session } from './session'

export const auth = reactive<{ session: Session | null }>({ session: sessionStore.load() })

export function signIn(token: string, extra: { teamSlug?: string; role?: string; tokenId?: number }): void {
  auth.session = sessionStore.save(token, extra)
}

export function updateSession(extra: { teamSlug?: string; role?: string; tokenId?: number }): void {
  sessionStore.update(extra)
  auth.session = sessionStore.load()
}

export function signOut(): void {
  sessionStore.clear()
  auth.session = null
}

/** True while a stored, unexpired token exists (re-checks expiry on every call). */
export function isSignedIn(): boolean {
  const s = sessionStore.load()
  if (!s) auth.session = null
  return s !== null
}
