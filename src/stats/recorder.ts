import type { RequestObservation } from '../metrics/metrics.js'
import type { StatsDb } from './db.js'
import { buildReport, type StatsReport } from './report.js'
import { addCounts, HOUR_MS, zeroCounts, type Counts, type Row } from './types.js'

// Tallies every request in memory — one Map lookup and a few additions on the hit path, like the prom-client
// tallies in src/metrics/metrics.ts — and adds them to stats.db every few seconds and at shutdown. An hour
// boundary is noticed on the next request, so figures land in the hour they were recorded in.

/** gRPC services are the REAPI (Bazel, Buck2) or Xcode: shown under the tool, not the service. */
const GRPC_TOOL: Record<string, string> = {
  capabilities: 'bazel', cas: 'bazel', ac: 'bazel', bytestream: 'bazel', 'xcode-kv': 'xcode', 'xcode-cas': 'xcode',
}

export function toolOf(o: { protocol: string; tool: string }): string {
  return o.protocol === 'grpc' ? (GRPC_TOOL[o.tool] ?? o.tool) : o.tool
}

export interface StatsLogger {
  info(obj: object, msg: string): void
  warn(obj: object, msg: string): void
}

export interface RecorderOptions {
  /** Where figures last; without one they live only in memory (tests, `observability.stats = false` never builds one). */
  db?: StatsDb
  retentionMs: number
  now?: () => number
  /** How often tallies go to the file. */
  flushMs?: number
  /** How often the per-tool summary line is logged at info (only when there was traffic). */
  summaryMs?: number
  logger?: StatsLogger
}

export interface RecentRequest {
  at: number
  tool: string
  method: string
  outcome: string
  ms: number
  bytes: number
}

const RECENT = 64

export class StatsRecorder {
  private readonly now: () => number
  private hour = -1
  private hourEnd = 0
  /** This hour's tallies per raw tool name (the hot path). */
  private current = new Map<string, Counts>()
  /** Everything else not yet in the file, keyed by hour, tool, layer and peer. */
  private other = new Map<string, Row>()
  private readonly ring: (RequestObservation | undefined)[] = new Array(RECENT)
  private readonly ringAt = new Float64Array(RECENT)
  private ringPos = 0
  private readonly latency = new Map<string, number>()
  private summary = new Map<string, Counts>()
  private summaryStarted: number
  private lastPrune = 0
  private timers: NodeJS.Timeout[] = []

  constructor(private readonly o: RecorderOptions) {
    this.now = o.now ?? Date.now
    this.summaryStarted = this.now()
  }

  /** The hot path: every request, from Metrics.observe. */
  observe(o: RequestObservation): void {
    const now = this.now()
    if (now >= this.hourEnd) this.rotate(now)
    let c = this.current.get(o.tool)
    if (c === undefined) {
      c = zeroCounts()
      this.current.set(o.tool, c)
    }
    c.requests++
    if (o.outcome === 'hit') c.hits++
    else if (o.outcome === 'miss') c.misses++
    else if (o.outcome === 'error') c.errors++
    // A hit's saved time, or (turbo's events POST) time saved by hits the tool reports afterwards.
    if (o.savedMs !== undefined) c.savedMs += o.savedMs
    if (o.bytesIn !== undefined) c.bytesIn += o.bytesIn
    if (o.bytesOut !== undefined) c.bytesOut += o.bytesOut
    this.ring[this.ringPos] = o
    this.ringAt[this.ringPos] = now
    this.ringPos = (this.ringPos + 1) % RECENT
  }

  /** A slower layer answered (or failed): only reads after a local miss get here. */
  layerRequest(layer: string, op: string, result: string, seconds?: number): void {
    const c = this.row('', layer, '')
    c.requests++
    // Hits are not counted here, when the layer answered, but in layerServed: the body may still fail its checks.
    if (op === 'get' && result === 'miss') c.misses++
    else if (result === 'error') c.errors++
    if (seconds !== undefined) {
      const ms = seconds * 1000
      const prev = this.latency.get(layer)
      this.latency.set(layer, prev === undefined ? ms : prev * 0.8 + ms * 0.2)
    }
  }

  /** The chain served an entry read from this layer (after its checks): a client's hit that came from it. */
  layerServed(layer: string): void {
    this.row('', layer, '').hits++
  }

  layerBytes(layer: string, direction: 'in' | 'out', n: number): void {
    const c = this.row('', layer, '')
    if (direction === 'in') c.bytesIn += n
    else c.bytesOut += n
  }

  /**
   * Bytes exchanged with a teammate's machine, and hits it served: a breakdown of the p2p layer's own figures
   * (which it counts as a layer like any other), for "top teammates". The P2P layer calls this.
   */
  peer(peer: string, figures: Partial<Counts>): void {
    addCounts(this.row('', 'p2p', peer), { ...zeroCounts(), ...figures })
  }

  /** Recent latency of each layer (ms, smoothed). */
  layerLatency(): Record<string, number> {
    return Object.fromEntries([...this.latency].map(([k, v]) => [k, Math.round(v * 10) / 10]))
  }

  recent(limit = 20): RecentRequest[] {
    const out: RecentRequest[] = []
    for (let i = 1; i <= RECENT && out.length < limit; i++) {
      const at = (this.ringPos - i + RECENT) % RECENT
      const o = this.ring[at]
      if (o === undefined) break
      out.push({
        at: this.ringAt[at]!, tool: toolOf(o), method: o.method, outcome: o.outcome, ms: Math.round(o.seconds * 10000) / 10,
        bytes: (o.bytesOut ?? 0) || (o.bytesIn ?? 0),
      })
    }
    return out
  }

  private row(tool: string, layer: string, peer: string): Row {
    const hour = Math.floor(this.now() / HOUR_MS)
    const id = `${hour}\0${tool}\0${layer}\0${peer}`
    let r = this.other.get(id)
    if (r === undefined) {
      r = { hour, tool, layer, peer, ...zeroCounts() }
      this.other.set(id, r)
    }
    return r
  }

  private rotate(now: number): void {
    this.moveCurrent()
    this.hour = Math.floor(now / HOUR_MS)
    this.hourEnd = (this.hour + 1) * HOUR_MS
  }

  /** Moves this hour's per-tool tallies into `other` as rows (named by tool). */
  private moveCurrent(): void {
    if (this.current.size === 0) return
    const tallies = this.current
    this.current = new Map()
    for (const [raw, c] of tallies) {
      const tool = GRPC_TOOL[raw] ?? raw
      const id = `${this.hour}\0${tool}\0\0`
      let r = this.other.get(id)
      if (r === undefined) {
        r = { hour: this.hour, tool, layer: '', peer: '', ...zeroCounts() }
        this.other.set(id, r)
      }
      addCounts(r, c)
    }
  }

  /** Everything not in the file yet. */
  private pending(): Row[] {
    this.moveCurrent()
    return [...this.other.values()]
  }

  /** Adds the tallies to the file (one transaction); also prunes hours beyond the retention limit, hourly. */
  flush(): void {
    const rows = this.pending()
    this.other = new Map()
    for (const r of rows) {
      if (r.layer !== '' || r.peer !== '') continue
      let s = this.summary.get(r.tool)
      if (s === undefined) this.summary.set(r.tool, (s = zeroCounts()))
      addCounts(s, r)
    }
    const db = this.o.db
    if (db === undefined) {
      for (const r of rows) this.other.set(`${r.hour}\0${r.tool}\0${r.layer}\0${r.peer}`, r)
      return
    }
    const now = this.now()
    try {
      db.add(rows)
      if (now - this.lastPrune >= HOUR_MS) {
        db.prune(now - this.o.retentionMs)
        this.lastPrune = now
      }
    } catch (err) {
      // Kept for the next flush rather than lost (a busy file, a full disk).
      for (const r of rows) {
        const id = `${r.hour}\0${r.tool}\0${r.layer}\0${r.peer}`
        const again = this.other.get(id)
        if (again) addCounts(again, r)
        else this.other.set(id, r)
      }
      this.o.logger?.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not record statistics; will retry')
    }
  }

  /** One info line per tool that had requests since the last one, instead of a line per request. */
  logSummary(): void {
    const logger = this.o.logger
    const now = this.now()
    const periodS = Math.round((now - this.summaryStarted) / 1000)
    this.summaryStarted = now
    const summary = this.summary
    this.summary = new Map()
    if (!logger) return
    for (const [tool, c] of summary) {
      if (c.requests === 0) continue
      logger.info({
        tool, requests: c.requests, hits: c.hits, misses: c.misses, errors: c.errors, bytes_in: c.bytesIn, bytes_out: c.bytesOut,
        saved_ms: Math.round(c.savedMs), period_s: periodS,
      }, 'requests summary')
    }
  }

  /** Figures for [sinceMs, now]: what the file holds plus what is still in memory. */
  report(sinceMs: number): StatsReport {
    const stored = this.o.db?.rows(sinceMs) ?? []
    const fromHour = Math.floor(sinceMs / HOUR_MS)
    this.moveCurrent()
    const pending = [...this.other.values()].filter((r) => r.hour >= fromHour)
    return buildReport([...stored, ...pending], sinceMs, this.now())
  }

  /** `fabrik stats --zero`: forgets the figures in memory and in the file. */
  zero(): void {
    this.current = new Map()
    this.other = new Map()
    this.summary = new Map()
    this.o.db?.zero()
  }

  start(): void {
    this.flush()
    const flushMs = this.o.flushMs ?? 5000
    this.timers.push(setInterval(() => this.flush(), flushMs).unref())
    this.timers.push(setInterval(() => {
      this.flush()
      this.logSummary()
    }, this.o.summaryMs ?? 60_000).unref())
  }

  /** Flushes what is left and closes the file (daemon shutdown). */
  close(): void {
    for (const t of this.timers) clearInterval(t)
    this.timers = []
    this.flush()
    this.logSummary()
    this.o.db?.close()
  }
}
