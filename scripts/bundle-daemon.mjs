#!/usr/bin/env node
// Bundles the two programs on `fabrik daemon start`'s path from tsc's output into dist/src/daemon/bundle/:
// - daemon.cjs: the daemon (from dist/src/daemon/main.js), one CommonJS file that src/daemon/launch.ts runs with
//   a V8 code cache (daemon.cjs.cache, made here by running launch.js --warm-cache);
// - cli-start.js: the CLI's oclif-free `daemon start` (from dist/commands/daemon/_fast-start.js), for bin/run.js.
// Each is used only when newer than the tsc output it came from, so a developer who ran only `tsc` runs what
// they compiled. Why: unbundled, the daemon resolves, reads and compiles ~350 modules (fastify, grpc-js,
// protobufjs, pino, prom-client, ...) one by one, most of the time to ready; the CLI ~30 before it spawns.
// tsc stays the type checker; this only joins its output. Native addons stay external (their loaders find the
// .node file relative to their own package).
import { build } from 'esbuild'
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import process from 'node:process'
import { fileURLToPath } from 'node:url'

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)))
const DIST = join(ROOT, 'dist')
const OUT = join(DIST, 'src', 'daemon', 'bundle')

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  // The AWS SDK loads only when an s3:// upstream is configured (src/layers/s3.ts); bundling it would make every
  // daemon parse a megabyte it rarely needs. dbus-next and node-notifier (P2P consent prompts) load optional
  // native or binary helpers at run time.
  external: ['better-sqlite3', 'zstd-napi', '@oclif/core', '@aws-sdk/*', 'dbus-next', 'node-notifier'],
  legalComments: 'none',
  // Less text for V8 to scan at start; identifiers are kept, so stack traces in the daemon log stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
}

rmSync(OUT, { recursive: true, force: true })
await build({
  ...common,
  entryPoints: [{ in: join(DIST, 'commands', 'daemon', '_fast-start.js'), out: 'cli-start' }],
  outdir: OUT,
  format: 'esm',
  // Dynamic imports become chunks loaded on demand: the config parser and schema (zod) once the daemon is
  // spawned, oclif only to render an error.
  splitting: true,
  chunkNames: 'chunk-[hash]',
  // CommonJS packages inside an ESM bundle still call require() for node: built-ins; give them one.
  banner: { js: "import { createRequire as __fabrikCreateRequire } from 'node:module'; const require = __fabrikCreateRequire(import.meta.url);" },
})
/**
 * prom-client's index loads its Pushgateway client (and with it https, tls and zlib) whatever one uses; the daemon
 * is scraped, it never pushes, so in the bundle that module is an empty stub: ~17 ms less to ready.
 */
const noPushgateway = {
  name: 'no-pushgateway',
  setup(b) {
    b.onResolve({ filter: /^\.\/lib\/pushgateway$/ }, (args) =>
      args.importer.includes(`${join('node_modules', 'prom-client')}`) ? { path: 'pushgateway', namespace: 'fabrik-stub' } : undefined)
    b.onLoad({ filter: /.*/, namespace: 'fabrik-stub' }, () => ({
      contents: "module.exports = class Pushgateway { constructor() { throw new Error('not in the fabrik daemon') } }",
      loader: 'js',
    }))
  },
}

await build({
  ...common,
  plugins: [noPushgateway],
  entryPoints: [join(DIST, 'src', 'daemon', 'main.js')],
  outfile: join(OUT, 'daemon.cjs'),
  // CommonJS: vm.Script takes a code cache for a script, not for an ES module (Node 20).
  format: 'cjs',
  // A script run by vm.Script has no dynamic-import callback: import() of an external module (the AWS SDK) must
  // become require().
  supported: { 'dynamic-import': false },
  define: { 'import.meta.url': '__fabrikImportMetaUrl' },
  banner: { js: "var __fabrikImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
})
// The cache must be made under the daemon's own Node flags, or V8 refuses it.
const { DAEMON_NODE_FLAGS } = await import(join(DIST, 'src', 'daemon', 'spawn.js'))
execFileSync(process.execPath, [...DAEMON_NODE_FLAGS, join(DIST, 'src', 'daemon', 'launch.js'), '--warm-cache'], { stdio: 'inherit' })
