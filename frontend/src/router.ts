import { createRouter, createWebHistory, type RouteLocationRaw } from 'vue-router'
import { setUnauthorizedHandler } from './api'
import { isSignedIn, signOut } from './lib/auth'

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { public: true, title: 'Sign in' } },
    { path: '/', name: 'home', component: () => import('./views/HomeView.vue'), meta: { title: 'Home' } },
    { path: '/apps', name: 'apps', component: () => import('./views/AppsView.vue'), meta: { title: 'Apps' } },
    { path: '/apps/:slug', name: 'app', component: () => import('./views/AppDetailView.vue'), props: true, meta: { title: 'App' } },
    { path: '/apps/:slug/schedules/new', name: 'schedule-new', component: () => import('./views/ScheduleEditView.vue'), props: true, meta: { title: 'New schedule' } },
    { path: '/apps/:slug/schedules/:id(\\d+)', name: 'schedule', component: () => import('./views/ScheduleEditView.vue'), props: (r) => ({ slug: String(r.params.slug), id: Number(r.params.id) }), meta: { title: 'Schedule' } },
    { path: '/schedules', name: 'schedules', component: () => import('./views/SchedulesView.vue'), meta: { title: 'Schedules' } },
    { path: '/environments', name: 'environments', component: () => import('./views/EnvironmentsView.vue'), meta: { title: 'Environments' } },
    { path: '/runner-tokens', name: 'runner-tokens', component: () => import('./views/RunnerTokensView.vue'), meta: { title: 'Runner tokens' } },
    { path: '/runs', name: 'runs', component: () => import('./views/RunsView.vue'), meta: { title: 'Runs' } },
    { path: '/runs/:id(\\d+)', name: 'run', component: () => import('./views/RunDetailView.vue'), props: (r) => ({ id: Number(r.params.id) }), meta: { title: 'Run' } },
    { path: '/runners', name: 'runners', component: () => import('./views/RunnersView.vue'), meta: { title: 'Runners' } },
    { path: '/secrets', name: 'secrets', component: () => import('./views/SecretsView.vue'), meta: { title: 'Secrets' } },
    { path: '/tokens', name: 'tokens', component: () => import('./views/TokensView.vue'), meta: { title: 'Tokens' } },
    { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('./views/NotFoundView.vue'), meta: { public: true, title: 'Not found' } },
  ],
})

router.beforeEach((to) => {
  if (to.meta.public) return true
  if (!isSignedIn()) {
    const target: RouteLocationRaw = { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
    return target
  }
  return true
})

router.afterEach((to) => {
  document.title = to.meta.title ? `${String(to.meta.title)} · MiniTower` : 'MiniTower'
})

setUnauthorizedHandler(() => {
  signOut()
  const cur = router.currentRoute.value
  if (cur.name !== 'login') void router.push({ name: 'login', query: { redirect: cur.fullPath, expired: '1' } })
})
