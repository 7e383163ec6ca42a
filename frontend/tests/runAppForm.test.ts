import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { api, ApiError, type JsonSchema, type Version } from '../src/api'
import RunAppForm from '../src/components/RunAppForm.vue'

const version = (no: number, props: Record<string, JsonSchema>): Version => ({
  version_id: no,
  version_no: no,
  entrypoint: 'main.py',
  artifact_sha256: 'x'.repeat(64),
  created_at: '2025-01-01T00:00:00Z',
  params_schema: { type: 'object', properties: props },
})

const versions = [
  version(2, { count: { type: 'integer', default: 3, description: 'how many' }, mode: { type: 'string', enum: ['fast', 'slow'] } }),
  version(1, { name: { type: 'string' } }),
]

afterEach(() => vi.restoreAllMocks())

describe('<RunAppForm>', () => {
  it('generates the fields of the latest version and switches with the version', async () => {
    const w = mount(RunAppForm, { props: { slug: 'etl', versions } })
    expect(w.find('[data-testid="param-count"]').exists()).toBe(true)
    expect(w.find('[data-testid="param-mode"]').element.tagName).toBe('SELECT')
    await w.get('[data-testid="run-version"]').setValue('1')
    expect(w.find('[data-testid="param-count"]').exists()).toBe(false)
    expect(w.find('[data-testid="param-name"]').exists()).toBe(true)
  })

  it('follows a newly uploaded version unless an older one was picked on purpose', async () => {
    const create = vi.spyOn(api, 'createRun').mockResolvedValue({ run_id: 1 } as never)
    const submittedVersion = async (w: ReturnType<typeof mount>) => {
      await w.get('form').trigger('submit')
      await flushPromises()
      return (create.mock.calls.at(-1)?.[1] as { version_no?: number }).version_no
    }
    const w = mount(RunAppForm, { props: { slug: 'etl', versions: [version(1, {})] } })
    expect(await submittedVersion(w)).toBe(1)
    await w.setProps({ versions: [version(2, {}), version(1, {})] })
    await flushPromises()
    expect(await submittedVersion(w)).toBe(2)
    await w.get('[data-testid="run-version"]').setValue('1')
    await w.setProps({ versions: [version(3, {}), version(2, {}), version(1, {})] })
    await flushPromises()
    expect(await submittedVersion(w)).toBe(1)
  })

  it('submits typed input with the chosen version and emits the run', async () => {
    const create = vi.spyOn(api, 'createRun').mockResolvedValue({ run_id: 9 } as never)
    const w = mount(RunAppForm, { props: { slug: 'etl', versions } })
    await w.get('[data-testid="param-count"]').setValue('12')
    await w.get('[data-testid="param-mode"]').setValue('"slow"')
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(create).toHaveBeenCalledWith('etl', { input: { count: 12, mode: 'slow' }, version_no: 2, priority: 0, max_retries: 0 })
    expect(w.emitted('created')?.[0]).toEqual([{ run_id: 9 }])
  })

  it('blocks a wrong type before sending', async () => {
    const create = vi.spyOn(api, 'createRun')
    const w = mount(RunAppForm, { props: { slug: 'etl', versions } })
    await w.get('[data-testid="param-count"]').setValue('1.5')
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(create).not.toHaveBeenCalled()
    expect(w.get('[data-testid="param-error-count"]').text()).toBe('count must be a whole number')
  })

  it('shows the server validation message next to the field it names', async () => {
    vi.spyOn(api, 'createRun').mockRejectedValue(new ApiError(400, 'invalid_request', 'input does not match schema: $.mode is not in enum'))
    const w = mount(RunAppForm, { props: { slug: 'etl', versions } })
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(w.get('[data-testid="param-error-mode"]').text()).toBe('mode is not in enum')
    expect(w.get('[data-testid="param-mode"]').attributes('aria-invalid')).toBe('true')
    expect(w.get('[data-testid="run-form-error"]').text()).toBe('The server rejected the input.')
  })

  it('shows other server errors above the button', async () => {
    vi.spyOn(api, 'createRun').mockRejectedValue(new ApiError(400, 'no_version', 'app has no versions'))
    const w = mount(RunAppForm, { props: { slug: 'etl', versions } })
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(w.get('[data-testid="run-form-error"]').text()).toBe('app has no versions')
  })
})
