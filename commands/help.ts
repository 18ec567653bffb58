import { Args, Command, loadHelpClass } from '@oclif/core'

export default class HelpCommand extends Command {
  static override summary = 'Show help for fabrik or one of its commands'
  static override examples = ['<%= config.bin %> help', '<%= config.bin %> help daemon', '<%= config.bin %> help daemon start']
  static override strict = false
  static override args = {
    command: Args.string({ ignoreStdin: true, description: 'A command or topic, e.g. `daemon` or `daemon start`', required: false }),
  }

  async run(): Promise<void> {
    const Help = await loadHelpClass(this.config)
    await new Help(this.config, this.config.pjson.oclif.helpOptions ?? this.config.pjson.helpOptions).showHelp(this.argv)
  }
}
