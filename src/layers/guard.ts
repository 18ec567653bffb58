import type { Readable } from 'node:stream'
import { FabrikError, isRefusal, toFabrikError } from '../errors/registry.js'
import type { EntryStat, GetResult, PutOptions, PutResult } from '../store/types.js'
import { LayerBreaker, LayerOffline } from './breaker.js'
import type { LayerMetrics, LayerOp, LayerResult } from './metrics.js'
import type { LayerLogger, LayerSpec } from './types.js'

/** How long a layer's "yes, I have it" is believed (a "no" never is: another machine may upload it a second later). */
export const POSITIVE_TTL_MS = 10_000
const POSITIVE_MAX = 50_000
/** What a probe asks for: outside every tool's and tenant's namespace (`t.<tenant>.<ns>`), so never stored. */
export const PROBE_NS = 'fabrik-probe'
export const PROBE_KEY = 'ready'

/** A layer's answer, or the fact that it could not give one (failed, timed out or offline): the chain moves on. */
export type Answer<T> = { ok: true; value: T } | { ok: false; refusal?: FabrikError }

/** A remote hit whose body must be consumed or destroyed, and whose silence is bounded (`watch`). */
export interface RemoteHit {
  result: GetResult
  /** Aborts the layer's request; call it when the body is abandoned or falls silent. */
  abort(reason: Error): void
}

/**
 * One layer behind its breaker, its timeout and its metrics. Every call either answers or reports that the layer
 * could not (logged once, counted) — never a failure dressed up as a miss, never an exception into the chain.
 */
export class GuardedLayer {
  readonly breaker: LayerBreaker
  /** The last failure's reason, for `fabrik health` (cleared by a success). */
  lastError: string | undefined
  /**
   * The last refusal of our credentials and its fix, for `fabrik health`: kept until a call of the same kind (a read,
   * or an upload) succeeds, so a read-only token's refused uploads stay visible although its reads succeed.
   */
  refusal: { writes: boolean; message: string; fix: string } | undefined
  private readonly positive = new Map<string, number>()

  constructor(
    readonly spec: LayerSpec,
    private readonly metrics: LayerMetrics,
    private readonly logger: LayerLogger,
    breaker?: LayerBreaker,
  ) {
    this.breaker = breaker ?? new LayerBreaker(spec.name, logger, spec.breaker)
  }

  get name(): string {
    return this.spec.name
  }

  /** Runs one call with its own timeout, linked to the caller's signal until the layer answers. */
  private async call<T>(
    op: LayerOp, ns: string, key: string, callerSignal: AbortSignal | undefined,
    fn: (signal: AbortSignal, controller: AbortController) => Promise<T>, classify: (v: T) => LayerResult,
  ): Promise<Answer<T>> {
    const started = performance.now()
    const controller = new AbortController()
    const timeout = this.spec.timeoutMs
    const timer = setTimeout(() => controller.abort(new FabrikError('UNAVAILABLE', `the ${this.name} layer did not answer within ${timeout} ms`)), timeout)
    const onCaller = () => controller.abort(callerSignal?.reason)
    callerSignal?.addEventListener('abort', onCaller, { once: true })
    try {
      const value = await this.breaker.run(() => fn(controller.signal, controller), callerSignal)
      this.metrics.request(this.name, op, classify(value), (performance.now() - started) / 1000)
      this.lastError = undefined
      if (this.refusal && this.refusal.writes === isWrite(op)) this.refusal = undefined
      return { ok: true, value }
    } catch (err) {
      if (err instanceof LayerOffline) {
        this.metrics.request(this.name, op, 'skipped')
        return { ok: false }
      }
      if (callerSignal?.aborted) throw toFabrikError(callerSignal.reason ?? err)
      const reason = controller.signal.aborted ? controller.signal.reason : err
      this.lastError = describe(reason)
      this.metrics.request(this.name, op, 'error', (performance.now() - started) / 1000)
      if (isRefusal(reason)) {
        // Logged when it starts or changes, not per call: a read-only token refuses every upload of a build.
        const before = this.refusal
        this.refusal = { writes: isWrite(op), message: reason.message, fix: reason.fix }
        if (before?.message !== reason.message) {
          this.logger.warn({ layer: this.name, op, err: reason.message, fix: reason.fix }, `${this.name} layer refused our token`)
        }
        return { ok: false, refusal: reason }
      }
      this.logger.warn({ layer: this.name, op, ns, key, err: describe(reason) }, `${this.name} layer failed; trying the next one`)
      return { ok: false }
    } finally {
      clearTimeout(timer)
      callerSignal?.removeEventListener('abort', onCaller)
    }
  }

  private remember(ns: string, key: string): void {
    if (this.positive.size >= POSITIVE_MAX) this.positive.clear()
    this.positive.set(`${ns}\0${key}`, Date.now() + POSITIVE_TTL_MS)
  }

  private believed(ns: string, key: string): boolean {
    const id = `${ns}\0${key}`
    const until = this.positive.get(id)
    if (until === undefined) return false
    if (until > Date.now()) return true
    this.positive.delete(id)
    return false
  }

  /** Forgets a remembered "yes" (the entry turned out to be missing or bad). */
  forget(ns: string, key: string): void {
    this.positive.delete(`${ns}\0${key}`)
  }

  async has(ns: string, key: string, signal?: AbortSignal): Promise<Answer<boolean>> {
    if (this.believed(ns, key)) return { ok: true, value: true }
    const answer = await this.call('has', ns, key, signal, (s) => this.spec.store.has(ns, key, s), (v) => (v ? 'hit' : 'miss'))
    if (answer.ok && answer.value) this.remember(ns, key)
    return answer
  }

  async stat(ns: string, key: string, signal?: AbortSignal): Promise<Answer<EntryStat | undefined>> {
    const answer = await this.call('stat', ns, key, signal, (s) => this.spec.store.stat(ns, key, s), (v) => (v ? 'hit' : 'miss'))
    if (answer.ok && answer.value) this.remember(ns, key)
    return answer
  }

  /** The whole entry (offset 0). The caller must consume or destroy the hit's stream. */
  async get(ns: string, key: string, signal?: AbortSignal): Promise<Answer<RemoteHit | undefined>> {
    return this.call('get', ns, key, signal, async (s, controller) => {
      const result = await this.spec.store.get(ns, key, { signal: s })
      return result && { result, abort: (reason: Error) => controller.abort(reason) }
    }, (v) => (v ? 'hit' : 'miss'))
  }

  /**
   * An upload from the queue: throws on failure (the queue retries), LayerOffline while the breaker is open, and the
   * layer's refusal itself (UNAUTHENTICATED / PERMISSION_DENIED: the queue drops the entry).
   */
  async put(ns: string, key: string, body: Readable | Buffer, options: PutOptions): Promise<PutResult> {
    const answer = await this.call('put', ns, key, undefined, (s) => this.spec.store.put(ns, key, body, { ...options, signal: s }), () => 'ok')
    if (!answer.ok) {
      if (answer.refusal) throw answer.refusal
      throw this.breaker.state === 'closed' ? new FabrikError('UNAVAILABLE', `uploading ${ns}/${key} to the ${this.name} layer failed`) : new LayerOffline(this.name)
    }
    this.remember(ns, key)
    return answer.value
  }

  /**
   * One cheap look at the layer (an existence check of a key no one writes), through its breaker and timeout but
   * outside the request metrics: `fabrik server`'s readiness. cockatiel leaves "open" only when a call tries the
   * layer, so without this a replica the balancer stopped sending traffic to would never find its layer back.
   * Resolves to undefined when the layer answered, else to why it did not.
   */
  async probe(): Promise<string | undefined> {
    const controller = new AbortController()
    const timeout = this.spec.timeoutMs
    const timer = setTimeout(() => controller.abort(new FabrikError('UNAVAILABLE', `the ${this.name} layer did not answer within ${timeout} ms`)), timeout)
    try {
      await this.breaker.run(() => this.spec.store.has(PROBE_NS, PROBE_KEY, controller.signal))
      this.lastError = undefined
      return undefined
    } catch (err) {
      if (err instanceof LayerOffline) return `${err.message}${this.lastError ? `; last error: ${this.lastError}` : ''}`
      this.lastError = describe(controller.signal.aborted ? controller.signal.reason : err)
      return this.lastError
    } finally {
      clearTimeout(timer)
    }
  }

  countBytes(direction: 'in' | 'out', n: number): void {
    this.metrics.bytes(this.name, direction, n)
  }

  /** The layer broke off while sending a body (connection lost, silence): a failure of the layer, counted. */
  bodyFailed(ns: string, key: string, why: string): void {
    this.forget(ns, key)
    this.metrics.request(this.name, 'get', 'error')
    this.logger.warn({ layer: this.name, ns, key, err: why }, `${this.name} layer failed while sending an entry`)
  }

  /** A body that did not match what the layer recorded: counted, logged, and the key's "yes" forgotten. */
  verificationFailed(ns: string, key: string, why: string): void {
    this.forget(ns, key)
    this.metrics.verificationFailure(this.name)
    this.metrics.request(this.name, 'get', 'error')
    this.logger.error({ layer: this.name, ns, key, why }, `${this.name} layer sent an entry that failed verification; not served, not stored`)
  }
}

function isWrite(op: LayerOp): boolean {
  return op === 'put' || op === 'delete'
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
