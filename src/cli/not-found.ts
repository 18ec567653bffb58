import type { Hook, Interfaces } from '@oclif/core'
import { Errors } from '@oclif/core'
import { closest, editDistance } from './suggest.js'

// `fabrik stauts`: oclif asks this hook before giving up on an unknown command. It suggests the nearest command
// — also a command's last word alone (`fabrik status` → `daemon status`) — and exits 64 (EX_USAGE), as
// docs/cli.md says. @oclif/plugin-not-found was the other option: without a TTY it prints no suggestion and exits
// 127, which contradicts the documented exit code. `fabrik help stauts` and `fabrik stauts --help` end here too
// (help.ts), so every way of naming an unknown command says the same thing.

const hook: Hook.CommandNotFound = async function (opts) {
  notFound(opts.config, opts.id)
}

/** Throws the usage error for an unknown command id (`daemon:stauts`): nearest commands, exit 64. */
export function notFound(config: Interfaces.Config, id: string): never {
  const ids = config.commands.filter((c) => !c.hidden).map((c) => c.id)
  const spaced = (id: string) => id.replaceAll(':', ' ')
  const typed = spaced(id)
  const byWhole = closest(typed, ids.map(spaced))
  // A command's last word alone, or a typo of it: `fabrik stauts` → `daemon status`.
  const last = (id: string) => id.split(':').pop() as string
  const words = typed.includes(' ') ? [] : nearWords(typed, [...new Set(ids.map(last))])
  const byLast = words.flatMap((w) => ids.filter((id) => last(id) === w)).map(spaced)
  // A command's exact last word names it better than a near spelling of another command: `fabrik status` means
  // one of the `status` subcommands, not `fabrik stats`.
  const exact = typed.includes(' ') ? [] : ids.filter((id) => last(id) === typed).map(spaced)
  // Otherwise the nearest whole command and the commands whose last word is nearest: `fabrik stauts` is a typo
  // of `stats` as much as of `daemon status`, so both are offered.
  const near = [...new Set([...(byWhole ? [byWhole] : []), ...byLast])]
  const options = exact.length > 0 && exact.length <= 3 ? exact : near.slice(0, 3)
  const quoted = options.map((o) => `"${o}"`)
  const suggestion = quoted.length <= 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`
  const topic = config.findTopic(id.split(':')[0] ?? '')
  const help = topic ? `fabrik ${topic.name} --help` : 'fabrik --help'
  throw new Errors.CLIError(`"${typed}" is not a fabrik command.${suggestion ? ` Did you mean ${suggestion}?` : ''}`, {
    exit: 64,
    suggestions: [`Run \`${help}\` for the list of commands.`],
  })
}

/** Last words within typo distance, nearest first (`stauts`: `stats` at 1, `status` at 2). */
function nearWords(typed: string, words: string[]): string[] {
  return words
    .map((w) => ({ w, d: editDistance(typed.toLowerCase(), w.toLowerCase()) }))
    .filter((x) => x.d <= Math.max(2, Math.floor(x.w.length / 3)))
    .sort((a, b) => a.d - b.d)
    .map((x) => x.w)
}

export default hook
