// How many `cache request` lines the daemon writes at info (`[observability] request_log`): a Bazel build makes
// tens of thousands of requests in a minute, so one line each at info would write megabytes. Shared by the HTTP
// (http/track.ts) and gRPC (grpc/observe.ts) request hooks through Metrics, the one object both already hold.
//   "summary"   no line per request at info; the statistics recorder's per-tool summary each minute only
//   "sample:N"  at most N request lines per second (the default, N = 5); a line after some were left out says
//               how many (`skipped`), and the minute's summary still counts every request
//   "all"       every request

export type RequestLogSetting = 'summary' | 'all' | `sample:${number}`

export const DEFAULT_REQUEST_LOG: RequestLogSetting = 'sample:5'
export const MAX_SAMPLE_PER_SECOND = 100_000

/** Lines per second the setting allows: 0 for summary, Infinity for all; undefined when it is not a setting. */
export function linesPerSecond(setting: string): number | undefined {
  if (setting === 'summary') return 0
  if (setting === 'all') return Infinity
  const m = /^sample:(\d{1,6})$/.exec(setting)
  if (!m) return undefined
  const n = Number(m[1])
  return n >= 1 && n <= MAX_SAMPLE_PER_SECOND ? n : undefined
}

export class RequestLog {
  private readonly perSecond: number
  private windowStart = -Infinity
  private used = 0
  private skipped = 0

  constructor(readonly setting: RequestLogSetting | string = 'summary') {
    this.perSecond = linesPerSecond(setting) ?? 0
  }

  /** False when no request is ever logged at info (then the hot path skips building the line's fields). */
  get enabled(): boolean {
    return this.perSecond > 0
  }

  /**
   * Whether the request that ended at `nowMs` (a monotonic clock: performance.now()) gets its line at info.
   * undefined: no line; otherwise how many requests were left out since the last line written.
   */
  take(nowMs: number): number | undefined {
    if (this.perSecond === 0) return undefined
    if (nowMs - this.windowStart >= 1000) {
      this.windowStart = nowMs
      this.used = 0
    }
    if (this.used >= this.perSecond) {
      this.skipped++
      return undefined
    }
    this.used++
    const skipped = this.skipped
    this.skipped = 0
    return skipped
  }
}
