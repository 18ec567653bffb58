import type { LoadedConfig } from '../config/types.js'
import { untilStopped } from '../io/until-stopped.js'
import { watchOrphaned } from './orphan.js'
import { serveDaemon } from './serve.js'

/**
 * Serves until SIGTERM or SIGINT — or until no fabrik.toml names this daemon any more (orphan.ts) — then drains
 * and returns. Used by `fabrik daemon run` and the spawned daemon.
 */
export async function runForeground(loaded: LoadedConfig): Promise<void> {
  const daemon = await serveDaemon(loaded)
  await untilStopped(daemon, (stop) => watchOrphaned(daemon.id, process.env, () => stop('no fabrik.toml names this daemon any more')))
}
