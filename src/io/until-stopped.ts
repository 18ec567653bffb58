import type { Logger } from '../log.js'

/** A running service: the daemon (daemon/serve.ts) or `fabrik server` (server/serve.ts). */
export interface Stoppable {
  logger: Logger
  close(): Promise<void>
}

/**
 * Returns once `service` has been closed: on SIGTERM or SIGINT, or when `more` calls its `stop` (the daemon's
 * orphan watch). The reason is logged; a failing close is logged and still returns, and the log is flushed.
 */
export async function untilStopped(service: Stoppable, more?: (stop: (reason: string) => void) => void): Promise<void> {
  await new Promise<void>((resolve) => {
    let stopping = false
    const stop = (reason: string) => {
      if (stopping) return
      stopping = true
      service.logger.info({ reason }, 'shutdown requested')
      service.close().then(resolve, (err: unknown) => {
        service.logger.error({ err }, 'shutdown failed')
        resolve()
      })
    }
    process.once('SIGTERM', () => stop('SIGTERM'))
    process.once('SIGINT', () => stop('SIGINT'))
    more?.(stop)
  })
  service.logger.flush()
}
