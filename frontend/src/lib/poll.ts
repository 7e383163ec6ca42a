// Periodic refresh for list pages; pauses while the tab is hidden and stops on unmount.
import { onBeforeUnmount, onMounted } from 'vue'

export function usePolling(fn: () => Promise<unknown> | unknown, intervalMs: number): { refresh: () => Promise<void> } {
  let timer: ReturnType<typeof setTimeout> | undefined
  let alive = true
  let running = false

  const refresh = async () => {
    if (running) return
    running = true
    try {
      await fn()
    } finally {
      running = false
    }
  }

  const tick = async () => {
    if (!alive) return
    if (typeof document === 'undefined' || document.visibilityState !== 'hidden') await refresh()
    if (alive) timer = setTimeout(tick, intervalMs)
  }

  onMounted(() => void tick())
  onBeforeUnmount(() => {
    alive = false
    if (timer) clearTimeout(timer)
  })
  return { refresh }
}
