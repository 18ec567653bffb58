// Secrets never reach a terminal or a log in full: `config show` prints "abcd…(masked)" — enough to tell two
// secrets apart, not enough to use one. Passwords inside URLs (https://user:pw@host) are masked too.

const SECRET_KEYS: ReadonlySet<string> = new Set(['p2p.secret', 'auth.public_key'])
const UPSTREAM_SECRET_FIELDS: ReadonlySet<string> = new Set(['access_key', 'secret_key'])

export function maskSecret(value: string): string {
  if (value === '') return ''
  // Short values would be mostly revealed by their first four characters.
  return value.length < 12 ? '…(masked)' : `${value.slice(0, 4)}…(masked)`
}

export function maskUrl(value: string): string {
  try {
    const u = new URL(value)
    if (u.password === '') return value
    return value.replace(`:${u.password}@`, ':…(masked)@')
  } catch {
    return value
  }
}

/** The value of a dotted key as `config show` may print it. */
export function maskValue(key: string, value: unknown): unknown {
  if (typeof value === 'string' && SECRET_KEYS.has(key)) return maskSecret(value)
  if (typeof value === 'string' && (key === 'url' || key === 'auth.jwks_url')) return maskUrl(value)
  if (key === 'upstream' && Array.isArray(value)) {
    return value.map((entry: Record<string, unknown>) =>
      Object.fromEntries(
        Object.entries(entry).map(([k, v]) => [
          k,
          typeof v !== 'string' ? v : UPSTREAM_SECRET_FIELDS.has(k) ? maskSecret(v) : k === 'url' || k === 'endpoint' ? maskUrl(v) : v,
        ]),
      ),
    )
  }
  return value
}
