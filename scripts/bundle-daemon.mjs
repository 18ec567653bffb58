#!/usr/bin/env node
// Bundles the two programs on `fabrik daemon start`'s path from tsc's output into dist/src/daemon/bundle/:
// - main.js: the daemon (from dist/src/daemon/main.js), which src/daemon/spawn.ts runs;
// - cli-start.js: the CLI's oclif-free `daemon start` (from dist/commands/daemon/_fast-start.js), for bin/run.js.
// Each is used only when newer than the tsc output it came from, so a developer who ran only `tsc` runs what
// they compiled. Why: unbundled, the daemon resolves, reads and compiles ~350 modules (fastify, grpc-js,
// protobufjs, pino, prom-client, ...) one by one, most of the time to ready; the CLI side ~30 before it spawns.
// tsc stays the type checker; this only joins its output. Native addons stay external (their loaders find the
// .node file relative to their own package).
import { build } from 'esbuild'
import { rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)))
const DIST = join(ROOT, 'dist')
const OUT = join(DIST, 'src', 'daemon', 'bundle')

rmSync(OUT, { recursive: true, force: true })
await build({
  entryPoints: [
    { in: join(DIST, 'src', 'daemon', 'main.js'), out: 'main' },
    { in: join(DIST, 'commands', 'daemon', '_fast-start.js'), out: 'cli-start' },
  ],
  outdir: OUT,
  bundle: true,
  // Dynamic imports become chunks loaded on demand: the config parser and schema (zod) only when the config is
  // loaded (the CLI validates it; the daemon receives it validated), oclif only to render a CLI error.
  splitting: true,
  chunkNames: 'chunk-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['better-sqlite3', 'zstd-napi', '@oclif/core'],
  // CommonJS packages inside an ESM bundle still call require() for node: built-ins; give them one.
  banner: { js: "import { createRequire as __fabrikCreateRequire } from 'node:module'; const require = __fabrikCreateRequire(import.meta.url);" },
  legalComments: 'none',
  // Less text for V8 to scan at start; identifiers are kept, so stack traces in the daemon log stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
})
