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

/** CI is set to anything truthy (CI=true, CI=1, CI=yes...); unset, empty, "0" and "false" mean a developer's machine. */
export function underCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env.CI?.trim().toLowerCase()
  return v !== undefined && v !== '' && v !== '0' && v !== 'false' && v !== 'no'
}

/** Skips the test with `reason` on a developer's machine; under CI the missing prerequisite is a failure. */
export function skipOrFail(t: TestContext, reason: string): void {
  if (underCi()) throw new Error(`${reason}; under CI a missing prerequisite is a failure`)
  t.skip(reason)
}

export function requireClient(t: TestContext, cmd: string): string | undefined {
  const path = which(cmd)
  if (path) return path
  skipOrFail(t, `${cmd} is not installed (bash .ci/run installs it)`)
  return undefined
}
