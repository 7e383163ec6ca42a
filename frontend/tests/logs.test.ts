import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import type { LogLine } from '../src/api/types'
import LogView from '../src/components/LogView.vue'
import { cleanLine, LogBuffer, stripAnsi } from '../src/lib/logs'

const line = (seq: number, text: string, stream: 'stdout' | 'stderr' = 'stdout', attempt_no?: number): LogLine => ({
  seq,
  attempt_no,
  stream,
  line: text,
  logged_at: '2025-01-02T03:04:05Z',
})

describe('cleaning log text', () => {
  it('strips ANSI colour, cursor and OSC sequences', () => {
    expect(stripAnsi('\x1b[1;31mERROR\x1b[0m done')).toBe('ERROR done')
    expect(stripAnsi('\x1b[2K\x1b[1Gprogress')).toBe('progress')
    expect(stripAnsi('\x1b]0;title\x07text')).toBe('text')
    expect(stripAnsi('\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\')).toBe('link')
  })

  it('removes control characters but keeps tabs and unicode', () => {
    expect(cleanLine('a\tb\r\x00\x07c ✓ é')).toBe('a\tbc ✓ é')
  })

  it('leaves HTML untouched as text (escaping is the renderer’s job)', () => {
    expect(cleanLine('<b>bold</b>')).toBe('<b>bold</b>')
  })
})

describe('<LogView> rendering', () => {
  it('renders HTML in a line as literal text, never as markup', () => {
    const buf = new LogBuffer()
    buf.add([line(1, '<script>window.__pwned = 1</script><img src=x onerror="alert(1)"><b>bold</b>')])
    const w = mount(LogView, { props: { groups: buf.groups(), revision: 1 } })
    const logs = w.get('[data-testid="logs"]')
    expect(logs.find('script').exists()).toBe(false)
    expect(logs.find('img').exists()).toBe(false)
    expect(logs.find('b').exists()).toBe(false)
    expect(logs.get('.line .text').text()).toBe('<script>window.__pwned = 1</script><img src=x onerror="alert(1)"><b>bold</b>')
    expect(logs.html()).toContain('&lt;script&gt;')
  })

  it('renders ANSI-coloured lines as plain text', () => {
    const buf = new LogBuffer()
    buf.add([line(1, '\x1b[32mOK\x1b[0m tests passed')])
    const w = mount(LogView, { props: { groups: buf.groups(), revision: 1 } })
    expect(w.get('.line .text').text()).toBe('OK tests passed')
    expect(w.html()).not.toContain('\x1b')
  })

  it('distinguishes stdout and stderr and labels attempts', () => {
    const buf = new LogBuffer()
    buf.add([line(1, 'setup failed', 'stderr', 1), line(1, 'hello', 'stdout', 2), line(2, 'oops', 'stderr', 2)])
    const w = mount(LogView, { props: { groups: buf.groups(), revision: 1 } })
    expect(w.findAll('.attempt-head').map((x) => x.text())).toEqual(['Attempt 1 · 1 line', 'Attempt 2 · 2 lines'])
    const rows = w.findAll('.line')
    expect(rows.map((r) => r.attributes('data-stream'))).toEqual(['stderr', 'stdout', 'stderr'])
    expect(rows[0].classes()).toContain('stderr')
    expect(rows[1].classes()).toContain('stdout')
    expect(rows[0].get('.stream').text()).toBe('stderr')
  })

  it('shows an empty state', () => {
    const w = mount(LogView, { props: { groups: [], revision: 0, emptyText: 'Waiting for output…' } })
    expect(w.text()).toContain('Waiting for output…')
  })
})

describe('LogBuffer', () => {
  it('deduplicates by (attempt, seq) and orders by attempt then seq', () => {
    const b = new LogBuffer()
    expect(b.add([line(2, 'b', 'stdout', 1), line(1, 'a', 'stdout', 1)])).toBe(2)
    expect(b.add([line(2, 'b again', 'stdout', 1), line(1, 'x', 'stdout', 2)])).toBe(1)
    expect(b.lines().map((l) => `${l.attempt_no}:${l.seq}:${l.line}`)).toEqual(['1:1:a', '1:2:b', '2:1:x'])
  })

  it('groups lines by attempt; lines without attempt_no form one "latest" group', () => {
    const b = new LogBuffer()
    b.add([line(1, 'a'), line(2, 'b')])
    expect(b.groups()).toEqual([{ attemptNo: null, lines: [line(1, 'a'), line(2, 'b')] }])
  })

  it('continues after the last (attempt, seq) held: seq restarts per attempt', () => {
    const b = new LogBuffer()
    expect(b.cursor()).toEqual({ afterSeq: 0 })
    b.add([line(10, 'a', 'stdout', 1), line(3, 'b', 'stdout', 2)])
    expect(b.cursor()).toEqual({ afterAttempt: 2, afterSeq: 3 })
  })

  it('takes the server cursor when it is further than the lines held', () => {
    const b = new LogBuffer()
    b.add([line(3, 'b', 'stdout', 2)], { next_after_attempt: 2, next_after_seq: 40 })
    expect(b.cursor()).toEqual({ afterAttempt: 2, afterSeq: 40 })
    b.add([line(1, 'c', 'stdout', 3)]) // a stream event from a newer attempt
    expect(b.cursor()).toEqual({ afterAttempt: 3, afterSeq: 1 })
  })

  it('gives a plain after_seq for servers without attempt numbers', () => {
    const b = new LogBuffer()
    b.add([line(1, 'a'), line(7, 'b')])
    expect(b.hasAttemptNumbers()).toBe(false)
    expect(b.cursor()).toEqual({ afterSeq: 7 })
    b.add([], { next_after_seq: 9 })
    expect(b.cursor()).toEqual({ afterSeq: 9 })
  })
})
