import { chmodSync } from 'node:fs'
import { join } from 'node:path'
import { runCommand, type CliResult } from './cli.js'
import { writeTree } from './workspace.js'

/**
 * A genrule-only workspace (offline Bazel cannot fetch rules_cc, test-clients trap 6) whose outputs are several MiB,
 * so uploads and downloads are chunked. `tool.sh` is a plain script used as a genrule tool.
 */
export function genruleWorkspace(root: string, mib = 6): void {
  writeTree(root, {
    WORKSPACE: 'workspace(name = "fabrik_e2e")\n',
    'tool.sh': '#!/bin/sh\n# usage: tool.sh OUT MIB SEED\nhead -c $(( $2 * 1048576 )) /dev/zero | tr "\\0" "$3" > "$1"\necho "generated $1"\n',
    BUILD: [
      'genrule(name = "big", outs = ["big.bin"], tools = ["tool.sh"], cmd = "$(location tool.sh) $@ ' + mib + ' a")',
      'genrule(name = "small", outs = ["small.txt"], cmd = "echo hello-fabrik > $@")',
      'genrule(name = "combined", srcs = [":big", ":small"], outs = ["combined.bin"], cmd = "cat $(SRCS) > $@")',
      '',
    ].join('\n'),
  })
  chmodSync(join(root, 'tool.sh'), 0o755)
}

export interface Bazel {
  run(args: string[]): Promise<CliResult>
  shutdown(): Promise<void>
}

/** Bazel with its own output root, so tests never share a server (trap 6). */
export function bazel(bin: string, workspace: string, outputRoot: string, env: NodeJS.ProcessEnv, startup: string[] = []): Bazel {
  const base = [`--output_user_root=${outputRoot}`, ...startup]
  return {
    run: (args) => runCommand(bin, [...base, ...args], { cwd: workspace, env, timeoutMs: 300_000 }),
    shutdown: async () => {
      await runCommand(bin, [...base, 'shutdown'], { cwd: workspace, env, timeoutMs: 60_000 })
    },
  }
}

/** Bazel's summary line, e.g. "INFO: 4 processes: 3 remote cache hit, 1 internal." */
export function remoteCacheHits(output: string): number {
  const m = /(\d+) remote cache hit/.exec(output)
  return m ? Number(m[1]) : 0
}

export function locallyExecuted(output: string): number {
  const m = /processes:[^\n]*?(\d+) (?:linux-sandbox|processwrapper-sandbox|local)/.exec(output)
  return m ? Number(m[1]) : 0
}
