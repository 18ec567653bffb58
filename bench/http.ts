import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FabrikConfig } from '../src/config/types.js'
import { createHttpApp } from '../src/http/app.js'
import { createMetrics } from '../src/metrics/metrics.js'
import { MemoryStore } from '../src/store/memory.js'
import type { BlobStore } from '../src/store/types.js'

// HTTP benchmark: GET hit and PUT of 1 KiB and 1 MiB through the daemon's app (Gradle's /cache/:key route, so
// routing, host guard, metrics, streaming and the store are all on the path), and the same requests against a
// bare node:http server answering from memory — the ceiling on this machine. Both servers live in this process;
// autocannon drives them from a worker thread, 10 connections each. Client and servers share the CPU, so compare
// the ratios, not the absolute numbers, and only within one run.
//
//   node dist/bench/http.js [--duration 5] [--json] [--memory]

interface AutocannonResult {
  requests: { average: number }
  latency: { p99: number }
  throughput: { average: number }
  non2xx: number
  errors: number
  timeouts: number
}
interface AutocannonRequest {
  method: string
  path: string
  body?: string
  headers?: Record<string, string>
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>

const require = createRequire(import.meta.url)
const autocannon = require('autocannon') as Autocannon

const KiB = 1024
const MiB = 1024 * KiB
const CONNECTIONS = 10
const KEYS = 8 // PUTs rotate over a few keys so the store's size stays bounded

const args = process.argv.slice(2)
const DURATION = Number(args[args.indexOf('--duration') + 1] ?? 5) || 5
const JSON_OUT = args.includes('--json')

// ASCII, because request bodies are handed to autocannon's worker thread, which accepts strings (a Buffer
// arrives there as a plain Uint8Array and is refused).
function payload(size: number): string {
  let s = ''
  for (let i = 0; i < size; i++) s += String.fromCharCode(33 + ((i * 131 + 7) % 94))
  return s
}

async function openStore(dir: string): Promise<{ store: BlobStore; kind: string }> {
  if (args.includes('--memory')) return { store: new MemoryStore(), kind: 'memory' }
  try {
    const { openStoreFromConfig } = (await import('../src/store/open.js')) as { openStoreFromConfig: (c: FabrikConfig) => BlobStore }
    const cache = { dir, max_size: 2 * 1024 * MiB, eviction_policy: 'lru', default_ttl: 7 * 24 * 3600 * 1000 }
    return { store: openStoreFromConfig({ cache } as FabrikConfig), kind: 'local (SQLite + files)' }
  } catch (err) {
    log(`local store unavailable (${(err as Error).message}); using MemoryStore`)
    return { store: new MemoryStore(), kind: 'memory' }
  }
}

/** The ceiling: answers GET from a Buffer and drains PUT bodies, nothing else. */
function ceilingServer(bodies: Map<number, Buffer>): Server {
  return createServer((req, res) => {
    if (req.method === 'PUT') {
      req.resume()
      req.on('end', () => res.writeHead(200, { 'content-length': '0' }).end())
      return
    }
    const size = Number(/size=(\d+)/.exec(req.url ?? '')?.[1])
    const body = bodies.get(size) ?? Buffer.alloc(0)
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(body.length) }).end(body)
  })
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

function log(line: string): void {
  if (!JSON_OUT) process.stderr.write(`${line}\n`)
}

interface Row {
  scenario: string
  target: 'fabrik' | 'ceiling'
  opsPerSec: number
  p99Ms: number
  mibPerSec: number
  failures: number
}

async function run(scenario: string, target: Row['target'], port: number, requests: AutocannonRequest[], duration: number): Promise<Row> {
  const r = await autocannon({ url: `http://127.0.0.1:${port}`, connections: CONNECTIONS, duration, workers: 1, requests })
  const row = {
    scenario,
    target,
    opsPerSec: Math.round(r.requests.average),
    p99Ms: r.latency.p99,
    mibPerSec: Math.round((r.throughput.average / MiB) * 10) / 10,
    failures: r.non2xx + r.errors + r.timeouts,
  }
  log(`  ${scenario.padEnd(10)} ${target.padEnd(8)} ${String(row.opsPerSec).padStart(7)} ops/s  p99 ${String(row.p99Ms).padStart(4)} ms${row.failures ? `  ${row.failures} FAILED` : ''}`)
  return row
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'fabrik-bench-http-'))
  const { store, kind } = await openStore(dir)
  const app = await createHttpApp({ store, metrics: createMetrics({ defaultMetrics: false }), logger: false, maxBlobBytes: 64 * MiB })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const fabrikPort = (app.server.address() as AddressInfo).port
  const sizes = [KiB, MiB]
  const texts = new Map(sizes.map((s) => [s, payload(s)]))
  const bodies = new Map(sizes.map((s) => [s, Buffer.from(texts.get(s)!)]))
  const ceiling = ceilingServer(bodies)
  const ceilingPort = await listen(ceiling)
  log(`fabrik HTTP bench: store=${kind}, ${CONNECTIONS} connections, ${DURATION}s per run`)

  const rows: Row[] = []
  try {
    for (const size of sizes) {
      const body = texts.get(size)!
      const label = size === KiB ? '1 KiB' : '1 MiB'
      await store.put('gradle', `get-${size}`, bodies.get(size)!)
      const get = [{ method: 'GET', path: `/cache/get-${size}?size=${size}` }]
      const put = Array.from({ length: KEYS }, (_, i) => ({
        method: 'PUT',
        path: `/cache/put-${size}-${i}`,
        body,
        headers: { 'content-type': 'application/octet-stream' },
      }))
      // One short warm-up so JIT and the store's first writes do not land in the first measured run.
      if (size === KiB) await run('warm-up', 'fabrik', fabrikPort, get, 1)
      for (const [name, requests] of [[`GET ${label}`, get], [`PUT ${label}`, put]] as const) {
        rows.push(await run(name, 'fabrik', fabrikPort, requests, DURATION))
        rows.push(await run(name, 'ceiling', ceilingPort, requests, DURATION))
      }
    }
  } finally {
    await app.close()
    await new Promise((r) => ceiling.close(r))
    await store.close()
    await rm(dir, { recursive: true, force: true })
  }

  const summary = [...new Set(rows.map((r) => r.scenario))].map((scenario) => {
    const f = rows.find((r) => r.scenario === scenario && r.target === 'fabrik')!
    const c = rows.find((r) => r.scenario === scenario && r.target === 'ceiling')!
    return {
      scenario,
      fabrik: { opsPerSec: f.opsPerSec, p99Ms: f.p99Ms, mibPerSec: f.mibPerSec, failures: f.failures },
      ceiling: { opsPerSec: c.opsPerSec, p99Ms: c.p99Ms, mibPerSec: c.mibPerSec, failures: c.failures },
      opsRatio: c.opsPerSec ? Math.round((f.opsPerSec / c.opsPerSec) * 100) / 100 : 0,
      p99Ratio: c.p99Ms ? Math.round((f.p99Ms / c.p99Ms) * 100) / 100 : 0,
    }
  })
  if (JSON_OUT) {
    process.stdout.write(`${JSON.stringify({ store: kind, connections: CONNECTIONS, durationS: DURATION, results: summary }, null, 2)}\n`)
  } else {
    process.stdout.write(`\n${'scenario'.padEnd(10)} ${'fabrik ops/s'.padStart(12)} ${'p99'.padStart(6)} ${'ceiling ops/s'.padStart(14)} ${'p99'.padStart(6)}  ops ratio\n`)
    for (const s of summary) {
      process.stdout.write(
        `${s.scenario.padEnd(10)} ${String(s.fabrik.opsPerSec).padStart(12)} ${`${s.fabrik.p99Ms}ms`.padStart(6)} ${String(s.ceiling.opsPerSec).padStart(14)} ${`${s.ceiling.p99Ms}ms`.padStart(6)}  ${s.opsRatio.toFixed(2)}\n`,
      )
    }
  }
  if (rows.some((r) => r.failures > 0)) process.exitCode = 1
}

await main()
