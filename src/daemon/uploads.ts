import type { DaemonInfo } from './info.js'
import { probe } from './probe.js'

/** Entries the daemon still has to upload to slower layers, from its /health; undefined when it has no layers. */
export async function pendingUploads(info: DaemonInfo): Promise<number | undefined> {
  const health = await probe(Number(new URL(info.http_url).port), '/health', 3000)
  const body = health?.body as { uploads_pending?: unknown } | undefined
  return typeof body?.uploads_pending === 'number' ? body.uploads_pending : undefined
}

/**
 * Polls until the daemon's upload queue is empty or `timeoutMs` passes; `tick` hears the count and the seconds
 * left after every poll. Resolves with what is still pending (0 when everything went out).
 */
export async function waitForUploads(
  info: DaemonInfo, timeoutMs: number, tick: (pending: number, secondsLeft: number) => void, intervalMs = 500,
): Promise<number> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const pending = (await pendingUploads(info)) ?? 0
    const left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000))
    tick(pending, left)
    if (pending === 0 || Date.now() >= deadline) return pending
    await new Promise((r) => setTimeout(r, intervalMs))
  }
}
