import type { Shell } from '../activate/shell.js'

// `fabrik completion bash|zsh|fish`: a script that completes command words, then each command's flags (and the
// choices of a flag or argument that has fixed options). It is generated from the command list oclif already
// has, so it never names a command that does not exist; the script itself runs no `fabrik` process on <Tab>.

export interface CompletionCommand {
  id: string
  summary?: string
  flags: string[]
  /** Fixed choices of the first positional argument (e.g. `activate bash|zsh|fish`). */
  choices?: string[]
}

function sq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`
}

/** Every word that may follow `prefix` (the words typed so far): the next command word or topic. */
function nextWords(commands: CompletionCommand[]): Map<string, Set<string>> {
  const next = new Map<string, Set<string>>()
  for (const c of commands) {
    const words = c.id.split(':')
    for (let i = 0; i < words.length; i++) {
      const prefix = words.slice(0, i).join(' ')
      if (!next.has(prefix)) next.set(prefix, new Set())
      next.get(prefix)?.add(words[i] as string)
    }
  }
  return next
}

function bash(commands: CompletionCommand[]): string {
  const next = nextWords(commands)
  const cases: string[] = []
  for (const [prefix, words] of next) cases.push(`    ${sq(prefix)}) words=${sq([...words].join(' '))} ;;`)
  const flagCases = commands.map((c) => `    ${sq(c.id.replaceAll(':', ' '))}) words=${sq([...c.flags.map((f) => `--${f}`), ...(c.choices ?? [])].join(' '))} ;;`)
  return `# fabrik completion for bash: eval "$(fabrik completion bash)" in ~/.bashrc
_fabrik() {
  local cur=\${COMP_WORDS[COMP_CWORD]} path= i w words=
  for (( i = 1; i < COMP_CWORD; i++ )); do
    w=\${COMP_WORDS[i]}
    [[ $w == -* ]] && break
    path=\${path:+$path }$w
  done
  case "$path" in
${flagCases.join('\n')}
  esac
  if [[ -z $words || ($cur != -* && -z \${words//--*/}) ]]; then
    case "$path" in
${cases.join('\n')}
    esac
  fi
  COMPREPLY=( $(compgen -W "$words" -- "$cur") )
}
complete -F _fabrik fabrik
`
}

function zsh(commands: CompletionCommand[]): string {
  // zsh's bash compatibility layer runs the bash function unchanged: one implementation to keep right.
  return `# fabrik completion for zsh: eval "$(fabrik completion zsh)" in ~/.zshrc (after compinit)
if ! (( $+functions[compdef] )); then
  autoload -Uz compinit && compinit -u
fi
autoload -Uz bashcompinit && bashcompinit
${bash(commands).split('\n').slice(1).join('\n')}`
}

/** The fish script's first line; `fabrik implode` recognises the installed file by it. */
export const FISH_COMPLETION_HEADER = '# fabrik completion for fish: fabrik completion fish > ~/.config/fish/completions/fabrik.fish'

function fish(commands: CompletionCommand[]): string {
  const lines = [FISH_COMPLETION_HEADER, 'complete -c fabrik -f']
  const next = nextWords(commands)
  for (const [prefix, words] of next) {
    const depth = prefix === '' ? 0 : prefix.split(' ').length
    const cond = prefix === '' ? '__fish_use_subcommand' : `test (count (commandline -opc)) -eq ${depth + 1}; and string match -q -- ${sq(prefix)} (string join ' ' (commandline -opc)[2..])`
    for (const w of words) {
      const c = commands.find((x) => x.id.replaceAll(':', ' ') === (prefix ? `${prefix} ${w}` : w))
      lines.push(`complete -c fabrik -n ${sq(cond)} -a ${sq(w)}${c?.summary ? ` -d ${sq(c.summary)}` : ''}`)
    }
  }
  for (const c of commands) {
    const words = c.id.split(':')
    const cond = `string match -q -- ${sq(words.join(' '))}'*' (string join ' ' (commandline -opc)[2..])`
    for (const f of c.flags) lines.push(`complete -c fabrik -n ${sq(cond)} -l ${f}`)
    for (const choice of c.choices ?? []) lines.push(`complete -c fabrik -n ${sq(cond)} -a ${sq(choice)}`)
  }
  return `${lines.join('\n')}\n`
}

export function completionScript(shell: Shell, commands: CompletionCommand[]): string {
  const sorted = [...commands].sort((a, b) => a.id.localeCompare(b.id))
  return { bash, zsh, fish }[shell](sorted)
}
