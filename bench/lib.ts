import { availableParallelism, loadavg } from 'node:os'
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

// Shared by the benchmarks: RSS sampling from /proc and percentile maths.

export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const m = /VmRSS:\s+(\d+) kB/.exec(status)
  return m ? Number(m[1]) * 1024 : 0
}

/**
 * User + system CPU time so far, in ms (from /proc; clock ticks are 10 ms): of the whole process, or with
 * `mainThread` of its main thread only (the event loop, without worker threads such as the WAL checkpointer).
 */
export function cpuMs(pid: number, mainThread = false): number {
  const path = mainThread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`
  const fields = readFileSync(path, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}

/** Samples a process's RSS every `everyMs` until stopped; returns the peak seen. */
export function rssSampler(pid: number, everyMs = 20): { stop(): number } {
  let peak = rssBytes(pid)
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, rssBytes(pid))
    } catch {
      // process gone
    }
  }, everyMs)
  return {
    stop() {
      clearInterval(timer)
      return peak
    },
  }
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  return sorted[Math.max(0, i)]!
}

/** The middle value; for an even count, the mean of the two middle ones. */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  if (s.length === 0) return 0
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

export const MiB = 1024 * 1024

export function fmtMiB(bytes: number): string {
  return `${(bytes / MiB).toFixed(1)} MiB`
}

/**
 * The machine's load (1-minute average) and core count, printed by every benchmark at its start and end: on two
 * shared cores a number taken while something else ran says little, and the load says whether something did.
 */
export function machineLoad(): string {
  const [one = 0] = loadavg()
  return `load average ${one.toFixed(2)} on ${availableParallelism()} cores`
}

/** The built CLI, as a user runs it. */
export const RUN_JS = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

/**
 * Runs `fabrik <args>` and resolves with its stdout. Only stdout: the CLI notes on stderr that a bench's temp
 * fabrik.toml is not trusted, which would break the JSON the benches parse; stderr goes into the error instead.
 */
export function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RUN_JS, ...args], { cwd, env })
    let out = ''
    let err = ''
    child.stdout.on('data', (c: Buffer) => (out += c))
    child.stderr.on('data', (c: Buffer) => (err += c))
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`fabrik ${args.join(' ')} exited ${code}: ${out}${err}`))))
  })
}
