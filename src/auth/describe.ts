import { decodeJwt } from 'jose'
import { upstreamToken } from './token.js'

/** What `fabrik auth status` shows about the token a daemon sends upstream — never the token itself. */
export interface TokenReport {
  source: string
  present: boolean
  subject?: string
  tenant?: string
  permissions?: string[]
  expires_at?: string
  expired?: boolean
  problem?: string
}

export function describeToken(auth: { env_var?: string; file?: string }, env: NodeJS.ProcessEnv = process.env): TokenReport {
  const { token, source } = upstreamToken(auth, env)
  if (!token) return { source, present: false, problem: 'no token: set FABRIK_TOKEN (or [auth.token] env_var / file) to the JWT your team issues' }
  try {
    // Decoded, not verified: only the server holds the keys. Enough to tell which identity and when it ends.
    const claims = decodeJwt(token)
    const tenant = typeof claims.project_id === 'string' ? claims.project_id : claims.sub
    const permissions = Array.isArray(claims.permissions) ? claims.permissions.map(String) : []
    const expired = claims.exp !== undefined && claims.exp * 1000 < Date.now()
    return {
      source, present: true, subject: claims.sub, tenant, permissions,
      ...(claims.exp !== undefined ? { expires_at: new Date(claims.exp * 1000).toISOString(), expired } : {}),
      ...(expired ? { problem: 'the token has expired: get a new one and update FABRIK_TOKEN' } : claims.exp === undefined ? { problem: 'the token has no exp claim: servers refuse it' } : {}),
    }
  } catch {
    return { source, present: true, problem: 'the token is not a JWT (three base64url parts)' }
  }
}
