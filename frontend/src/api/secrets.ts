// Team secrets: set/replace (admin), list (names, scope, fingerprint; never values), delete (admin).
import type { ApiClient } from './client'
import type * as Wire from './generated'

/** environment null: every environment of the team. */
export type SecretInfo = Wire.SecretView

/** The environment-variable rule the server applies (reserved names are refused by the server). */
export const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/

export async function listSecrets(api: ApiClient): Promise<SecretInfo[]> {
  return (await api.request<Wire.SecretList>('GET', '/api/v1/secrets')).secrets ?? []
}

export async function setSecret(api: ApiClient, name: string, value: string, environment?: string | null): Promise<SecretInfo> {
  const body: Wire.PutSecret = { value }
  if (environment) body.environment = environment
  return api.request<SecretInfo>('PUT', `/api/v1/secrets/${encodeURIComponent(name)}`, { body })
}

export async function deleteSecret(api: ApiClient, name: string, environment?: string | null): Promise<void> {
  const q = environment ? `?environment=${encodeURIComponent(environment)}` : ''
  await api.request<void>('DELETE', `/api/v1/secrets/${encodeURIComponent(name)}${q}`)
}
