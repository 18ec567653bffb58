import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before } from 'node:test'
import { trust } from '../../src/activate/trust.js'
import type { DaemonInfo } from '../../src/daemon/info.js'
import { parseJson, runCli } from './cli.js'

/** What `fabrik daemon start --json` prints. */
export type DaemonJson = DaemonInfo & { started: boolean }

/** A temp project with a fabrik.toml and its own state dir, so tests never touch the user's daemons. */
export interface TestProject {
  dir: string
  env: NodeJS.ProcessEnv
  cli(args: string[], opts?: { cwd?: string; env?: NodeJS.ProcessEnv }): ReturnType<typeof runCli>
  startDaemon(): Promise<DaemonJson>
  cleanup(): Promise<void>
}

export async function makeProject(toml = '[cache]\ndir = ".fabrik/cache"\n', options: { trusted?: boolean } = {}): Promise<TestProject> {
  const root = await mkdtemp(join(tmpdir(), 'fabrik-test-'))
  const dir = join(root, 'project')
  await (await import('node:fs/promises')).mkdir(dir, { recursive: true })
  await writeFile(join(dir, 'fabrik.toml'), toml)
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    FABRIK_STATE_DIR: join(root, 'state'),
    XDG_CONFIG_HOME: join(root, 'xdg-config'),
    XDG_STATE_HOME: join(root, 'xdg-state'),
    XDG_DATA_HOME: join(root, 'xdg-data'),
  }
  delete env.FABRIK_CONFIG
  // The user trusts the project (as `fabrik init` or `fabrik trust` records it); untrusted ones are tested apart.
  if (options.trusted !== false) trust(join(dir, 'fabrik.toml'), Buffer.from(toml), env)
  const cli = (args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) =>
    runCli(args, { cwd: opts.cwd ?? dir, env: { ...env, ...opts.env } })
  return {
    dir,
    env,
    cli,
    async startDaemon() {
      const r = await cli(['daemon', 'start', '--json'])
      if (r.code !== 0) throw new Error(`daemon start failed (exit ${r.code}):\n${r.stdout}\n${r.stderr}`)
      return parseJson<DaemonJson>(r)
    },
    async cleanup() {
      await cli(['daemon', 'stop', '--all']).catch(() => undefined)
      await rm(root, { recursive: true, force: true })
    },
  }
}

/**
 * For a describe() whose tests share one project and its daemon, started by the CLI before the first test and
 * stopped (with the temp dirs removed) after the last.
 */
export function useProjectDaemon(toml?: string): { project: TestProject; daemon: DaemonJson } {
  const ctx = {} as { project: TestProject; daemon: DaemonJson }
  before(async () => {
    ctx.project = await makeProject(toml)
    ctx.daemon = await ctx.project.startDaemon()
  })
  after(async () => ctx.project?.cleanup())
  return ctx
}
