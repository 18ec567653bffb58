import { createLocalJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTPayload, type JWTVerifyGetKey } from 'jose'
import { FabrikError } from '../errors/registry.js'
import type { KeySource } from './keys.js'

export type Permission = 'cache:read' | 'cache:write'

/** Who a verified token speaks for. */
export interface Principal {
  /** The tenant every key is scoped by: `project_id`, else `sub`. */
  tenant: string
  subject: string
  permissions: ReadonlySet<Permission>
  /** Seconds since the epoch. */
  expiresAt: number
}

export interface VerifierOptions {
  issuer?: string
  audience?: string
  /** Seconds of clock skew tolerated on exp/nbf/iat. */
  clockToleranceS?: number
  now?: () => number
}

/** Asymmetric algorithms only: `none` and HS256 (signed with the public key as the secret) can never pass. */
export const ALGORITHMS = ['RS256', 'ES256', 'EdDSA']
const CACHE_MAX = 10_000

type KeyGetter = JWTVerifyGetKey

/**
 * The key lookup for a key set. A PEM key (`public_key`, or a PEM `public_key_file`) carries no kid, while most
 * issuers put one in every token's header, and jose matches a header's kid only against keys with that kid. So a
 * token whose kid no configured key carries is checked against the kid-less keys instead; a kid that a key does
 * carry still selects that key alone.
 */
function keyGetter(set: JSONWebKeySet): KeyGetter {
  const named = createLocalJWKSet(set)
  const unnamed = set.keys.filter((k) => k.kid === undefined)
  if (unnamed.length === 0) return named
  const anyKid = createLocalJWKSet({ keys: unnamed })
  const kids = new Set(set.keys.map((k) => k.kid))
  return (header, token) => (header.kid !== undefined && !kids.has(header.kid) ? anyKid({ ...header, kid: undefined }, token) : named(header, token))
}

/**
 * Verifies JWTs (jose) against the configured keys and remembers verified tokens until they expire: a daemon sends
 * the same token on every request, and a WebCrypto verification costs 100-400 µs here. Keys changing (rotation,
 * removal) forgets every remembered token.
 */
export class TokenVerifier {
  private readonly cache = new Map<string, Principal>()
  private keysVersion = -1
  private jwks: KeyGetter | undefined

  constructor(private readonly keys: KeySource, private readonly o: VerifierOptions = {}) {}

  private now(): number {
    return (this.o.now ?? Date.now)() / 1000
  }

  private keySet(): KeyGetter {
    const set = this.keys.current()
    if (set.version !== this.keysVersion || !this.jwks) {
      this.jwks = keyGetter(set.jwks)
      this.keysVersion = set.version
      this.cache.clear()
    }
    return this.jwks
  }

  /** The token's principal, or UNAUTHENTICATED with the reason. */
  async verify(token: string): Promise<Principal> {
    const jwks = this.keySet()
    const cached = this.cache.get(token)
    if (cached) {
      if (cached.expiresAt > this.now() - (this.o.clockToleranceS ?? 30)) return cached
      this.cache.delete(token)
    }
    let payload: JWTPayload
    try {
      payload = (await this.check(token, jwks)).payload
    } catch (err) {
      if (!(err instanceof errors.JWKSNoMatchingKey)) throw unauthenticated(err)
      // A kid we do not know yet: the keys may have rotated since the last fetch.
      await this.keys.refresh()
      try {
        payload = (await this.check(token, this.keySet())).payload
      } catch (again) {
        throw unauthenticated(again)
      }
    }
    const principal = principalOf(payload)
    if (this.cache.size >= CACHE_MAX) this.cache.clear()
    this.cache.set(token, principal)
    return principal
  }

  private check(token: string, jwks: KeyGetter) {
    return jwtVerify(token, jwks, {
      algorithms: ALGORITHMS,
      requiredClaims: ['exp'],
      clockTolerance: this.o.clockToleranceS ?? 30,
      ...(this.o.issuer ? { issuer: this.o.issuer } : {}),
      ...(this.o.audience ? { audience: this.o.audience } : {}),
      ...(this.o.now ? { currentDate: new Date(this.o.now()) } : {}),
    })
  }

  close(): void {
    this.keys.close()
  }
}

function principalOf(p: JWTPayload): Principal {
  const tenant = typeof p.project_id === 'string' && p.project_id !== '' ? p.project_id : p.sub
  if (!tenant) throw new FabrikError('UNAUTHENTICATED', 'the token names no tenant: it has neither project_id nor sub')
  const raw = Array.isArray(p.permissions) ? p.permissions : typeof p.scope === 'string' ? p.scope.split(' ') : []
  const permissions = new Set(raw.filter((x): x is Permission => x === 'cache:read' || x === 'cache:write'))
  return { tenant, subject: p.sub ?? tenant, permissions, expiresAt: p.exp! }
}

/** jose's failures as the reason a user can act on. */
function unauthenticated(err: unknown): FabrikError {
  if (err instanceof FabrikError) return err
  const reason =
    err instanceof errors.JWTExpired ? 'the token has expired'
      : err instanceof errors.JWTClaimValidationFailed ? claimReason(err)
        : err instanceof errors.JWSSignatureVerificationFailed ? 'the token\'s signature does not match any configured key'
          : err instanceof errors.JWKSNoMatchingKey ? 'no configured key matches the token (unknown kid or algorithm)'
            : err instanceof errors.JOSEAlgNotAllowed ? 'the token\'s algorithm is not allowed (RS256, ES256 and EdDSA are)'
              : err instanceof errors.JWTInvalid || err instanceof errors.JWSInvalid ? 'the token is malformed'
                : err instanceof errors.JOSEError ? err.message : 'the token could not be verified'
  return new FabrikError('UNAUTHENTICATED', reason, { cause: err })
}

/** Which claim failed and how, in words: jose's reason alone ("check_failed") does not tell a user what to fix. */
function claimReason(err: InstanceType<typeof errors.JWTClaimValidationFailed>): string {
  if (err.reason === 'missing') return `the token has no "${err.claim}" claim, which this server requires`
  switch (err.claim) {
    case 'iss': return 'the token\'s "iss" claim is not the issuer this server accepts ([auth] issuer)'
    case 'aud': return 'the token\'s "aud" claim does not name this server\'s audience ([auth] audience)'
    case 'nbf': return 'the token is not valid yet (its "nbf" claim is in the future)'
    default: return `the token's "${err.claim}" claim is not acceptable (${err.message})`
  }
}

export function requirePermission(p: Principal, needed: Permission): void {
  if (!p.permissions.has(needed)) {
    throw new FabrikError('PERMISSION_DENIED', `the token of ${p.subject} lacks the ${needed} permission`)
  }
}
