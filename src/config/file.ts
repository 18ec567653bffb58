import { parse, TomlError } from 'smol-toml'
import { FabrikError } from '../errors/registry.js'
import { UPSTREAM_DEFAULTS } from './defaults.js'
import { expandEnv } from './expand.js'
import { formatIssues, UPSTREAM_ONLY } from './issues.js'
import { keyLine } from './lines.js'
import { fileSchema, type PartialConfig } from './schema.js'

// Reads one fabrik.toml: expand ${VAR}s, parse TOML, validate against the strict schema. Every error names the
// file (and line, or key) so the user can go straight to it.

export function parseConfigText(bytes: Buffer, file: string, env: NodeJS.ProcessEnv, warnings: string[] = []): PartialConfig {
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
  dropUpstreamOnlyKeys(data, file, warnings)
  const result = fileSchema.safeParse(data)
  if (!result.success) {
    const where = (path: readonly PropertyKey[]): string => {
      const line = keyLine(text, path)
      return line === undefined ? file : `${file}:${line}`
    }
    throw new FabrikError('CONFIG_INVALID', formatIssues(result.error.issues, data, fileSchema, where))
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

/**
 * Upstream parses some keys it never acts on ([fabrik], observability.*_enabled, ...). A migrating user's file
 * must still load, so they are removed before validation and reported as warnings instead of errors.
 */
function dropUpstreamOnlyKeys(data: unknown, file: string, warnings: string[]): void {
  const visit = (node: unknown, prefix: string): void => {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return
    const table = node as Record<string, unknown>
    for (const key of Object.keys(table)) {
      const path = prefix ? `${prefix}.${key}` : key
      if (UPSTREAM_ONLY.has(path)) {
        delete table[key]
        warnings.push(`${file}: ${path}: ignored (upstream Fabrik reads this key but this Fabrik does not use it)`)
      } else {
        visit(table[key], path)
      }
    }
  }
  visit(data, '')
}
