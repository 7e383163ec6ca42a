import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { defineComponent, h, ref } from 'vue'
import type { JsonSchema } from '../src/api/types'
import SchemaForm from '../src/components/SchemaForm.vue'
import { buildInput, fieldErrorFromServer, fieldsFromSchema, initialValues, type FormValues } from '../src/lib/schemaForm'

// What the server derives from a Towerfile's [[parameters]], plus the keywords a hand-written
// schema may carry (enum, required, bounds).
const schema: JsonSchema = {
  type: 'object',
  required: ['region', 'count'],
  properties: {
    region: { type: 'string', description: 'AWS region', default: 'us-east-1', enum: ['us-east-1', 'eu-west-1'] },
    count: { type: 'integer', default: 100, minimum: 1, maximum: 1000 },
    ratio: { type: 'number', description: 'fraction kept' },
    dry_run: { type: 'boolean', default: false },
    verbose: { type: 'boolean' },
    label: { type: 'string', maxLength: 5 },
    tags: { type: 'array' },
    level: { type: ['integer', 'null'], enum: [1, 2, 3] },
  },
}

describe('schema → fields', () => {
  const fields = fieldsFromSchema(schema)
  const byName = Object.fromEntries(fields.map((f) => [f.name, f]))

  it('creates one field per property, in order', () => {
    expect(fields.map((f) => f.name)).toEqual(['region', 'count', 'ratio', 'dry_run', 'verbose', 'label', 'tags', 'level'])
  })

  it('picks a widget per type', () => {
    expect(byName.region.widget).toBe('select') // enum
    expect(byName.count.widget).toBe('number')
    expect(byName.ratio.widget).toBe('number')
    expect(byName.dry_run.widget).toBe('checkbox')
    expect(byName.verbose.widget).toBe('tristate') // optional, no default: may stay absent
    expect(byName.label.widget).toBe('text')
    expect(byName.tags.widget).toBe('json')
    expect(byName.level.widget).toBe('select')
    expect(byName.level.type).toBe('integer')
  })

  it('marks required fields and keeps descriptions and bounds', () => {
    expect(fields.filter((f) => f.required).map((f) => f.name)).toEqual(['region', 'count'])
    expect(byName.region.description).toBe('AWS region')
    expect(byName.count).toMatchObject({ minimum: 1, maximum: 1000 })
  })

  it('prefills defaults', () => {
    expect(initialValues(fields)).toEqual({
      region: '"us-east-1"',
      count: '100',
      ratio: '',
      dry_run: false,
      verbose: '',
      label: '',
      tags: '',
      level: '',
    })
  })

  it('handles a missing or empty schema', () => {
    expect(fieldsFromSchema(undefined)).toEqual([])
    expect(fieldsFromSchema({ type: 'object' })).toEqual([])
  })
})

describe('form values → run input', () => {
  const fields = fieldsFromSchema(schema)

  it('converts types and omits untouched optional fields', () => {
    const r = buildInput(fields, initialValues(fields))
    expect(r.errors).toEqual({})
    expect(r.input).toEqual({ region: 'us-east-1', count: 100, dry_run: false })
  })

  it('converts every kind of value', () => {
    const v: FormValues = { ...initialValues(fields), region: '"eu-west-1"', count: '7', ratio: '0.25', verbose: 'true', label: 'abc', tags: '["a"]', level: '2' }
    expect(buildInput(fields, v)).toEqual({
      errors: {},
      input: { region: 'eu-west-1', count: 7, ratio: 0.25, dry_run: false, verbose: true, label: 'abc', tags: ['a'], level: 2 },
    })
  })

  it('reports required, type and bound errors per field', () => {
    const v: FormValues = { ...initialValues(fields), region: '', count: '2.5', ratio: 'abc', label: 'toolong', tags: '{' }
    const r = buildInput(fields, v)
    expect(r.errors).toEqual({
      region: 'is required',
      count: 'must be a whole number',
      ratio: 'must be a number',
      label: 'must be at most 5 characters',
      tags: 'must be valid JSON',
    })
    expect(buildInput(fields, { ...initialValues(fields), count: '0' }).errors).toEqual({ count: 'must be at least 1' })
    expect(buildInput(fields, { ...initialValues(fields), tags: '{}' }).errors).toEqual({ tags: 'must be a JSON array' })
  })
})

describe('server validation messages', () => {
  const names = ['count', 'region', 'a', 'a.b']
  it('attaches "input does not match schema: $.x …" to field x', () => {
    expect(fieldErrorFromServer('input does not match schema: $.count has invalid type', names)).toEqual({ field: 'count', message: 'has invalid type' })
    expect(fieldErrorFromServer('input does not match schema: $.region is not in enum', names)).toEqual({ field: 'region', message: 'is not in enum' })
    expect(fieldErrorFromServer('input does not match schema: $.a.b is required', names)).toEqual({ field: 'a.b', message: 'is required' })
  })
  it('returns null for messages about no known field', () => {
    expect(fieldErrorFromServer('app has no versions', names)).toBeNull()
    expect(fieldErrorFromServer('input does not match schema: $ must be an object', names)).toBeNull()
    expect(fieldErrorFromServer('input does not match schema: $.other is not allowed', names)).toBeNull()
  })
})

describe('<SchemaForm>', () => {
  function render(errors: Record<string, string> = {}) {
    const fields = fieldsFromSchema(schema)
    const values = ref<FormValues>(initialValues(fields))
    const Host = defineComponent(() => () => h(SchemaForm, { fields, errors, modelValue: values.value, 'onUpdate:modelValue': (v: FormValues) => (values.value = v) }))
    return { wrapper: mount(Host), values }
  }

  it('renders labelled inputs with types, enum options, defaults and required markers', () => {
    const { wrapper } = render()
    const region = wrapper.get('[data-testid="param-region"]')
    expect(region.element.tagName).toBe('SELECT')
    expect(region.findAll('option').map((o) => o.text())).toEqual(['us-east-1', 'eu-west-1']) // required: no "not set"
    expect((region.element as HTMLSelectElement).value).toBe('"us-east-1"')
    const count = wrapper.get('[data-testid="param-count"]')
    expect(count.attributes('type')).toBe('number')
    expect(count.attributes('step')).toBe('1')
    expect((count.element as HTMLInputElement).value).toBe('100')
    expect(wrapper.get('label[for="param-count"]').text()).toContain('*')
    expect(wrapper.get('[data-testid="param-dry_run"]').attributes('type')).toBe('checkbox')
    expect(wrapper.text()).toContain('AWS region')
    expect(wrapper.text()).toContain('Default: "us-east-1"')
  })

  it('writes edits back to the model', async () => {
    const { wrapper, values } = render()
    await wrapper.get('[data-testid="param-count"]').setValue('5')
    await wrapper.get('[data-testid="param-dry_run"]').setValue(true)
    expect(values.value.count).toBe('5')
    expect(values.value.dry_run).toBe(true)
  })

  it('shows a server message next to its field and marks it invalid', () => {
    const { wrapper } = render({ count: 'has invalid type' })
    expect(wrapper.get('[data-testid="param-error-count"]').text()).toBe('count has invalid type')
    expect(wrapper.get('[data-testid="param-count"]').attributes('aria-invalid')).toBe('true')
    expect(wrapper.get('[data-testid="param-count"]').attributes('aria-describedby')).toBe('param-count-help')
  })
})
