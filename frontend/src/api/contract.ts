// Compile-time check that the web UI's response types (./types.ts) have exactly the fields of the
// server's records, as generated from the OpenAPI document (./generated.ts). A mismatch makes
// `vue-tsc` (and so `npm run build`) fail and names the offending fields. Fields the UI reads from
// newer servers only, or that the server adds for other clients, are listed explicitly.
import type * as Wire from './generated'
import type * as Ui from './types'

/** true when A and B have the same keys; otherwise the keys each side lacks. */
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never]
  ? true
  : { onlyInUi: Exclude<keyof A, keyof B>; onlyOnServer: Exclude<keyof B, keyof A> }

type Expect<T extends true> = T

export type ContractChecks = [
  Expect<SameKeys<Ui.AuthOptions, Wire.AuthOptions>>,
  Expect<SameKeys<Ui.SignupResponse, Wire.TeamCreated>>,
  Expect<SameKeys<Ui.LoginResponse, Wire.LoginResult>>,
  Expect<SameKeys<Ui.Me, Wire.Me>>,
  Expect<SameKeys<Ui.App, Wire.AppView>>,
  Expect<SameKeys<Ui.Version, Wire.VersionView>>,
  Expect<SameKeys<Ui.Run, Wire.RunView>>,
  Expect<SameKeys<Ui.RunsSummary, Wire.RunSummary>>,
  Expect<SameKeys<Ui.Attempt, Wire.AttemptView>>,
  Expect<SameKeys<Ui.LogLine, Wire.LogView>>,
  Expect<SameKeys<Ui.LogsResponse, Wire.LogPage>>,
  // scope (global/team) is not shown by the runners page.
  Expect<SameKeys<Ui.Runner, Omit<Wire.RunnerView, 'scope'>>>,
  Expect<SameKeys<Ui.TokenInfo, Wire.TokenInfo>>,
  Expect<SameKeys<Ui.CreatedToken, Wire.TokenCreated>>,
  Expect<SameKeys<Ui.Schedule, Wire.ScheduleView>>,
  Expect<SameKeys<Ui.ScheduleTick, Wire.TickView>>,
  Expect<SameKeys<Ui.TeamSchedule, Wire.WithLastTick>>,
  Expect<SameKeys<Ui.Environment, Wire.EnvironmentView>>,
  Expect<SameKeys<Ui.EnvironmentRunner, Wire.EnvironmentRunnerView>>,
  Expect<SameKeys<Ui.EnvironmentOverview, Wire.EnvironmentOverview>>,
  Expect<SameKeys<Ui.RunnerTokenInfo, Wire.RunnerTokenInfo>>,
  Expect<SameKeys<Ui.CreatedRunnerToken, Wire.RunnerTokenCreated>>,
  Expect<SameKeys<Ui.StatsBucketRow, Wire.BucketView>>,
  Expect<SameKeys<Ui.RunStats, Wire.RunStats>>,
  Expect<SameKeys<Ui.AppDurationStats, Wire.AppDurationView>>,
  Expect<SameKeys<Ui.DurationPoint, Wire.DurationPointView>>,
  Expect<SameKeys<Ui.AttemptSpan, Wire.AttemptSpanView>>,
  Expect<SameKeys<Ui.RunTimeline, Wire.RunTimeline>>,
]
