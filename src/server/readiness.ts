import { open, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import type { GuardedLayer } from '../layers/guard.js'
import { PROBE_KEY, PROBE_NS } from '../layers/guard.js'
import type { Logger } from '../log.js'
import type { BlobStore } from '../store/types.js'

/** How often `fabrik server` looks at its store and layers for /ready. */
export const READY_PROBE_MS = 2000

export interface ReadinessOptions {
  /** The local store: its index must answer a lookup. */
  local: BlobStore
  /** Where the local store writes its temp files (a write there must succeed). */
  tmpDir: string
  layers: readonly GuardedLayer[]
  logger: Pick<Logger, 'info' | 'warn'>
  intervalMs?: number
}

/** Each part's state: `true` when it answered the last probe, else why it did not ("not probed yet" at first). */
export type ReadinessReport = Record<string, true | string>

/**
 * Readiness as an active probe rather than a reading of the breakers: a breaker only changes state when a request
 * tries its layer, and once the balancer takes a replica out of rotation no request comes — so a replica whose
 * bucket was down for a moment would stay unready until restarted, and one whose bucket was down at boot (no
 * request yet, breaker closed) would be ready. Every `intervalMs` this looks at the local store (an index lookup
 * and a small file written and removed where its writes go: a deleted, read-only or unwritable cache dir fails)
 * and at each layer (GuardedLayer.probe: an existence check through its breaker, which also lets the breaker close
 * again without client traffic). Ready only while every part answered its last probe.
 */
export class Readiness {
  private state: ReadinessReport
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined
  private stopped = false

  constructor(private readonly o: ReadinessOptions) {
    this.state = Object.fromEntries([['store', 'not probed yet'], ...o.layers.map((l) => [l.name, 'not probed yet'])])
  }

  get ready(): boolean {
    return Object.values(this.state).every((v) => v === true)
  }

  report(): ReadinessReport {
    return { ...this.state }
  }

  /**
   * Probes the store now (awaited: it is quick, and a server with no layers is then ready at once), the layers in
   * the background (an S3 that hangs at boot must not hold the ports unbound for its timeout), then every interval.
   */
  async start(): Promise<void> {
    this.set('store', await this.probeStore())
    if (this.stopped) return
    void this.probe()
    this.timer = setInterval(() => void this.probe(), this.o.intervalMs ?? READY_PROBE_MS)
    this.timer.unref()
  }

  async stop(): Promise<void> {
    this.stopped = true
    clearInterval(this.timer)
    await this.running
  }

  /** One round; a round still running (a layer slow to time out) is not overlapped. */
  probe(): Promise<void> {
    return (this.running ??= this.round().finally(() => (this.running = undefined)))
  }

  private async round(): Promise<void> {
    const results = await Promise.all([
      this.probeStore().then((why) => ['store', why] as const),
      ...this.o.layers.map((l) => l.probe().then((why) => [l.name, why] as const)),
    ])
    for (const [part, why] of results) this.set(part, why)
  }

  private set(part: string, why: string | undefined): void {
    const before = this.state[part]
    const after = why ?? true
    this.state[part] = after
    if (after === true && before !== true) this.o.logger.info({ part }, `readiness: ${part} answers`)
    else if (after !== true && before === true) this.o.logger.warn({ part, why: after }, `readiness: ${part} does not answer; /ready reports 503`)
  }

  private async probeStore(): Promise<string | undefined> {
    try {
      await this.o.local.has(PROBE_NS, PROBE_KEY)
      // The pid prefix is the temp-file naming the store's recovery expects; a crash here leaves a file it removes.
      const path = join(this.o.tmpDir, `${process.pid}.ready-probe`)
      const file = await open(path, 'w', 0o600)
      try {
        await file.write('ready')
      } finally {
        await file.close()
      }
      await unlink(path)
      return undefined
    } catch (err) {
      return `the local store cannot be used: ${err instanceof Error ? err.message : String(err)}`
    }
  }
}
