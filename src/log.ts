import { pino, type Logger as PinoLogger } from 'pino'
import type { FabrikConfig } from './config/types.js'

export type Logger = PinoLogger

// Tokens reach the daemon in Authorization headers (turbo, nx, Gradle Basic auth, ccache bearer-token) and gRPC
// metadata; none of them may end up in a log file.
const REDACT = ['req.headers.authorization', 'req.headers["proxy-authorization"]', 'headers.authorization', 'metadata.authorization']

export function createLogger(o: FabrikConfig['observability'], destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level: o.log_level,
      redact: { paths: REDACT, censor: '[redacted]' },
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination ?? pino.destination({ fd: 1, sync: false }),
  )
}
