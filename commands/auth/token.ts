import { FabrikCommand } from '../_base.js'

export default class AuthToken extends FabrikCommand {
  static override summary = 'Print the token the daemon sends upstream (for scripts: TURBO_TOKEN=$(fabrik auth token))'

  async run(): Promise<void> {
    const { flags } = await this.parse(AuthToken)
    const loaded = await this.loadConfig(flags)
    const { upstreamToken } = await import('../../src/auth/token.js')
    const { FabrikError } = await import('../../src/errors/registry.js')
    const { token } = upstreamToken(loaded.config.auth.token)
    if (!token) throw new FabrikError('UNAUTHENTICATED', 'no token is configured', { fix: 'Set FABRIK_TOKEN, or [auth.token] env_var / file in fabrik.toml.' })
    this.log(token)
  }
}
