import { isFabrikError } from '../../errors/registry.js'
import type { ActionResult__Output } from '../../generated/build/bazel/remote/execution/v2/ActionResult.js'
import { MESSAGES, decodeMessage } from '../codec.js'

// The build time an action-cache hit saves, as Bazel records it in the ActionResult: the worker's start and
// completion timestamps in execution_metadata. One function for both ways Bazel reaches the action cache: the
// REAPI GetActionResult (action-cache.ts) and the HTTP cache's /ac/ route (http/bazel/plugin.ts).

type Timestamp = { seconds?: string | number | { toString(): string } | null; nanos?: number | null } | null | undefined

function millis(t: Timestamp): number | undefined {
  if (!t) return undefined
  return Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6)
}

/** How long the action ran on the worker that produced it (execution_metadata): the time a hit saves. */
export function executionMs(result: ActionResult__Output): number | undefined {
  const meta = result.execution_metadata
  if (!meta) return undefined
  const start = millis(meta.worker_start_timestamp as Timestamp)
  const end = millis(meta.worker_completed_timestamp as Timestamp)
  if (start === undefined || end === undefined || start <= 0 || end < start) return undefined
  return end - start
}

/**
 * executionMs of serialized ActionResult bytes; undefined when they are not one (the HTTP cache stores /ac/
 * bodies as they come and never refused other bytes there, so an unreadable body just saves no time).
 */
export function executionMsOf(bytes: Uint8Array): number | undefined {
  try {
    return executionMs(decodeMessage<ActionResult__Output>(MESSAGES.actionResult, bytes))
  } catch (err) {
    if (isFabrikError(err, 'INVALID_REQUEST')) return undefined
    throw err
  }
}
