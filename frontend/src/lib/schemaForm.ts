// Builds the "Run app" form from a version's params_schema (the JSON-Schema subset the server
// validates: type, description, default, enum, required, min/max, minLength/maxLength) and turns the
// form values back into the run `input` object.
import type { JsonSchema } from '../api/types'

export type Widget = 'text' | 'number' | 'checkbox' | 'tristate' | 'select' | 'json'

export interface FormField {
  name: string
  /** JSON type the value must have: string, number, integer, boolean, object, array, or "any". */
  type: string
  widget: Widget
  required: boolean
  description?: string
  default?: unknown
  /** enum entries; the <select> uses JSON.stringify(entry) as option value. */
  options?: { value: string; label: string }[]
  minimum?: number
  maximum?: number
  minLength?: number
  maxLength?: number
}

/** Raw widget values: strings for text/number/select/json/tristate, booleans for checkboxes. */
export type FormValues = Record<string, string | boolean>

function primaryType(t: JsonSchema['type']): string {
  if (Array.isArray(t)) return t.find((x) => x !== 'null') ?? 'any'
  return t ?? 'any'
}

function widgetFor(type: string, s: JsonSchema, required: boolean): Widget {
  if (Array.isArray(s.enum) && s.enum.length > 0) return 'select'
  switch (type) {
    case 'string':
      return 'text'
    case 'number':
    case 'integer':
      return 'number'
    case 'boolean':
      // An optional boolean without default must be able to stay absent from the input.
      return required || s.default !== undefined ? 'checkbox' : 'tristate'
    case 'any':
      return 'text'
    default:
      return 'json'
  }
}

export function fieldsFromSchema(schema: JsonSchema | undefined | null): FormField[] {
  const props = schema?.properties
  if (!props || typeof props !== 'object') return []
  const required = new Set(Array.isArray(schema?.required) ? schema!.required : [])
  return Object.entries(props).map(([name, raw]) => {
    const s: JsonSchema = raw && typeof raw === 'object' ? raw : {}
    const type = primaryType(s.type)
    const isRequired = required.has(name)
    const f: FormField = { name, type, widget: widgetFor(type, s, isRequired), required: isRequired }
    if (typeof s.description === 'string' && s.description) f.description = s.description
    if (s.default !== undefined) f.default = s.default
    if (f.widget === 'select') {
      f.options = (s.enum ?? []).map((v) => ({ value: JSON.stringify(v), label: typeof v === 'string' ? v : JSON.stringify(v) }))
    }
    if (typeof s.minimum === 'number') f.minimum = s.minimum
    if (typeof s.maximum === 'number') f.maximum = s.maximum
    if (typeof s.minLength === 'number') f.minLength = s.minLength
    if (typeof s.maxLength === 'number') f.maxLength = s.maxLength
    return f
  })
}

export function initialValues(fields: FormField[]): FormValues {
  const v: FormValues = {}
  for (const f of fields) {
    const d = f.default
    switch (f.widget) {
      case 'checkbox':
        v[f.name] = d === true
        break
      case 'tristate':
        v[f.name] = d === true ? 'true' : d === false ? 'false' : ''
        break
      case 'select': {
        const enc = d === undefined ? '' : JSON.stringify(d)
        v[f.name] = f.options?.some((o) => o.value === enc) ? enc : ''
        break
      }
      case 'json':
        v[f.name] = d === undefined ? '' : JSON.stringify(d, null, 2)
        break
      default:
        v[f.name] = d === undefined || d === null ? '' : String(d)
    }
  }
  return v
}

export interface BuildResult {
  input: Record<string, unknown>
  errors: Record<string, string>
}

function typeMatches(type: string, value: unknown): boolean {
  switch (type) {
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value)
    case 'array':
      return Array.isArray(value)
    case 'null':
      return value === null
    default:
      return true
  }
}

/** Converts widget values to the run input, validating what the server would reject. */
export function buildInput(fields: FormField[], values: FormValues): BuildResult {
  const input: Record<string, unknown> = {}
  const errors: Record<string, string> = {}
  for (const f of fields) {
    const raw = values[f.name]
    if (f.widget === 'checkbox') {
      input[f.name] = raw === true
      continue
    }
    const text = typeof raw === 'string' ? raw : raw === true ? 'true' : ''
    const empty = f.widget === 'json' || f.widget === 'number' ? text.trim() === '' : text === ''
    if (empty) {
      if (f.required) errors[f.name] = 'is required'
      continue
    }
    switch (f.widget) {
      case 'tristate':
        input[f.name] = text === 'true'
        break
      case 'select':
        input[f.name] = JSON.parse(text)
        break
      case 'number': {
        const n = Number(text.trim())
        if (!Number.isFinite(n)) {
          errors[f.name] = 'must be a number'
          break
        }
        if (f.type === 'integer' && !Number.isInteger(n)) {
          errors[f.name] = 'must be a whole number'
          break
        }
        if (f.minimum !== undefined && n < f.minimum) {
          errors[f.name] = `must be at least ${f.minimum}`
          break
        }
        if (f.maximum !== undefined && n > f.maximum) {
          errors[f.name] = `must be at most ${f.maximum}`
          break
        }
        input[f.name] = n
        break
      }
      case 'json': {
        let parsed: unknown
        try {
          parsed = JSON.parse(text)
        } catch {
          errors[f.name] = 'must be valid JSON'
          break
        }
        if (!typeMatches(f.type, parsed)) {
          errors[f.name] = `must be a JSON ${f.type}`
          break
        }
        input[f.name] = parsed
        break
      }
      default: {
        const len = [...text].length
        if (f.minLength !== undefined && len < f.minLength) {
          errors[f.name] = `must be at least ${f.minLength} characters`
          break
        }
        if (f.maxLength !== undefined && len > f.maxLength) {
          errors[f.name] = `must be at most ${f.maxLength} characters`
          break
        }
        input[f.name] = text
      }
    }
  }
  return { input, errors }
}

const SCHEMA_PREFIX = 'input does not match schema: '

/**
 * Maps a server validation message (`input does not match schema: $.count has invalid type`) to the
 * form field it concerns. Returns null when it cannot be attributed to one field.
 */
export function fieldErrorFromServer(message: string, fieldNames: string[]): { field: string; message: string } | null {
  const i = message.indexOf(SCHEMA_PREFIX)
  if (i < 0) return null
  const rest = message.slice(i + SCHEMA_PREFIX.length)
  if (!rest.startsWith('$.')) return null
  const path = rest.slice(2)
  // Longest name first, so `a.b` wins over `a` when both exist.
  const names = [...fieldNames].sort((a, b) => b.length - a.length)
  for (const name of names) {
    if (path.startsWith(name)) {
      const after = path.slice(name.length)
      if (after.startsWith(' ')) return { field: name, message: after.trim() }
      if (after.startsWith('[') || after.startsWith('.')) return { field: name, message: `${after.split(' ')[0]} ${after.slice(after.indexOf(' ') + 1)}`.trim() }
    }
  }
  return null
}
