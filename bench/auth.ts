import { createHash, randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openKeySource } from '../src/auth/keys.js'
import { TokenVerifier } from '../src/auth/verify.js'
import { S3rverProcess } from '../test/helpers/s3.js'
import { ServerProcess, serverToml } from '../test/helpers/server.js'
import { makeKey, token, writeKeys } from '../test/unit/server/helpers.js'
import { cli, median, percentile } from './lib.js'

// The regional tier's costs, each against a reference measured in the same run:
// 1. JWT verification p99, cold (every token new) and cached (the same token again): target cached ≤ 0.05 ms;
// 2. a 1 KiB GET hit through `fabrik server` with a Bearer token vs the same GET anonymously (auth required =
//    false): target ≤ 10 % slower;
// 3. daemon → server → hit (a miss in the daemon, answered by the regional tier and kept) vs a local hit.
//
//   node dist/bench/auth.js [--duration 4] [--json]

type Autocannon = (opts: Record<string, unknown>) => Promise<{ requests: { average: number }; latency: { p99: number }; non2xx: number; errors: number }>
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon
const args = process.argv.slice(2)
const DURATION = args.includes('--duration') ? Number(args[args.indexOf('--duration') + 1]) : 4
const JSON_OUT = args.includes('--json')
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')
const log = (line: string) => {
  if (!JSON_OUT) process.stderr.write(`${line}\n`)
}
const round2 = (x: number) => Math.round(x * 100) / 100


async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'fabrik-bench-auth-'))
  const key = await makeKey('bench')
  const keyFile = join(root, 'keys.json')
  await writeKeys(keyFile, [key])
  const result: Record<string, unknown> = {}

  // 1. Verification alone.
  const verifier = new TokenVerifier(await openKeySource({ public_key_file: keyFile, key_refresh_interval: 300_000 }, { info() {}, warn() {} }))
  const tokens = await Promise.all(Array.from({ length: 300 }, (_, i) => token(key, { sub: `u${i}` })))
  const cold: number[] = []
  for (const t of tokens) {
    const t0 = performance.now()
    await verifier.verify(t)
    cold.push(performance.now() - t0)
  }
  const cached: number[] = []
  for (let i = 0; i < 20_000; i++) {
    const t0 = performance.now()
    await verifier.verify(tokens[i % tokens.length]!)
    cached.push(performance.now() - t0)
  }
  verifier.close()
  cold.sort((a, b) => a - b)
  cached.sort((a, b) => a - b)
  log(`1. JWT verify (RS256): cold p50 ${percentile(cold, 50).toFixed(3)} ms p99 ${percentile(cold, 99).toFixed(3)} ms; cached p50 ${percentile(cached, 50).toFixed(4)} ms p99 ${percentile(cached, 99).toFixed(4)} ms (target cached p99 ≤ 0.05 ms)`)
  result.verify = { coldP99Ms: percentile(cold, 99), cachedP99Ms: percentile(cached, 99) }

  const s3 = await S3rverProcess.start('bench-auth')
  const withAuth = new ServerProcess(join(root, 'auth'), serverToml({ s3Endpoint: s3.endpoint, bucket: s3.bucket, keyFile }))
  const anonymous = new ServerProcess(join(root, 'anon'), serverToml({ s3Endpoint: s3.endpoint, bucket: s3.bucket, keyFile }).replace('required = true', 'required = false'))
  const stops: (() => Promise<void>)[] = [() => withAuth.stop(), () => anonymous.stop()]
  try {
    await withAuth.start()
    await anonymous.start()
    const jwt = await token(key, { project_id: 'anonymous' })
    const body = randomBytes(1024)
    for (const s of [withAuth, anonymous]) {
      const res = await fetch(`${s.http}/cache/hit-1k`, { method: 'PUT', body: body as unknown as BodyInit, headers: { authorization: `Bearer ${jwt}` } })
      if (!res.ok) throw new Error(`PUT: ${res.status}`)
    }
    const rate = async (url: string, headers: Record<string, string>) => {
      const r = await autocannon({ url, connections: 10, duration: DURATION, workers: 1, requests: [{ method: 'GET', path: '/cache/hit-1k', headers }] })
      if (r.non2xx + r.errors > 0) throw new Error(`${r.non2xx + r.errors} failed GETs at ${url}`)
      return Math.round(r.requests.average)
    }
    await rate(withAuth.http, { authorization: `Bearer ${jwt}` })
    await rate(anonymous.http, {})
    const authed: number[] = []
    const anon: number[] = []
    for (let i = 0; i < 3; i++) {
      authed.push(await rate(withAuth.http, { authorization: `Bearer ${jwt}` }))
      anon.push(await rate(anonymous.http, {}))
    }
    const ratio = round2(median(authed) / median(anon))
    log(`2. GET 1 KiB hit via fabrik server: with a Bearer JWT ${authed.join(' / ')} req/s, anonymous ${anon.join(' / ')} req/s; ratio ${ratio} (target ≥ 0.91)`)
    result.getHit = { withAuth: authed, anonymous: anon, ratio }

    // 3. A daemon falling through to the server vs a local hit, sequential 16 KiB GETs.
    const dir = join(root, 'laptop')
    await mkdir(dir, { recursive: true })
    await writeFile(join(dir, 'fabrik.toml'), `[cache]\ndir = "cache"\n\n[[upstream]]\nurl = "grpc://127.0.0.1:${withAuth.grpcPort}"\ntimeout = "5s"\n`)
    const env = { ...process.env, FABRIK_STATE_DIR: join(dir, 'state'), FABRIK_TOKEN: jwt }
    const daemon = JSON.parse(await cli(['daemon', 'start', '--json'], dir, env)) as { http_url: string }
    stops.unshift(async () => void (await cli(['daemon', 'stop'], dir, env)))
    const blobs = Array.from({ length: 150 }, () => randomBytes(16 * 1024))
    for (const b of blobs) {
      const res = await fetch(`${withAuth.http}/v1/cache/${sha(b)}`, { method: 'PUT', body: b as unknown as BodyInit, headers: { authorization: `Bearer ${jwt}` } })
      if (!res.ok) throw new Error(`PUT: ${res.status}`)
    }
    const timeGet = async (b: Buffer) => {
      const t0 = performance.now()
      const res = await fetch(`${daemon.http_url}/v1/cache/${sha(b)}`)
      const got = Buffer.from(await res.arrayBuffer())
      if (res.status !== 200 || !got.equals(b)) throw new Error(`GET through the daemon: ${res.status}`)
      return performance.now() - t0
    }
    for (const b of blobs.slice(0, 10)) await timeGet(b)
    const remote: number[] = []
    for (const b of blobs.slice(10)) remote.push(await timeGet(b))
    const local: number[] = []
    for (const b of blobs.slice(10)) local.push(await timeGet(b))
    remote.sort((a, b) => a - b)
    local.sort((a, b) => a - b)
    log(`3. 16 KiB GET, daemon → fabrik server → hit: p50 ${percentile(remote, 50).toFixed(2)} ms p99 ${percentile(remote, 99).toFixed(2)} ms; local hit p50 ${percentile(local, 50).toFixed(2)} ms p99 ${percentile(local, 99).toFixed(2)} ms; ratio ${round2(percentile(remote, 50) / percentile(local, 50))}`)
    result.regionalHit = { p50Ms: percentile(remote, 50), p99Ms: percentile(remote, 99), localP50Ms: percentile(local, 50), localP99Ms: percentile(local, 99) }
  } finally {
    for (const stop of stops) await stop().catch((err: Error) => log(err.message))
    await s3.cleanup()
    await rm(root, { recursive: true, force: true })
  }
  process.stdout.write(`${JSON.stringify(result)}\n`)
}

await main()
