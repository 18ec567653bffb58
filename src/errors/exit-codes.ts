import type { ErrorKind } from './registry.js'

// CLI exit codes, from sysexits.h so scripts can tell classes of failure apart. Documented in docs/cli.md.
export const EXIT_CODES: Record<ErrorKind, number> = {
  usage: 64, // EX_USAGE
  invalid_argument: 65, // EX_DATAERR
  too_large: 65,
  out_of_range: 65,
  not_found: 66, // EX_NOINPUT
  already_exists: 73, // EX_CANTCREAT
  unavailable: 69, // EX_UNAVAILABLE
  internal: 70, // EX_SOFTWARE
  insufficient_storage: 74, // EX_IOERR
  aborted: 75, // EX_TEMPFAIL
  timeout: 75,
  failed_precondition: 75,
  unauthenticated: 77, // EX_NOPERM
  permission_denied: 77,
  config: 78, // EX_CONFIG
}
