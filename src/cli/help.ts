import { CommandHelp, Help, type Command } from '@oclif/core'

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
  override getCommandHelpClass(command: Command.Loadable): CommandHelp {
    return new FabrikCommandHelp(command, this.config, this.opts)
  }
}
