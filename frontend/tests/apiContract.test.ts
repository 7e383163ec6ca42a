import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
// @ts-expect-error plain ESM script without type declarations
import { generateFromFile, OUTPUT } from '../scripts/gen-api-types.mjs'

describe('generated API types', () => {
  it('src/api/generated.ts equals a fresh generation from src/api/openapi.json', () => {
    const current = readFileSync(resolve(OUTPUT), 'utf8')
    expect(current, 'stale: run `npm run gen:api`').toBe(generateFromFile())
  })
})
