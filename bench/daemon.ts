// Daemon-level figures for issue 3: start-to-ready, idle RSS, RSS growth during a 1 GiB upload and download.
// Each figure is reported beside a reference measured in the same run on this machine (a bare node:http server).
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { fileURLToPath } from 'node:url'
import { daemonEntry } from '../src/daemon/spawn.js'
import { fmtMiB, MiB, rssBytes, rssSampler } from './lib.js'

const RUN_JS = fileURLToPath(new URL('../../bin/run.js', import.meta.url))
const GiB = 1024 * MiB

function run(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string; ms: number }> {
  const t0 = performance.now()
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [RUN_JS, ...args], { cwd, env })
    let out = ''
    child.stdout.on('data', (c: Buffer) => (out += c))
    let errOut = ''
    // stderr only in the error: the CLI notes there that a bench's temp fabrik.toml is not trusted.
    child.stderr.on('data', (c: Buffer) => (errOut += c))
    child.on('close', (code) => resolve({ code, out, ms: performance.now() - t0 }))
  })
}

/** Time for a bare `node` process to bind an HTTP server and exit: the floor for any daemon start. */
async function referenceStart(): Promise<number> {
  const t0 = performance.now()
  await new Promise<void>((resolve) => {
    spawn(process.execPath, ['-e', "require('http').createServer().listen(0,'127.0.0.1',()=>process.exit(0))"]).on('close', () => resolve())
  })
  return performance.now() - t0
}

async function referenceIdleRss(): Promise<number> {
  const child = spawn(process.execPath, ['-e', "require('http').createServer((q,s)=>s.end()).listen(0,'127.0.0.1');setInterval(()=>{},1000)"])
  await new Promise((r) => setTimeout(r, 800))
  const rss = rssBytes(child.pid!)
  child.kill()
  return rss
}

function zeros(total: number): Readable {
  const chunk = Buffer.alloc(MiB, 0x61)
  let sent = 0
  return new Readable({
    read() {
      if (sent >= total) return this.push(null)
      const n = Math.min(chunk.length, total - sent)
      sent += n
      this.push(n === chunk.length ? chunk : chunk.subarray(0, n))
    },
  })
}

function upload(url: string, size: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'PUT', headers: { 'content-length': size, 'content-type': 'application/octet-stream' } }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', reject)
    void pipeline(zeros(size), req).catch(reject)
  })
}

function download(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let n = 0
      res.on('data', (c: Buffer) => (n += c.length))
      res.on('end', () => resolve(n))
    })
      .on('error', reject)
      .end()
  })
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'fabrik-bench-daemon-'))
  const env = { ...process.env, FABRIK_STATE_DIR: join(root, 'state') }
  writeFileSync(join(root, 'fabrik.toml'), '[cache]\ndir = "cache"\nmax_size = "4GB"\n')
  try {
    const refStart = await referenceStart()
    const start = await run(['daemon', 'start', '--json'], root, env)
    if (start.code !== 0) throw new Error(start.out)
    const info = JSON.parse(start.out) as { pid: number; http_url: string }
    await new Promise((r) => setTimeout(r, 1000))
    const idle = rssBytes(info.pid)
    const refIdle = await referenceIdleRss()

    const before = rssBytes(info.pid)
    const up = rssSampler(info.pid)
    const status = await upload(`${info.http_url}/v1/cache/bench1gib`, GiB)
    const upPeak = up.stop()
    if (status !== 200) throw new Error(`upload answered ${status}`)
    const down = rssSampler(info.pid)
    const got = await download(`${info.http_url}/v1/cache/bench1gib`)
    const downPeak = down.stop()
    if (got !== GiB) throw new Error(`download returned ${got} bytes`)

    const rows = [
      ['daemon start → ready (CLI wall time)', `${start.ms.toFixed(0)} ms`, `${refStart.toFixed(0)} ms`, `${(start.ms / refStart).toFixed(2)}×`, '≤ 500 ms'],
      ['idle RSS', fmtMiB(idle), fmtMiB(refIdle), `${(idle / refIdle).toFixed(2)}×`, '≤ 100 MiB'],
      ['RSS growth, 1 GiB upload', fmtMiB(upPeak - before), '', '', '≤ 64 MiB'],
      ['RSS growth, 1 GiB download', fmtMiB(downPeak - before), '', '', '≤ 64 MiB'],
    ]
    // A `tsc` run after `npm run build` makes the CLI fall back to the unbundled daemon (correct, but ~2× slower
    // to start): say which one this run measured.
    const entry = daemonEntry()
    console.log(`daemon entry: ${entry.endsWith('launch.js') ? 'bundle + code cache (npm run build)' : `${entry} (tsc output only: run npm run build)`}`)
    console.log('figure | fabrik | reference (bare node) | ratio | target')
    for (const r of rows) console.log(r.join(' | '))
    console.log(
      JSON.stringify({
        start_ms: start.ms,
        ref_start_ms: refStart,
        idle_rss: idle,
        ref_idle_rss: refIdle,
        upload_rss_growth: upPeak - before,
        download_rss_growth: downPeak - before,
      }),
    )
  } finally {
    await run(['daemon', 'stop'], root, env)
    rmSync(root, { recursive: true, force: true })
  }
}

await main()
