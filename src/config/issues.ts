import type { z } from 'zod'
import { describe } from './leaves.js'

// Turns zod's issues into lines of the form "<where>: <key>: expected ..., got ...", where <where> is the file
// (or the FABRIK_CONFIG_* variable / --config-* flag) the value came from. Unknown keys get a suggestion.

type Path = readonly PropertyKey[]

/** Keys upstream Fabrik parses (and then ignores). Accepted with a warning so an upstream fabrik.toml still loads. */
export const UPSTREAM_ONLY = new Set([
  'fabrik',
  'auth.oauth2',
  'build_systems.gradle',
  'build_systems.bazel',
  'build_systems.nx',
  'build_systems.turborepo',
  'build_systems.sccache',
  'observability.health_enabled',
  'observability.metrics_enabled',
  'observability.cache_query_api_enabled',
  'observability.admin_api_enabled',
  'observability.api_auth_required',
  'observability.api_jwt_public_key_file',
  'observability.tracing_enabled',
  'observability.tracing_endpoint',
  'runtime.worker_threads',
])

export function dotted(path: Path): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '')
}

/** The key without array indexes ("upstream[0].url" → "upstream.url"), as the schema and docs spell it. */
function schemaKey(path: Path): string {
  return path.filter((p) => typeof p !== 'number').map(String).join('.')
}

function valueAt(data: unknown, path: Path): unknown {
  let v = data
  for (const p of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : undefined
  return v
}

/** The keys a table at `path` accepts, found by walking the zod schema. */
function knownKeys(schema: z.ZodType, path: Path): string[] {
  let node: unknown = schema
  const unwrap = (n: unknown): unknown => {
    let cur = n as { def?: { type?: string; innerType?: unknown; element?: unknown; out?: unknown } }
    while (cur?.def?.type === 'optional' || cur?.def?.type === 'pipe' || cur?.def?.type === 'array') {
      cur = (cur.def.type === 'optional' ? cur.def.innerType : cur.def.type === 'pipe' ? cur.def.out : cur.def.element) as typeof cur
    }
    return cur
  }
  for (const p of path) {
    node = unwrap(node)
    if (typeof p === 'number') continue
    node = (node as { shape?: Record<string, unknown> }).shape?.[String(p)]
  }
  const shape = (unwrap(node) as { shape?: Record<string, unknown> }).shape
  return shape === undefined ? [] : Object.keys(shape)
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const cur = [i]
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    prev = cur
  }
  return prev[b.length] ?? 0
}

function suggest(key: string, siblings: string[], schema: z.ZodType): string | undefined {
  const close = siblings
    .map((s) => ({ s, d: editDistance(key.toLowerCase(), s) }))
    .filter(({ s, d }) => d <= Math.max(1, Math.floor(s.length / 3)))
    .sort((x, y) => x.d - y.d)[0]
  if (close !== undefined) return close.s
  // The right key in the wrong table, e.g. log_level under [cache].
  for (const section of knownKeys(schema, [])) {
    if (knownKeys(schema, [section]).includes(key)) return `${section}.${key}, under [${section}]`
  }
  return undefined
}

export function formatIssues(
  issues: readonly z.core.$ZodIssue[],
  data: unknown,
  schema: z.ZodType,
  where: (path: Path) => string,
): string {
  const lines: string[] = []
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const siblings = knownKeys(schema, issue.path)
      for (const key of issue.keys) {
        const path = [...issue.path, key]
        const hint = UPSTREAM_ONLY.has(schemaKey(path))
          ? 'upstream Fabrik reads this key but this Fabrik does not use it; remove it'
          : `expected one of ${siblings.join(', ')}`
        const guess = suggest(key, siblings, schema)
        lines.push(`${where(path)}: ${dotted(path)}: unknown key; ${hint}${guess ? ` (did you mean ${guess}?)` : ''}`)
      }
    } else if (issue.code === 'invalid_type' && (issue.expected === 'object' || issue.expected === 'array')) {
      const key = schemaKey(issue.path)
      const table = issue.expected === 'array' || typeof issue.path.at(-1) === 'number' ? `[[${key}]]` : `[${key}]`
      const what = issue.expected === 'array' ? `an array of tables (${table} sections)` : `a table (a ${table} section)`
      lines.push(`${where(issue.path)}: ${dotted(issue.path)}: expected ${what}, got ${describe(valueAt(data, issue.path))}`)
    } else {
      lines.push(`${where(issue.path)}: ${dotted(issue.path)}: ${issue.message}`)
    }
  }
  return lines.join('\n')
}
