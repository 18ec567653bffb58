import { readdirSync, readFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { BuildSystem } from '../config/types.js'
import { contentHash, stateRoot } from '../daemon/identity.js'
import { DIR_MODE, FILE_MODE, files, isAlive, writeAtomic } from '../daemon/state.js'
import type { ActivationInputs } from './variables.js'

// The fast path of `cd` must not parse and validate the whole config to learn which daemon serves a project and
// which tools are enabled. So every activation (the hook's slow path, `fabrik exec`, `fabrik daemon start`)
// records it per project, keyed by the path of its fabrik.toml, in <state root>/projects/. A record holds the
// hash of the file's bytes and of the FABRIK_CONFIG_* environment it was loaded with: when either differs, the
// record is stale and the config is loaded again (its daemon id may have changed). Several projects may name one
// daemon (a shared store); a daemon checks these records to learn whether any config still names it (orphan.ts).

export interface ProjectRecord extends ActivationInputs {
  /** The fabrik.toml. */
  config: string
  /** contentHash of its bytes when recorded. */
  hash: string
  /** envKey() of the environment it was loaded with. */
  env: string
}

export function projectsDir(env: NodeJS.ProcessEnv): string {
  return join(stateRoot(env), 'projects')
}

export function recordFile(configPath: string, env: NodeJS.ProcessEnv): string {
  return join(projectsDir(env), `${contentHash(configPath)}.json`)
}

/** The FABRIK_CONFIG_* variables change the effective config, so they are part of a record's key. */
export function envKey(env: NodeJS.ProcessEnv): string {
  const names = Object.keys(env)
    .filter((k) => k.startsWith('FABRIK_CONFIG_') && env[k] !== undefined)
    .sort()
  return names.length === 0 ? '' : contentHash(names.map((k) => `${k}=${env[k]}`).join('\n'))
}

export function writeProjectRecord(record: ProjectRecord, env: NodeJS.ProcessEnv): void {
  mkdirSync(projectsDir(env), { recursive: true, mode: DIR_MODE })
  writeAtomic(recordFile(record.config, env), `${JSON.stringify(record)}\n`, FILE_MODE)
}

function parse(text: string): ProjectRecord | undefined {
  try {
    const r = JSON.parse(text) as ProjectRecord
    if (typeof r.id !== 'string' || typeof r.config !== 'string' || typeof r.hash !== 'string' || !Array.isArray(r.enabled)) return undefined
    return { ...r, enabled: r.enabled as BuildSystem[] }
  } catch {
    return undefined
  }
}

export function readProjectRecord(configPath: string, env: NodeJS.ProcessEnv): ProjectRecord | undefined {
  try {
    const r = parse(readFileSync(recordFile(configPath, env), 'utf8'))
    return r?.config === configPath ? r : undefined
  } catch {
    return undefined
  }
}

export function listProjectRecords(env: NodeJS.ProcessEnv): ProjectRecord[] {
  const dir = projectsDir(env)
  let names: string[]
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'))
  } catch {
    return []
  }
  const out: ProjectRecord[] = []
  for (const n of names) {
    try {
      const r = parse(readFileSync(join(dir, n), 'utf8'))
      if (r) out.push(r)
    } catch {
      // removed meanwhile
    }
  }
  return out
}

/** The pid the daemon's state dir names right now, if that process is alive. */
export function livePid(stateDir: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(files.pid(stateDir), 'utf8'), 10)
    return Number.isFinite(pid) && isAlive(pid) ? pid : undefined
  } catch {
    return undefined
  }
}
