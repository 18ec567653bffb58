import { createHash } from 'node:crypto'
import type { GetValueRequest__Output } from '../../generated/compilation_cache_service/keyvalue/v1/GetValueRequest.js'
import type { GetValueResponse } from '../../generated/compilation_cache_service/keyvalue/v1/GetValueResponse.js'
import type { KeyValueDBHandlers } from '../../generated/compilation_cache_service/keyvalue/v1/KeyValueDB.js'
import type { PutValueRequest__Output } from '../../generated/compilation_cache_service/keyvalue/v1/PutValueRequest.js'
import type { PutValueResponse } from '../../generated/compilation_cache_service/keyvalue/v1/PutValueResponse.js'
import type { Value__Output } from '../../generated/compilation_cache_service/keyvalue/v1/Value.js'
import { MESSAGES, decodeMessage, encodeMessage } from '../codec.js'
import { NS, type GrpcContext } from '../context.js'
import { unary } from '../observe.js'
import { readResult } from '../../store/result.js'
import { responseError } from './in-band.js'

// Xcode's KeyValueDB maps a cache key (bytes) to a Value (a map of named byte strings, usually CAS IDs). Values
// are stored serialized in "xcode-kv". Keys become "k" + hex when short enough for a store key, else "h" + their
// SHA-256 — the prefixes keep the two forms apart.

export function kvKey(key: Buffer): string {
  return key.length <= 120 ? `k${key.toString('hex')}` : `h${createHash('sha256').update(key).digest('hex')}`
}

export function keyValueService(ctx: GrpcContext): KeyValueDBHandlers {
  return {
    GetValue: unary<GetValueRequest__Output, GetValueResponse>(ctx, 'xcode-kv', 'GetValue', async (req, tally) => {
      try {
        const got = await ctx.store.get(NS.xcodeKv, kvKey(req.key))
        if (!got) {
          tally.outcome = 'miss'
          return { outcome: 'KEY_NOT_FOUND' }
        }
        const bytes = await readResult(got)
        tally.outcome = 'hit'
        tally.bytesOut = bytes.length
        return { outcome: 'SUCCESS', value: decodeMessage<Value__Output>(MESSAGES.xcodeValue, bytes) }
      } catch (err) {
        return { outcome: 'ERROR', error: responseError(ctx, tally, 'GetValue', err) }
      }
    }),
    PutValue: unary<PutValueRequest__Output, PutValueResponse>(ctx, 'xcode-kv', 'PutValue', async (req, tally) => {
      try {
        const bytes = encodeMessage(MESSAGES.xcodeValue, req.value ?? { entries: {} })
        await ctx.store.put(NS.xcodeKv, kvKey(req.key), bytes, { size: bytes.length })
        tally.outcome = 'stored'
        tally.bytesIn = bytes.length
        return {}
      } catch (err) {
        return { error: responseError(ctx, tally, 'PutValue', err) }
      }
    }),
  }
}
