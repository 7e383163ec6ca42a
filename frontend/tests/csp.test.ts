// The services answer with Content-Security-Policy "script-src 'self'; style-src 'self'"
// (platform SecurityHeaders): the page must load its code and its styles from files only.
import { describe, expect, it } from 'vitest'
import indexHtml from '../index.html?raw'

describe('index.html under the Content-Security-Policy', () => {
  it('loads every script from a file, none inline', () => {
    const scripts = [...indexHtml.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)]
    expect(scripts.length).toBeGreaterThan(0)
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/\bsrc=/)
      expect(body.trim()).toBe('')
    }
  })

  it('has no inline style and no inline event handler', () => {
    expect(indexHtml).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=/i)
  })
})
