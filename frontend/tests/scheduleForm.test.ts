import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { api, ApiError, type Schedule, type Version } from '../src/api'
import ScheduleForm from '../src/components/ScheduleForm.vue'

const versions: Version[] = [
  {
    version_id: 2,
    version_no: 2,
    entrypoint: 'main.py',
    artifact_sha256: 'x'.repeat(64),
    created_at: '2025-01-01T00:00:00Z',
    params_schema: { type: 'object', properties: { count: { type: 'integer', default: 3 }, name: { type: 'string' } }, required: ['name'] },
  },
]

beforeEach(() => {
  vi.spyOn(api, 'listEnvironments').mockResolvedValue([
    { environment_id: 1, name: 'default', is_default: true, created_at: '2025-01-01T00:00:00Z' },
    { environment_id: 2, name: 'gpu', is_default: false, created_at: '2025-01-01T00:00:00Z' },
  ])
})
afterEach(() => vi.restoreAllMocks())

describe('<ScheduleForm>', () => {
  it('validates the cron as you type and previews five fire times in the schedule zone', async () => {
    const w = mount(ScheduleForm, { props: { app: 'etl', versions } })
    await w.get('[data-testid="sch-cron"]').setValue('61 * * * *')
    expect(w.get('[data-testid="sch-cron-error"]').text()).toContain('minute: 61 is outside 0-59')
    expect(w.get('[data-testid="sch-cron"]').attributes('aria-invalid')).toBe('true')
    await w.get('[data-testid="sch-tz"]').setValue('Asia/Tokyo')
    await w.get('[data-testid="sch-cron"]').setValue('0 9 * * *')
    const items = w.findAll('[data-testid="sch-preview"] li')
    expect(items).toHaveLength(5)
    for (const li of items) expect(li.text()).toMatch(/ 09:00 \((GMT\+9|JST)\)$/)
    await w.get('[data-testid="sch-tz"]').setValue('Nowhere/City')
    expect(w.get('[data-testid="sch-cron-error"]').text()).toContain('unknown time zone')
  })

  it('sends every field with the input from the generated parameter form', async () => {
    const create = vi.spyOn(api, 'createSchedule').mockResolvedValue({ schedule_id: 4 } as Schedule)
    const w = mount(ScheduleForm, { props: { app: 'etl', versions } })
    await flushPromises()
    await w.get('[data-testid="sch-name"]').setValue('nightly')
    await w.get('[data-testid="sch-cron"]').setValue('30 2 * * *')
    await w.get('[data-testid="sch-tz"]').setValue('Europe/Paris')
    await w.get('[data-testid="sch-env"]').setValue('gpu')
    await w.get('[data-testid="sch-overlap-skip"]').setValue(true)
    await w.get('[data-testid="sch-catchup"]').setValue('last')
    await w.get('[data-testid="sch-priority"]').setValue('7')
    await w.get('[data-testid="param-name"]').setValue('world')
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(create).toHaveBeenCalledWith('etl', {
      name: 'nightly',
      cron: '30 2 * * *',
      timezone: 'Europe/Paris',
      environment: 'gpu',
      input: { count: 3, name: 'world' },
      priority: 7,
      max_retries: 0,
      overlap_policy: 'skip',
      catchup_policy: 'last',
      catchup_max: 10,
      enabled: true,
    })
    expect(w.emitted('saved')?.[0]).toEqual([{ schedule_id: 4 }])
  })

  it('refuses to send a missing required parameter or a bad priority', async () => {
    const create = vi.spyOn(api, 'createSchedule')
    const w = mount(ScheduleForm, { props: { app: 'etl', versions } })
    await w.get('[data-testid="sch-name"]').setValue('x')
    await w.get('[data-testid="sch-priority"]').setValue('5000')
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(create).not.toHaveBeenCalled()
    expect(w.get('[data-testid="param-error-name"]').text()).toContain('is required')
    expect(w.text()).toContain('Priority must be a whole number from -1000 to 1000')
  })

  it('edits an existing schedule with its stored input and shows the server message', async () => {
    const update = vi.spyOn(api, 'updateSchedule').mockRejectedValue(new ApiError(400, 'invalid_request', 'invalid cron expression: bad'))
    const schedule = {
      schedule_id: 9,
      app: 'etl',
      name: 'hourly',
      cron: '0 * * * *',
      timezone: 'UTC',
      environment: 'default',
      version_no: 2,
      input: { name: 'stored', count: 5 },
      priority: 1,
      max_retries: 2,
      enabled: false,
      overlap_policy: 'allow',
      catchup_policy: 'none',
      catchup_max: 10,
      next_fire_at: null,
      last_fired_at: null,
      created_at: '2025-01-01T00:00:00Z',
      updated_at: '2025-01-01T00:00:00Z',
    } satisfies Schedule
    const w = mount(ScheduleForm, { props: { app: 'etl', versions, schedule } })
    expect((w.get('[data-testid="param-name"]').element as HTMLInputElement).value).toBe('stored')
    expect((w.get('[data-testid="param-count"]').element as HTMLInputElement).value).toBe('5')
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(update.mock.calls[0][2]).toMatchObject({ version_no: 2, enabled: false, input: { name: 'stored', count: 5 } })
    expect(w.get('[data-testid="sch-form-error"]').text()).toContain('invalid cron expression: bad')
  })
})
