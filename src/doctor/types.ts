// One doctor finding. `fix` is what to run or change; `fixable` says whether `fabrik doctor --fix` can do it.
export interface CheckResult {
  name: string
  ok: boolean
  /** Not applicable here (e.g. Gradle not enabled, shell not activated); counts as ok. */
  skipped?: boolean
  message: string
  fix?: string
  fixable: boolean
}

export interface Check {
  name: string
  run(): Promise<CheckResult> | CheckResult
  /** Applies the fix; only called when run() reported ok: false and fixable: true. */
  apply?(): Promise<string> | string
}
