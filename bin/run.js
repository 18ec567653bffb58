#!/usr/bin/env node
// Fast path: the shell hook runs `fabrik hook-env` on every `cd`, so it skips oclif's startup (command
// discovery, plugin loading) and imports only the hook's own module (src/activate/hook-env.ts).
if (process.argv[2] === 'hook-env') {
  const { runHookEnv } = await import('../dist/src/activate/hook-env.js')
  process.exitCode = await runHookEnv(process.argv.slice(3))
} else {
  const { execute } = await import('@oclif/core')
  await execute({ dir: import.meta.url })
}
