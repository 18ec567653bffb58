import { Args, Flags } from '@oclif/core'
import { FabrikError } from '../../src/errors/registry.js'
import { validateSha256 } from '../../src/store/keys.js'
import { StoreCommand, type EntryInfo } from './_store.js'

export default class CasGet extends StoreCommand {
  static override summary = 'Write a cached blob to a file or stdout'
  static override description =
    'Reads the blob with this SHA-256 from the local cache, checking its hash on the way out. Exits 66 when it is ' +
    'not cached. With --json the blob must go to a file (-o), and the output describes it.'
  static override examples = ['<%= config.bin %> cas get 9f86d08… -o out.bin', '<%= config.bin %> cas get 9f86d08… > out.bin']
  static override enableJsonFlag = true
  static override args = { hash: Args.string({ ignoreStdin: true, description: 'SHA-256 of the blob (64 hex characters)', required: true }) }
  static override flags = { output: Flags.string({ char: 'o', description: 'Write to this file instead of stdout' }) }

  async run(): Promise<EntryInfo & { output?: string }> {
    const { args, flags } = await this.parse(CasGet)
    const hash = validateSha256(args.hash)
    if (this.jsonEnabled() && flags.output === undefined) {
      throw new FabrikError('USAGE', '--json needs -o FILE: the blob is binary and would corrupt the JSON on stdout')
    }
    const info = await this.withStore(flags, (s) => this.copyOut(s, 'cas', hash, flags.output))
    return flags.output === undefined ? info : { ...info, output: flags.output }
  }
}
