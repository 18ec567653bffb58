import type { LoadedConfig } from '../config/types.js'
import { serveDaemon } from './serve.js'

/** Serves until SIGTERM or SIGINT, then drains and returns. Used by `fabrik daemon run` and the spawned daemon. */
export async function runForeground(loaded: LoadedConfig): Promise<void> {
  const daemon = await serveDaemon(loaded)
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      daemon.logger.info({ signal }, 'shutdown requested')
      void daemon.close().then(resolve, (err: unknown) => {
        daemon.logger.error({ err }, 'shutdown failed')
        resolve()
      })
    }
    process.once('SIGTERM', () => stop('SIGTERM'))
    process.once('SIGINT', () => stop('SIGINT'))
  })
  daemon.logger.flush()
}
