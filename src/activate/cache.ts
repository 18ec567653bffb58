import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { BuildSystem } from '../config/types.js'
import { FILE_MODE, files, isAlive, writeAtomic } from '../daemon/state.js'
import type { ActivationInputs } from './variables.js'

// The fast path of `cd` must not parse and validate the whole config to learn which tools are enabled. So the
// slow path (first activation, or the daemon restarted) records everything computeVariables needs next to the
// daemon's pid file. The state dir is keyed by the config file's hash, so an edited fabrik.toml has another
// state dir and never reads a stale record; a record whose pid is not the daemon's current live pid is ignored.

const FILE = 'activation.json'

export interface ActivationRecord extends ActivationInputs {
  config: string
}

export function activationFile(stateDir: string): string {
  return join(stateDir, FILE)
}

export function writeActivation(stateDir: string, record: ActivationRecord): void {
  writeAtomic(activationFile(stateDir), `${JSON.stringify(record)}\n`, FILE_MODE)
}

/** The record, if it belongs to the daemon that runs in this state dir right now. */
export function readActivation(stateDir: string, id: string): ActivationRecord | undefined {
  let record: ActivationRecord
  let pid: number
  try {
    record = JSON.parse(readFileSync(activationFile(stateDir), 'utf8')) as ActivationRecord
    pid = Number.parseInt(readFileSync(files.pid(stateDir), 'utf8'), 10)
  } catch {
    return undefined
  }
  if (record.id !== id || record.pid !== pid || !Array.isArray(record.enabled) || !isAlive(pid)) return undefined
  return { ...record, enabled: record.enabled as BuildSystem[] }
}
