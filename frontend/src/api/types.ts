// Wire types of the MiniTower HTTP API (see docs/spec/api.md): the types generated from
// api-service's OpenAPI document (./generated.ts), under the names the UI uses. The document says
// which fields are always present, which the server omits (`name?: T`) and which it sends as null
// (`T | null`); what it cannot say, the closed sets of strings (statuses, roles, policies), is
// narrowed here with Narrow, which only accepts fields the generated type has, with a type it
// allows. Types of the UI alone (query objects, cursors, the params_schema shape) follow them.
import type * as Wire from './generated'

/**
 * T with some fields given a narrower type. A field T does not have, or a type T's field does not
 * allow, fails the type check: renaming a field on the server cannot leave a stale narrowing here.
 */
export type Narrow<T, N extends { [K in keyof N]: K extends keyof T ? T[K] : never }> = Omit<T, keyof N> & N

/** Like Narrow, for a field whose UI type is wider than the generated one (older servers' items). */
export type Retype<T, N extends { [K in keyof N]: K extends keyof T ? unknown : never }> = Omit<T, keyof N> & N

/**
 * T with fields this server always sends made optional, because the original server
 * (docs/spec/api.md) does not send them and the UI reads both.
 */
export type FromOlderServers<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>

export type RunStatus =
  | 'queued'
  | 'leased'
  | 'running'
  | 'cancelling'
  | 'completed'
  | 'failed'
  | 'cancelled'
  | 'dead'

export const RUN_STATUSES: readonly RunStatus[] = [
  'queued',
  'leased',
  'running',
  'cancelling',
  'completed',
  'failed',
  'cancelled',
  'dead',
]

export const ACTIVE_STATUSES: readonly RunStatus[] = ['queued', 'leased', 'running', 'cancelling']

export function isTerminal(status: string): boolean {
  return status === 'completed' || status === 'failed' || status === 'cancelled' || status === 'dead'
}

export type Role = 'admin' | 'member'

export interface ErrorEnvelope {
  error: { code: string; message: string }
}

export type AuthOptions = Wire.AuthOptions

export type SignupRequest = Required<Wire.Signup>

export type LoginRequest = Required<Wire.Login>

export type SignupResponse = Narrow<Wire.TeamCreated, { role: Role }>

export type LoginResponse = Narrow<Wire.LoginResult, { role: Role }>

export type Me = Narrow<Wire.Me, { role: Role }>

export type JsonSchema = {
  type?: string | string[]
  description?: string
  title?: string
  default?: unknown
  enum?: unknown[]
  properties?: Record<string, JsonSchema>
  required?: string[]
  items?: JsonSchema
  minimum?: number
  maximum?: number
  minLength?: number
  maxLength?: number
  additionalProperties?: boolean | JsonSchema
}

export type App = Wire.AppView

export type Version = Narrow<Wire.VersionView, { params_schema?: JsonSchema }>

export type Run = FromOlderServers<Narrow<Wire.RunView, { status: RunStatus }>, 'retry_on_failure'>

export type RunsSummary = Wire.RunSummary

/** secret_names: names (never values) of the team secrets this attempt received. */
export type Attempt = FromOlderServers<Wire.AttemptView, 'secret_names'>

export type LogStream = 'stdout' | 'stderr'

/** attempt_no: absent from older servers, which only send the latest attempt's lines. */
export type LogLine = FromOlderServers<Narrow<Wire.LogView, { stream: LogStream }>, 'attempt_no'>

/**
 * next_after_seq / next_after_attempt: the cursor to send back as after_seq / after_attempt;
 * has_more: the page was cut at the server's limit, read again right away.
 */
export type LogsResponse = FromOlderServers<
  Retype<Wire.LogPage, { logs: LogLine[] }>,
  'next_after_seq' | 'next_after_attempt' | 'has_more'
>

/** Where to continue reading logs: lines after (afterAttempt, afterSeq) in (attempt_no, seq) order. */
export interface LogCursor {
  afterSeq: number
  /** Only for servers that number lines per attempt; the original ignores it. */
  afterAttempt?: number
}

export type Runner = FromOlderServers<Narrow<Wire.RunnerView, { status: 'online' | 'offline' }>, 'scope'>

export type TokenInfo = Narrow<Wire.TokenInfo, { role: Role }>

export type CreatedToken = Narrow<Wire.TokenCreated, { role: Role }>

/**
 * retry_on_failure is sent only when true; environment only when one other than the default is
 * picked.
 */
export type CreateRunRequest = Wire.CreateRun

export interface RunsQuery {
  status?: string
  app?: string
  limit?: number
  offset?: number
}

// --- schedules --------------------------------------------------------------------------------

export type OverlapPolicy = 'allow' | 'skip'
export type CatchupPolicy = 'none' | 'last' | 'all'

/** version_no null = always the latest version. */
export type Schedule = Narrow<Wire.ScheduleView, { overlap_policy: OverlapPolicy; catchup_policy: CatchupPolicy }>

export type ScheduleTick = Wire.TickView

/** GET /api/v1/schedules: a schedule with its latest tick (null before the first). */
export type TeamSchedule = Narrow<
  Wire.WithLastTick,
  { overlap_policy: OverlapPolicy; catchup_policy: CatchupPolicy }
>

/** On update, absent fields keep their value; version_no null = always the latest version. */
export interface ScheduleRequest
  extends Omit<Wire.ScheduleRequest, 'version_no' | 'overlap_policy' | 'catchup_policy'> {
  version_no?: number | null
  overlap_policy?: OverlapPolicy
  catchup_policy?: CatchupPolicy
}

// --- environments and runner tokens ----------------------------------------------------------

export type Environment = Wire.EnvironmentView

export type EnvironmentRunner = Wire.EnvironmentRunnerView

/** runners: admins only; null for members. */
export type EnvironmentOverview = Wire.EnvironmentOverview

export type RunnerTokenInfo = Wire.RunnerTokenInfo

export type CreatedRunnerToken = Wire.RunnerTokenCreated

// --- stats -----------------------------------------------------------------------------------

export type StatsBucket = 'hour' | 'day'

/** start is null only on the totals row. */
export type StatsBucketRow = Wire.BucketView

export type RunStats = Narrow<Wire.RunStats, { bucket: StatsBucket }>

export type AppDurationStats = Wire.AppDurationView

export type DurationPoint = Wire.DurationPointView

export type AttemptSpan = Wire.AttemptSpanView

export type RunTimeline = Wire.RunTimeline
