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
