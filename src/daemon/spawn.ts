import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, openSync, statSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { LoadedConfig } from '../config/types.js'
import { FabrikError } from '../errors/registry.js'
import { STDIN_CONFIG_ARG, encodeLoaded } from './handoff.js'
import { FILE_MODE, files } from './state.js'

export { ERROR_LINE_PREFIX } from './handoff.js'

// This module runs from dist/src/daemon/ (tsc's output) or, in the CLI's bundle, from dist/src/daemon/bundle/.
const HERE = fileURLToPath(new URL('.', import.meta.url))
const DAEMON_DIR = basename(HERE) === 'bundle' ? dirname(HERE) : HERE
const MAIN = join(DAEMON_DIR, 'main.js')
const LAUNCH = join(DAEMON_DIR, 'launch.js')
const BUNDLE = join(DAEMON_DIR, 'bundle', 'daemon.cjs')

/**
 * Node flags of the daemon process. A smaller young generation keeps an idle daemon's RSS about 10 MiB lower
 * (bench:daemon); its streaming paths allocate little per request, so the extra scavenges cost nothing
 * measurable. A larger initial old space: V8 counts every large Buffer (file reads, gRPC frames) against a heap
 * that starts at ~20 MB, so a Bazel rebuild pulling 40 MiB ran ~5 full mark-compacts of 20-40 ms each, pausing
 * every call in flight; with 48 MB the daemon's CPU per rebuild fell from 240 to 90-130 ms (bench:grpc) and idle
 * RSS did not change (the space is reserved, not touched). 64 MB saved a little more CPU but put a 1 GiB
 * ByteStream Read's RSS growth at 61 MiB, too close to its 64 MiB bound. The build makes the bundle's code cache with the same
 * flags (V8 refuses a cache made with others).
 */
export const DAEMON_NODE_FLAGS = ['--max-semi-space-size=4', '--initial-old-space-size=48']

/**
 * The file the daemon process runs: launch.js, which runs the bundle `npm run build` makes (one file with a code
 * cache instead of ~350 modules to resolve and compile: most of the time to ready), unless tsc has emitted
 * main.js since — a developer who ran only `tsc` must get the code they just compiled, not a stale bundle.
 */
export function daemonEntry(): string {
  try {
    return statSync(BUNDLE).mtimeMs >= statSync(MAIN).mtimeMs ? LAUNCH : MAIN
  } catch {
    return MAIN
  }
}

/**
 * Spawns a detached daemon logging to its state dir, waiting for its config on stdin (handoff.ts). The caller
 * must then call handOver(): with the config, or with undefined to cancel.
 */
export function spawnDaemon(baseDir: string, dir: string, env: NodeJS.ProcessEnv): ChildProcess {
  const log = openSync(files.log(dir), 'a', FILE_MODE)
  try {
    const child = spawn(process.execPath, [...DAEMON_NODE_FLAGS, daemonEntry(), STDIN_CONFIG_ARG], {
      cwd: baseDir,
      detached: true,
      stdio: ['pipe', log, log],
      env,
    })
    // A daemon that dies before reading its config closes the pipe: the start loop reports that from the log.
    child.stdin?.on('error', () => undefined)
    child.unref()
    if (!child.pid) throw new FabrikError('DAEMON_START_FAILED', 'could not spawn the daemon process')
    return child
  } finally {
    closeSync(log)
  }
}

/** Writes the validated config to the waiting daemon, or cancels it (undefined: the config was invalid). */
export function handOver(child: ChildProcess, loaded: LoadedConfig | undefined): void {
  if (loaded) {
    child.stdin?.end(encodeLoaded(loaded))
    return
  }
  // It has done nothing yet but boot: nothing to clean up after it.
  child.stdin?.destroy()
  child.kill('SIGKILL')
}
