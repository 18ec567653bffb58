// Shared by the layer tests (not a test file; running it does nothing).
import { Readable } from 'node:stream'
import { Registry } from 'prom-client'
import { LayerBreaker } from '../../../src/layers/breaker.js'
import { LayerChain } from '../../../src/layers/chain.js'
import { GuardedLayer } from '../../../src/layers/guard.js'
import { createLayerMetrics } from '../../../src/layers/metrics.js'
import type { LayerLogger, LayerSpec } from '../../../src/layers/types.js'
import type { LocalStore } from '../../../src/store/local/store.js'
import { MemoryStore } from '../../../src/store/memory.js'
import type { EntryStat, GetOptions, GetResult, PutOptions, PutResult } from '../../../src/store/types.js'

export type Behaviour = 'ok' | 'fail' | 'hang' | 'corrupt' | 'truncate' | 'lie-sha'

/** A slower layer in memory whose behaviour a test switches, counting every call. */
export class FakeLayer extends MemoryStore {
  behaviour: Behaviour = 'ok'
  calls = { has: 0, stat: 0, get: 0, put: 0 }
  /** Resolves a get only once this promise does (to hold concurrent misses together). */
  gate: Promise<void> | undefined

  private async act(signal?: AbortSignal): Promise<void> {
    if (this.gate) await this.gate
    if (this.behaviour === 'fail') throw new Error('injected failure')
    if (this.behaviour === 'hang') {
      await new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason), { once: true }))
    }
  }

  override async has(ns: string, key: string, signal?: AbortSignal): Promise<boolean> {
    this.calls.has++
    await this.act(signal)
    return super.has(ns, key)
  }

  override async stat(ns: string, key: string, signal?: AbortSignal): Promise<EntryStat | undefined> {
    this.calls.stat++
    await this.act(signal)
    return super.stat(ns, key)
  }

  override async get(ns: string, key: string, options: GetOptions = {}): Promise<GetResult | undefined> {
    this.calls.get++
    await this.act(options.signal)
    const got = await super.get(ns, key)
    if (!got) return undefined
    const bytes = Buffer.from(got.data!)
    if (this.behaviour === 'corrupt') bytes[bytes.length >> 1]! ^= 1
    const body = this.behaviour === 'truncate' ? bytes.subarray(0, bytes.length >> 1) : bytes
    const sha256 = this.behaviour === 'lie-sha' ? 'f'.repeat(64) : got.sha256
    // A stream only, in chunks, as a network body arrives.
    const chunks: Buffer[] = []
    for (let i = 0; i < body.length; i += 64 * 1024) chunks.push(body.subarray(i, i + 64 * 1024))
    return { size: got.size, sha256, createdAt: got.createdAt, accessedAt: got.accessedAt, meta: got.meta, stream: Readable.from(chunks) }
  }

  override async put(ns: string, key: string, body: Readable | Buffer, options: PutOptions = {}): Promise<PutResult> {
    this.calls.put++
    await this.act(options.signal)
    return super.put(ns, key, body, options)
  }
}

export const quiet: LayerLogger & { lines: string[] } = {
  lines: [],
  info(_o, m) { quiet.lines.push(`info ${m}`) },
  warn(_o, m) { quiet.lines.push(`warn ${m}`) },
  error(_o, m) { quiet.lines.push(`error ${m}`) },
}

export function spec(store: FakeLayer, name: string, over: Partial<LayerSpec> = {}): LayerSpec {
  return { id: `fake://${name}`, name, kind: 's3', store, timeoutMs: 2000, readOnly: false, writeThrough: true, workers: 2, breaker: { failures: 5, cooldownMs: 10_000 }, ...over }
}

/** A chain over `local` and fake layers, with a fresh metrics registry the test can read. */
export function chainOf(local: LocalStore, layers: LayerSpec[], breaker?: { failures: number; cooldownMs: number }) {
  const registry = new Registry()
  const metrics = createLayerMetrics(registry)
  const guarded = layers.map((l) => new GuardedLayer(l, metrics, quiet, breaker ? new LayerBreaker(l.name, quiet, breaker) : undefined))
  const chain = new LayerChain({ local, layers: guarded, logger: quiet })
  return { chain, guarded, registry, metrics }
}

/** A counter's value for the given labels (0 when never counted). */
export async function counter(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const metric = registry.getSingleMetric(name)
  if (!metric) return 0
  const { values } = await metric.get()
  const hit = values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val))
  return hit?.value ?? 0
}
