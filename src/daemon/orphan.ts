import { readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { listProjectRecords, type ProjectRecord } from '../activate/cache.js'
import { contentHash, daemonId, stateDir } from './identity.js'
import { stopDaemon } from './stop.js'

// A daemon no fabrik.toml names any more stops: after an edit of fabrik.toml the project's hook (or its next
// `fabrik exec` / `daemon start`) moves it to the daemon of the new configuration, and the old one would otherwise
// keep running, unowned, on the same store. "Names" is judged from the project records (activate/cache.ts): a
// record whose file still has the recorded bytes still names its daemon; one whose file changed is loaded again
// (in this process's environment) to see whether it still resolves to the same daemon — a comment edit does.
// A file that no longer loads (an edit in progress) counts as still naming it.

async function stillNames(record: ProjectRecord, id: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  let bytes: Buffer
  try {
    bytes = readFileSync(record.config)
  } catch {
    return false
  }
  if (contentHash(bytes) === record.hash) return true
  try {
    const { loadConfig } = await import('../config/load.js')
    const loaded = await loadConfig({ cwd: dirname(record.config), configPath: record.config, env, flags: {} })
    return daemonId(loaded.config) === id
  } catch {
    return true
  }
}

/** Whether some project record names daemon `id`; undefined when none ever did (a daemon started by hand). */
export async function isNamed(id: string, env: NodeJS.ProcessEnv): Promise<boolean | undefined> {
  const records = listProjectRecords(env).filter((r) => r.id === id)
  if (records.length === 0) return undefined
  for (const r of records) if (await stillNames(r, id, env)) return true
  return false
}

/**
 * The CLI side, called by the activation that moved a project off daemon `id`: stops it when no config names
 * it any more (returns whether it stopped one).
 */
export async function stopIfOrphaned(id: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  if ((await isNamed(id, env)) === true) return false
  return (await stopDaemon(id, stateDir(id, env))).stopped
}

/**
 * The daemon side: checks every `intervalMs` and calls `onOrphaned` once when the records that named this daemon
 * no longer do. A daemon no record ever named (`daemon run`, a user-wide daemon started by hand) never stops.
 */
export function watchOrphaned(id: string, env: NodeJS.ProcessEnv, onOrphaned: () => void, intervalMs = 5000): () => void {
  let named = false
  let busy = false
  const timer = setInterval(() => {
    if (busy) return
    busy = true
    void isNamed(id, env)
      .then((state) => {
        // false: records name this daemon but their files no longer resolve to it — orphaned even on the first
        // check, since fabrik.toml may be saved again before it (an edit right after `daemon start`).
        // undefined after true: the project's record was rewritten for another daemon (a `daemon start` of the
        // new configuration, no hook to stop this one).
        if (state === true) named = true
        else if (state === false || named) {
          clearInterval(timer)
          onOrphaned()
        }
      })
      .finally(() => (busy = false))
  }, intervalMs)
  timer.unref()
  return () => clearInterval(timer)
}
