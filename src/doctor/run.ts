import type { Check, CheckResult } from './types.js'

export interface DoctorReport {
  ok: boolean
  checks: (CheckResult & { fixed?: string; fixError?: string })[]
}

/**
 * Runs the checks in order (later ones may use what earlier ones found, e.g. the running daemon). With `fix`,
 * a fixable failure is fixed and checked again, so the report shows the state after the fix.
 */
export async function runDoctor(checks: Check[], options: { fix: boolean }): Promise<DoctorReport> {
  const results: DoctorReport['checks'] = []
  for (const check of checks) {
    let result: DoctorReport['checks'][number] = await check.run()
    if (!result.ok && result.fixable && options.fix && check.apply) {
      try {
        const fixed = await check.apply()
        result = { ...(await check.run()), fixed }
      } catch (err) {
        result = { ...result, fixError: (err as Error).message }
      }
    }
    results.push(result)
  }
  return { ok: results.every((r) => r.ok), checks: results }
}
