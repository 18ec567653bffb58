// The one error registry. Every failure Fabrik reports has a stable code, a kind and a suggested fix.
// Protocol adapters never invent statuses: they map `kind` once each (cli/exit-codes.ts, http/errors.ts,
// grpc/errors.ts), so a code keeps the same meaning on every surface.

export type ErrorKind =
  | 'usage'
  | 'config'
  | 'invalid_argument'
  | 'not_found'
  | 'already_exists'
  | 'too_large'
  | 'insufficient_storage'
  | 'out_of_range'
  | 'unauthenticated'
  | 'permission_denied'
  | 'failed_precondition'
  | 'unavailable'
  | 'aborted'
  | 'timeout'
  | 'internal'

interface ErrorSpec {
  kind: ErrorKind
  fix: string
}

export const ERRORS = {
  CONFIG_INVALID: { kind: 'config', fix: 'Correct the value named above (see docs/configuration.md), then run `fabrik config validate`.' },
  CONFIG_NOT_FOUND: { kind: 'config', fix: 'Check the path, or run `fabrik init` to write a fabrik.toml here.' },
  CONFIG_ENV_UNSET: { kind: 'config', fix: 'Export the variable, or write ${VAR:-default} to give it a default.' },
  CONFIG_EXISTS: { kind: 'already_exists', fix: 'Pass --force to overwrite it.' },
  USAGE: { kind: 'usage', fix: 'Run the command with --help to see its arguments.' },
  INVALID_KEY: { kind: 'invalid_argument', fix: 'Use 1-256 characters from [A-Za-z0-9._-]; no path separators or "..".' },
  INVALID_NAMESPACE: { kind: 'invalid_argument', fix: 'Use 1-128 characters from [A-Za-z0-9._:-].' },
  INVALID_DIGEST: { kind: 'invalid_argument', fix: 'Pass a lowercase 64-character SHA-256 hex digest.' },
  DIGEST_MISMATCH: { kind: 'invalid_argument', fix: 'The bytes sent do not hash to the key; re-send the blob or fix the digest the client computed.' },
  SIZE_MISMATCH: { kind: 'invalid_argument', fix: 'The body length differs from the declared size; re-send the complete blob.' },
  INVALID_REQUEST: { kind: 'invalid_argument', fix: 'Check the request against the protocol described in docs/.' },
  OUT_OF_RANGE: { kind: 'out_of_range', fix: 'Read from an offset inside the blob (its size is part of the digest).' },
  BLOB_TOO_LARGE: { kind: 'too_large', fix: 'Raise [cache] max_size in fabrik.toml, or keep this output out of the cache.' },
  NOT_FOUND: { kind: 'not_found', fix: 'The entry is not in the cache; build it once to populate it.' },
  ALREADY_EXISTS: { kind: 'already_exists', fix: 'Entries are immutable here; use a new key.' },
  UNAUTHENTICATED: { kind: 'unauthenticated', fix: 'Send a valid token (FABRIK_TOKEN, or [auth.token] in fabrik.toml).' },
  PERMISSION_DENIED: { kind: 'permission_denied', fix: 'Ask for a token that grants this permission.' },
  HOST_NOT_ALLOWED: { kind: 'permission_denied', fix: 'Reach the daemon through 127.0.0.1, localhost or [::1].' },
  DOCTOR_FAILED: { kind: 'failed_precondition', fix: 'Apply the fixes listed above, or run `fabrik doctor --fix` for the ones it can apply.' },
  DAEMON_NOT_RUNNING: { kind: 'unavailable', fix: 'Start it with `fabrik daemon start`.' },
  PORT_IN_USE: { kind: 'unavailable', fix: 'Set [daemon] http_port / grpc_port = 0 (any free port) or another free port in fabrik.toml.' },
  DAEMON_START_FAILED: { kind: 'unavailable', fix: 'Read the daemon log shown above; fix the cause and run `fabrik daemon start` again.' },
  UNAVAILABLE: { kind: 'unavailable', fix: 'Retry later; check the layer named above with `fabrik health`.' },
  ABORTED: { kind: 'aborted', fix: 'The request was cancelled; retry it.' },
  TIMEOUT: { kind: 'timeout', fix: 'The client sent nothing for too long; retry it, or raise [runtime] idle_timeout / request_timeout.' },
  STORE_FULL: {
    kind: 'insufficient_storage',
    fix: 'Free space on the disk holding [cache] dir, or set [cache] max_size below the space it has; writes succeed again as soon as there is room, and reads are served meanwhile.',
  },
  STORE_IO: { kind: 'internal', fix: 'Check free disk space and permissions of [cache] dir.' },
  INTERNAL: { kind: 'internal', fix: 'This is a bug in Fabrik; the daemon log has the details.' },
} as const satisfies Record<string, ErrorSpec>

export type ErrorCode = keyof typeof ERRORS

export class FabrikError extends Error {
  readonly code: ErrorCode
  readonly kind: ErrorKind
  readonly fix: string

  constructor(code: ErrorCode, message: string, options: { fix?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'FabrikError'
    this.code = code
    this.kind = ERRORS[code].kind
    this.fix = options.fix ?? ERRORS[code].fix
  }

  toJSON(): { code: ErrorCode; message: string; fix: string } {
    return { code: this.code, message: this.message, fix: this.fix }
  }
}

export function isFabrikError(err: unknown, code?: ErrorCode): err is FabrikError {
  return err instanceof FabrikError && (code === undefined || err.code === code)
}

/** A refusal of the caller's credentials (401/403, UNAUTHENTICATED/PERMISSION_DENIED): an answer, not an outage. */
export function isRefusal(err: unknown): err is FabrikError {
  return err instanceof FabrikError && (err.kind === 'unauthenticated' || err.kind === 'permission_denied')
}

/** Anything thrown becomes a FabrikError; unknown failures are INTERNAL (never a silent miss). */
export function toFabrikError(err: unknown): FabrikError {
  if (err instanceof FabrikError) return err
  if (err instanceof Error && err.name === 'AbortError') return new FabrikError('ABORTED', err.message, { cause: err })
  const message = err instanceof Error ? err.message : String(err)
  return new FabrikError('INTERNAL', message, { cause: err })
}
