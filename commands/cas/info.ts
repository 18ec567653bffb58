import { Args } from '@oclif/core'
import { validateSha256 } from '../../src/store/keys.js'
import { StoreCommand, entryInfo, type EntryInfo } from './_store.js'

export default class CasInfo extends StoreCommand {
  static override summary = "Show a cached blob's size and timestamps"
  static override description = 'Reading the metadata does not count as a use of the blob. Exits 66 when it is not cached.'
  static override enableJsonFlag = true
  static override args = { hash: Args.string({ ignoreStdin: true, description: 'SHA-256 of the blob', required: true }) }

  async run(): Promise<EntryInfo> {
    const { args, flags } = await this.parse(CasInfo)
    const hash = validateSha256(args.hash)
    const st = await this.withStore(flags, (s) => s.stat('cas', hash))
    if (!st) throw this.notFound('cas', hash)
    const info = entryInfo(hash, st)
    for (const [k, v] of Object.entries(info)) this.log(`${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    return info
  }
}
