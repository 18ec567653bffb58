import { basename } from 'node:path'

// Bazel before 9 reads no BAZELRC variable, so `fabrik exec -- bazel ...` hands it the daemon's rc file as a
// startup option, which must come before the command (`build`). Bazel reads every --bazelrc given, after the
// system, workspace and home rc files (checked with Bazel 4.2.3): the workspace's own .bazelrc keeps working,
// and a --bazelrc the user passes comes after ours, so theirs wins on conflicts.

const BAZEL_NAMES = new Set(['bazel', 'bazelisk', 'bazel.exe', 'bazelisk.exe'])

export function isBazel(command: string): boolean {
  return BAZEL_NAMES.has(basename(command))
}

export function withBazelrc(argv: readonly string[], bazelrc: string): string[] {
  const [command, ...rest] = argv
  if (command === undefined || !isBazel(command)) return [...argv]
  return [command, `--bazelrc=${bazelrc}`, ...rest]
}

/**
 * Splits `fabrik exec [FLAGS] [--] CMD ARGS...` into exec's own flags and the command. Every exec flag
 * (--config, --config-*) takes a value, so `--name value` consumes two words; the first word that is not a
 * flag, or everything after `--`, is the command — so `fabrik exec make -j4` and `fabrik exec -- make -j4` agree.
 */
export function splitExecArgv(argv: readonly string[], booleanFlags: ReadonlySet<string> = new Set(['--help', '-h'])): { own: string[]; command: string[] } {
  const own: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (arg === '--') return { own, command: argv.slice(i + 1) }
    if (!arg.startsWith('-')) return { own, command: argv.slice(i) }
    own.push(arg)
    if (!arg.includes('=') && !booleanFlags.has(arg) && i + 1 < argv.length) own.push(argv[++i] as string)
  }
  return { own, command: [] }
}
