import { readSync } from 'node:fs'
import type { LoadedConfig } from '../config/types.js'
import { FabrikError } from '../errors/registry.js'

// The CLI has already found, parsed and validated the config when it spawns a daemon, so it hands the result
// over as a value on the daemon's stdin: the daemon then loads neither the TOML parser nor the schema (zod), a
// fifth of its time to ready. A pipe rather than a file or an env var: nothing of the config (it may hold
// upstream keys) stays on disk or in the daemon's environment, and the CLI can spawn before it has validated
// the config, letting the daemon boot meanwhile (start.ts). An empty input means "cancelled": the config was
// invalid and the CLI reports it.

/** Starts the last line a failing daemon writes to its log: its error as JSON ({code, message, fix}). */
export const ERROR_LINE_PREFIX = 'fabrik-daemon-error: '

/** Marks the spawned daemon's argv: read the LoadedConfig from stdin instead of loading config from argv. */
export const STDIN_CONFIG_ARG = '--loaded-config-stdin'

interface Wire {
  v: 1
  config: LoadedConfig['config']
  sources: LoadedConfig['sources']
  path?: string
  baseDir: string
  /** The config file's bytes (the daemon id derives from them), base64. */
  bytes: string
  warnings: string[]
}

export function encodeLoaded(loaded: LoadedConfig): string {
  const wire: Wire = {
    v: 1,
    config: loaded.config,
    sources: loaded.sources,
    ...(loaded.path !== undefined ? { path: loaded.path } : {}),
    baseDir: loaded.baseDir,
    bytes: loaded.bytes.toString('base64'),
    warnings: loaded.warnings,
  }
  return JSON.stringify(wire)
}

/** The LoadedConfig back, or undefined for an empty input (start cancelled). */
export function decodeLoaded(text: string): LoadedConfig | undefined {
  if (text.trim() === '') return undefined
  let wire: Wire
  try {
    wire = JSON.parse(text) as Wire
  } catch (err) {
    throw new FabrikError('INTERNAL', `the daemon's config handoff is not JSON: ${(err as Error).message}`, { cause: err })
  }
  // Written by the same build's CLI; a mismatch means a CLI and daemon of different versions.
  if (wire.v !== 1) throw new FabrikError('INTERNAL', `unknown config handoff version ${String(wire.v)}`)
  return {
    config: wire.config,
    sources: wire.sources,
    ...(wire.path !== undefined ? { path: wire.path } : {}),
    baseDir: wire.baseDir,
    bytes: Buffer.from(wire.bytes, 'base64'),
    warnings: wire.warnings,
  }
}

/**
 * Reads the whole of stdin (the CLI writes the handoff and closes its end). Synchronously: process.stdin's stream
 * machinery costs ~25 ms to set up, and by the time this runs the daemon has nothing else to do. Call it after
 * the server modules have loaded, since it blocks the event loop that loads them.
 */
export function readStdinSync(): string {
  const chunks: Buffer[] = []
  const buf = Buffer.allocUnsafe(64 * 1024)
  for (;;) {
    let n: number
    try {
      n = readSync(0, buf, 0, buf.length, null)
    } catch (err) {
      // A non-blocking pipe with nothing in it yet: wait a moment for the CLI to write.
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5)
        continue
      }
      if ((err as NodeJS.ErrnoException).code === 'EOF') break
      throw err
    }
    if (n === 0) break
    chunks.push(Buffer.from(buf.subarray(0, n)))
  }
  return Buffer.concat(chunks).toString('utf8')
}
