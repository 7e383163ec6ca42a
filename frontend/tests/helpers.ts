import { vi } from 'vitest'

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body) + '\n', {
    status,
    headers: { 'Content-Type': typeof body === 'string' ? 'text/plain' : 'application/json', ...headers },
  })
}

export interface Call {
  url: string
  method: string
  headers: Record<string, string>
  body?: string
}

/** A fetch stub answering from a queue of responses, recording every call. */
export function fakeFetch(...responses: (Response | (() => Response) | Error)[]) {
  const calls: Call[] = []
  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({
      url: String(input),
      method: init?.method ?? 'GET',
      headers: { ...(init?.headers as Record<string, string>) },
      body: typeof init?.body === 'string' ? init.body : undefined,
    })
    const next = responses.shift()
    if (!next) throw new Error(`unexpected call ${String(input)}`)
    if (next instanceof Error) throw next
    return typeof next === 'function' ? next() : next
  })
  return { fn: fn as unknown as typeof fetch, calls }
}
