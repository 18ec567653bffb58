import { FabrikError, isFabrikError } from '../../errors/registry.js'
import type { ActionCacheHandlers } from '../../generated/build/bazel/remote/execution/v2/ActionCache.js'
import type { ActionResult, ActionResult__Output } from '../../generated/build/bazel/remote/execution/v2/ActionResult.js'
import type { GetActionResultRequest__Output } from '../../generated/build/bazel/remote/execution/v2/GetActionResultRequest.js'
import type { UpdateActionResultRequest__Output } from '../../generated/build/bazel/remote/execution/v2/UpdateActionResultRequest.js'
import type { BlobStore } from '../../store/types.js'
import { MESSAGES, decodeMessage, encodeMessage } from '../codec.js'
import { NS, type GrpcContext } from '../context.js'
import { checkDigestFunction, isEmptyBlob, parseDigest } from '../digest.js'
import { unary } from '../observe.js'
import { readResult } from '../../store/result.js'
import { acNamespace } from './instance.js'
import { missingReferences } from './references.js'
import { executionMs } from './saved-time.js'

// ActionCache: serialized ActionResult bytes in "ac" / "ac.<instance>" keyed by the action digest's hash.

/** Inlined stdout/stderr/file contents stay under this total, far below clients' 4 MiB message limit. */
export const INLINE_BUDGET = 1024 * 1024

async function fetchSmall(store: BlobStore, raw: Parameters<typeof parseDigest>[0], budget: { left: number }): Promise<Buffer | undefined> {
  if (!raw) return undefined
  const d = parseDigest(raw)
  if (isEmptyBlob(d)) return Buffer.alloc(0)
  if (d.size > budget.left) return undefined // the spec lets the server skip inlining; the client fetches the digest
  // Inlined into the action result the client asked for: not a hit of its own (GetOptions.reference).
  const got = await store.get(NS.cas, d.hash, { reference: true })
  if (!got) return undefined
  budget.left -= d.size
  return readResult(got)
}

/** Honours inline_stdout / inline_stderr / inline_output_files as far as the budget allows. */
async function inline(store: BlobStore, req: GetActionResultRequest__Output, result: ActionResult__Output): Promise<void> {
  const budget = { left: INLINE_BUDGET }
  if (req.inline_stdout && result.stdout_raw.length === 0) {
    result.stdout_raw = (await fetchSmall(store, result.stdout_digest, budget)) ?? result.stdout_raw
  }
  if (req.inline_stderr && result.stderr_raw.length === 0) {
    result.stderr_raw = (await fetchSmall(store, result.stderr_digest, budget)) ?? result.stderr_raw
  }
  const paths = new Set(req.inline_output_files)
  for (const f of result.output_files) {
    if (paths.has(f.path) && f.contents.length === 0) f.contents = (await fetchSmall(store, f.digest, budget)) ?? f.contents
  }
}

export function getActionResult(ctx: GrpcContext) {
  return unary<GetActionResultRequest__Output, ActionResult>(ctx, 'ac', 'GetActionResult', async (req, tally) => {
    checkDigestFunction(req.digest_function)
    const action = parseDigest(req.action_digest, 'action_digest')
    tally.key = action.hash
    const ns = acNamespace(req.instance_name)
    const got = await ctx.store.get(ns, action.hash)
    if (!got) throw new FabrikError('NOT_FOUND', `no action result for ${action.hash}`)
    let result: ActionResult__Output
    try {
      result = decodeMessage<ActionResult__Output>(MESSAGES.actionResult, await readResult(got))
    } catch (err) {
      if (!isFabrikError(err, 'INVALID_REQUEST')) throw err
      ctx.logger.warn({ ns, key: action.hash, err: err.message }, 'stored action result is unreadable; treated as a miss')
      throw new FabrikError('NOT_FOUND', `no usable action result for ${action.hash}`)
    }
    const missing = await missingReferences(ctx.store, result)
    if (missing.length > 0) {
      ctx.logger.debug({ ns, key: action.hash, missing: missing.slice(0, 5), count: missing.length }, 'action result not served: dangling references')
      throw new FabrikError('NOT_FOUND', `action result ${action.hash} references blobs that are gone (${missing[0]}); rebuild to repopulate`)
    }
    await inline(ctx.store, req, result)
    tally.outcome = 'hit'
    tally.bytesOut = got.size
    tally.savedMs = executionMs(result)
    return result
  })
}

export function updateActionResult(ctx: GrpcContext) {
  return unary<UpdateActionResultRequest__Output, ActionResult>(ctx, 'ac', 'UpdateActionResult', async (req, tally) => {
    checkDigestFunction(req.digest_function)
    const action = parseDigest(req.action_digest, 'action_digest')
    tally.key = action.hash
    if (!req.action_result) throw new FabrikError('INVALID_REQUEST', 'action_result is missing')
    const bytes = encodeMessage(MESSAGES.actionResult, req.action_result)
    await ctx.store.put(acNamespace(req.instance_name), action.hash, bytes, { size: bytes.length })
    tally.outcome = 'stored'
    tally.bytesIn = bytes.length
    return req.action_result
  })
}

export function actionCacheService(ctx: GrpcContext): ActionCacheHandlers {
  return { GetActionResult: getActionResult(ctx), UpdateActionResult: updateActionResult(ctx) }
}
