#!/usr/bin/env node
// Fast paths that skip oclif's startup (command discovery, plugin loading):
// - `fabrik hook-env` runs on every `cd` in an activated shell; it imports only its own module.
// - `fabrik --version` prints oclif's exact format from package.json.
// - `fabrik daemon start` (the shell hook's and editors' way in) with plain flags: ~200 ms of its 500 ms budget
//   would be oclif's; anything it does not fully understand (--help, unknown flags) still goes to oclif.
const command = process.argv[2]
let handled = false
if (command === 'hook-env') {
  const { runHookEnv } = await import('../dist/src/activate/hook-env.js')
  process.exitCode = await runHookEnv(process.argv.slice(3))
  handled = true
} else if (command === '--version' && process.argv.length === 3) {
  const [{ readFileSync }, { URL }] = await Promise.all([import('node:fs'), import('node:url')])
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  process.stdout.write(`fabrik/${version} ${process.platform}-${process.arch} node-${process.version}\n`)
  handled = true
} else if (command === 'daemon' && process.argv[3] === 'start') {
  // The build's bundle of it (scripts/bundle-daemon.mjs), unless tsc has emitted the module since.
  const [{ statSync }, { URL }] = await Promise.all([import('node:fs'), import('node:url')])
  const bundled = new URL('../dist/src/daemon/bundle/cli-start.js', import.meta.url)
  const compiled = new URL('../dist/commands/daemon/_fast-start.js', import.meta.url)
  let entry = compiled
  try {
    if (statSync(bundled).mtimeMs >= statSync(compiled).mtimeMs) entry = bundled
  } catch {
    // no bundle: a tsc-only build
  }
  const { fastDaemonStart } = await import(entry.href)
  const code = await fastDaemonStart(process.argv.slice(4))
  if (code !== undefined) {
    process.exitCode = code
    handled = true
  }
}
if (!handled) {
  const { execute } = await import('@oclif/core')
  await execute({ dir: import.meta.url })
}
