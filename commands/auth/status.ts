import { FabrikCommand } from '../_base.js'

export default class AuthStatus extends FabrikCommand {
  static override summary = 'Show the token the daemon sends to a regional fabrik server (subject, tenant, permissions, expiry)'
  static override description = 'Reads FABRIK_TOKEN, then [auth.token] env_var, then [auth.token] file. The token itself is never printed (see `fabrik auth token`).'
  static override enableJsonFlag = true

  async run(): Promise<Record<string, unknown>> {
    const { flags } = await this.parse(AuthStatus)
    const loaded = await this.loadConfig(flags)
    const { describeToken } = await import('../../src/auth/describe.js')
    const report = describeToken(loaded.config.auth.token)
    if (!report.present) {
      this.log(`No token (${report.problem})`)
    } else {
      this.log(`Token from ${report.source}`)
      if (report.subject) this.log(`  subject:     ${report.subject}`)
      if (report.tenant) this.log(`  tenant:      ${report.tenant}`)
      if (report.permissions) this.log(`  permissions: ${report.permissions.join(', ') || '(none)'}`)
      if (report.expires_at) this.log(`  expires:     ${report.expires_at}${report.expired ? ' (EXPIRED)' : ''}`)
      if (report.problem) this.log(`  problem:     ${report.problem}`)
    }
    return { ...report }
  }
}
