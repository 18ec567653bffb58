import { readFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { dirname, resolve } from 'node:path'
import { FabrikError } from '../errors/registry.js'
import { defaultConfig } from './defaults.js'
import { discoverConfig, userCacheDir, type FoundConfig } from './discover.js'
import { parseConfigText } from './file.js'
import { mergeLayers } from './merge.js'
import { envOverrides, overrideLabel, parseOverrides } from './override-layer.js'
import { OVERRIDES } from './overrides.js'
import { PATH_KEYS } from './schema.js'
import type { FabrikConfig, LoadedConfig, ValueSource } from './types.js'

// The one entry point: find the file, read it, layer env and flags over it, resolve paths, check. Nothing else
// in Fabrik reads configuration; everything gets the LoadedConfig value this returns.

export interface LoadOptions {
  cwd: string
  configPath?: string
  env: NodeJS.ProcessEnv
  /** --config-<name> values keyed by override name (overrides.ts), e.g. { 'http-port': '8080' }. */
  flags: Record<string, string>
}

export async function loadConfig(options: LoadOptions): Promise<LoadedConfig> {
  const cwd = resolve(options.cwd)
  const found = await discoverConfig({ ...options, cwd })
  const bytes = found === undefined ? Buffer.alloc(0) : await readConfigBytes(found.path)
  const baseDir = found === undefined ? cwd : dirname(found.path)
  const warnings: string[] = []
  const fileLayer = found === undefined ? {} : parseConfigText(bytes, found.path, options.env, warnings)
  const envLayer = parseOverrides(envOverrides(options.env), 'env')
  const flagLayer = parseOverrides(options.flags, 'flag')
  const { config, sources } = mergeLayers(defaultConfig(), [
    [fileLayer, 'file'],
    [envLayer, 'env'],
    [flagLayer, 'flag'],
  ])
  resolvePaths(config, sources, { cwd, baseDir, found })
  const where = (key: string): string => describeSource(key, sources[key] ?? 'default', found)
  checkConsistency(config, where)
  return { config, sources, path: found?.path, baseDir, bytes, warnings }
}

async function readConfigBytes(path: string): Promise<Buffer> {
  try {
    return await readFile(path)
  } catch (err) {
    throw new FabrikError('CONFIG_NOT_FOUND', `${path}: cannot be read (${(err as Error).message})`, { cause: err })
  }
}

/**
 * Relative paths in the file are relative to the file's folder (upstream resolved them against the shell's cwd,
 * so one project's daemon moved its cache with every `cd`). Paths given by env or flag are relative to the cwd,
 * like any other command-line path. A leading ~/ means the home directory.
 */
function resolvePaths(
  config: FabrikConfig,
  sources: Record<string, ValueSource>,
  ctx: { cwd: string; baseDir: string; found: FoundConfig | undefined },
): void {
  const home = (p: string): string => (p === '~' || p.startsWith('~/') ? homedir() + p.slice(1) : p)
  const get = (key: string): string | undefined => key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], config) as string | undefined
  const set = (key: string, value: string): void => {
    const parts = key.split('.')
    const last = parts.pop() as string
    const node = parts.reduce<Record<string, unknown>>((o, k) => o[k] as Record<string, unknown>, config as unknown as Record<string, unknown>)
    node[last] = value
  }
  for (const key of PATH_KEYS) {
    const value = get(key)
    if (value === undefined) continue
    const source = sources[key]
    if (key === 'cache.dir' && source === 'default' && (ctx.found === undefined || ctx.found.origin === 'user')) {
      // The user-wide daemon (a user config file, or none at all) has no project folder to hold a cache: use the
      // platform cache dir (~/.cache/fabrik), whatever directory it was started from.
      set(key, userCacheDir())
      continue
    }
    set(key, resolve(source === 'env' || source === 'flag' ? ctx.cwd : ctx.baseDir, home(value)))
  }
}

function describeSource(key: string, source: ValueSource, found: FoundConfig | undefined): string {
  if (source === 'file') return found?.path ?? 'file'
  if (source === 'default') return found?.path ?? 'defaults'
  const o = OVERRIDES.find((x) => key === x.key || key.startsWith(`${x.key}.`))
  return o === undefined ? source : overrideLabel(o, source)
}

function checkConsistency(config: FabrikConfig, where: (key: string) => string): void {
  // Checked on the merged config, not in the schema: the certificate may come from the file and the key from
  // FABRIK_CONFIG_SERVER_TLS_KEY. One without the other used to serve plaintext without a word.
  const { tls_cert: cert, tls_key: key } = config.server
  if ((cert === undefined) !== (key === undefined)) {
    const [set, missing] = cert !== undefined ? ['server.tls_cert', 'server.tls_key'] : ['server.tls_key', 'server.tls_cert']
    throw new FabrikError(
      'CONFIG_INVALID',
      `${where(set)}: ${missing}: expected a path because ${set} is set (TLS needs both the certificate and its key), got nothing`,
      { fix: `Set [server] ${missing.split('.')[1]} too, or remove ${set} to serve plaintext.` },
    )
  }
  if (config.p2p.enabled && config.p2p.secret === undefined) {
    throw new FabrikError(
      'CONFIG_INVALID',
      `${where('p2p.enabled')}: p2p.secret: expected a secret of at least 16 characters because p2p.enabled is true, got nothing`,
      { fix: 'Generate one (e.g. `openssl rand -hex 16`) and set it as [p2p] secret (the same on every machine).' },
    )
  }
}
