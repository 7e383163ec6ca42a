// Light/dark theme: an explicit choice is remembered (it is not a secret), otherwise the system
// preference applies.
import { ref } from 'vue'

export const THEME_KEY = 'minitower_theme'
export type Theme = 'light' | 'dark'

function systemTheme(): Theme {
  return globalThis.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'
}

function stored(): Theme | null {
  try {
    const v = localStorage.getItem(THEME_KEY)
    return v === 'light' || v === 'dark' ? v : null
  } catch {
    return null
  }
}

export const theme = ref<Theme>(stored() ?? systemTheme())

export function applyTheme(t: Theme = theme.value): void {
  document.documentElement.dataset.theme = t
}

export function toggleTheme(): void {
  theme.value = theme.value === 'dark' ? 'light' : 'dark'
  try {
    localStorage.setItem(THEME_KEY, theme.value)
  } catch {
    // storage may be blocked; the choice then lasts for this page only
  }
  applyTheme()
}
