import { execFileSync } from 'node:child_process'
import type { TestContext } from 'node:test'

// Real-client tests need the client installed (.ci/run installs them). Outside CI a missing client skips the
// test with the reason; under CI=true it FAILS, so a broken install can never look like a green run.
export function which(cmd: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim() || undefined
  } catch {
    return undefined
  }
}

export function requireClient(t: TestContext, cmd: string): string | undefined {
  const path = which(cmd)
  if (path) return path
  const reason = `${cmd} is not installed (bash .ci/run installs it)`
  if (process.env.CI === 'true') throw new Error(`${reason}; under CI=true a missing client is a failure`)
  t.skip(reason)
  return undefined
}
