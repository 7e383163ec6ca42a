import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { api } from '../src/api'
import { signIn, signOut } from '../src/lib/auth'
import SecretsView from '../src/views/SecretsView.vue'

const listed = {
  name: 'DB_URL',
  environment: null,
  fingerprint: '0123456789abcdef',
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
}

afterEach(() => {
  vi.restoreAllMocks()
  signOut()
  sessionStorage.clear()
})

describe('<SecretsView>', () => {
  it('lists names and fingerprints, sends a value once and clears it from the page', async () => {
    signIn('mtk_x', { teamSlug: 'acme', role: 'admin' })
    const request = vi.spyOn(api, 'request').mockImplementation(async (method: string) => {
      if (method === 'GET') return { secrets: [listed] } as never
      return { ...listed, name: 'API_KEY' } as never
    })
    const w = mount(SecretsView)
    await flushPromises()
    expect(w.get('[data-testid="secrets-table"]').text()).toContain('DB_URL')
    expect(w.text()).toContain('0123456789abcdef')
    await w.get('[data-testid="secret-name"]').setValue('API_KEY')
    await w.get('[data-testid="secret-value"]').setValue('hunter2-value')
    expect(w.get('[data-testid="secret-value"]').attributes('type')).toBe('password')
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(request).toHaveBeenCalledWith('PUT', '/api/v1/secrets/API_KEY', { body: { value: 'hunter2-value' } })
    expect((w.get('[data-testid="secret-value"]').element as HTMLInputElement).value).toBe('')
    expect(w.html()).not.toContain('hunter2-value')
    expect(w.get('[data-testid="secret-saved"]').text()).toContain('API_KEY')
  })

  it('refuses a name that is not an environment variable name without calling the server', async () => {
    signIn('mtk_x', { teamSlug: 'acme', role: 'admin' })
    const request = vi.spyOn(api, 'request').mockResolvedValue({ secrets: [] } as never)
    const w = mount(SecretsView)
    await flushPromises()
    await w.get('[data-testid="secret-name"]').setValue('1-bad')
    await w.get('[data-testid="secret-value"]').setValue('v')
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(request).toHaveBeenCalledTimes(1)
    expect(w.text()).toContain('environment variable name')
  })

  it('shows members the list without the form', async () => {
    signIn('mtk_x', { teamSlug: 'acme', role: 'member' })
    vi.spyOn(api, 'request').mockResolvedValue({ secrets: [listed] } as never)
    const w = mount(SecretsView)
    await flushPromises()
    expect(w.find('form').exists()).toBe(false)
    expect(w.find('[data-testid="secrets-member-note"]').exists()).toBe(true)
    expect(w.text()).toContain('DB_URL')
  })
})
