import { Flags } from '@oclif/core'
import { TEMPLATE_NAMES, TEMPLATES } from '../../src/config/templates.js'
import { FabrikCommand } from '../_base.js'

export default class ConfigGenerate extends FabrikCommand {
  static override summary = 'Print a commented fabrik.toml for a use case'
  static override description =
    'daemon: a project\'s local cache daemon; server: a regional server shared by a team; exec: a short-lived ' +
    'daemon around one build command (CI). Redirect the output to a file, e.g. > fabrik.toml.'
  static override examples = ['<%= config.bin %> config generate --template server > fabrik.toml']
  static override flags = {
    template: Flags.string({ description: 'Which template', options: TEMPLATE_NAMES, default: 'daemon' }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(ConfigGenerate)
    this.log(TEMPLATES[flags.template as keyof typeof TEMPLATES].trimEnd())
  }
}
