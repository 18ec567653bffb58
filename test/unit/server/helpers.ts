// Shared by the server tests (not a test file; running it does nothing).
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SignJWT, base64url, exportJWK, exportSPKI, generateKeyPair, type CryptoKey, type JWK } from 'jose'
import { defaultConfig } from '../../../src/config/defaults.js'
import type { FabrikConfig, LoadedConfig } from '../../../src/config/types.js'
import { serveServer, type RunningServer } from '../../../src/server/serve.js'

export interface TestKey {
  kid: string
  alg: 'RS256' | 'ES256' | 'EdDSA'
  privateKey: CryptoKey
  publicJwk: JWK
  spki: string
}

export async function makeKey(kid: string, alg: TestKey['alg'] = 'RS256'): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true })
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg }
  return { kid, alg, privateKey, publicJwk, spki: await exportSPKI(publicKey) }
}

export interface Claims {
  sub?: string
  project_id?: string
  permissions?: string[]
  /** Seconds from now; null for no exp at all. */
  expIn?: number | null
  nbfIn?: number
  iss?: string
  aud?: string
}

export async function token(key: TestKey, claims: Claims = {}, header: { kid?: string | null } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000)
  const jwt = new SignJWT({ permissions: claims.permissions ?? ['cache:read', 'cache:write'], ...(claims.project_id ? { project_id: claims.project_id } : {}) })
    .setProtectedHeader({ alg: key.alg, ...(header.kid === null ? {} : { kid: header.kid ?? key.kid }) })
    .setSubject(claims.sub ?? 'ci-bot')
    .setIssuedAt(now)
  if (claims.expIn !== null) jwt.setExpirationTime(now + (claims.expIn ?? 3600))
  if (claims.nbfIn !== undefined) jwt.setNotBefore(now + claims.nbfIn)
  if (claims.iss) jwt.setIssuer(claims.iss)
  if (claims.aud) jwt.setAudience(claims.aud)
  return jwt.sign(key.privateKey)
}

export interface TestServer {
  server: RunningServer
  dir: string
  http: string
  grpc: string
  close(): Promise<void>
}

/** A `fabrik server` in this process on free loopback ports, its cache in a temp dir. */
/** A server that trusts `keys` (a JWKS file in its temp dir); `configure` sets anything else. */
export function startServerWithKeys(keys: TestKey[], configure?: (c: FabrikConfig, dir: string) => Promise<void> | void): Promise<TestServer> {
  return startServer(async (c, dir) => {
    c.auth.public_key_file = join(dir, 'keys.json')
    await writeKeys(c.auth.public_key_file, keys)
    await configure?.(c, dir)
  })
}

export async function startServer(configure: (c: FabrikConfig, dir: string) => Promise<void> | void): Promise<TestServer> {
  const dir = await mkdtemp(join(tmpdir(), 'fabrik-server-'))
  const config = defaultConfig()
  config.cache.dir = join(dir, 'cache')
  config.server.bind = '127.0.0.1:0'
  config.observability.api_bind = '127.0.0.1:0'
  config.observability.log_level = 'fatal'
  await configure(config, dir)
  const loaded: LoadedConfig = { config, sources: {}, baseDir: dir, bytes: Buffer.alloc(0), warnings: [] }
  const server = await serveServer(loaded)
  return {
    server,
    dir,
    http: `http://127.0.0.1:${server.httpPort}`,
    grpc: `127.0.0.1:${server.grpcPort}`,
    async close() {
      await server.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

export async function writeKeys(path: string, keys: TestKey[]): Promise<void> {
  await writeFile(path, JSON.stringify({ keys: keys.map((k) => k.publicJwk) }))
}

/** A JWT with alg "none" (unsigned), which must never pass. */
export function unsigned(claims: object): string {
  const enc = (o: object) => base64url.encode(JSON.stringify(o))
  return `${enc({ alg: 'none', typ: 'JWT' })}.${enc(claims)}.`
}

/**
 * Tokens every protocol must refuse as unauthenticated, with the reason the refusal must give: [what, token
 * (undefined: none sent), reason]. `key` is the server's, `other` one it does not know.
 */
export async function refusedTokens(key: TestKey, other: TestKey): Promise<[string, string | undefined, RegExp][]> {
  const now = Math.floor(Date.now() / 1000)
  const hs = await new SignJWT({ permissions: ['cache:write'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('x')
    .setExpirationTime(now + 600).sign(new TextEncoder().encode(key.spki))
  return [
    ['no token', undefined, /no token/],
    ['signed by another key', await token(other, {}, { kid: key.kid }), /signature/],
    ['expired', await token(key, { expIn: -3600 }), /expired/],
    ['not yet valid', await token(key, { nbfIn: 3600 }), /nbf/],
    ['alg none', unsigned({ sub: 'x', exp: now + 600, permissions: ['cache:write'] }), /algorithm|malformed|not allowed/],
    ['HS256 with the public key as secret', hs, /algorithm|not allowed|no configured key/],
    ['unknown kid', await token(other), /no configured key|unknown kid/],
    ['no exp', await token(key, { expIn: null }), /exp/],
  ]
}
