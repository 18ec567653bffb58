import { chmodSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { bazel, remoteCacheHits, type Bazel } from '../test/helpers/bazel.js'
import { writeTree } from '../test/helpers/workspace.js'

// The Bazel side of the gRPC benchmark: a full-hit rebuild (`bazel clean`, then `bazel build` with every action a
// cache hit) from the daemon over --remote_cache=grpc:// timed against the same rebuild from --disk_cache. Each
// variant has its own workspace copy and --output_user_root (test-clients trap 6) and keeps its Bazel server warm,
// so what is timed is the rebuild, not JVM startup. The rebuilds of the two variants alternate, so both see the
// same machine noise. Bazel 4.2.3 reports disk cache hits as "remote cache hit" too, so one parser serves both.

const BIG_TARGETS = 10
const BIG_MIB = 4
const SMALL_TARGETS = 10
export const ACTIONS = BIG_TARGETS + SMALL_TARGETS
export const FETCHED_MIB = BIG_TARGETS * BIG_MIB
const WARMUP_REBUILDS = 2
const COLD_BUILDS = 3

/** Genrules only (offline Bazel cannot fetch rules_cc): ten 4 MiB outputs, so the rebuild is mostly fetching. */
/** `salt` changes the tool and so every big action's key and output bytes: a cold build that uploads them all. */
function toolScript(salt: string): string {
  const stamp = salt ? `echo ${salt} >> "$1"\n` : ''
  return `#!/bin/sh\n# usage: tool.sh OUT MIB FILL\nhead -c $(( $2 * 1048576 )) /dev/zero | tr "\\0" "$3" > "$1"\n${stamp}`
}

function workspace(root: string, salt = ''): void {
  const rules: string[] = []
  for (let i = 0; i < BIG_TARGETS; i++) {
    // Distinct bytes per target, so the cache holds ten different blobs.
    const fill = String.fromCharCode(65 + i)
    rules.push(`genrule(name = "big${i}", outs = ["big${i}.bin"], tools = ["tool.sh"], cmd = "$(location tool.sh) $@ ${BIG_MIB} ${fill}")`)
  }
  for (let i = 0; i < SMALL_TARGETS; i++) rules.push(`genrule(name = "small${i}", outs = ["small${i}.txt"], cmd = "echo small-${i} > $@")`)
  writeTree(root, {
    WORKSPACE: 'workspace(name = "fabrik_bench")\n',
    'tool.sh': toolScript(salt),
    BUILD: rules.join('\n') + '\n',
  })
  chmodSync(join(root, 'tool.sh'), 0o755)
}

interface Variant {
  bz: Bazel
  ws: string
  flags: string[]
  rebuildsMs: number[]
  daemonCpuMs: number[]
  bazelCpuMs: number[]
  /** The Bazel server JVM's pid (`bazel info server_pid`), once its server runs. */
  serverPid?: number
}

/** User + system CPU time of a process so far, in ms (from /proc; clock ticks are 10 ms). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}

export interface RebuildResult {
  remote_first_ms: number
  disk_first_ms: number
  remote_rebuilds_ms: number[]
  disk_rebuilds_ms: number[]
  /** The daemon's CPU time during each remote rebuild: what it costs Bazel on shared cores. */
  remote_daemon_cpu_ms: number[]
  /**
   * The Bazel server's own CPU time per rebuild. On two shared cores the rebuild is CPU-bound, so this ratio is
   * what the wall-time ratio cannot go below, however little the daemon spends. It is above 1.2 with Bazel 4.2.3:
   * its gRPC download path copies every byte three times on the Java heap (JFR allocation samples:
   * ProtoLiteUtils.parse, ByteString.copyFrom in readBytes, LiteralByteString.writeTo in GrpcCacheClient), about
   * 120 MB of garbage per 40 MiB rebuild and four times the young GCs of the --disk_cache rebuild.
   */
  remote_bazel_cpu_ms: number[]
  disk_bazel_cpu_ms: number[]
  /**
   * Cold builds on the warm remote variant: the tool changes, so the ten big actions run again and upload new
   * outputs (FindMissingBlobs, ByteStream.Write, UpdateActionResult). Daemon and Bazel server CPU per build.
   */
  cold_daemon_cpu_ms: number[]
  cold_bazel_cpu_ms: number[]
}

async function build(v: Variant, expectHits: number): Promise<number> {
  const t0 = performance.now()
  const r = await v.bz.run(['build', ...v.flags, '//...'])
  const ms = performance.now() - t0
  if (r.code !== 0) throw new Error(`bazel build ${v.flags.join(' ')} failed (exit ${r.code}):\n${r.stderr.slice(-3000)}`)
  const hits = remoteCacheHits(r.stderr)
  if (hits !== expectHits) throw new Error(`expected ${expectHits} cache hits with ${v.flags.join(' ')}, Bazel reported ${hits}:\n${r.stderr.slice(-2000)}`)
  return ms
}

async function serverPid(bz: Bazel): Promise<number> {
  const r = await bz.run(['info', 'server_pid'])
  const pid = Number(r.stdout.trim())
  if (r.code !== 0 || !Number.isInteger(pid) || pid <= 0) throw new Error(`bazel info server_pid failed (exit ${r.code}):\n${r.stderr.slice(-2000)}`)
  return pid
}

async function cleanRebuild(v: Variant, daemonPid: number, record = true): Promise<void> {
  const c = await v.bz.run(['clean'])
  if (c.code !== 0) throw new Error(`bazel clean failed:\n${c.stderr.slice(-2000)}`)
  const cpu0 = cpuMs(daemonPid)
  const bazel0 = cpuMs(v.serverPid!)
  const ms = await build(v, ACTIONS)
  if (!record) return
  v.rebuildsMs.push(ms)
  v.daemonCpuMs.push(cpuMs(daemonPid) - cpu0)
  v.bazelCpuMs.push(cpuMs(v.serverPid!) - bazel0)
}

export async function compareRebuilds(opts: {
  bin: string
  dir: string
  env: NodeJS.ProcessEnv
  grpcUrl: string
  daemonPid: number
  reps: number
}): Promise<RebuildResult> {
  const make = (name: string, flags: string[]): Variant => {
    const ws = join(opts.dir, `ws-${name}`)
    workspace(ws)
    // A user's ~/.bazelrc must not change either variant. The system rc stays: Debian's bazel-bootstrap finds its
    // install base through /etc/bazel/bazelrc and cannot start without it.
    const bz = bazel(opts.bin, ws, join(opts.dir, `out-${name}`), opts.env, ['--nohome_rc', '--noworkspace_rc'])
    return { bz, ws, flags: [...flags, '--noshow_progress'], rebuildsMs: [], daemonCpuMs: [], bazelCpuMs: [] }
  }
  const remote = make('remote', [`--remote_cache=${opts.grpcUrl}`])
  const disk = make('disk', [`--disk_cache=${join(opts.dir, 'disk-cache')}`])
  try {
    const remoteFirst = await build(remote, 0)
    const diskFirst = await build(disk, 0)
    for (const v of [remote, disk]) v.serverPid = await serverPid(v.bz)
    // Untimed rounds first: the JVM compiles the paths a rebuild takes (gRPC and netty for one variant, file copies
    // for the other) during its first rebuilds, and those ran 1.5-2× slower than later ones.
    for (let i = 0; i < WARMUP_REBUILDS; i++) for (const v of [remote, disk]) await cleanRebuild(v, opts.daemonPid, false)
    for (let i = 0; i < opts.reps; i++) {
      const order = i % 2 === 0 ? [remote, disk] : [disk, remote]
      for (const v of order) await cleanRebuild(v, opts.daemonPid)
    }
    const cold = { daemon: [] as number[], bazel: [] as number[] }
    for (let i = 0; i < COLD_BUILDS; i++) {
      writeTree(remote.ws, { 'tool.sh': toolScript(`cold-${i}-${Date.now()}`) })
      chmodSync(join(remote.ws, 'tool.sh'), 0o755)
      const cpu0 = cpuMs(opts.daemonPid)
      const bazel0 = cpuMs(remote.serverPid!)
      await build(remote, 0)
      cold.daemon.push(cpuMs(opts.daemonPid) - cpu0)
      cold.bazel.push(cpuMs(remote.serverPid!) - bazel0)
    }
    return {
      remote_first_ms: remoteFirst,
      disk_first_ms: diskFirst,
      remote_rebuilds_ms: remote.rebuildsMs,
      disk_rebuilds_ms: disk.rebuildsMs,
      remote_daemon_cpu_ms: remote.daemonCpuMs,
      remote_bazel_cpu_ms: remote.bazelCpuMs,
      disk_bazel_cpu_ms: disk.bazelCpuMs,
      cold_daemon_cpu_ms: cold.daemon,
      cold_bazel_cpu_ms: cold.bazel,
    }
  } finally {
    await remote.bz.shutdown()
    await disk.bz.shutdown()
  }
}
