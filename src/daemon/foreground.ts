import type { LoadedConfig } from '../config/types.js'
import { watchOrphaned } from './orphan.js'
import { serveDaemon } from './serve.js'

/**
 * Serves until SIGTERM or SIGINT — or until no fabrik.toml names this daemon any more (orphan.ts) — then drains
 * and returns. Used by `fabrik daemon run` and the spawned daemon.
 */
export async function runForeground(loaded: LoadedConfig): Promise<void> {
  const daemon = await serveDaemon(loaded)
  await new Promise<void>((resolve) => {
    const stop = (reason: string) => {
      daemon.logger.info({ reason }, 'shutdown requested')
      void daemon.close().then(resolve, (err: unknown) => {
        daemon.logger.error({ err }, 'shutdown failed')
        resolve()
      })
    }
    process.once('SIGTERM', () => stop('SIGTERM'))
    process.once('SIGINT', () => stop('SIGINT'))
    watchOrphaned(daemon.id, process.env, () => stop('no fabrik.toml names this daemon any more'))
  })
  daemon.logger.flush()
}
