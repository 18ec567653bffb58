import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { cli, cpuMs, machineLoad, median } from './lib.js'

// HTTP benchmark: GET hit and PUT of 1 KiB and 1 MiB against a real daemon started by the CLI (`fabrik daemon
// start`, local SQLite + files store, Gradle's /cache/:key route — routing, host guard, metrics, logging and the
// store are all on the path) and, in the same run, against a bare node:http server in its own process answering
// GETs from memory and draining PUTs: the ceiling for Node on this machine. autocannon drives both from this
// process (its main thread, see run()), 10 connections each. Client and server share the 2 cores, so compare the ratios, not
// the absolute numbers, and only within one run. To profile the daemon, run it in the foreground under
// `node --cpu-prof bin/run.js daemon run` and load it with wrk or autocannon.
//
//   node dist/bench/http.js [--duration 5] [--json]

interface AutocannonResult {
  requests: { average: number }
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
/** Without a callback autocannon returns its tracker, which is also a promise of the result. */
interface AutocannonRun extends Promise<AutocannonResult> {
  on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): void
}
type Autocannon = (opts: Record<string, unknown>) => AutocannonRun

const require = createRequire(import.meta.url)
const autocannon = require('autocannon') as Autocannon

const KiB = 1024
const MiB = 1024 * KiB
const CONNECTIONS = 10
const KEYS = 8 // PUTs rotate over a few keys so the store's size stays bounded
/**
 * Rounds per scenario, fabrik and ceiling alternating which goes first; the summary takes each side's median. One
 * run per side moved PUT 1 KiB by ±30% between otherwise identical runs on the 2 shared cores.
 */
const ROUNDS = 3

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



/** The ceiling, in its own process like the daemon: answers GET ?size=N with N bytes from memory, drains PUTs. */
function ceilingSource(sizes: number[]): string {
  // The same payload() as the daemon is sent, so both answer with identical bytes.
  return `${payload.toString()}
const bodies = new Map(${JSON.stringify(sizes)}.map((n) => [n, Buffer.from(payload(n))]))
const server = require('node:http').createServer((req, res) => {
  if (req.method === 'PUT') { req.resume(); req.on('end', () => res.writeHead(200, { 'content-length': '0' }).end()); return }
  const body = bodies.get(Number(/size=(\\d+)/.exec(req.url)?.[1])) ?? Buffer.alloc(0)
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(body.length) }).end(body)
})
server.listen(0, '127.0.0.1', () => console.log(server.address().port))
`
}

async function startCeiling(sizes: number[]): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['-e', ceilingSource(sizes)], { stdio: ['ignore', 'pipe', 'inherit'] })
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve)
    child.once('exit', (code) => reject(new Error(`ceiling server exited ${code}`)))
  })
  return { child, port: Number(line) }
}

async function put(baseUrl: string, path: string, body: string): Promise<void> {
  const res = await fetch(`${baseUrl}${path}`, { method: 'PUT', body, headers: { 'content-type': 'application/octet-stream' } })
  if (!res.ok) throw new Error(`PUT ${path} answered ${res.status}`)
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
  /** Server CPU time per request in µs: its main thread (the event loop) and the whole process; 0 when not measured. */
  loopUs: number
  processUs: number
}

/**
 * p99 of the 2xx response times autocannon reports for each request (milliseconds from process.hrtime, with
 * microseconds). Its own latency histogram counts whole milliseconds, which put a 1 KiB GET at 1 or 2 ms and made
 * "p99 ≤ 1.5× the ceiling's" impossible to judge. Exact: every response time is kept (≤ a few 100,000 per run).
 */
function p99(times: number[]): number {
  if (times.length === 0) return 0
  const s = Float64Array.from(times).sort()
  return Math.round(s[Math.min(s.length - 1, Math.ceil(s.length * 0.99) - 1)]! * 100) / 100
}

async function run(scenario: string, target: Row['target'], port: number, requests: AutocannonRequest[], duration: number, pid?: number): Promise<Row> {
  // In this process's main thread, not a worker (`workers`): only there does autocannon emit each response with
  // its time. The main thread does nothing else while a run lasts.
  const times: number[] = []
  const cannon = autocannon({ url: `http://127.0.0.1:${port}`, connections: CONNECTIONS, duration, requests, idReplacement: true })
  let responses = 0
  cannon.on('response', (_client, status, _bytes, ms) => {
    responses++
    if (status >= 200 && status < 300) times.push(ms)
  })
  // Where a request's time goes on the server: read from /proc around the run (Linux; 10 ms ticks, which over a
  // run's tens of thousands of requests is a fraction of a µs each).
  const cpuNow = pid === undefined ? () => ({ loop: 0, process: 0 }) : () => ({ loop: cpuMs(pid, true), process: cpuMs(pid) })
  const cpu0 = cpuNow()
  const r = await cannon
  const cpu1 = cpuNow()
  const perRequest = (ms: number) => (responses > 0 ? Math.round((ms * 1000 * 10) / responses) / 10 : 0)
  const row = {
    scenario,
    target,
    opsPerSec: Math.round(r.requests.average),
    p99Ms: p99(times),
    mibPerSec: Math.round((r.throughput.average / MiB) * 10) / 10,
    failures: r.non2xx + r.errors + r.timeouts,
    loopUs: perRequest(cpu1.loop - cpu0.loop),
    processUs: perRequest(cpu1.process - cpu0.process),
  }
  log(`  ${scenario.padEnd(10)} ${target.padEnd(8)} ${String(row.opsPerSec).padStart(7)} ops/s  p99 ${row.p99Ms.toFixed(2).padStart(6)} ms${row.failures ? `  ${row.failures} FAILED` : ''}`)
  return row
}

/** A side's figures in the summary: the row without its labels. */
function figures({ scenario: _scenario, target: _target, ...rest }: Row): Omit<Row, 'scenario' | 'target'> {
  return rest
}

/** Each figure's median over the rounds (failures summed: one failed request in any round is reported). */
function medianRow(rs: Row[]): Row {
  const med = (pick: (r: Row) => number) => median(rs.map(pick))
  return {
    scenario: rs[0]!.scenario, target: rs[0]!.target, opsPerSec: med((r) => r.opsPerSec), p99Ms: med((r) => r.p99Ms),
    mibPerSec: med((r) => r.mibPerSec), failures: rs.reduce((n, r) => n + r.failures, 0),
    loopUs: med((r) => r.loopUs), processUs: med((r) => r.processUs),
  }
}

async function main(): Promise<void> {
  const loadAtStart = machineLoad()
  const root = await mkdtemp(join(tmpdir(), 'fabrik-bench-http-'))
  const env = { ...process.env, FABRIK_STATE_DIR: join(root, 'state') }
  await writeFile(join(root, 'fabrik.toml'), '[cache]\ndir = "cache"\nmax_size = "4GB"\n')
  const sizes = [KiB, MiB]
  const texts = new Map(sizes.map((s) => [s, payload(s)]))
  let ceiling: ChildProcess | undefined
  let daemonStarted = false
  const rows: Row[] = []
  let comparison: StatsComparison[] | undefined
  try {
    const info = JSON.parse(await cli(['daemon', 'start', '--json'], root, env)) as { http_url: string; pid: number }
    daemonStarted = true
    const fabrikPort = Number(new URL(info.http_url).port)
    const started = await startCeiling(sizes)
    ceiling = started.child
    log(`fabrik HTTP bench: daemon ${info.http_url} (local store), ceiling 127.0.0.1:${started.port}, ${CONNECTIONS} connections, ${DURATION}s per run`)

    for (const size of sizes) {
      const body = texts.get(size)!
      const label = size === KiB ? '1 KiB' : '1 MiB'
      await put(info.http_url, `/cache/get-${size}`, body)
      const get = [{ method: 'GET', path: `/cache/get-${size}?size=${size}` }]
      // 1 KiB: a new key on every request (autocannon replaces [<id>] with a fresh id), as turbo, Nx and a cold
      // Bazel build upload. 1 MiB rotates over a few keys so the store's size stays bounded.
      const puts = size === KiB
        ? [{ method: 'PUT', path: '/cache/put-[<id>]', body, headers: { 'content-type': 'application/octet-stream' } }]
        : Array.from({ length: KEYS }, (_, i) => ({
          method: 'PUT',
          path: `/cache/put-${size}-${i}`,
          body,
          headers: { 'content-type': 'application/octet-stream' },
        }))
      for (const [name, requests] of [[`GET ${label}`, get], [`PUT ${label}`, puts]] as const) {
        // One short warm-up so JIT and the store's first writes do not land in the first measured run.
        if (size === KiB) await run('warm-up', 'fabrik', fabrikPort, requests, 1)
        for (let round = 0; round < ROUNDS; round++) {
          const sides = [['fabrik', fabrikPort, info.pid], ['ceiling', started.port, started.child.pid]] as const
          for (const [target, port, pid] of round % 2 === 0 ? sides : [...sides].reverse()) {
            rows.push(await run(name, target, port, requests, DURATION, pid))
          }
        }
      }
    }
    // The ceiling and the first daemon are done: stopped so they do not share the cores with the comparison.
    ceiling.kill()
    ceiling = undefined
    await cli(['daemon', 'stop'], root, env)
    daemonStarted = false
    comparison = await statsComparison(root, env, texts.get(KiB)!)
  } finally {
    ceiling?.kill()
    if (daemonStarted) await cli(['daemon', 'stop'], root, env).catch((err: Error) => log(err.message))
    await rm(root, { recursive: true, force: true })
  }

  const summary = [...new Set(rows.map((r) => r.scenario))].map((scenario) => {
    const f = medianRow(rows.filter((r) => r.scenario === scenario && r.target === 'fabrik'))
    const c = medianRow(rows.filter((r) => r.scenario === scenario && r.target === 'ceiling'))
    return {
      scenario,
      fabrik: figures(f),
      ceiling: figures(c),
      opsRatio: c.opsPerSec ? Math.round((f.opsPerSec / c.opsPerSec) * 100) / 100 : 0,
      p99Ratio: c.p99Ms ? Math.round((f.p99Ms / c.p99Ms) * 100) / 100 : 0,
    }
  })
  // The targets of issue 16, each the ratio it is judged by against the ceiling measured in this run.
  const by = (name: string) => summary.find((x) => x.scenario === name)!
  const getK = by('GET 1 KiB')
  const putK = by('PUT 1 KiB')
  const judged = [
    { figure: 'PUT 1 KiB (new key each) ops ÷ ceiling', value: putK.opsRatio, target: '≥ 0.5', met: putK.opsRatio >= 0.5 },
    { figure: 'GET 1 KiB ops ÷ ceiling', value: getK.opsRatio, target: '≥ 0.7', met: getK.opsRatio >= 0.7 },
    { figure: 'GET 1 KiB p99 ÷ ceiling p99', value: getK.p99Ratio, target: '≤ 1.5', met: getK.p99Ratio <= 1.5 },
  ]
  // Issue 15: recording statistics costs nothing measurable on the hit path (and on small uploads).
  const statsJudged = (comparison ?? []).map((c) => ({
    figure: `${c.scenario} ops, statistics on ÷ off`, value: c.ratio, target: '≥ 0.97', met: c.ratio >= STATS_RATIO_TARGET,
  }))
  judged.push(...statsJudged)
  if (JSON_OUT) {
    process.stdout.write(`${JSON.stringify({ store: 'local', connections: CONNECTIONS, durationS: DURATION, load: { start: loadAtStart, end: machineLoad() }, results: summary, judged, statsRecording: comparison }, null, 2)}\n`)
  } else {
    // CPU µs per request, event loop / whole process: what each side spends on one request, whoever was faster.
    const cpu = (x: { loopUs: number; processUs: number }) => `${x.loopUs.toFixed(1)} / ${x.processUs.toFixed(1)}`
    process.stdout.write(`\n${'scenario'.padEnd(10)} ${'fabrik ops/s'.padStart(12)} ${'p99'.padStart(8)} ${'µs/req'.padStart(15)} ${'ceiling ops/s'.padStart(14)} ${'p99'.padStart(8)} ${'µs/req'.padStart(15)}  ops ratio\n`)
    for (const s of summary) {
      process.stdout.write(
        `${s.scenario.padEnd(10)} ${String(s.fabrik.opsPerSec).padStart(12)} ${`${s.fabrik.p99Ms.toFixed(2)}ms`.padStart(8)} ${cpu(s.fabrik).padStart(15)} ${String(s.ceiling.opsPerSec).padStart(14)} ${`${s.ceiling.p99Ms.toFixed(2)}ms`.padStart(8)} ${cpu(s.ceiling).padStart(15)}  ${s.opsRatio.toFixed(2)}\n`,
      )
    }
    process.stdout.write('µs/req: server CPU time per request, its event loop / the whole process (median of the rounds)\n')
  }
  if (!JSON_OUT) {
    process.stdout.write(`\n${loadAtStart} at the start, ${machineLoad()} at the end\n`)
    for (const j of judged) process.stdout.write(`${j.figure.padEnd(40)} ${j.value.toFixed(2).padStart(5)}  target ${j.target} ${j.met ? 'met' : 'MISSED'}\n`)
  }
  if (!JSON_OUT) {
    process.stdout.write(`\nstatistics recording (two fresh daemons with the same entries, alike but for [observability] stats)\n`)
    for (const c of comparison ?? []) {
      process.stdout.write(`${c.scenario.padEnd(10)} on ${String(c.onOpsPerSec).padStart(7)} ops/s  off ${String(c.offOpsPerSec).padStart(7)} ops/s  ratio ${c.ratio.toFixed(3)}\n`)
    }
  }
  if (rows.some((r) => r.failures > 0)) process.exitCode = 1
  // Issue 15's figure fails the run when missed (issue 16's are printed as met or MISSED only).
  if (statsJudged.some((j) => !j.met)) process.exitCode = 1
}

interface StatsComparison {
  scenario: string
  onOpsPerSec: number
  offOpsPerSec: number
  /** on / off: recording must cost nothing measurable (STATS_RATIO_TARGET). */
  ratio: number
}

const STATS_RATIO_TARGET = 0.97

/**
 * Statistics recording on vs off: two fresh daemons whose configs differ only by `stats`, given the same entries
 * before either is measured (not the first daemon, whose store holds every earlier PUT of the run while the other
 * would start empty), both warmed up, measured in five blocks of on, off, off, on; the ratio is the median of
 * the blocks' ratios.
 */
async function statsComparison(root: string, env: NodeJS.ProcessEnv, body: string): Promise<StatsComparison[]> {
  const { mkdir } = await import('node:fs/promises')
  const dirs = { on: join(root, 'stats-on'), off: join(root, 'stats-off') }
  const started: string[] = []
  try {
    const urls = { on: '', off: '' }
    for (const side of ['on', 'off'] as const) {
      await mkdir(dirs[side], { recursive: true })
      await writeFile(join(dirs[side], 'fabrik.toml'), `[cache]\ndir = "cache"\nmax_size = "4GB"\n\n[observability]\nstats = ${side === 'on'}\n`)
      urls[side] = (JSON.parse(await cli(['daemon', 'start', '--json'], dirs[side], env)) as { http_url: string }).http_url
      started.push(dirs[side])
      // The same pre-population on both: the GET key and every key the PUT scenario overwrites.
      await put(urls[side], '/cache/stats-get', body)
      for (let i = 0; i < KEYS; i++) await put(urls[side], `/cache/stats-put-${i}`, body)
    }
    const ports = { on: Number(new URL(urls.on).port), off: Number(new URL(urls.off).port) }
    log(`statistics on (${urls.on}) vs off (${urls.off}), both fresh`)
    const out: StatsComparison[] = []
    for (const [scenario, requests] of [
      ['GET 1 KiB', [{ method: 'GET', path: '/cache/stats-get' }]],
      ['PUT 1 KiB', Array.from({ length: KEYS }, (_, i) => ({ method: 'PUT', path: `/cache/stats-put-${i}`, body, headers: { 'content-type': 'application/octet-stream' } }))],
    ] as const) {
      await run('warm-up', 'fabrik', ports.on, [...requests], 1)
      await run('warm-up', 'fabrik', ports.off, [...requests], 1)
      const ops: Record<'on' | 'off', number[]> = { on: [], off: [] }
      const blockRatios: number[] = []
      // Blocks of on, off, off, on: within a block a trend in the machine's speed (other processes on the 2 cores,
      // CPU frequency) lands on both sides alike, so each block gives one ratio; the median of five blocks keeps
      // one disturbed block from deciding a 3% target. Throughput here drifts by ±20% over a minute, far more
      // than the difference being judged, which is why the medians of each side alone are not compared.
      for (let block = 0; block < 5; block++) {
        const sum = { on: 0, off: 0 }
        for (const side of ['on', 'off', 'off', 'on'] as const) {
          const v = (await run(`${scenario} ${side}`, 'fabrik', ports[side], [...requests], DURATION)).opsPerSec
          ops[side].push(v)
          sum[side] += v
        }
        blockRatios.push(sum.off ? sum.on / sum.off : 0)
      }
      out.push({ scenario, onOpsPerSec: Math.round(median(ops.on)), offOpsPerSec: Math.round(median(ops.off)), ratio: Math.round(median(blockRatios) * 1000) / 1000 })
    }
    return out
  } finally {
    for (const dir of started) await cli(['daemon', 'stop'], dir, env).catch((err: Error) => log(err.message))
  }
}

await main()
