import { FabrikError } from '../errors/registry.js'

// `--since 1h|1d|7d|30m|2w`: how far back `fabrik stats` looks. Figures are kept per hour, so a window starts at
// the beginning of the hour it falls in (1h shows the current hour and the one before it, partly).

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 }

export function parseSince(text: string): number {
  const m = /^(\d{1,6})\s*([mhdw])$/.exec(text.trim().toLowerCase())
  if (!m) throw new FabrikError('USAGE', `--since ${JSON.stringify(text)}: expected a number and a unit, like 1h, 1d or 7d`)
  return Number(m[1]) * UNITS[m[2]!]!
}
