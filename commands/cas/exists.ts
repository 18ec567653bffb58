import { Args } from '@oclif/core'
import { validateSha256 } from '../../src/store/keys.js'
import { StoreCommand } from './_store.js'

export default class CasExists extends StoreCommand {
  static override summary = 'Tell whether a blob is in the local cache'
  static override description =
    'Exit status 0 when the blob is cached, 1 when it is not (also with --json, which prints {"exists": …}).'
  static override examples = ['if <%= config.bin %> cas exists 9f86d08…; then echo cached; fi']
  static override enableJsonFlag = true
  static override args = { hash: Args.string({ ignoreStdin: true, description: 'SHA-256 of the blob', required: true }) }

  async run(): Promise<{ key: string; exists: boolean }> {
    const { args, flags } = await this.parse(CasExists)
    return this.exists(flags, 'cas', validateSha256(args.hash))
  }
}
