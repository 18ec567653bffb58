import { Command, Flags } from '@oclif/core'

export default class P2PSecret extends Command {
  static override summary = 'Print a new random team secret for [p2p] secret (works offline)'
  static override examples = ['<%= config.bin %> p2p secret', '<%= config.bin %> p2p secret -l 48']
  static override enableJsonFlag = true
  static override flags = { length: Flags.integer({ char: 'l', description: 'Characters (at least 16)', default: 32, min: 16, max: 1024 }) }

  async run(): Promise<{ secret: string }> {
    const { flags } = await this.parse(P2PSecret)
    const { randomBytes } = await import('node:crypto')
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
    let secret = ''
    // Rejection sampling: no modulo bias.
    while (secret.length < flags.length) for (const b of randomBytes(64)) if (b < 248 && secret.length < flags.length) secret += alphabet[b % 62]
    this.log(secret)
    return { secret }
  }
}
