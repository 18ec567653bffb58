import { createReadStream, createWriteStream } from 'node:fs'
import { isAbsolute } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { FabrikError, isFabrikError } from '../../errors/registry.js'
import type { CASBytes, CASBytes__Output } from '../../generated/compilation_cache_service/cas/v1/CASBytes.js'
import type { CASDBServiceHandlers } from '../../generated/compilation_cache_service/cas/v1/CASDBService.js'
import type { CASGetRequest__Output } from '../../generated/compilation_cache_service/cas/v1/CASGetRequest.js'
import type { CASGetResponse } from '../../generated/compilation_cache_service/cas/v1/CASGetResponse.js'
import type { CASLoadRequest__Output } from '../../generated/compilation_cache_service/cas/v1/CASLoadRequest.js'
import type { CASLoadResponse } from '../../generated/compilation_cache_service/cas/v1/CASLoadResponse.js'
import type { CASPutRequest__Output } from '../../generated/compilation_cache_service/cas/v1/CASPutRequest.js'
import type { CASPutResponse } from '../../generated/compilation_cache_service/cas/v1/CASPutResponse.js'
import type { CASSaveRequest__Output } from '../../generated/compilation_cache_service/cas/v1/CASSaveRequest.js'
import type { CASSaveResponse } from '../../generated/compilation_cache_service/cas/v1/CASSaveResponse.js'
import { NS, type GrpcContext } from '../context.js'
import { unary, type Tally } from '../observe.js'
import { header, objectId, parseObject, validateId } from './cas-object.js'
import type { HandedOutFiles } from './handed-out.js'
import { responseError } from './in-band.js'

// Xcode's CASDBService: Put/Get carry objects (blob + references), Save/Load plain blobs. Blobs may travel as
// bytes or as a file path: on Put/Save with file_path the daemon reads that file; on Get/Load with write_to_disk
// it writes the blob to a new file (handed-out.ts) and answers with its path (the client moves it away). IDs and
// the stored layout are described in cas-object.ts.

export interface XcodeCasOptions {
  /** Where blobs requested with write_to_disk are written for the client to pick up. */
  handedOut: HandedOutFiles
}

async function saveObject(ctx: GrpcContext, blob: CASBytes__Output | null, references: Buffer[], tally: Tally): Promise<Buffer> {
  const head = header(references)
  let source: Buffer | { path: string } = blob?.data ?? Buffer.alloc(0)
  if (blob?.contents === 'file_path') {
    const path = blob.file_path ?? ''
    if (!isAbsolute(path)) throw new FabrikError('INVALID_REQUEST', `file_path ${JSON.stringify(path)} is not absolute`)
    source = { path }
  }
  const { id, dataSize } = await objectId(head, source).catch((err: NodeJS.ErrnoException) => {
    throw isFabrikError(err) ? err : new FabrikError('INVALID_REQUEST', `cannot read file_path: ${err.code ?? err.message}`, { cause: err })
  })
  const key = id.toString('hex')
  tally.bytesIn = dataSize
  if (!(await ctx.store.has(NS.xcodeCas, key))) {
    const data = source
    async function* body(): AsyncGenerator<Buffer> {
      yield head
      if (Buffer.isBuffer(data)) yield data
      else yield* createReadStream(data.path) // read again: the store verifies it still hashes to the id
    }
    await ctx.store.put(NS.xcodeCas, key, Readable.from(body()), { size: head.length + dataSize, sha256: key })
  }
  tally.outcome = 'stored'
  return id
}

async function loadObject(
  ctx: GrpcContext, opts: XcodeCasOptions, id: Buffer, writeToDisk: boolean, tally: Tally,
): Promise<{ references: Buffer[]; blob: CASBytes } | undefined> {
  const got = await ctx.store.get(NS.xcodeCas, validateId(id))
  if (!got) {
    tally.outcome = 'miss'
    return undefined
  }
  const { references, data } = await parseObject(got.stream)
  tally.outcome = 'hit'
  if (writeToDisk) {
    const path = await opts.handedOut.newPath(id.toString('hex'))
    let written = 0
    async function* counted(): AsyncGenerator<Buffer> {
      for await (const chunk of data) {
        written += chunk.length
        yield chunk
      }
    }
    await pipeline(counted(), createWriteStream(path, { mode: 0o644 }))
    tally.bytesOut = written
    return { references, blob: { file_path: path } }
  }
  const chunks: Buffer[] = []
  for await (const chunk of data) chunks.push(chunk)
  const bytes = Buffer.concat(chunks)
  tally.bytesOut = bytes.length
  return { references, blob: { data: bytes } }
}

export function casDbService(ctx: GrpcContext, opts: XcodeCasOptions): CASDBServiceHandlers {
  return {
    Put: unary<CASPutRequest__Output, CASPutResponse>(ctx, 'xcode-cas', 'Put', async (req, tally) => {
      try {
        const refs = (req.data?.references ?? []).map((r) => r.id)
        return { cas_id: { id: await saveObject(ctx, req.data?.blob ?? null, refs, tally) } }
      } catch (err) {
        return { error: responseError(ctx, tally, 'Put', err) }
      }
    }),
    Save: unary<CASSaveRequest__Output, CASSaveResponse>(ctx, 'xcode-cas', 'Save', async (req, tally) => {
      try {
        return { cas_id: { id: await saveObject(ctx, req.data?.blob ?? null, [], tally) } }
      } catch (err) {
        return { error: responseError(ctx, tally, 'Save', err) }
      }
    }),
    Get: unary<CASGetRequest__Output, CASGetResponse>(ctx, 'xcode-cas', 'Get', async (req, tally) => {
      try {
        const found = await loadObject(ctx, opts, req.cas_id?.id ?? Buffer.alloc(0), req.write_to_disk, tally)
        if (!found) return { outcome: 'OBJECT_NOT_FOUND' }
        return { outcome: 'SUCCESS', data: { blob: found.blob, references: found.references.map((id) => ({ id })) } }
      } catch (err) {
        return { outcome: 'ERROR', error: responseError(ctx, tally, 'Get', err) }
      }
    }),
    Load: unary<CASLoadRequest__Output, CASLoadResponse>(ctx, 'xcode-cas', 'Load', async (req, tally) => {
      try {
        const found = await loadObject(ctx, opts, req.cas_id?.id ?? Buffer.alloc(0), req.write_to_disk, tally)
        if (!found) return { outcome: 'OBJECT_NOT_FOUND' }
        return { outcome: 'SUCCESS', data: { blob: found.blob } }
      } catch (err) {
        return { outcome: 'ERROR', error: responseError(ctx, tally, 'Load', err) }
      }
    }),
  }
}
