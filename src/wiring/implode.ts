import { existsSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import envPaths from 'env-paths'
import { listProjectRecords } from '../activate/cache.js'
import { readTrust, dataDir } from '../activate/trust.js'
import { SHELLS } from '../activate/shell.js'
import { initTemplate } from '../config/templates.js'
import { stateRoot } from '../daemon/identity.js'
import { writeAtomic } from '../daemon/state.js'
import { FISH_COMPLETION_HEADER } from '../cli/completion.js'
import { findBazelWorkspace, tryImportLine } from './bazel.js'
import { gradleInitScriptPath } from './gradle.js'
import { removeGitignoreLine } from './gitignore.js'
import { rcFile } from './rc.js'

// `fabrik implode`: undo everything Fabrik wrote on this machine, listed first. What it knows of: the rc line
// (`doctor --fix`), the fish completion file `fabrik completion` recommends, the Gradle init script, each known project's Bazel try-import, .fabrik/ folder, .gitignore
// line and an untouched `fabrik init` fabrik.toml (an edited one is the user's and stays), the daemons' state,
// the user cache, the trust records and the user config dir. Known projects are those the trust file and the
// activation records name, plus the one around the cwd.

export interface Step {
  path: string
  action: 'delete' | 'edit'
  detail: string
  apply(): void
}

/**
 * Removes the folders above `path` that are empty now, up to the home folder: Fabrik created ~/.gradle/init.d or
 * ~/.local/state for its files; a folder that holds anything else stays.
 */
function pruneEmptyParents(path: string): void {
  const home = process.env.HOME || homedir()
  for (let dir = dirname(path); dir.startsWith(`${home}/`) && dir !== home; dir = dirname(dir)) {
    try {
      if (readdirSync(dir).length > 0) return
      rmdirSync(dir)
    } catch {
      return
    }
  }
}

function rmStep(path: string, detail: string): Step | undefined {
  if (!existsSync(path)) return undefined
  return {
    path,
    action: 'delete',
    detail,
    apply() {
      rmSync(path, { recursive: true, force: true })
      pruneEmptyParents(path)
    },
  }
}

/** Removes the lines `keep` rejects; deletes the file when nothing but blank lines remain. */
function editStep(path: string, detail: string, drop: (line: string) => boolean): Step | undefined {
  if (!existsSync(path)) return undefined
  const text = readFileSync(path, 'utf8')
  const lines = text.split('\n')
  if (!lines.some(drop)) return undefined
  return {
    path,
    action: 'edit',
    detail,
    apply() {
      // The blank line Fabrik put before its lines goes with them.
      const next = lines.filter((l) => !drop(l)).join('\n').replace(/\n{3,}/g, '\n\n').replace(/^\n+/, '').replace(/\n+$/, '\n')
      if (next.trim() === '') rmSync(path)
      else writeAtomic(path, next.endsWith('\n') ? next : `${next}\n`)
    },
  }
}

const RC_COMMENT = "# Fabrik: point build tools at the project's cache daemon on cd"
const BAZEL_COMMENT = '# Fabrik: the local daemon as remote cache (added by `fabrik init`; the daemon writes the imported file)'

/**
 * The file `fabrik completion --help` tells fish users to write (fish loads completions from its config dir's
 * completions/ folder, not from config.fish) — removed only when it still starts as Fabrik wrote it.
 */
function fishCompletionStep(env: NodeJS.ProcessEnv): Step | undefined {
  const path = join(dirname(rcFile('fish', env)), 'completions', 'fabrik.fish')
  try {
    if (!readFileSync(path, 'utf8').startsWith(FISH_COMPLETION_HEADER)) return undefined
  } catch {
    return undefined
  }
  return rmStep(path, 'the fish completion script (`fabrik completion fish`)')
}

export function knownProjects(env: NodeJS.ProcessEnv, cwd: string): string[] {
  const configs = new Set<string>([...Object.keys(readTrust(env)), ...listProjectRecords(env).map((r) => r.config)])
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'fabrik.toml'))) {
      configs.add(join(dir, 'fabrik.toml'))
      break
    }
    if (dirname(dir) === dir) break
  }
  return [...configs].filter((c) => c.endsWith('fabrik.toml')).map((c) => dirname(c)).sort()
}

export function implodePlan(env: NodeJS.ProcessEnv, cwd: string): Step[] {
  const steps: (Step | undefined)[] = []
  for (const shell of SHELLS) {
    const hook = new RegExp(`^[^#]*fabrik\\s+(activate|completion)\\s+${shell}\\b`)
    steps.push(editStep(rcFile(shell, env), `remove the \`fabrik activate ${shell}\` line`, (l) => l === RC_COMMENT || hook.test(l)))
  }
  steps.push(fishCompletionStep(env))
  steps.push(rmStep(gradleInitScriptPath(env), 'the Gradle init script'))
  for (const project of knownProjects(env, cwd)) {
    if (!existsSync(project)) continue
    const workspace = findBazelWorkspace(project)
    if (workspace) {
      const line = tryImportLine(workspace, project)
      steps.push(editStep(join(workspace, '.bazelrc'), `remove \`${line}\``, (l) => l === BAZEL_COMMENT || l.trim() === line))
    }
    steps.push(rmStep(join(project, '.fabrik'), "the project's cache and wiring"))
    const gitignore = join(project, '.gitignore')
    if (existsSync(gitignore) && /^\.fabrik\/$/m.test(readFileSync(gitignore, 'utf8'))) {
      steps.push({ path: gitignore, action: 'edit', detail: 'remove the `.fabrik/` line', apply: () => void removeGitignoreLine(project) })
    }
    const toml = join(project, 'fabrik.toml')
    try {
      if (statSync(toml).isFile() && readFileSync(toml, 'utf8') === initTemplate()) steps.push(rmStep(toml, 'written by `fabrik init` and never edited'))
    } catch {
      // gone
    }
  }
  const paths = envPaths('fabrik', { suffix: '' })
  const root = stateRoot(env)
  steps.push(rmStep(env.FABRIK_STATE_DIR ? root : dirname(root), "the daemons' state and logs"))
  const cache = env.XDG_CACHE_HOME ? join(env.XDG_CACHE_HOME, 'fabrik') : paths.cache
  steps.push(rmStep(cache, 'the user-wide cache'))
  steps.push(rmStep(dataDir(env), 'trust records'))
  const config = env.XDG_CONFIG_HOME ? join(env.XDG_CONFIG_HOME, 'fabrik') : paths.config
  steps.push(rmStep(config, 'the user-wide config'))
  const seen = new Set<string>()
  return steps.filter((s): s is Step => s !== undefined && !seen.has(s.path) && (seen.add(s.path), true))
}
