import { Args } from '@oclif/core'
import { BaseCommand } from './_base.js'

export default class Completion extends BaseCommand {
  static override summary = 'Print the shell completion script for bash, zsh or fish'
  static override description = 'Completes commands, their flags and fixed choices. Load it from your rc file.'
  static override examples = [
    '# ~/.bashrc\neval "$(fabrik completion bash)"',
    '# ~/.zshrc (after compinit)\neval "$(fabrik completion zsh)"',
    'fabrik completion fish > ~/.config/fish/completions/fabrik.fish',
  ]
  static override args = {
    shell: Args.string({ ignoreStdin: true, description: 'bash, zsh or fish (default: from $SHELL)', options: ['bash', 'zsh', 'fish'], required: false }),
  }

  async run(): Promise<void> {
    const { args } = await this.parse(Completion)
    const [{ completionScript }, { detectShell }] = await Promise.all([import('../src/cli/completion.js'), import('../src/activate/shell.js')])
    const commands = this.config.commands
      .filter((c) => !c.hidden)
      .map((c) => {
        const first = Object.values(c.args ?? {})[0] as { options?: string[] } | undefined
        return {
          id: c.id,
          ...(c.summary ? { summary: c.summary } : {}),
          flags: Object.keys(c.flags ?? {}).filter((f) => !f.startsWith('config-')),
          ...(first?.options ? { choices: first.options } : {}),
        }
      })
    process.stdout.write(completionScript(detectShell(args.shell, process.env), commands))
  }
}
