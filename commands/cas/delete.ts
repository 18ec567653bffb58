import { Args } from '@oclif/core'
import { validateSha256 } from '../../src/store/keys.js'
import { StoreCommand } from './_store.js'

export default class CasDelete extends StoreCommand {
  static override summary = 'Remove a blob from the local cache'
  static override description = 'Exits 66 when the blob was not cached.'
  static override enableJsonFlag = true
  static override args = { hash: Args.string({ ignoreStdin: true, description: 'SHA-256 of the blob', required: true }) }

  async run(): Promise<{ key: string; deleted: true }> {
    const { args, flags } = await this.parse(CasDelete)
    return this.remove(flags, 'cas', validateSha256(args.hash))
  }
}
