// Incremental parser for text/event-stream bodies read through fetch (not EventSource, which cannot
// send an Authorization header).

export interface SseEvent {
  event: string
  data: string
  id?: string
}

export class SseParser {
  private buf = ''
  private event = ''
  private data: string[] = []
  private id: string | undefined

  /** Feeds a decoded chunk; returns the events completed by it. */
  push(chunk: string): SseEvent[] {
    this.buf += chunk
    const out: SseEvent[] = []
    for (;;) {
      const m = /\r\n|\r|\n/.exec(this.buf)
      if (!m) break
      // A lone trailing \r may be the first half of \r\n: wait for more.
      if (m[0] === '\r' && m.index === this.buf.length - 1) break
      const line = this.buf.slice(0, m.index)
      this.buf = this.buf.slice(m.index + m[0].length)
      const ev = this.line(line)
      if (ev) out.push(ev)
    }
    return out
  }

  private line(line: string): SseEvent | null {
    if (line === '') {
      if (this.data.length === 0) {
        this.event = ''
        return null
      }
      const ev: SseEvent = { event: this.event || 'message', data: this.data.join('\n') }
      if (this.id !== undefined) ev.id = this.id
      this.event = ''
      this.data = []
      return ev
    }
    if (line.startsWith(':')) return null
    const i = line.indexOf(':')
    const field = i < 0 ? line : line.slice(0, i)
    let value = i < 0 ? '' : line.slice(i + 1)
    if (value.startsWith(' ')) value = value.slice(1)
    if (field === 'event') this.event = value
    else if (field === 'data') this.data.push(value)
    else if (field === 'id') this.id = value
    return null
  }
}
