import { chmodSync } from 'node:fs'
import { join } from 'node:path'
import { bazel, remoteCacheHits, type Bazel } from '../test/helpers/bazel.js'
import { writeTree } from '../test/helpers/workspace.js'
import { cpuMs } from './lib.js'

// The Bazel side of the gRPC benchmark: a full-hit rebuild (`bazel clean`, then `bazel build` with every action a
// cache hit) from the daemon over --remote_cache=grpc:// timed against the same rebuild from --disk_cache, and the
// same rebuild from the bare reference server (grpc-ref-server.ts), whose CPU time is what grpc-js itself costs.
// Each variant has its own workspace copy and --output_user_root (test-clients trap 6) and keeps its Bazel server
// warm, so what is timed is the rebuild, not JVM startup. The variants' rebuilds take turns, so all see the same
// machine noise. Bazel 4.2.3 reports disk cache hits as "remote cache hit" too, so one parser serves both.

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
  /** The remote cache's CPU time during each rebuild (remote variants only). */
  cacheCpuMs: number[]
  bazelCpuMs: number[]
  /** The remote cache this variant builds against; none for --disk_cache. */
  cache?: RemoteCache
  /** The Bazel server JVM's pid (`bazel info server_pid`), once its server runs. */
  serverPid?: number
}

/** A gRPC remote cache the rebuilds run against: the daemon, or the bench's bare reference server. */
export interface RemoteCache {
  name: string
  grpcUrl: string
  pid: number
}

/** One remote cache's builds. */
export interface RemoteRebuilds {
  first_ms: number
  rebuilds_ms: number[]
  /** The cache process's CPU time during each full-hit rebuild: what it costs Bazel on shared cores. */
  cache_cpu_ms: number[]
  /**
   * The Bazel server's own CPU time per rebuild. On two shared cores the rebuild is CPU-bound, so this ratio is
   * what the wall-time ratio cannot go below, however little the cache spends. It is above 1.2 with Bazel 4.2.3:
   * its gRPC download path copies every byte three times on the Java heap (JFR allocation samples:
   * ProtoLiteUtils.parse, ByteString.copyFrom in readBytes, LiteralByteString.writeTo in GrpcCacheClient), about
   * 120 MB of garbage per 40 MiB rebuild and four times the young GCs of the --disk_cache rebuild.
   */
  bazel_cpu_ms: number[]
  /**
   * Cold builds: the tool changes, so the ten big actions run again and upload new outputs (FindMissingBlobs,
   * ByteStream.Write, UpdateActionResult). Cache and Bazel server CPU per build.
   */
  cold_cache_cpu_ms: number[]
  cold_bazel_cpu_ms: number[]
}

export interface RebuildResult {
  disk_first_ms: number
  disk_rebuilds_ms: number[]
  disk_bazel_cpu_ms: number[]
  remotes: Record<string, RemoteRebuilds>
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

/** Runs one build of `v`, adding its wall time and both processes' CPU time to `into` when given. */
async function measured(v: Variant, expectHits: number, into?: { ms?: number[]; cache: number[]; bazel: number[] }): Promise<void> {
  const cache0 = v.cache ? cpuMs(v.cache.pid) : 0
  const bazel0 = cpuMs(v.serverPid!)
  const ms = await build(v, expectHits)
  if (!into) return
  into.ms?.push(ms)
  if (v.cache) into.cache.push(cpuMs(v.cache.pid) - cache0)
  into.bazel.push(cpuMs(v.serverPid!) - bazel0)
}

async function cleanRebuild(v: Variant, record = true): Promise<void> {
  const c = await v.bz.run(['clean'])
  if (c.code !== 0) throw new Error(`bazel clean failed:\n${c.stderr.slice(-2000)}`)
  await measured(v, ACTIONS, record ? { ms: v.rebuildsMs, cache: v.cacheCpuMs, bazel: v.bazelCpuMs } : undefined)
}

/** `list` rotated left by `by`: each variant takes each place in the order equally often. */
const rotated = <T>(list: T[], by: number): T[] => list.map((_, i) => list[(i + by) % list.length]!)

/**
 * Full-hit rebuilds from each remote cache and from --disk_cache, interleaved, then cold builds on each remote
 * variant, interleaved too: every cache sees the same machine noise.
 */
export async function compareRebuilds(opts: { bin: string; dir: string; env: NodeJS.ProcessEnv; remotes: RemoteCache[]; reps: number }): Promise<RebuildResult> {
  const make = (name: string, flags: string[], cache?: RemoteCache): Variant => {
    const ws = join(opts.dir, `ws-${name}`)
    workspace(ws)
    // A user's ~/.bazelrc must not change either variant. The system rc stays: Debian's bazel-bootstrap finds its
    // install base through /etc/bazel/bazelrc and cannot start without it.
    const bz = bazel(opts.bin, ws, join(opts.dir, `out-${name}`), opts.env, ['--nohome_rc', '--noworkspace_rc'])
    return { bz, ws, flags: [...flags, '--noshow_progress'], rebuildsMs: [], cacheCpuMs: [], bazelCpuMs: [], ...(cache ? { cache } : {}) }
  }
  const remotes = opts.remotes.map((c) => make(`remote-${c.name}`, [`--remote_cache=${c.grpcUrl}`], c))
  const disk = make('disk', [`--disk_cache=${join(opts.dir, 'disk-cache')}`])
  const all = [...remotes, disk]
  try {
    const firstMs = new Map<Variant, number>()
    for (const v of all) firstMs.set(v, await build(v, 0))
    for (const v of all) v.serverPid = await serverPid(v.bz)
    // Untimed rounds first: the JVM compiles the paths a rebuild takes (gRPC and netty for one variant, file copies
    // for the other) during its first rebuilds, and those ran 1.5-2× slower than later ones.
    for (let i = 0; i < WARMUP_REBUILDS; i++) for (const v of all) await cleanRebuild(v, false)
    for (let i = 0; i < opts.reps; i++) for (const v of rotated(all, i)) await cleanRebuild(v)
    const cold = new Map(remotes.map((v) => [v, { cache: [] as number[], bazel: [] as number[] }]))
    for (let i = 0; i < COLD_BUILDS; i++) {
      for (const v of rotated(remotes, i)) {
        writeTree(v.ws, { 'tool.sh': toolScript(`cold-${i}-${Date.now()}`) })
        chmodSync(join(v.ws, 'tool.sh'), 0o755)
        await measured(v, 0, cold.get(v))
      }
    }
    return {
      disk_first_ms: firstMs.get(disk)!,
      disk_rebuilds_ms: disk.rebuildsMs,
      disk_bazel_cpu_ms: disk.bazelCpuMs,
      remotes: Object.fromEntries(
        remotes.map((v) => [
          v.cache!.name,
          {
            first_ms: firstMs.get(v)!,
            rebuilds_ms: v.rebuildsMs,
            cache_cpu_ms: v.cacheCpuMs,
            bazel_cpu_ms: v.bazelCpuMs,
            cold_cache_cpu_ms: cold.get(v)!.cache,
            cold_bazel_cpu_ms: cold.get(v)!.bazel,
          },
        ]),
      ),
    }
  } finally {
    for (const v of all) await v.bz.shutdown()
  }
}
