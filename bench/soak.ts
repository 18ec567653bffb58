import { createHash, randomBytes } from 'node:crypto'
import { readdirSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as grpc from '@grpc/grpc-js'
import { loadProtos } from '../src/grpc/protos.js'
import { judgeFlat, WINDOW_SAMPLES, type FlatnessLimit } from './flatness.js'
import { cli, MiB, rssBytes } from './lib.js'

// Soak: a daemon started by the CLI under mixed GET/PUT from several tools' protocols — Nx, Gradle, Bazel HTTP
// and ccache over HTTP, Bazel's ByteStream over gRPC — with clients aborting at random (mid-upload, mid-download),
// for 10 minutes by default. RSS and open file descriptors of the daemon are sampled every few seconds; after
// warm-up (the first fifth) both must stay flat, and nothing may fail except the requests the clients aborted.
// Flat: the median of the last 5 samples is at most RSS_LIMIT / FDS_LIMIT above the median of the first 5 after
// warm-up (flatness.ts); otherwise, or on any error, the run prints MISSED and exits 1.
// Not part of `npm test` (nor of CI): `npm run bench:soak`, or a shorter run with FABRIK_SOAK_SECONDS=60.
//
//   node dist/bench/soak.js [--seconds 600] [--json]

const args = process.argv.slice(2)
/** --seconds N wins, then FABRIK_SOAK_SECONDS, then 600; `--json` alone must not be read as the number. */
function seconds(): number {
  const i = args.indexOf('--seconds')
  const raw = i >= 0 ? args[i + 1] : process.env.FABRIK_SOAK_SECONDS
  const n = Number(raw)
  if (raw === undefined || raw === '') return 600
  if (!Number.isFinite(n) || n <= 0) throw new Error(`soak: seconds must be a positive number, got ${raw}`)
  return n
}
const SECONDS = seconds()
const JSON_OUT = args.includes('--json')
// RSS may grow by 10% of the warm-up level or 16 MiB, whichever is more (V8's heap and SQLite's page cache still
// settle in the first minutes); open fds by 8 (a few keep-alive sockets and WAL files come and go).
const RSS_LIMIT: FlatnessLimit = { fraction: 0.1, absolute: 16 }
const FDS_LIMIT: FlatnessLimit = { fraction: 0, absolute: 8 }
const WORKERS = 8
const ABORT_RATE = 0.05
const SAMPLE_MS = Math.max(1000, Math.floor((SECONDS * 1000) / 60))
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')

function log(line: string): void {
  if (!JSON_OUT) process.stderr.write(`${line}\n`)
}


const tally = { ok: 0, misses: 0, aborted: 0, errors: 0, samples: [] as string[] }
function fail(what: string): void {
  tally.errors++
  if (tally.samples.length < 10) tally.samples.push(what)
}

function size(): number {
  const r = Math.random()
  return r < 0.6 ? 1 + Math.floor(Math.random() * 4096) : r < 0.95 ? 4096 + Math.floor(Math.random() * 200_000) : 1 * MiB + Math.floor(Math.random() * MiB)
}

/** One HTTP request; with `abort` the client hangs up halfway through the body it sends or receives. */
function http(port: number, method: string, path: string, body: Buffer | undefined, abort: boolean): Promise<number | 'aborted'> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: body ? { 'content-length': body.length } : {} }, (res) => {
      if (abort) {
        res.once('data', () => {
          res.destroy()
          resolve('aborted')
        })
        res.once('end', () => resolve(res.statusCode ?? 0))
        return
      }
      res.resume()
      res.once('end', () => resolve(res.statusCode ?? 0))
      res.once('error', () => resolve(0))
    })
    req.on('error', () => resolve(abort ? 'aborted' : 0))
    if (body && abort) {
      req.write(body.subarray(0, body.length >> 1), () => req.destroy())
      resolve('aborted')
    } else req.end(body)
  })
}

const ROUTES = [
  (k: string) => `/v1/cache/${k}`, // Nx
  (k: string) => `/cache/${k}`, // Gradle
  (k: string) => `/ccache/${k.slice(0, 2)}/${k.slice(2)}`, // ccache, subdirs layout
]

async function httpWorker(port: number, until: number, id: number): Promise<void> {
  const keys: { key: string; route: (k: string) => string }[] = []
  while (Date.now() < until) {
    const abort = Math.random() < ABORT_RATE
    const route = ROUTES[Math.floor(Math.random() * ROUTES.length)]!
    if (keys.length === 0 || Math.random() < 0.4) {
      const body = randomBytes(size())
      const cas = Math.random() < 0.3
      const key = cas ? sha(body) : `${id.toString(16)}${randomBytes(12).toString('hex')}`
      const status = await http(port, 'PUT', cas ? `/cas/${key}` : route(key), body, abort)
      if (status === 'aborted') tally.aborted++
      else if (status === 200 || status === 201 || status === 204) {
        tally.ok++
        if (!cas) keys.push({ key, route })
        if (keys.length > 200) keys.shift()
      } else fail(`PUT → ${status}`)
    } else {
      const stored = keys[Math.floor(Math.random() * keys.length)]!
      const status = await http(port, 'GET', stored.route(stored.key), undefined, abort)
      if (status === 'aborted') tally.aborted++
      else if (status === 200) tally.ok++
      else if (status === 404) tally.misses++ // evicted (max_size is small on purpose)
      else fail(`GET → ${status}`)
    }
  }
}

async function grpcWorker(address: string, until: number): Promise<void> {
  const bs = new (loadProtos().google.bytestream.ByteStream)(address, grpc.credentials.createInsecure())
  try {
    while (Date.now() < until) {
      const data = randomBytes(size())
      const hash = sha(data)
      const abort = Math.random() < ABORT_RATE
      const name = `uploads/${randomBytes(8).toString('hex')}/blobs/${hash}/${data.length}`
      const result = await new Promise<'ok' | 'aborted' | string>((resolve) => {
        const call = bs.Write((err) => resolve(err ? (abort ? 'aborted' : `Write: ${err.code} ${err.details}`) : 'ok'))
        const chunk = 64 * 1024
        for (let at = 0; at < data.length || at === 0; at += chunk) {
          const last = at + chunk >= data.length
          if (abort && at > 0) {
            call.cancel()
            break
          }
          call.write({ resource_name: at === 0 ? name : '', write_offset: at, data: data.subarray(at, at + chunk), finish_write: last })
          if (last) break
        }
        call.end()
      })
      if (result === 'aborted') {
        tally.aborted++
        continue
      }
      if (result !== 'ok') {
        fail(result)
        continue
      }
      const read = await new Promise<string>((resolve) => {
        const parts: Buffer[] = []
        const call = bs.Read({ resource_name: `blobs/${hash}/${data.length}`, read_offset: 0, read_limit: 0 })
        call.on('data', (r: { data: Buffer }) => parts.push(r.data))
        call.on('error', (err: grpc.ServiceError) => resolve(err.code === grpc.status.NOT_FOUND ? 'miss' : `Read: ${err.code}`))
        call.on('end', () => resolve(Buffer.concat(parts).equals(data) ? 'ok' : 'Read: wrong bytes'))
      })
      if (read === 'ok') tally.ok += 2
      else if (read === 'miss') tally.misses++
      else fail(read)
    }
  } finally {
    bs.close()
  }
}

function fds(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length
}

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'fabrik-soak-'))
  const project = join(root, 'project')
  const env: NodeJS.ProcessEnv = { ...process.env, FABRIK_STATE_DIR: join(root, 'state') }
  delete env.FABRIK_CONFIG
  await (await import('node:fs/promises')).mkdir(project, { recursive: true })
  await writeFile(join(project, 'fabrik.toml'), '[cache]\ndir = ".fabrik/cache"\nmax_size = "200MB"\n[observability]\nlog_level = "warn"\n')
  const daemon = JSON.parse(await cli(['daemon', 'start', '--json'], project, env)) as { pid: number; http_url: string; grpc_url: string }
  const port = Number(new URL(daemon.http_url).port)
  const grpcAddress = daemon.grpc_url.replace('grpc://', '')
  log(`soak: ${SECONDS} s, ${WORKERS} HTTP + 2 gRPC clients, ${ABORT_RATE * 100}% aborted, daemon pid ${daemon.pid}`)
  const started = Date.now()
  const until = started + SECONDS * 1000
  const curve: { s: number; rssMiB: number; fds: number; ops: number }[] = []
  const sample = () => {
    const point = { s: Math.round((Date.now() - started) / 1000), rssMiB: Math.round((rssBytes(daemon.pid) / MiB) * 10) / 10, fds: fds(daemon.pid), ops: tally.ok }
    curve.push(point)
    log(`  t=${String(point.s).padStart(4)} s  RSS ${String(point.rssMiB).padStart(6)} MiB  fds ${String(point.fds).padStart(4)}  ok ${point.ops}  aborted ${tally.aborted}  errors ${tally.errors}`)
  }
  sample()
  const timer = setInterval(sample, SAMPLE_MS)
  try {
    await Promise.all([
      ...Array.from({ length: WORKERS }, (_, i) => httpWorker(port, until, i)),
      grpcWorker(grpcAddress, until),
      grpcWorker(grpcAddress, until),
    ])
  } finally {
    clearInterval(timer)
    // Let the daemon settle (aborted uploads time out, partial files are dropped) before the last sample.
    await new Promise((r) => setTimeout(r, 2000))
    sample()
    await cli(['daemon', 'stop'], project, env).catch(() => undefined)
    await rm(root, { recursive: true, force: true })
  }
  const warm = curve.filter((p) => p.s >= SECONDS / 5)
  const span = (f: (p: (typeof curve)[number]) => number) => (warm.length ? Math.max(...warm.map(f)) - Math.min(...warm.map(f)) : 0)
  const rss = judgeFlat(warm.map((p) => p.rssMiB), RSS_LIMIT)
  const fd = judgeFlat(warm.map((p) => p.fds), FDS_LIMIT)
  const passed = tally.errors === 0 && rss.flat && fd.flat
  const summary = {
    bench: 'soak',
    seconds: SECONDS,
    ok: tally.ok,
    misses: tally.misses,
    aborted: tally.aborted,
    errors: tally.errors,
    error_samples: tally.samples,
    rss_mib_after_warmup: { first: warm[0]?.rssMiB, last: warm.at(-1)?.rssMiB, spread: Math.round(span((p) => p.rssMiB) * 10) / 10 },
    fds_after_warmup: { first: warm[0]?.fds, last: warm.at(-1)?.fds, spread: span((p) => p.fds) },
    verdict: { window_samples: WINDOW_SAMPLES, rss_mib: rss, fds: fd, rss_limit: RSS_LIMIT, fds_limit: FDS_LIMIT, passed },
    curve,
  }
  log(`errors other than aborts: ${tally.errors}; RSS after warm-up ${summary.rss_mib_after_warmup.first} → ${summary.rss_mib_after_warmup.last} MiB (spread ${summary.rss_mib_after_warmup.spread}); fds ${summary.fds_after_warmup.first} → ${summary.fds_after_warmup.last} (spread ${summary.fds_after_warmup.spread})`)
  const line = (what: string, v: typeof rss, unit: string) =>
    `${what} ${v.warm} → ${v.final}${unit} (growth ${Math.round(v.growth * 10) / 10}, allowed ${Math.round(v.allowed * 10) / 10}): ${v.flat ? 'flat' : 'NOT flat'}`
  process.stderr.write(`verdict: ${line('RSS', rss, ' MiB')}; ${line('fds', fd, '')}; errors ${tally.errors} → ${passed ? 'met' : 'MISSED'}\n`)
  process.stdout.write(`${JSON.stringify(summary)}\n`)
  if (!passed) process.exitCode = 1
}

await main()
