import type { Hook } from '@oclif/core'
import { Errors } from '@oclif/core'
import { closest, closestAll } from './suggest.js'

// `fabrik stauts`: oclif asks this hook before giving up on an unknown command. It suggests the nearest command
// — also a command's last word alone (`fabrik status` → `daemon status`) — and exits 64 (EX_USAGE), as
// docs/cli.md says. @oclif/plugin-not-found was the other option: without a TTY it prints no suggestion and exits
// 127, which contradicts the documented exit code.

const hook: Hook.CommandNotFound = async function (opts) {
  const ids = opts.config.commands.filter((c) => !c.hidden).map((c) => c.id)
  const spaced = (id: string) => id.replaceAll(':', ' ')
  const typed = spaced(opts.id)
  const byWhole = closest(typed, ids.map(spaced))
  // A command's last word alone, or a typo of it: `fabrik stauts` → `daemon status`.
  const last = (id: string) => id.split(':').pop() as string
  const words = typed.includes(' ') ? [] : closestAll(typed, [...new Set(ids.map(last))])
  const byLast = ids.filter((id) => words.includes(last(id))).map(spaced)
  const options = byWhole ? [byWhole] : byLast.length <= 3 ? byLast : []
  const quoted = options.map((o) => `"${o}"`)
  const suggestion = quoted.length <= 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`
  const topic = opts.config.findTopic(opts.id.split(':')[0] ?? '')
  const help = topic ? `fabrik ${topic.name} --help` : 'fabrik --help'
  throw new Errors.CLIError(`"${typed}" is not a fabrik command.${suggestion ? ` Did you mean ${suggestion}?` : ''}`, {
    exit: 64,
    suggestions: [`Run \`${help}\` for the list of commands.`],
  })
}

export default hook
