import { CommandHelp, Help, type Command, type Interfaces } from '@oclif/core'
import { getHelpFlagAdditions, standardizeIDFromArgv } from '@oclif/core/help'
import { notFound } from './not-found.js'

// Help that puts a command's own flags first: its usage line names them and ends with [CONFIG FLAGS] instead
// of listing the sixteen --config-* overrides every command accepts (they are listed, grouped, after FLAGS).

class FabrikCommandHelp extends CommandHelp {
  protected override defaultUsage(): string {
    const self = this as unknown as { command: Command.Loadable }
    const original = self.command
    const flags = Object.fromEntries(Object.entries(original.flags ?? {}).filter(([name]) => name !== 'config' && !name.startsWith('config-')))
    const hasConfig = Object.keys(original.flags ?? {}).some((name) => name === 'config' || name.startsWith('config-'))
    self.command = { ...original, flags } as Command.Loadable
    try {
      return `${super.defaultUsage()}${hasConfig ? ' [CONFIG FLAGS]' : ''}`
    } finally {
      self.command = original
    }
  }
}

export default class FabrikHelp extends Help {
  // oclif's own answer to `fabrik help stauts` (or `fabrik daemon stauts --help`) is "Command stauts not found."
  // with exit 2 and no suggestion; an unknown command is a usage error (64) wherever it is named.
  override async showHelp(argv: string[]): Promise<void> {
    const subject = helpSubject(argv, this.config)
    if (subject && !this.config.findCommand(subject) && !this.config.findTopic(subject)) notFound(this.config, subject)
    await super.showHelp(argv)
  }

  override getCommandHelpClass(command: Command.Loadable): CommandHelp {
    return new FabrikCommandHelp(command, this.config, this.opts)
  }
}

/** The command or topic id help is asked about, found as oclif's showHelp finds it (help/index.js getHelpSubject). */
function helpSubject(argv: string[], config: Interfaces.Config): string | undefined {
  const helpFlags = getHelpFlagAdditions(config)
  let args = argv.filter((arg) => !helpFlags.includes(arg))
  if (config.topicSeparator !== ':') args = standardizeIDFromArgv(args, config)
  for (const arg of args) {
    if (arg === '--' || arg.startsWith('-')) return undefined
    if (arg !== 'help') return arg
  }
  return undefined
}
