import type { Shell } from './shell.js'

// The code `fabrik activate <shell>` prints for the rc file. Each hook keeps the last directory it saw in a
// shell variable and compares it with $PWD, and checks the files hook-env told it to watch (watch.ts) with the
// shell's own -e / -nt tests — builtins only, so a prompt where nothing changed spawns no process. Only on a
// change does it run `fabrik hook-env` (with --watch for a file change), whose output (a diff of exports and
// unsets, then the new watch lists) the shell evaluates. A `fabrik` function routes `fabrik deactivate` through eval, because a child process
// cannot change its parent shell's variables (its --help is printed, not evaluated).

/**
 * bash and zsh alike: why this prompt must ask `fabrik hook-env` again — a new directory (`cd`), or a watched
 * file that appeared, vanished or changed since the last activation (`--watch`); empty when nothing did.
 */
const WHY_CHANGED = `  if [[ "\${__fabrik_last_pwd-}" != "$PWD" ]]; then
    __fabrik_why=cd
  else
    for __fabrik_f in "\${__fabrik_present[@]}"; do
      [[ -e "$__fabrik_f" && ! "$__fabrik_f" -nt "$__fabrik_stamp" ]] || { __fabrik_why=--watch; break; }
    done
    for __fabrik_f in "\${__fabrik_absent[@]}"; do
      [[ ! -e "$__fabrik_f" ]] || { __fabrik_why=--watch; break; }
    done
  fi
`

const BASH = `# Fabrik shell activation (bash): prints nothing and spawns nothing on a prompt where nothing changed.
__fabrik_hook() {
  local __fabrik_status=$? __fabrik_f __fabrik_why=
${WHY_CHANGED}  if [[ -n "$__fabrik_why" ]]; then
    __fabrik_last_pwd="$PWD"
    eval "$(command fabrik hook-env --shell bash \${__fabrik_why#cd})"
  fi
  return $__fabrik_status
}
fabrik() {
  if [[ "\${1-}" == deactivate && " $* " != *" --help "* && " $* " != *" -h "* ]]; then
    shift
    eval "$(command fabrik deactivate --shell bash "$@")"
  else
    command fabrik "$@"
  fi
}
__fabrik_present=()
__fabrik_absent=()
__fabrik_stamp=
if [[ ";\${PROMPT_COMMAND[*]-};" != *";__fabrik_hook;"* ]]; then
  PROMPT_COMMAND="__fabrik_hook\${PROMPT_COMMAND:+;$PROMPT_COMMAND}"
fi
__fabrik_hook
`

// zsh: chpwd fires during the cd itself, so \`cd app && gradle build\` on one line already sees the variables;
// precmd covers directory changes that do not go through cd (and the first prompt).
const ZSH = `# Fabrik shell activation (zsh): prints nothing and spawns nothing on a prompt where nothing changed.
__fabrik_hook() {
  local __fabrik_f __fabrik_why=
${WHY_CHANGED}  if [[ -n "$__fabrik_why" ]]; then
    typeset -g __fabrik_last_pwd="$PWD"
    eval "$(command fabrik hook-env --shell zsh \${__fabrik_why#cd})"
  fi
}
fabrik() {
  if [[ "\${1-}" == deactivate && " $* " != *" --help "* && " $* " != *" -h "* ]]; then
    shift
    eval "$(command fabrik deactivate --shell zsh "$@")"
  else
    command fabrik "$@"
  fi
}
typeset -ga __fabrik_present __fabrik_absent
typeset -g __fabrik_stamp=
autoload -Uz add-zsh-hook
add-zsh-hook chpwd __fabrik_hook
add-zsh-hook precmd __fabrik_hook
__fabrik_hook
`

// fish: an event handler on PWD runs as soon as cd changes it (fish has no PROMPT_COMMAND).
const FISH = `# Fabrik shell activation (fish): prints nothing and spawns nothing on a prompt where nothing changed.
function __fabrik_hook --on-variable PWD --on-event fish_prompt --description 'Fabrik: point build tools at this project daemon'
  set -l why
  if test "$__fabrik_last_pwd" != "$PWD"
    set why cd
  else
    for f in $__fabrik_present
      if not test -e $f; or test $f -nt $__fabrik_stamp
        set why --watch
        break
      end
    end
    for f in $__fabrik_absent
      if test -e $f
        set why --watch
        break
      end
    end
  end
  if test -n "$why"
    set -g __fabrik_last_pwd $PWD
    if test $why = cd
      command fabrik hook-env --shell fish | source
    else
      command fabrik hook-env --shell fish --watch | source
    end
  end
end
function fabrik --description 'Fabrik (deactivate is evaluated in this shell)'
  if test "$argv[1]" = deactivate; and not contains -- --help $argv; and not contains -- -h $argv
    command fabrik deactivate --shell fish $argv[2..-1] | source
  else
    command fabrik $argv
  end
end
set -g __fabrik_present
set -g __fabrik_absent
set -g __fabrik_stamp
__fabrik_hook
`

export function activationScript(shell: Shell): string {
  return { bash: BASH, zsh: ZSH, fish: FISH }[shell]
}

/** Removes what activationScript defined; the variables are restored separately (see transition.ts). */
export function teardownScript(shell: Shell): string {
  switch (shell) {
    case 'bash':
      return [
        'PROMPT_COMMAND="${PROMPT_COMMAND//__fabrik_hook;/}"',
        'PROMPT_COMMAND="${PROMPT_COMMAND//__fabrik_hook/}"',
        'unset -f __fabrik_hook fabrik 2>/dev/null',
        'unset __fabrik_last_pwd __fabrik_stamp __fabrik_present __fabrik_absent',
        '',
      ].join('\n')
    case 'zsh':
      return [
        'add-zsh-hook -d chpwd __fabrik_hook 2>/dev/null',
        'add-zsh-hook -d precmd __fabrik_hook 2>/dev/null',
        'unfunction __fabrik_hook fabrik 2>/dev/null',
        'unset __fabrik_last_pwd __fabrik_stamp __fabrik_present __fabrik_absent',
        '',
      ].join('\n')
    case 'fish':
      return ['functions -e __fabrik_hook fabrik', 'set -e -g __fabrik_last_pwd __fabrik_stamp __fabrik_present __fabrik_absent', ''].join('\n')
  }
}

/** The line for the user's rc file, and the file it belongs in (doctor checks and --fix appends it). */
export function rcLine(shell: Shell): string {
  return shell === 'fish' ? 'fabrik activate fish | source' : `eval "$(fabrik activate ${shell})"`
}
