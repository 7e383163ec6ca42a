import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import { api, ApiError } from '../src/api'
import { SESSION_KEY } from '../src/lib/session'
import LoginView from '../src/views/LoginView.vue'

function setup() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/login', component: LoginView },
      { path: '/', component: { template: '<div>home</div>' } },
    ],
  })
  return router
}

afterEach(() => {
  vi.restoreAllMocks()
  sessionStorage.clear()
  localStorage.clear()
})

describe('<LoginView>', () => {
  it('logs in, stores the token in sessionStorage only, and goes home', async () => {
    vi.spyOn(api, 'authOptions').mockResolvedValue({ signup_enabled: true, bootstrap_enabled: false })
    const login = vi.spyOn(api, 'login').mockResolvedValue({ team_id: 1, token: 'mtk_login', token_id: 5, role: 'admin' })
    const router = setup()
    await router.push('/login')
    const w = mount(LoginView, { global: { plugins: [router] } })
    await w.get('[data-testid="slug"]').setValue('acme')
    await w.get('[data-testid="password"]').setValue('pw')
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(login).toHaveBeenCalledWith('acme', 'pw')
    expect(router.currentRoute.value.path).toBe('/')
    expect(JSON.parse(sessionStorage.getItem(SESSION_KEY)!)).toMatchObject({ token: 'mtk_login', tokenId: 5, teamSlug: 'acme' })
    expect(localStorage.length).toBe(0)
  })

  it('shows the server message for a wrong password and stays', async () => {
    vi.spyOn(api, 'authOptions').mockResolvedValue({ signup_enabled: false, bootstrap_enabled: false })
    vi.spyOn(api, 'login').mockRejectedValue(new ApiError(401, 'unauthorized', 'invalid slug or password'))
    const router = setup()
    await router.push('/login')
    const w = mount(LoginView, { global: { plugins: [router] } })
    await flushPromises()
    expect(w.find('[data-testid="tab-signup"]').exists()).toBe(false) // signup disabled on the server
    await w.get('[data-testid="slug"]').setValue('acme')
    await w.get('[data-testid="password"]').setValue('bad')
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(w.get('[data-testid="auth-error"]').text()).toBe('invalid slug or password')
    expect(router.currentRoute.value.path).toBe('/login')
    expect(sessionStorage.getItem(SESSION_KEY)).toBeNull()
  })

  it('says which fields are missing instead of sending', async () => {
    vi.spyOn(api, 'authOptions').mockResolvedValue({ signup_enabled: true, bootstrap_enabled: false })
    const signup = vi.spyOn(api, 'signup')
    const router = setup()
    await router.push('/login')
    const w = mount(LoginView, { global: { plugins: [router] } })
    await w.get('[data-testid="tab-signup"]').trigger('click')
    await w.get('[data-testid="slug"]').setValue('acme')
    await w.get('form').trigger('submit')
    expect(signup).not.toHaveBeenCalled()
    expect(w.get('[data-testid="auth-error"]').text()).toBe('Please enter the team name and password.')
  })
})
