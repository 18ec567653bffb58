import { createPublicKey } from 'node:crypto'
import { readFileSync, unwatchFile, watchFile } from 'node:fs'
import { exportJWK, type JSONWebKeySet, type JWK } from 'jose'
import { FabrikError } from '../errors/registry.js'

/** The verification keys of the moment, as a JWKS; `version` changes whenever they do (verified tokens are forgotten). */
export interface KeySet {
  readonly jwks: JSONWebKeySet
  readonly version: number
}

export interface KeySource {
  current(): KeySet
  /** A token named a kid we do not know: fetch again if the source can (rate-limited). Resolves when done. */
  refresh(): Promise<void>
  close(): void
}

const PEM_RE = /-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g

/** PEM (one or more public keys) or JWKS JSON, as text → JWKS. Keys in a PEM have no kid: any token without one may use them. */
export async function parseKeys(text: string, where: string): Promise<JSONWebKeySet> {
  const trimmed = text.trim()
  if (trimmed.startsWith('{')) {
    const parsed = JSON.parse(trimmed) as Partial<JSONWebKeySet>
    if (!Array.isArray(parsed.keys)) throw new FabrikError('CONFIG_INVALID', `${where} is JSON but not a JWKS ({"keys": [...]})`)
    return { keys: parsed.keys.filter((k) => k.kty !== 'oct') }
  }
  const pems = trimmed.match(PEM_RE) ?? []
  if (pems.length === 0) throw new FabrikError('CONFIG_INVALID', `${where} holds no PEM public key ("-----BEGIN PUBLIC KEY-----") and no JWKS`)
  const keys: JWK[] = []
  for (const pem of pems) keys.push(await exportJWK(createPublicKey(pem)))
  return { keys }
}

class Fixed implements KeySource {
  constructor(private readonly set: KeySet) {}
  current(): KeySet {
    return this.set
  }
  async refresh(): Promise<void> {}
  close(): void {}
}

/** `[auth] public_key_file`: read at start, again when the file changes (polled, so renames count) and on SIGHUP. */
class FromFile implements KeySource {
  private set: KeySet
  private readonly onHup = () => void this.reload('SIGHUP')

  private constructor(private readonly path: string, jwks: JSONWebKeySet, private readonly log: KeyLog, pollMs: number) {
    this.set = { jwks, version: 1 }
    watchFile(path, { interval: pollMs, persistent: false }, () => void this.reload('file changed'))
    process.on('SIGHUP', this.onHup)
  }

  static async open(path: string, log: KeyLog, pollMs: number): Promise<FromFile> {
    return new FromFile(path, await parseKeys(readFileSync(path, 'utf8'), path), log, pollMs)
  }

  current(): KeySet {
    return this.set
  }

  async refresh(): Promise<void> {
    await this.reload('unknown kid')
  }

  private async reload(why: string): Promise<void> {
    try {
      const jwks = await parseKeys(readFileSync(this.path, 'utf8'), this.path)
      if (JSON.stringify(jwks) === JSON.stringify(this.set.jwks)) return
      this.set = { jwks, version: this.set.version + 1 }
      this.log.info({ keys: jwks.keys.length, why }, `reloaded JWT keys from ${this.path}`)
    } catch (err) {
      // A half-written or broken file keeps the last good keys.
      this.log.warn({ err: (err as Error).message, why }, `could not reload JWT keys from ${this.path}; keeping the previous ones`)
    }
  }

  close(): void {
    unwatchFile(this.path)
    process.off('SIGHUP', this.onHup)
  }
}

/**
 * `[auth] jwks_url`: fetched at start and every `key_refresh_interval` in the background; an unknown kid fetches
 * again at most every `cooldownMs`. An outage keeps the last good keys — jose's createRemoteJWKSet would instead
 * fail every verification once its cache is older than cacheMaxAge and the endpoint is down.
 */
class FromJwks implements KeySource {
  private set: KeySet = { jwks: { keys: [] }, version: 0 }
  private readonly timer: NodeJS.Timeout
  private lastFetch = 0
  private inflight: Promise<void> | undefined

  constructor(private readonly url: string, intervalMs: number, private readonly log: KeyLog, private readonly cooldownMs = 1000) {
    this.timer = setInterval(() => void this.fetch(), intervalMs)
    this.timer.unref()
  }

  current(): KeySet {
    return this.set
  }

  async refresh(): Promise<void> {
    if (Date.now() - this.lastFetch < this.cooldownMs) return this.inflight
    await this.fetch()
  }

  fetch(): Promise<void> {
    this.inflight ??= (async () => {
      this.lastFetch = Date.now()
      try {
        const res = await fetch(this.url, { signal: AbortSignal.timeout(10_000), headers: { accept: 'application/json' } })
        if (!res.ok) throw new Error(`answered ${res.status}`)
        const jwks = await parseKeys(await res.text(), this.url)
        if (JSON.stringify(jwks) !== JSON.stringify(this.set.jwks)) {
          this.set = { jwks, version: this.set.version + 1 }
          this.log.info({ keys: jwks.keys.length }, `fetched JWT keys from ${this.url}`)
        }
      } catch (err) {
        this.log.warn({ err: (err as Error).message }, `could not fetch JWT keys from ${this.url}; keeping the previous ones`)
      } finally {
        this.inflight = undefined
      }
    })()
    return this.inflight
  }

  close(): void {
    clearInterval(this.timer)
  }
}

export interface KeyLog {
  info(obj: object, msg: string): void
  warn(obj: object, msg: string): void
}

export interface KeyConfig {
  public_key_file?: string
  public_key?: string
  jwks_url?: string
  key_refresh_interval: number
}

/**
 * The key source `[auth]` configures; exactly one of file, inline key or JWKS URL. `filePollMs`: how often the key
 * file is checked for changes (tests set it long, to tell a reload on SIGHUP from one on a change).
 */
export async function openKeySource(auth: KeyConfig, log: KeyLog, { filePollMs = 1000 }: { filePollMs?: number } = {}): Promise<KeySource> {
  const given = [auth.public_key_file, auth.public_key, auth.jwks_url].filter((v) => v !== undefined).length
  if (given !== 1) {
    throw new FabrikError('CONFIG_INVALID', `[auth] needs exactly one of public_key_file, public_key or jwks_url (${given} set)`, {
      fix: 'Set [auth] public_key_file = "/etc/fabrik/jwt-public-key.pem" (or public_key, or jwks_url), or required = false for a server without tokens.',
    })
  }
  if (auth.public_key_file !== undefined) return FromFile.open(auth.public_key_file, log, filePollMs)
  if (auth.public_key !== undefined) return new Fixed({ jwks: await parseKeys(auth.public_key, '[auth] public_key'), version: 1 })
  const source = new FromJwks(auth.jwks_url!, auth.key_refresh_interval, log)
  await source.fetch()
  return source
}
