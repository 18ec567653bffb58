import { FabrikError } from '../errors/registry.js'
import { withUpstreamDefaults } from './file.js'
import { formatIssues } from './issues.js'
import { envName, OVERRIDES, type Override } from './overrides.js'
import { overrideSchema, type PartialConfig } from './schema.js'

// FABRIK_CONFIG_<NAME> variables and --config-<name> flags, each read as one layer over the file. Values are
// strings; the schema's override mode reads "true"/"8080"/"5GB"/"a,b" from them. Errors name the variable or
// flag, since that is what the user has to fix.

export type OverrideLayer = 'env' | 'flag'

export function overrideLabel(o: Override, layer: OverrideLayer): string {
  return layer === 'env' ? envName(o) : `--config-${o.name}`
}

/** The override values present in the environment; an empty variable counts as unset (shells export ""). */
export function envOverrides(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {}
  for (const o of OVERRIDES) {
    const v = env[envName(o)]
    if (v !== undefined && v !== '') out[o.name] = v
  }
  return out
}

export function parseOverrides(values: Record<string, string>, layer: OverrideLayer): PartialConfig {
  const raw: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(values)) {
    const o = OVERRIDES.find((x) => x.name === name)
    if (o === undefined) throw new FabrikError('USAGE', `unknown configuration override "${name}"`)
    setPath(raw, o.key.split('.'), value)
  }
  const result = overrideSchema.safeParse(raw)
  if (!result.success) {
    const where = (path: readonly PropertyKey[]): string => {
      const key = path.filter((p) => typeof p === 'string').join('.')
      const o = OVERRIDES.find((x) => key === x.key || key.startsWith(`${x.key}.`))
      return o === undefined ? layer : overrideLabel(o, layer)
    }
    throw new FabrikError('CONFIG_INVALID', formatIssues(result.error.issues, raw, overrideSchema, where))
  }
  return withUpstreamDefaults(result.data)
}

function setPath(target: Record<string, unknown>, keys: string[], value: unknown): void {
  const [head, ...rest] = keys
  if (head === undefined) return
  if (rest.length === 0) {
    target[head] = value
    return
  }
  const child = (target[head] ??= {}) as Record<string, unknown>
  setPath(child, rest, value)
}
