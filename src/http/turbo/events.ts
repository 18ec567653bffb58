import { Counter, type Registry } from 'prom-client'

// POST /v8/artifacts/events: turbo reports every cache HIT/MISS it saw, LOCAL (its own .turbo cache) or REMOTE
// (us). Counted by source and event only — session ids and hashes would explode the label space.

const NAME = 'fabrik_turbo_events_total'

export type EventsCounter = Counter<'source' | 'event'>

export function turboEventsCounter(registry: Registry): EventsCounter {
  const existing = registry.getSingleMetric(NAME)
  if (existing) return existing as EventsCounter
  return new Counter({ name: NAME, help: 'Cache events reported by turbo, by source and event', labelNames: ['source', 'event'] as const, registers: [registry] })
}

function label(value: unknown, known: readonly string[]): string {
  const v = typeof value === 'string' ? value.toLowerCase() : ''
  return known.includes(v) ? v : 'other'
}

/** Counts a JSON events body; returns how many events it held. Anything but an array is a 400 upstream. */
export function countEvents(counter: EventsCounter, events: readonly unknown[]): number {
  for (const e of events) {
    const { source, event } = (typeof e === 'object' && e !== null ? e : {}) as { source?: unknown; event?: unknown }
    counter.inc({ source: label(source, ['local', 'remote']), event: label(event, ['hit', 'miss']) })
  }
  return events.length
}

/**
 * Build time saved by the hits turbo served from its own cache (LOCAL HIT events' durations, in ms). REMOTE hits
 * are left out: their GET was served here and already credited with the duration stored from x-artifact-duration
 * (plugin.ts). Of the two, the GET wins because it is recorded for every hit served, while turbo sends events
 * best-effort from a background batch (turborepo-analytics) that a run may end before sending.
 */
export function localHitMs(events: readonly unknown[]): number {
  let ms = 0
  for (const e of events) {
    const { source, event, duration } = (typeof e === 'object' && e !== null ? e : {}) as { source?: unknown; event?: unknown; duration?: unknown }
    if (source !== 'LOCAL' || event !== 'HIT') continue
    if (typeof duration === 'number' && Number.isSafeInteger(duration) && duration > 0) ms += duration
  }
  return ms
}
