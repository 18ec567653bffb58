import { parse, TomlError } from 'smol-toml'
import { FabrikError } from '../errors/registry.js'
import { UPSTREAM_DEFAULTS } from './defaults.js'
import { expandEnv } from './expand.js'
import { formatIssues } from './issues.js'
import { fileSchema, type PartialConfig } from './schema.js'

// Reads one fabrik.toml: expand ${VAR}s, parse TOML, validate against the strict schema. Every error names the
// file (and line, or key) so the user can go straight to it.

export function parseConfigText(bytes: Buffer, file: string, env: NodeJS.ProcessEnv): PartialConfig {
  const text = expandEnv(bytes.toString('utf8').replace(/^\uFEFF/, ''), env, file)
  let data: unknown
  try {
    data = parse(text)
  } catch (err) {
    if (err instanceof TomlError) {
      const reason = err.message.split('\n')[0] ?? 'syntax error'
      throw new FabrikError('CONFIG_INVALID', `${file}:${err.line}:${err.column}: expected valid TOML, got: ${reason}`)
    }
    throw err
  }
  const result = fileSchema.safeParse(data)
  if (!result.success) {
    throw new FabrikError('CONFIG_INVALID', formatIssues(result.error.issues, data, fileSchema, () => file))
  }
  return withUpstreamDefaults(result.data)
}

/** Each [[upstream]] entry gets the per-entry defaults (timeout 30s, workers 10, write_through true, ...). */
export function withUpstreamDefaults(partial: PartialConfig): PartialConfig {
  if (partial.upstream === undefined) return partial
  const upstream = partial.upstream.map((entry) => {
    const set = Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== undefined))
    return { url: entry.url, ...UPSTREAM_DEFAULTS, ...set }
  })
  return { ...partial, upstream }
}
