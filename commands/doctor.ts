import { Flags } from '@oclif/core'
import { FabrikCommand } from './_base.js'
import type { DoctorReport } from '../src/doctor/run.js'
import { EXIT_CODES } from '../src/errors/exit-codes.js'

export default class Doctor extends FabrikCommand {
  static override summary = "Check the daemon, the shell hook and each enabled tool's wiring"
  static override description =
    'Checks that the project daemon runs, that `fabrik` is on PATH and your rc file runs `fabrik activate`, ' +
    "that an activated shell's variables point at the running daemon, and the wiring of tools that read no " +
    'variable (Gradle init script, try-import in the Bazel workspace .bazelrc). Prints the fix for each failure; ' +
    '--fix applies those it can. Exits 75 when a check still fails (with --json too, after printing the report).'
  static override examples = ['<%= config.bin %> doctor', '<%= config.bin %> doctor --fix', '<%= config.bin %> doctor --json']
  static override enableJsonFlag = true
  static override flags = {
    fix: Flags.boolean({ description: 'Apply the fixes that can be applied automatically', default: false }),
  }

  async run(): Promise<DoctorReport | undefined> {
    const { flags } = await this.parse(Doctor)
    const report = await this.check(flags)
    if (this.jsonEnabled()) {
      if (report.ok) return report
      // The report itself is the JSON answer; this.exit() here would make oclif print an EEXIT error instead.
      this.logJson(report)
      process.exitCode = EXIT_CODES.failed_precondition
      return undefined
    }
    for (const c of report.checks) {
      const mark = c.skipped ? '-' : c.ok ? '✓' : '✗'
      this.log(`${mark} ${c.name}: ${c.message}`)
      if (c.fixed) this.log(`    fixed: ${c.fixed}`)
      if (c.fixError) this.log(`    fix failed: ${c.fixError}`)
      if (!c.ok && c.fix) this.log(`    fix: ${c.fix}${c.fixable && !flags.fix ? '  (fabrik doctor --fix applies it)' : ''}`)
    }
    if (!report.ok) {
      const { FabrikError } = await import('../src/errors/registry.js')
      const failed = report.checks.filter((c) => !c.ok).map((c) => c.name)
      throw new FabrikError('DOCTOR_FAILED', `${failed.length} check(s) failed: ${failed.join(', ')}`)
    }
    return report
  }

  private async check(flags: Record<string, unknown> & { fix: boolean }): Promise<DoctorReport> {
    let loaded
    try {
      loaded = await this.loadConfig(flags)
    } catch (err) {
      const { toFabrikError } = await import('../src/errors/registry.js')
      const e = toFabrikError(err)
      return { ok: false, checks: [{ name: 'config', ok: false, message: `${e.code}: ${e.message}`, fix: e.fix, fixable: false }] }
    }
    const [{ doctorChecks }, { runDoctor }, { ensureDaemon }] = await Promise.all([
      import('../src/doctor/checks.js'),
      import('../src/doctor/run.js'),
      import('../src/daemon/start.js'),
    ])
    const configCheck = { name: 'config', ok: true, message: loaded.path ? `using ${loaded.path}` : 'no fabrik.toml found: using defaults', fixable: false }
    const checks = doctorChecks({
      loaded,
      env: process.env,
      cwd: process.cwd(),
      startDaemon: () => ensureDaemon(loaded),
    })
    const report = await runDoctor(checks, { fix: flags.fix })
    return { ok: report.ok, checks: [configCheck, ...report.checks] }
  }
}
