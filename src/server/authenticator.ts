import { FabrikError, toFabrikError } from '../errors/registry.js'
import type { Permission, Principal, TokenVerifier } from '../auth/verify.js'

/** Who may use the server: a verified token, or — only with `[auth] required = false` — an anonymous reader. */
export class Authenticator {
  constructor(private readonly verifier: TokenVerifier | undefined, private readonly required: boolean) {}

  async principal(token: string | undefined): Promise<Principal> {
    if (token === undefined) {
      if (!this.required) return ANONYMOUS
      throw new FabrikError('UNAUTHENTICATED', 'no token: send "Authorization: Bearer <JWT>" (Gradle: the JWT as the Basic password)')
    }
    if (!this.verifier) {
      if (!this.required) return ANONYMOUS
      throw new FabrikError('UNAUTHENTICATED', 'the server has no keys to verify tokens with')
    }
    return this.verifier.verify(token)
  }
}

/** Reads only, in a tenant of its own: `[auth] required = false` never lets anyone write anonymously. */
export const ANONYMOUS: Principal = {
  tenant: 'anonymous', subject: 'anonymous', permissions: new Set<Permission>(['cache:read']), expiresAt: Number.MAX_SAFE_INTEGER,
}

export function asFabrikError(err: unknown): FabrikError {
  return toFabrikError(err)
}
