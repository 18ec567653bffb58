import { Args } from '@oclif/core'
import { BaseCommand } from './_base.js'
import { activationScript, rcLine } from '../src/activate/hooks.js'
import { detectShell, SHELLS } from '../src/activate/shell.js'

export default class Activate extends BaseCommand {
  static override summary = 'Print the shell hook that activates each project on cd'
  static override description =
    "Add the printed line's eval to your shell's rc file. From then on, entering a folder below a fabrik.toml " +
    "starts that project's daemon if needed and exports the variables its enabled build tools read; leaving " +
    'restores what you had. A prompt in the same folder runs no process. See docs/shell-activation.md.'
  static override examples = [
    `# ~/.bashrc\n${rcLine('bash')}`,
    `# ~/.zshrc\n${rcLine('zsh')}`,
    `# ~/.config/fish/config.fish\n${rcLine('fish')}`,
  ]
  static override args = {
    shell: Args.string({ ignoreStdin: true, description: 'bash, zsh or fish (default: from $SHELL)', options: [...SHELLS], required: false }),
  }

  async run(): Promise<void> {
    const { args } = await this.parse(Activate)
    const shell = detectShell(args.shell, process.env)
    process.stdout.write(activationScript(shell))
    if (process.stdout.isTTY) {
      this.logToStderr(`\n# To activate, add this line to your ${shell} rc file:\n#   ${rcLine(shell)}`)
    }
  }
}
