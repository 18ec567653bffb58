#!/usr/bin/env node
// Fast paths that skip oclif's startup (command discovery, plugin loading):
// - `fabrik hook-env` runs on every `cd` in an activated shell; it imports only its own module.
// - `fabrik --version` prints oclif's exact format from package.json.
const command = process.argv[2]
if (command === 'hook-env') {
  const { runHookEnv } = await import('../dist/src/activate/hook-env.js')
  process.exitCode = await runHookEnv(process.argv.slice(3))
} else if (command === '--version' && process.argv.length === 3) {
  const [{ readFileSync }, { URL }] = await Promise.all([import('node:fs'), import('node:url')])
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  process.stdout.write(`fabrik/${version} ${process.platform}-${process.arch} node-${process.version}\n`)
} else {
  const { execute } = await import('@oclif/core')
  await execute({ dir: import.meta.url })
}
