import type { FabrikConfig, ValueSource } from './types.js'
import type { PartialConfig } from './schema.js'

// Layers the defaults, the file, the environment and the flags (later wins) and records, for every leaf key,
// which layer its effective value came from. Tables merge key by key; arrays (upstream, build_systems.enabled)
// are replaced whole — a FABRIK_CONFIG_UPSTREAM list replaces the file's [[upstream]] entries.

function isTable(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)
}

/** Dotted leaf keys of a (nested) object, with their values; undefined leaves included. */
export function leafEntries(obj: Record<string, unknown>, prefix = ''): [string, unknown][] {
  return Object.entries(obj).flatMap(([k, v]): [string, unknown][] =>
    isTable(v) ? leafEntries(v, `${prefix}${k}.`) : [[`${prefix}${k}`, v]],
  )
}

function setLeaf(target: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.')
  const last = parts.pop() as string
  let node = target
  for (const p of parts) node = node[p] as Record<string, unknown>
  node[last] = value
}

export function mergeLayers(
  defaults: FabrikConfig,
  layers: readonly [PartialConfig, ValueSource][],
): { config: FabrikConfig; sources: Record<string, ValueSource> } {
  const config = structuredClone(defaults)
  const target = config as unknown as Record<string, unknown>
  const sources: Record<string, ValueSource> = {}
  for (const [key] of leafEntries(target)) sources[key] = 'default'
  for (const [layer, source] of layers) {
    for (const [key, value] of leafEntries(layer as Record<string, unknown>)) {
      if (value === undefined || !(key in sources)) continue
      setLeaf(target, key, value)
      sources[key] = source
    }
  }
  return { config, sources }
}
