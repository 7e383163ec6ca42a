// Wire types of the MiniTower HTTP API (see docs/spec/api.md). Request bodies are the types
// generated from api-service's OpenAPI document (./generated.ts); response types add what the
// document cannot say (status unions, which fields are always present, null vs omitted) and are
// checked key for key against the generated ones in ./contract.ts, so a field renamed, added or
// removed on the server fails the type check. Optional fields are the ones the server omits.
import type * as Wire from './generated'

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

export interface AuthOptions {
  signup_enabled: boolean
  bootstrap_enabled: boolean
}

export type SignupRequest = Required<Wire.Signup>

export type LoginRequest = Required<Wire.Login>

export interface SignupResponse {
  team_id: number
  slug: string
  token: string
  role: Role
}

export interface LoginResponse {
  team_id: number
  token: string
  token_id: number
  role: Role
}

export interface Me {
  team_id: number
  team_slug: string
  token_id: number
  role: Role
}

export interface JsonSchema {
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

export interface App {
  app_id: number
  slug: string
  description?: string
  disabled: boolean
  created_at: string
  updated_at: string
}

export interface Version {
  version_id: number
  version_no: number
  entrypoint: string
  timeout_seconds?: number
  params_schema?: JsonSchema
  artifact_sha256: string
  towerfile_toml?: string
  import_paths?: string[]
  created_at: string
}

export interface Run {
  run_id: number
  app_id: number
  app_slug?: string
  run_no: number
  version_no: number
  status: RunStatus
  input?: Record<string, unknown>
  priority: number
  max_retries: number
  retry_count: number
  cancel_requested: boolean
  environment?: string
  retry_on_failure?: boolean
  queued_at: string
  started_at?: string
  finished_at?: string
}

export interface RunsSummary {
  total_runs: number
  active_runs: number
  queued_runs: number
  terminal_runs: number
}

export interface Attempt {
  attempt_no: number
  status: string
  runner_name?: string
  exit_code?: number
  error_message?: string
  started_at?: string
  finished_at?: string
  /** Names (never values) of the team secrets this attempt received; absent on older servers. */
  secret_names?: string[]
}

export type LogStream = 'stdout' | 'stderr'

export interface LogLine {
  seq: number
  /** Present on servers that return every attempt's lines; older servers only send the latest attempt. */
  attempt_no?: number
  stream: LogStream
  line: string
  logged_at: string
}

export interface LogsResponse {
  logs: LogLine[]
  /** Cursor to send back as after_seq (and after_attempt when next_after_attempt is present). */
  next_after_seq?: number
  next_after_attempt?: number
  /** The page was cut at the server's limit: read again right away. */
  has_more?: boolean
}

/** Where to continue reading logs: lines after (afterAttempt, afterSeq) in (attempt_no, seq) order. */
export interface LogCursor {
  afterSeq: number
  /** Only for servers that number lines per attempt; the original ignores it. */
  afterAttempt?: number
}

export interface Runner {
  runner_id: number
  name: string
  environment: string
  status: 'online' | 'offline'
  last_seen_at?: string
}

export interface TokenInfo {
  token_id: number
  name?: string | null
  role: Role
  created_at: string
  last_used_at?: string | null
  expires_at?: string | null
  revoked_at?: string | null
}

export interface CreatedToken {
  token_id: number
  token: string
  name?: string
  role: Role
  expires_at?: string
}

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

export interface Schedule {
  schedule_id: number
  app: string
  name: string
  cron: string
  timezone: string
  environment: string
  /** null = always the latest version */
  version_no: number | null
  input?: Record<string, unknown> | null
  priority: number
  max_retries: number
  enabled: boolean
  overlap_policy: OverlapPolicy
  catchup_policy: CatchupPolicy
  catchup_max: number
  next_fire_at?: string | null
  last_fired_at?: string | null
  created_at: string
  updated_at: string
}

export interface ScheduleTick {
  tick_at: string
  outcome: 'fired' | 'skipped' | 'failed' | string
  reason: string | null
  run_id: number | null
}

/** GET /api/v1/schedules: a schedule with its latest tick. */
export interface TeamSchedule extends Schedule {
  last_tick: ScheduleTick | null
}

/** On update, absent fields keep their value; version_no null = always the latest version. */
export interface ScheduleRequest
  extends Omit<Wire.ScheduleRequest, 'version_no' | 'overlap_policy' | 'catchup_policy'> {
  version_no?: number | null
  overlap_policy?: OverlapPolicy
  catchup_policy?: CatchupPolicy
}

// --- environments and runner tokens ----------------------------------------------------------

export interface Environment {
  environment_id: number
  name: string
  is_default: boolean
  created_at: string
}

export interface EnvironmentRunner {
  runner_id: number
  name: string
  status: 'online' | 'offline' | string
  last_seen_at?: string | null
  scope: 'team' | 'platform' | string
}

export interface EnvironmentOverview {
  environment_id: number
  name: string
  is_default: boolean
  queued_runs: number
  active_runs: number
  oldest_queued_at: string | null
  runners_online: number
  /** Admins only; null for members. */
  runners: EnvironmentRunner[] | null
}

export interface RunnerTokenInfo {
  token_id: number
  name?: string | null
  created_at: string
  expires_at?: string | null
  revoked_at?: string | null
}

export interface CreatedRunnerToken {
  token_id: number
  token: string
  name?: string | null
  expires_at?: string | null
}

// --- stats -----------------------------------------------------------------------------------

export type StatsBucket = 'hour' | 'day'

export interface StatsBucketRow {
  /** null only on the totals row */
  start: string | null
  total: number
  queued: number
  active: number
  completed: number
  failed: number
  cancelled: number
  dead: number
  success_rate: number | null
  duration_p50_seconds: number | null
  duration_p95_seconds: number | null
}

export interface RunStats {
  app: string | null
  bucket: StatsBucket
  since: string
  totals: StatsBucketRow
  buckets: StatsBucketRow[]
}

export interface AppDurationStats {
  app: string
  runs: number
  failed: number
  duration_p50_seconds: number | null
  duration_p95_seconds: number | null
  duration_max_seconds: number | null
}

export interface DurationPoint {
  run_id: number
  run_no: number
  status: string
  queued_at: string
  started_at: string
  finished_at: string
  duration_seconds: number
}

export interface AttemptSpan {
  attempt_no: number
  status: string
  runner_name: string | null
  queued_at: string | null
  leased_at: string | null
  started_at: string | null
  finished_at: string | null
}

export interface RunTimeline {
  run_id: number
  status: string
  queued_at: string
  finished_at: string | null
  attempts: AttemptSpan[]
}
