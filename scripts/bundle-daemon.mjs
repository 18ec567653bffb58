#!/usr/bin/env node
// Bundles the daemon entry (dist/src/daemon/main.js, tsc's output) into dist/src/daemon/bundle/main.js, which
// src/daemon/spawn.ts runs when it is newer than main.js.
// Why: the spawned daemon otherwise resolves, reads and compiles ~350 modules (fastify, grpc-js, protobufjs,
// pino, prom-client, ...) one by one, most of `fabrik daemon start`'s time to ready. tsc stays the type checker;
// this only joins its output. Native addons stay external (their loaders find the .node file relative to their
// own package), as does anything resolved at run time by path.
import { build } from 'esbuild'
import { rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)))
const DIR = join(ROOT, 'dist', 'src', 'daemon')

const OUT = join(DIR, 'bundle')
rmSync(OUT, { recursive: true, force: true })
await build({
  entryPoints: [join(DIR, 'main.js')],
  outdir: OUT,
  bundle: true,
  // Dynamic imports become chunks loaded on demand: the config parser and schema (zod) only when the daemon
  // loads its config from argv, not when the CLI hands it over validated.
  splitting: true,
  chunkNames: 'chunk-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['better-sqlite3', 'zstd-napi'],
  // CommonJS packages inside an ESM bundle still call require() for node: built-ins; give them one.
  banner: { js: "import { createRequire as __fabrikCreateRequire } from 'node:module'; const require = __fabrikCreateRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
})
