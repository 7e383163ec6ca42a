import { describe, expect, it } from 'vitest'
import { SseParser } from '../src/api/sse'

describe('SseParser', () => {
  it('assembles events split across chunks and line endings', () => {
    const p = new SseParser()
    expect(p.push('event: log\nda')).toEqual([])
    expect(p.push('ta: {"a":1}\r')).toEqual([])
    expect(p.push('\n\r\n')).toEqual([{ event: 'log', data: '{"a":1}' }])
  })

  it('joins multi-line data, ignores comments, defaults the event name', () => {
    const p = new SseParser()
    expect(p.push(': ping\n\ndata: a\ndata: b\nid: 7\n\n')).toEqual([{ event: 'message', data: 'a\nb', id: '7' }])
  })
})
