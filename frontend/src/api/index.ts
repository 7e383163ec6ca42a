// The application's API client instance: token from the session store, 401 → logout.
import { sessionStore } from '../lib/session'
import { ApiClient } from './client'

let unauthorizedHandler: () => void = () => {}

/** The router registers what "logged out" means (clear the session, go to /login). */
export function setUnauthorizedHandler(fn: () => void): void {
  unauthorizedHandler = fn
}

export const api = new ApiClient({
  getToken: () => sessionStore.token(),
  onUnauthorized: () => {
    sessionStore.clear()
    unauthorizedHandler()
  },
})

export { ApiClient, ApiError, errorMessage, isMissingEndpoint } from './client'
export * from './types'
export * from './query'
