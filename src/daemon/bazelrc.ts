import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { FILE_MODE, files, writeAtomic, type Ports } from './state.js'

// Bazel before 9 reads no BAZELRC variable, so the daemon keeps this file current in its state dir: `fabrik exec`
// passes it as --bazelrc=FILE and `fabrik init` adds a try-import of it to the workspace .bazelrc.
export function bazelrcText(ports: Ports): string {
  const url = `grpc://127.0.0.1:${ports.grpc}`
  return [
    '# Written by the Fabrik daemon; rewritten on every start. Do not edit.',
    `build --remote_cache=${url}`,
    'build --remote_upload_local_results=true',
    // Bazel treats a failed GetCapabilities as fatal (exit 34) unless told to fall back to local execution.
    'build --remote_local_fallback',
    '',
  ].join('\n')
}

export function writeBazelrc(dir: string, ports: Ports): string {
  const path = files.bazelrc(dir)
  writeAtomic(path, bazelrcText(ports), FILE_MODE)
  return path
}

/**
 * The project's copy, <folder of fabrik.toml>/.fabrik/bazelrc: a path that does not change when fabrik.toml
 * does (the state dir does), so the workspace .bazelrc can try-import it (src/wiring/bazel.ts).
 */
export function writeProjectBazelrc(projectDir: string, ports: Ports): string {
  const path = join(projectDir, '.fabrik', 'bazelrc')
  mkdirSync(join(projectDir, '.fabrik'), { recursive: true })
  writeAtomic(path, bazelrcText(ports))
  return path
}
