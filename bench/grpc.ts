// gRPC figures for issue 4, against a real daemon started with the built CLI (`fabrik daemon start --json`):
//  - Bazel 4.2.3's full-hit rebuild from the daemon (--remote_cache=grpc://) vs the same rebuild from --disk_cache;
//  - the daemon's CPU time per rebuild and per cold build over Bazel's own, beside the same share for a bare grpc-js
//    REAPI server that keeps everything in memory (bench/grpc-ref-server.ts): what the gRPC stack alone costs;
//  - ByteStream Write and Read throughput for 1 MiB and 64 MiB blobs vs a bare grpc-js ByteStream server that keeps
//    blobs in memory (bench/grpc-ref-server.ts, its own process like the daemon) — the ceiling here;
//  - the daemon's RSS growth during a 1 GiB ByteStream Write and Read, beside the bare server's.
// Client, daemon and Bazel share the CPU: compare the ratios within one run, not absolute numbers across runs.
//
//   node dist/bench/grpc.js [--rounds 3] [--reps 7] [--bazel /usr/bin/bazel]

import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import type { ByteStreamClient } from '../src/generated/google/bytestream/ByteStream.js'
import { makeProject, type TestProject } from '../test/helpers/project.js'
import { DAEMON_NODE_FLAGS } from '../src/daemon/spawn.js'
import { compareRebuilds, FETCHED_MIB, type RebuildResult, type RemoteRebuilds } from './grpc-bazel.js'
import { BIG_SEED, byteStreamClient, generatedBlob, randomBlob, readBlob, throughput, writeBlob, type Blob } from './grpc-bytestream.js'
import { fmtMiB, machineLoad, median, MiB, rssBytes, rssSampler } from './lib.js'

const args = process.argv.slice(2)
const opt = (name: string, fallback: string): string => {
  const i = args.indexOf(name)
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback
}
const ROUNDS = Number(opt('--rounds', '3')) || 3
const REPS = Number(opt('--reps', '7')) || 7
const BAZEL = opt('--bazel', '/usr/bin/bazel')
const GiB = 1024 * MiB
const REF_SERVER_JS = fileURLToPath(new URL('./grpc-ref-server.js', import.meta.url))

interface Target {
  name: 'fabrik' | 'reference'
  pid: number
  bs: ByteStreamClient
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function startReference(): Promise<{ child: ChildProcess; port: number }> {
  // With the daemon's Node flags: its heap settings change what a rebuild costs in collections (spawn.ts).
  const child = spawn(process.execPath, [...DAEMON_NODE_FLAGS, REF_SERVER_JS], { stdio: ['ignore', 'pipe', 'inherit'] })
  const line = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`reference server exited (${code})`)))
    createInterface({ input: child.stdout! }).once('line', resolve)
  })
  return { child, port: (JSON.parse(line) as { port: number }).port }
}

/** RSS growth over the idle RSS while `blob` is written, then while it is read back (and verified). */
async function rssDuringBigTransfer(t: Target, blob: Blob) {
  const idle = rssBytes(t.pid)
  let s = rssSampler(t.pid)
  let t0 = performance.now()
  await writeBlob(t.bs, blob)
  const writeSeconds = (performance.now() - t0) / 1000
  const writePeak = s.stop()
  s = rssSampler(t.pid)
  t0 = performance.now()
  await readBlob(t.bs, blob, true)
  const readSeconds = (performance.now() - t0) / 1000
  const readPeak = s.stop()
  return {
    idle_rss: idle,
    write_rss_growth: writePeak - idle,
    read_rss_growth: readPeak - idle,
    write_mib_s: blob.size / MiB / writeSeconds,
    read_mib_s: blob.size / MiB / readSeconds,
  }
}

type Rates = Record<Target['name'], { write: number[]; read: number[] }>

/** `rounds` passes over fresh random blobs (the daemon answers a known blob at once); the two servers alternate. */
async function byteStreamRates(targets: Target[], size: number, count: number): Promise<Rates> {
  const rates: Rates = { fabrik: { write: [], read: [] }, reference: { write: [], read: [] } }
  for (let r = 0; r < ROUNDS; r++) {
    const blobs = Array.from({ length: count }, () => randomBlob(size))
    const order = r % 2 === 0 ? targets : [...targets].reverse()
    for (const t of order) rates[t.name].write.push(await throughput(blobs, (b) => writeBlob(t.bs, b)))
    for (const t of order) rates[t.name].read.push(await throughput(blobs, (b) => readBlob(t.bs, b)))
    for (const t of order) await readBlob(t.bs, blobs[0]!, true) // untimed: the bytes that came back are the ones sent
  }
  return rates
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)))
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')).join('\n')
}

async function main(): Promise<void> {
  if (!existsSync(BAZEL)) throw new Error(`Bazel not found at ${BAZEL} (Debian bazel-bootstrap; or pass --bazel PATH)`)
  const t0 = performance.now()
  const loadAtStart = machineLoad()
  let project: TestProject | undefined
  let ref: ChildProcess | undefined
  const clients: ByteStreamClient[] = []
  try {
    project = await makeProject('[cache]\ndir = "cache"\nmax_size = "8GB"\n')
    const started = await startReference()
    ref = started.child
    const daemon = await project.startDaemon()
    const targets: Target[] = [
      { name: 'fabrik', pid: daemon.pid, bs: byteStreamClient(daemon.grpc_url.replace(/^grpc:\/\//, '')) },
      { name: 'reference', pid: ref.pid!, bs: byteStreamClient(`127.0.0.1:${started.port}`) },
    ]
    clients.push(...targets.map((t) => t.bs))

    // RSS first, while both servers are as fresh as after start: a heap grown by earlier work would hide growth.
    const big = generatedBlob(GiB, BIG_SEED)
    await sleep(1000)
    const rss = { fabrik: await rssDuringBigTransfer(targets[0]!, big), reference: await rssDuringBigTransfer(targets[1]!, big) }

    const small = await byteStreamRates(targets, MiB, 50)
    const large = await byteStreamRates(targets, 64 * MiB, 3)

    const bazelDir = join(project.dir, 'bazel')
    mkdirSync(bazelDir)
    const rebuild: RebuildResult = await compareRebuilds({
      bin: BAZEL,
      dir: bazelDir,
      env: project.env,
      remotes: [
        { name: 'fabrik', grpcUrl: daemon.grpc_url, pid: daemon.pid },
        { name: 'reference', grpcUrl: `grpc://127.0.0.1:${started.port}`, pid: ref.pid! },
      ],
      reps: REPS,
    })
    const fab = rebuild.remotes.fabrik!
    const refBuilds = rebuild.remotes.reference!
    const remoteMs = median(fab.rebuilds_ms)
    const diskMs = median(rebuild.disk_rebuilds_ms)
    const cacheCpuMs = { fabrik: median(fab.cache_cpu_ms), reference: median(refBuilds.cache_cpu_ms) }
    const bazelCpu = { remote: median(fab.bazel_cpu_ms), disk: median(rebuild.disk_bazel_cpu_ms) }
    // Per build, then the median: what one build's cache work costs next to Bazel's own work in that build.
    const share = (cache: number[], bz: number[]) => median(cache.map((d, i) => d / bz[i]!))
    const hitShareOf = (r: RemoteRebuilds) => share(r.cache_cpu_ms, r.bazel_cpu_ms)
    const coldShareOf = (r: RemoteRebuilds) => share(r.cold_cache_cpu_ms, r.cold_bazel_cpu_ms)
    const hitShare = hitShareOf(fab)
    const coldShare = coldShareOf(fab)
    const refShare = { full_hit: hitShareOf(refBuilds), cold_build: coldShareOf(refBuilds) }
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`

    const rate = (x: Rates, k: 'write' | 'read') => ({ fabrik: median(x.fabrik[k]), reference: median(x.reference[k]) })
    const rates = { write_1mib: rate(small, 'write'), read_1mib: rate(small, 'read'), write_64mib: rate(large, 'write'), read_64mib: rate(large, 'read') }
    const ok = (met: boolean) => (met ? 'met' : 'MISSED')
    const mibs = (v: number) => `${v.toFixed(0)} MiB/s`
    const rateRow = (label: string, r: { fabrik: number; reference: number }) => [label, mibs(r.fabrik), mibs(r.reference), `${(r.fabrik / r.reference).toFixed(2)}×`, '']
    const limit = 64 * MiB
    const rows = [
      ['figure', 'fabrik', 'reference', 'ratio', 'target'],
      [`Bazel full-hit rebuild, ${FETCHED_MIB} MiB (median of ${REPS})`, `${remoteMs.toFixed(0)} ms`, `${diskMs.toFixed(0)} ms (--disk_cache)`, `${(remoteMs / diskMs).toFixed(2)}×`, `≤ 1.2× ${ok(remoteMs / diskMs <= 1.2)}`],
      ['  cache CPU time per remote rebuild (median)', `${cacheCpuMs.fabrik.toFixed(0)} ms`, `${cacheCpuMs.reference.toFixed(0)} ms (bare grpc-js)`, `${(cacheCpuMs.fabrik / cacheCpuMs.reference).toFixed(2)}×`, ''],
      ['  Bazel server CPU time per rebuild (median)', `${bazelCpu.remote.toFixed(0)} ms`, `${bazelCpu.disk.toFixed(0)} ms (--disk_cache)`, `${(bazelCpu.remote / bazelCpu.disk).toFixed(2)}×`, ''],
      ['  cache CPU ÷ Bazel CPU, full-hit rebuild', pct(hitShare), `${pct(refShare.full_hit)} (bare grpc-js)`, `${(hitShare / refShare.full_hit).toFixed(2)}×`, `≤ 5% ${ok(hitShare <= 0.05)}`],
      [`  cache CPU ÷ Bazel CPU, cold build uploading ${FETCHED_MIB} MiB`, pct(coldShare), `${pct(refShare.cold_build)} (bare grpc-js)`, `${(coldShare / refShare.cold_build).toFixed(2)}×`, `≤ 10% ${ok(coldShare <= 0.1)}`],
      ['    cache / Bazel CPU per cold build (median)', `${median(fab.cold_cache_cpu_ms)} / ${median(fab.cold_bazel_cpu_ms)} ms`, `${median(refBuilds.cold_cache_cpu_ms)} / ${median(refBuilds.cold_bazel_cpu_ms)} ms`, '', ''],
      rateRow('ByteStream Write 1 MiB ×50', rates.write_1mib),
      rateRow('ByteStream Read 1 MiB ×50', rates.read_1mib),
      rateRow('ByteStream Write 64 MiB ×3', rates.write_64mib),
      rateRow('ByteStream Read 64 MiB ×3', rates.read_64mib),
      rateRow('ByteStream Write 1 GiB', { fabrik: rss.fabrik.write_mib_s, reference: rss.reference.write_mib_s }),
      rateRow('ByteStream Read 1 GiB', { fabrik: rss.fabrik.read_mib_s, reference: rss.reference.read_mib_s }),
      ['RSS growth, 1 GiB Write', fmtMiB(rss.fabrik.write_rss_growth), fmtMiB(rss.reference.write_rss_growth), '', `≤ 64 MiB ${ok(rss.fabrik.write_rss_growth <= limit)}`],
      ['RSS growth, 1 GiB Read', fmtMiB(rss.fabrik.read_rss_growth), fmtMiB(rss.reference.read_rss_growth), '', `≤ 64 MiB ${ok(rss.fabrik.read_rss_growth <= limit)}`],
    ]
    console.log(`machine: ${loadAtStart} at the start, ${machineLoad()} at the end`)
    console.log(`reference: Bazel rebuild row = the same rebuild from --disk_cache; CPU rows = the same builds against a bare grpc-js REAPI server holding everything in memory (the gRPC stack's own cost); ByteStream rows = that bare server`)
    console.log(`throughput: median of ${ROUNDS} rounds, one call at a time, 64 KiB Write messages; RSS sampled every 20 ms from /proc`)
    console.log(table(rows))
    console.log(
      JSON.stringify({
        bazel_rebuild: { remote_median_ms: remoteMs, disk_median_ms: diskMs, ratio: remoteMs / diskMs, cache_cpu_median_ms: cacheCpuMs, bazel_cpu_median_ms: bazelCpu, fetched_mib: FETCHED_MIB, ...rebuild },
        bytestream_mib_s: rates,
        bytestream_rounds: { small, large },
        rss_1gib: rss,
        daemon_cpu_share: { full_hit: hitShare, cold_build: coldShare },
        reference_cpu_share: refShare,
        load: { start: loadAtStart, end: machineLoad() },
        targets_met: { hit_cpu_share: hitShare <= 0.05, cold_cpu_share: coldShare <= 0.1, rebuild_ratio: remoteMs / diskMs <= 1.2, write_rss: rss.fabrik.write_rss_growth <= limit, read_rss: rss.fabrik.read_rss_growth <= limit },
        total_seconds: (performance.now() - t0) / 1000,
      }),
    )
  } finally {
    for (const c of clients) c.close()
    ref?.kill()
    await project?.cleanup()
  }
}

await main()
